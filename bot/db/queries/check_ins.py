"""Morning check-ins: the answers, the chosen time, and whether one was sent."""

from datetime import date, datetime, time

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.coaching_models import CheckIn
from bot.db.enums import CheckInFeeling, MessageKind, SendStatus
from bot.db.models import SentMessage, User


async def record_check_in(
    session: AsyncSession,
    *,
    user_id: int,
    session_id: int,
    feeling: CheckInFeeling | None,
    score: int | None,
    now: datetime,
) -> bool:
    """Keep the morning's answer about one session; False if it was already answered."""
    try:
        async with session.begin_nested():
            session.add(
                CheckIn(
                    user_id=user_id,
                    session_id=session_id,
                    feeling=feeling,
                    score=score,
                    answered_at=now,
                )
            )
    except IntegrityError:
        return False
    return True


async def get_check_in(session: AsyncSession, *, session_id: int) -> CheckIn | None:
    """The morning's answer about a session, if given."""
    result = await session.execute(select(CheckIn).where(CheckIn.session_id == session_id))
    return result.scalar_one_or_none()


async def set_check_in_time(session: AsyncSession, *, user_id: int, at: time) -> None:
    """The person's chosen time for the morning check-in."""
    await session.execute(update(User).where(User.id == user_id).values(check_in_time=at))


async def was_check_in_sent(
    session: AsyncSession, *, user_id: int, local_date: date, after: datetime
) -> bool:
    """Whether the check-in for the morning of `local_date`, due after `after`, went to the
    person (sent, or handed to Telegram a moment ago and its fate not yet written)."""
    statement = select(SentMessage.id).where(
        SentMessage.user_id == user_id,
        SentMessage.kind == MessageKind.CHECK_IN,
        SentMessage.local_date == local_date,
        SentMessage.status.in_([SendStatus.SENDING, SendStatus.SENT]),
        SentMessage.due_at > after,
    )
    return (await session.execute(statement)).first() is not None


async def get_sent_check_in_due(
    session: AsyncSession, *, user_id: int, local_date: date
) -> datetime | None:
    """When the check-in for the morning of `local_date` was due, if it went to the person
    (sent, or handed to Telegram a moment ago and its fate not yet written)."""
    statement = (
        select(SentMessage.due_at)
        .where(
            SentMessage.user_id == user_id,
            SentMessage.kind == MessageKind.CHECK_IN,
            SentMessage.local_date == local_date,
            SentMessage.status.in_([SendStatus.SENDING, SendStatus.SENT]),
        )
        .order_by(SentMessage.due_at.desc())
        .limit(1)
    )
    return (await session.execute(statement)).scalar_one_or_none()
