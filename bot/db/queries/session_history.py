"""What reminders need to know of past sessions."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SessionStatus
from bot.db.models import RoutineSession

# A partial session is still a session done that day, for the reminder's purposes.
_DONE = (SessionStatus.COMPLETED, SessionStatus.PARTIAL)


async def list_finishes(session: AsyncSession, *, user_id: int, since: datetime) -> list[datetime]:
    """When the person's sessions since `since` finished (completed or partial), newest first."""
    result = await session.execute(
        select(RoutineSession.finished_at)
        .where(
            RoutineSession.user_id == user_id,
            RoutineSession.started_at >= since,
            RoutineSession.status.in_(_DONE),
        )
        .order_by(RoutineSession.started_at.desc())
    )
    return [finished for finished in result.scalars() if finished is not None]


async def has_done_a_session(session: AsyncSession, *, user_id: int) -> bool:
    """Whether the person ever finished a session (completed or partial)."""
    statement = select(RoutineSession.id).where(
        RoutineSession.user_id == user_id, RoutineSession.status.in_(_DONE)
    )
    return (await session.execute(statement.limit(1))).first() is not None
