"""Pain reports: the baseline and the rating after each session."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import PainContext
from bot.db.models import PainReport


async def record_pain(
    session: AsyncSession,
    *,
    user_id: int,
    score: int,
    context: PainContext,
    now: datetime,
    session_id: int | None = None,
) -> bool:
    """Keep one 0–10 score; False if this session was already rated."""
    try:
        async with session.begin_nested():
            session.add(
                PainReport(
                    user_id=user_id,
                    session_id=session_id,
                    score=score,
                    context=context,
                    reported_at=now,
                )
            )
    except IntegrityError:
        return False
    return True


async def latest_baseline(session: AsyncSession, *, user_id: int) -> int | None:
    """The person's most recent starting-point score."""
    result = await session.execute(
        select(PainReport.score)
        .where(PainReport.user_id == user_id, PainReport.context == PainContext.BASELINE)
        .order_by(PainReport.reported_at.desc(), PainReport.id.desc())
        .limit(1)
    )
    return result.scalar_one_or_none()
