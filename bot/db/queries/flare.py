"""Flare-up mode: its dates on the person, and the flare decisions in the audit trail."""

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.coaching_models import CoachingDecision
from bot.db.enums import CoachingTopic
from bot.db.models import User


async def set_flare(session: AsyncSession, *, user_id: int, started_on: date, until: date) -> None:
    """Flare-up mode from `started_on` up to, not including, `until` (local dates)."""
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(flare_started_on=started_on, flare_until=until)
    )


async def list_flare_decisions(
    session: AsyncSession, *, user_id: int, since: datetime
) -> list[tuple[str, datetime]]:
    """The person's flare decisions made since `since`: (reason, when), oldest first."""
    result = await session.execute(
        select(CoachingDecision.reason, CoachingDecision.made_at)
        .where(
            CoachingDecision.user_id == user_id,
            CoachingDecision.topic == CoachingTopic.FLARE,
            CoachingDecision.made_at >= since,
        )
        .order_by(CoachingDecision.made_at, CoachingDecision.id)
    )
    return [(reason, made_at) for reason, made_at in result.all()]


async def latest_flare_reason(session: AsyncSession, *, user_id: int) -> str | None:
    """The reason of the person's latest flare decision, if any."""
    result = await session.execute(
        select(CoachingDecision.reason)
        .where(CoachingDecision.user_id == user_id, CoachingDecision.topic == CoachingTopic.FLARE)
        .order_by(CoachingDecision.made_at.desc(), CoachingDecision.id.desc())
        .limit(1)
    )
    return result.scalar_one_or_none()
