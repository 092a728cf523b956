"""The send log: one row per person, kind and local date, written before anything is sent.

A row starts `queued`; the one sender that moves it to `sending` may call Telegram. So a
message queued twice (after a restart, or by two dispatchers) still goes out at most once.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, literal, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.expression import Update

from bot.db.enums import MessageKind, ReminderResponse, SendStatus
from bot.db.models import SentMessage, User
from bot.db.types import UTCDateTime


@dataclass(frozen=True, slots=True)
class QueuedSend:
    """A message waiting for the sender; `log_id` is its place in the order they are listed."""

    user_id: int
    kind: MessageKind
    local_date: date
    due_at: datetime
    chat_id: int
    log_id: int


async def settle_queued(
    session: AsyncSession, *, user_id: int, kind: MessageKind, local_date: date, to: SendStatus
) -> bool:
    """Move a queued message on (to `sending`: the one right to send it); False if it is not,
    or no longer, queued."""
    result = await session.execute(
        _keyed(update(SentMessage), user_id, kind, local_date)
        .where(SentMessage.status == SendStatus.QUEUED)
        .values(status=to)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def requeue(
    session: AsyncSession, *, user_id: int, kind: MessageKind, local_date: date
) -> None:
    """Put a message whose send was begun, but surely never reached Telegram, back in the queue."""
    await session.execute(
        _keyed(update(SentMessage), user_id, kind, local_date)
        .where(SentMessage.status == SendStatus.SENDING)
        .values(status=SendStatus.QUEUED)
    )


async def finish_send(
    session: AsyncSession,
    *,
    user_id: int,
    kind: MessageKind,
    local_date: date,
    status: SendStatus,
    now: datetime,
) -> None:
    """Record how a send ended."""
    sent_at = now if status == SendStatus.SENT else None
    await session.execute(
        _keyed(update(SentMessage), user_id, kind, local_date).values(
            status=status, sent_at=sent_at
        )
    )


async def list_queued(
    session: AsyncSession, *, limit: int, after: QueuedSend | None = None
) -> list[QueuedSend]:
    """Messages queued but not yet sent (left by a stop or a crash), earliest first; a page of
    at most `limit`, the one that follows `after` if given."""
    statement = (
        select(
            SentMessage.user_id,
            SentMessage.kind,
            SentMessage.local_date,
            SentMessage.due_at,
            User.chat_id,
            SentMessage.id,
        )
        .join(User, User.id == SentMessage.user_id)
        .where(SentMessage.status == SendStatus.QUEUED)
        .order_by(SentMessage.due_at, SentMessage.id)
        .limit(limit)
    )
    if after is not None:
        place = tuple_(SentMessage.due_at, SentMessage.id)
        # Typed, or the time is bound as a plain DateTime, not in the column's stored form.
        statement = statement.where(
            place > tuple_(literal(after.due_at, UTCDateTime), after.log_id)
        )
    rows = (await session.execute(statement)).all()
    return [
        QueuedSend(
            row.user_id, MessageKind(row.kind), row.local_date, row.due_at, row.chat_id, row.id
        )
        for row in rows
    ]


async def record_response(
    session: AsyncSession,
    *,
    user_id: int,
    local_date: date,
    response: ReminderResponse,
    now: datetime,
) -> None:
    """What the person pressed on that day's reminder (the latest press wins)."""
    await session.execute(
        update(SentMessage)
        .where(
            SentMessage.user_id == user_id,
            SentMessage.local_date == local_date,
            SentMessage.kind.in_([MessageKind.DAILY_REMINDER, MessageKind.SNOOZE]),
        )
        .values(response=response, responded_at=now)
    )


async def count_by_status(session: AsyncSession, *, kind: MessageKind) -> dict[SendStatus, int]:
    """How many messages of a kind ended each way (for operators and tests)."""
    result = await session.execute(
        select(SentMessage.status, func.count())
        .where(SentMessage.kind == kind)
        .group_by(SentMessage.status)
    )
    return {SendStatus(status): count for status, count in result.all()}


def _keyed(statement: Update, user_id: int, kind: MessageKind, local_date: date) -> Update:
    return statement.where(
        SentMessage.user_id == user_id,
        SentMessage.kind == kind,
        SentMessage.local_date == local_date,
    )


async def was_logged(
    session: AsyncSession, *, user_id: int, kind: MessageKind, local_date: date
) -> bool:
    """Whether a message of this kind was already queued (or skipped) for that local date."""
    statement = select(SentMessage.id).where(
        SentMessage.user_id == user_id,
        SentMessage.kind == kind,
        SentMessage.local_date == local_date,
    )
    return (await session.execute(statement)).first() is not None


async def was_sent_between(
    session: AsyncSession, *, user_id: int, kind: MessageKind, first: date, last: date
) -> bool:
    """Whether a message of this kind went out (or is on its way) for a local date from
    `first` to `last`; skipped, cancelled and failed ones do not count."""
    statement = select(SentMessage.id).where(
        SentMessage.user_id == user_id,
        SentMessage.kind == kind,
        SentMessage.local_date.between(first, last),
        SentMessage.status.in_([SendStatus.QUEUED, SendStatus.SENDING, SendStatus.SENT]),
    )
    return (await session.execute(statement.limit(1))).first() is not None
