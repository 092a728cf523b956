"""A routine walked one exercise at a time, kept in the database as it happens."""

from bot.coaching.session_summary import count_outcomes, status_when_stopped
from bot.content.schema import Routine
from bot.db.enums import PainContext, SessionStatus, StepOutcome, UserStatus
from bot.db.models import RoutineSession, User
from bot.db.queries import pain, sessions, users
from bot.flows.moves import (
    AskPain,
    NextMove,
    OfferEasier,
    SessionResult,
    Stale,
    StepView,
    Stopped,
)
from bot.services import Services


async def find_ready_user(services: Services, *, telegram_id: int) -> User | None:
    """The person, if they exist at all."""
    async with services.session_factory() as session:
        return await users.get_user(session, telegram_id=telegram_id)


def _step_view(services: Services, routine_session: RoutineSession) -> StepView | AskPain:
    routine = services.content.routine(routine_session.routine_key)
    if routine_session.current_exercise_key is None:
        return AskPain(routine_session.id)
    return StepView(
        session_id=routine_session.id,
        position=routine_session.current_position,
        total=len(routine.exercises),
        exercise=services.content.exercise(routine_session.current_exercise_key),
    )


async def current_step(services: Services, *, user_id: int) -> StepView | AskPain | None:
    """Where the person's routine in progress stands, if one is."""
    async with services.session_factory() as session:
        active = await sessions.get_active_session(session, user_id=user_id)
    return None if active is None else _step_view(services, active)


async def start_routine(
    services: Services, *, user_id: int, routine: Routine
) -> tuple[StepView, bool]:
    """Begin a routine (ending any unfinished one); also says whether it is their first."""
    now = services.clock()
    async with services.session_factory.begin() as session:
        earlier = await sessions.get_active_session(session, user_id=user_id)
        if earlier is not None:
            outcomes = await sessions.list_step_outcomes(session, session_id=earlier.id)
            await sessions.finish_session(
                session, session_id=earlier.id, status=status_when_stopped(outcomes), now=now
            )
        first_time = await sessions.count_sessions(session, user_id=user_id) == 0
        started = await sessions.start_session(
            session,
            user_id=user_id,
            routine_key=routine.key,
            first_exercise_key=routine.exercises[0],
            now=now,
        )
        view = _step_view(services, started)
    assert isinstance(view, StepView)
    return view, first_time


async def _active_at(
    services: Services, session_id: int, user_id: int, position: int
) -> RoutineSession | Stale:
    async with services.session_factory() as session:
        found = await sessions.get_session(session, session_id=session_id)
    if found is None or found.user_id != user_id or found.status != SessionStatus.IN_PROGRESS:
        return Stale()
    if found.current_position != position or found.current_exercise_key is None:
        return Stale(still_running=True)
    return found


async def _advance(services: Services, routine_session: RoutineSession) -> StepView | AskPain:
    routine = services.content.routine(routine_session.routine_key)
    position = routine_session.current_position + 1
    next_key = routine.exercises[position] if position < len(routine.exercises) else None
    async with services.session_factory.begin() as session:
        await sessions.move_session_to(
            session, session_id=routine_session.id, position=position, exercise_key=next_key
        )
    routine_session.current_position, routine_session.current_exercise_key = position, next_key
    return _step_view(services, routine_session)


async def answer_step(
    services: Services, *, user_id: int, session_id: int, position: int, outcome: StepOutcome
) -> NextMove:
    """Record Done, Skip or Too painful for the current exercise and move on."""
    active = await _active_at(services, session_id, user_id, position)
    if isinstance(active, Stale) or active.current_exercise_key is None:
        return active if isinstance(active, Stale) else Stale(still_running=True)
    exercise = services.content.exercise(active.current_exercise_key)
    async with services.session_factory.begin() as session:
        recorded = await sessions.record_step_result(
            session,
            session_id=session_id,
            position=position,
            exercise_key=exercise.key,
            outcome=outcome,
            now=services.clock(),
        )
    if not recorded:
        return Stale(still_running=True)
    if outcome is StepOutcome.TOO_PAINFUL and exercise.easier is not None:
        return OfferEasier(session_id, position, services.content.exercise(exercise.easier))
    return await _advance(services, active)


async def choose_after_pain(
    services: Services, *, user_id: int, session_id: int, position: int, try_easier: bool
) -> NextMove:
    """After Too painful: try the easier variant in the same place, or move on."""
    active = await _active_at(services, session_id, user_id, position)
    if isinstance(active, Stale) or active.current_exercise_key is None:
        return active if isinstance(active, Stale) else Stale(still_running=True)
    easier_key = services.content.exercise(active.current_exercise_key).easier
    if not try_easier or easier_key is None:
        return await _advance(services, active)
    async with services.session_factory.begin() as session:
        await sessions.move_session_to(
            session, session_id=session_id, position=position, exercise_key=easier_key
        )
    active.current_exercise_key = easier_key
    return _step_view(services, active)


async def rate_session(
    services: Services, *, user_id: int, session_id: int, score: int
) -> SessionResult | Stale:
    """The pain rating closes the session as completed."""
    now = services.clock()
    async with services.session_factory.begin() as session:
        found = await sessions.get_session(session, session_id=session_id)
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
        outcomes = await sessions.list_step_outcomes(session, session_id=session_id)
        baseline = await pain.latest_baseline(session, user_id=user_id)
    return SessionResult(count_outcomes(outcomes), score, baseline)


async def stop_routine(services: Services, *, user_id: int) -> Stopped | None:
    """/cancel: close the routine in progress, keeping what was done."""
    async with services.session_factory.begin() as session:
        active = await sessions.get_active_session(session, user_id=user_id)
        if active is None:
            return None
        outcomes = await sessions.list_step_outcomes(session, session_id=active.id)
        status = status_when_stopped(outcomes)
        await sessions.finish_session(
            session, session_id=active.id, status=status, now=services.clock()
        )
    total = len(services.content.routine(active.routine_key).exercises)
    return Stopped(count_outcomes(outcomes), total, status)


def is_ready_for_routines(user: User | None) -> bool:
    """Only people who finished set-up and have no red flag get a routine."""
    return user is not None and user.status == UserStatus.ACTIVE
