"""What reminders need to know of past sessions."""

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SessionStatus
from bot.db.models import RoutineSession

# A partial session is still a session done that day, for the reminder's purposes.
_DONE = (SessionStatus.COMPLETED, SessionStatus.PARTIAL)
# A session that finished on a day started at most this long before it; bounds the index range.
LONGEST_SESSION = timedelta(days=2)


def finished_within(
    user_id: ColumnElement[int],
    start: ColumnElement[datetime],
    end: ColumnElement[datetime],
    started_after: ColumnElement[datetime],
) -> ColumnElement[bool]:
    """SQL: the person `user_id` finished a session (completed or partial) in [start, end); it
    started after `started_after` (`start` - LONGEST_SESSION, which bounds the index range)."""
    return exists().where(
        RoutineSession.user_id == user_id,
        RoutineSession.started_at >= started_after,
        RoutineSession.started_at < end,
        RoutineSession.finished_at >= start,
        RoutineSession.finished_at < end,
        # Not IN: an expanding parameter would be rendered anew at every execution.
        or_(*(RoutineSession.status == status for status in _DONE)),
    )


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
