"""How a routine ends: rated and completed, or stopped and kept as partial."""

from dataclasses import dataclass
from datetime import time

from bot.coaching.checkins import Morning
from bot.coaching.feedback import RECENT_SESSIONS, SessionFeedback, session_feedback
from bot.coaching.progression import ProgressionDecision, SessionSignals
from bot.coaching.session_summary import count_outcomes, final_outcomes, status_when_stopped
from bot.db.enums import PainContext, SessionStatus
from bot.db.queries import coaching_log, ladders, pain, sessions, users
from bot.flows import check_in, progression, session_plan
from bot.flows.moves import SessionResult, Stale, Stopped
from bot.services import Services


@dataclass(frozen=True)
class Rated:
    """A rated session: its summary, the rating against the baseline and recent sessions, and
    the progression decided now (setbacks); the rest waits for the morning check-in."""

    user_id: int
    session_id: int
    result: SessionResult
    feedback: SessionFeedback
    decided: list[ProgressionDecision]
    # Some planned exercise's next step depends on the morning.
    waiting: bool
    # The person's local time of the morning check-in, if one is scheduled.
    check_in_at: time | None


async def rate_session(
    services: Services, *, user_id: int, session_id: int, score: int
) -> Rated | Stale:
    """The pain rating closes the session as completed; setbacks are decided at once, and the
    morning check-in is scheduled for the rest."""
    now = services.clock()
    async with services.session_factory.begin() as session:
        found = await sessions.get_session(session, session_id=session_id, for_update=True)
        if (
            found is None
            or found.user_id != user_id
            or found.status != SessionStatus.IN_PROGRESS
            or found.current_exercise_key is not None
        ):
            return Stale()
        recorded = await pain.record_pain(
            session,
            user_id=user_id,
            score=score,
            context=PainContext.AFTER_SESSION,
            now=now,
            session_id=session_id,
        )
        if not recorded:
            return Stale()
        await sessions.finish_session(
            session, session_id=session_id, status=SessionStatus.COMPLETED, now=now
        )
        results = await sessions.list_step_results(session, session_id=session_id)
        baseline = await pain.latest_baseline(session, user_id=user_id)
        earlier = await coaching_log.list_ratings_before(
            session, user_id=user_id, before=found.started_at, limit=RECENT_SESSIONS
        )
        person = await users.get_user_by_id(session, user_id=user_id)
        in_flare = progression.in_flare_at(person, found.started_at)
        decided = await progression.decide_session_tracks(
            session,
            services,
            routine_session=found,
            signals=SessionSignals(score, Morning.UNANSWERED),
            now=now,
            lasting_only=True,
        )
        planned = await ladders.list_session_exercises(session, session_id=session_id)
        waiting = len({row.track_key for row in planned} & set(services.tracks)) > len(decided)
        default_at = services.content.plan.check_in_at
        morning = await check_in.schedule_check_in(
            session, person=person, finished_at=now, default_at=default_at
        )
    return Rated(
        user_id,
        session_id,
        SessionResult(count_outcomes(final_outcomes(results)), score, baseline),
        session_feedback(score, baseline=baseline, earlier=earlier, in_flare=in_flare),
        decided,
        waiting,
        None if morning is None else check_in.check_in_time(person, default_at),
    )


async def stop_routine(services: Services, *, user_id: int) -> Stopped | None:
    """/cancel: close the routine in progress, keeping what was done."""
    async with services.session_factory.begin() as session:
        active = await sessions.get_active_session(session, user_id=user_id)
        if active is None:
            return None
        results = await sessions.list_step_results(session, session_id=active.id)
        status = status_when_stopped([outcome for _, outcome in results])
        await sessions.finish_session(
            session, session_id=active.id, status=status, now=services.clock()
        )
        planned = await ladders.list_session_exercises(session, session_id=active.id)
        total = len(session_plan.exercise_keys(services, active, planned))
    return Stopped(count_outcomes(final_outcomes(results)), total, status)
