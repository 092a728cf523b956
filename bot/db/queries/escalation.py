"""What the advice to see a physical therapist is judged on: ratings, setbacks, past advice."""

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.coaching_models import CoachingDecision
from bot.db.enums import CoachingTopic, PainContext
from bot.db.models import PainReport, RoutineSession


async def first_session_start(session: AsyncSession, *, user_id: int) -> datetime | None:
    """When the person started their first routine, if ever."""
    result = await session.execute(
        select(func.min(RoutineSession.started_at)).where(RoutineSession.user_id == user_id)
    )
    return result.scalar_one_or_none()


async def list_ratings_between(
    session: AsyncSession, *, user_id: int, spans: Collection[tuple[datetime, datetime]]
) -> list[tuple[datetime, int]]:
    """The after-session ratings given in any of the [start, end) `spans`: (when, score)."""
    if not spans:
        return []
    result = await session.execute(
        select(PainReport.reported_at, PainReport.score)
        .where(
            PainReport.user_id == user_id,
            PainReport.context == PainContext.AFTER_SESSION,
            or_(
                *(
                    (PainReport.reported_at >= start) & (PainReport.reported_at < end)
                    for start, end in spans
                )
            ),
        )
        .order_by(PainReport.reported_at, PainReport.id)
    )
    return [(reported_at, score) for reported_at, score in result.all()]


async def list_decision_times(
    session: AsyncSession,
    *,
    user_id: int,
    topic: CoachingTopic,
    reasons: Collection[str],
    since: datetime,
) -> list[tuple[str, datetime]]:
    """The person's decisions on `topic` for any of `reasons` since `since`: (reason, when)."""
    result = await session.execute(
        select(CoachingDecision.reason, CoachingDecision.made_at)
        .where(
            CoachingDecision.user_id == user_id,
            CoachingDecision.topic == topic,
            CoachingDecision.reason.in_(list(reasons)),
            CoachingDecision.made_at >= since,
        )
        .order_by(CoachingDecision.made_at, CoachingDecision.id)
    )
    return [(reason, made_at) for reason, made_at in result.all()]
