"""What reminders need to know of past sessions."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SessionStatus
from bot.db.models import RoutineSession

# A partial session is still a session done that day, for the reminder's purposes.
_DONE = (SessionStatus.COMPLETED, SessionStatus.PARTIAL)


async def latest_finishes(
    session: AsyncSession, *, user_ids: Sequence[int], since: datetime
) -> dict[int, datetime]:
    """Each person's most recent session finished (completed or partial) since `since`."""
    if not user_ids:
        return {}
    result = await session.execute(
        select(RoutineSession.user_id, func.max(RoutineSession.finished_at))
        .where(
            RoutineSession.user_id.in_(user_ids),
            RoutineSession.started_at >= since,
            RoutineSession.status.in_(_DONE),
        )
        .group_by(RoutineSession.user_id)
    )
    return {user_id: finished for user_id, finished in result.all() if finished is not None}


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
