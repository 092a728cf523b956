"""Scheduled messages: the pending row per person and kind, its claim, and the send log."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SendStatus
from bot.db.models import DueMessage, SentMessage


@dataclass(frozen=True, slots=True)
class ClaimedDue:
    """A due row this dispatcher holds until its lease ends."""

    id: int
    user_id: int
    kind: str
    next_due_at: datetime
    local_date: date
    attempts: int


async def schedule_due(
    session: AsyncSession, *, user_id: int, kind: str, due_at: datetime, local_date: date
) -> None:
    """Set the person's next message of this kind, replacing any pending one and its claim."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(DueMessage).values(
        user_id=user_id,
        kind=kind,
        next_due_at=due_at,
        local_date=local_date,
        claimed_until=None,
        attempts=0,
    )
    statement = statement.on_conflict_do_update(
        index_elements=[DueMessage.user_id, DueMessage.kind],
        set_={
            "next_due_at": statement.excluded.next_due_at,
            "local_date": statement.excluded.local_date,
            "claimed_until": None,
            "attempts": 0,
        },
    )
    await session.execute(statement)


async def claim_due(
    session: AsyncSession, *, now: datetime, limit: int, lease: timedelta
) -> list[ClaimedDue]:
    """Lease up to `limit` due, unclaimed rows, earliest first; commit to make the claim count.

    On PostgreSQL rows another dispatcher is claiming are skipped (`FOR UPDATE SKIP LOCKED`);
    each claim counts as one attempt.
    """
    claimable = (DueMessage.next_due_at <= now) & or_(
        DueMessage.claimed_until.is_(None), DueMessage.claimed_until < now
    )
    candidates = (
        select(DueMessage.id)
        .where(claimable)
        .order_by(DueMessage.next_due_at, DueMessage.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    ids = list((await session.execute(candidates)).scalars())
    if not ids:
        return []
    result = await session.execute(
        update(DueMessage)
        .where(DueMessage.id.in_(ids), claimable)
        .values(claimed_until=now + lease, attempts=DueMessage.attempts + 1)
        .returning(
            DueMessage.id,
            DueMessage.user_id,
            DueMessage.kind,
            DueMessage.next_due_at,
            DueMessage.local_date,
            DueMessage.attempts,
        )
    )
    claimed = [ClaimedDue(*row) for row in result.all()]
    return sorted(claimed, key=lambda due: (due.next_due_at, due.id))


async def advance_due(
    session: AsyncSession, *, due_id: int, next_due_at: datetime, local_date: date
) -> None:
    """Move a row to its next occurrence and release it."""
    await session.execute(
        update(DueMessage)
        .where(DueMessage.id == due_id)
        .values(next_due_at=next_due_at, local_date=local_date, claimed_until=None, attempts=0)
    )


async def delete_due(session: AsyncSession, *, user_id: int, kind: str) -> None:
    """Stop the person's pending message of this kind."""
    await session.execute(
        delete(DueMessage).where(DueMessage.user_id == user_id, DueMessage.kind == kind)
    )


async def record_send_intent(
    session: AsyncSession, *, user_id: int, kind: str, local_date: date, now: datetime
) -> bool:
    """Note a send before it happens; False if this kind already went out for that local date."""
    try:
        async with session.begin_nested():
            session.add(
                SentMessage(
                    user_id=user_id,
                    kind=kind,
                    local_date=local_date,
                    status=SendStatus.SENDING,
                    created_at=now,
                )
            )
    except IntegrityError:
        return False
    return True


async def mark_sent(
    session: AsyncSession, *, user_id: int, kind: str, local_date: date, now: datetime
) -> None:
    """The message reached Telegram."""
    await _set_status(session, user_id, kind, local_date, SendStatus.SENT, sent_at=now)


async def mark_skipped_late(
    session: AsyncSession, *, user_id: int, kind: str, local_date: date
) -> None:
    """The message was too late to be worth sending."""
    await _set_status(session, user_id, kind, local_date, SendStatus.SKIPPED_LATE)


async def _set_status(
    session: AsyncSession,
    user_id: int,
    kind: str,
    local_date: date,
    status: SendStatus,
    *,
    sent_at: datetime | None = None,
) -> None:
    await session.execute(
        update(SentMessage)
        .where(
            SentMessage.user_id == user_id,
            SentMessage.kind == kind,
            SentMessage.local_date == local_date,
        )
        .values(status=status, sent_at=sent_at)
    )
