"""How a routine ends: rated and completed, or stopped and kept as partial."""

from bot.coaching.session_summary import count_outcomes, final_outcomes, status_when_stopped
from bot.db.enums import PainContext, SessionStatus
from bot.db.queries import pain, sessions
from bot.flows.moves import SessionResult, Stale, Stopped
from bot.services import Services


async def rate_session(
    services: Services, *, user_id: int, session_id: int, score: int
) -> SessionResult | Stale:
    """The pain rating closes the session as completed."""
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
    return SessionResult(count_outcomes(final_outcomes(results)), score, baseline)


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
    total = len(services.content.routine(active.routine_key).exercises)
    return Stopped(count_outcomes(final_outcomes(results)), total, status)
