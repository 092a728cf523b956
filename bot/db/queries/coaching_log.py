"""The coaching audit trail, and the sessions and ratings the coach decides from."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.coaching_models import CoachingDecision, SessionExercise
from bot.db.enums import CoachingTopic, PainContext, SessionStatus
from bot.db.models import PainReport, RoutineSession


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    """One row of the audit trail; track and rungs only for progression."""

    topic: CoachingTopic
    reason: str
    track: str | None = None
    from_rung: int | None = None
    to_rung: int | None = None


async def record_decisions(
    session: AsyncSession,
    *,
    user_id: int,
    session_id: int | None,
    decisions: Sequence[DecisionRecord],
    now: datetime,
) -> None:
    """Keep each decision the coach made, what it changed, and why."""
    session.add_all(
        CoachingDecision(
            user_id=user_id,
            session_id=session_id,
            topic=d.topic,
            reason=d.reason,
            track_key=d.track,
            from_rung=d.from_rung,
            to_rung=d.to_rung,
            made_at=now,
        )
        for d in decisions
    )
    await session.flush()


async def list_session_decisions(
    session: AsyncSession, *, user_id: int, session_id: int, topic: CoachingTopic
) -> list[CoachingDecision]:
    """The decisions on one topic made about one session, oldest first."""
    result = await session.execute(
        select(CoachingDecision)
        .where(
            CoachingDecision.user_id == user_id,
            CoachingDecision.session_id == session_id,
            CoachingDecision.topic == topic,
        )
        .order_by(CoachingDecision.id)
    )
    return list(result.scalars())


async def list_undecided_sessions(
    session: AsyncSession, *, user_id: int, since: datetime
) -> list[RoutineSession]:
    """The person's finished sessions started since `since` with a planned track that has no
    progression decision yet, oldest first."""
    decided = exists().where(
        CoachingDecision.user_id == user_id,
        CoachingDecision.session_id == SessionExercise.session_id,
        CoachingDecision.topic == CoachingTopic.PROGRESSION,
        CoachingDecision.track_key == SessionExercise.track_key,
    )
    undecided = exists().where(SessionExercise.session_id == RoutineSession.id, ~decided)
    result = await session.execute(
        select(RoutineSession)
        .where(
            RoutineSession.user_id == user_id,
            RoutineSession.started_at >= since,
            RoutineSession.status != SessionStatus.IN_PROGRESS,
            undecided,
        )
        .order_by(RoutineSession.started_at, RoutineSession.id)
    )
    return list(result.scalars())


async def get_session_rating(session: AsyncSession, *, session_id: int) -> int | None:
    """The 0–10 given after this session, if it was rated."""
    result = await session.execute(
        select(PainReport.score).where(
            PainReport.session_id == session_id, PainReport.context == PainContext.AFTER_SESSION
        )
    )
    return result.scalar_one_or_none()


async def list_ratings_before(
    session: AsyncSession, *, user_id: int, before: datetime, limit: int
) -> list[int]:
    """Up to `limit` of the person's latest after-session ratings given before `before`,
    oldest first."""
    result = await session.execute(
        select(PainReport.score)
        .where(
            PainReport.user_id == user_id,
            PainReport.context == PainContext.AFTER_SESSION,
            PainReport.reported_at < before,
        )
        .order_by(PainReport.reported_at.desc(), PainReport.id.desc())
        .limit(limit)
    )
    return list(reversed(result.scalars().all()))


async def get_latest_session(
    session: AsyncSession, *, user_id: int, started_before: datetime | None = None
) -> RoutineSession | None:
    """The person's most recently started session (of those started before `started_before`)."""
    statement = select(RoutineSession).where(RoutineSession.user_id == user_id)
    if started_before is not None:
        statement = statement.where(RoutineSession.started_at < started_before)
    result = await session.execute(
        statement.order_by(RoutineSession.started_at.desc(), RoutineSession.id.desc()).limit(1)
    )
    return result.scalar_one_or_none()
