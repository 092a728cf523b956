"""A routine walked one exercise at a time, kept in the database as it happens."""

from sqlalchemy.ext.asyncio import AsyncSession

from bot.coaching.session_summary import status_when_stopped
from bot.content.schema import Routine
from bot.db.engine import read_only
from bot.db.enums import SessionStatus, StepOutcome, UserStatus
from bot.db.models import RoutineSession, User
from bot.db.queries import sessions, users
from bot.flows.moves import AskPain, NextMove, OfferEasier, Stale, StepView
from bot.services import Services

Where = StepView | OfferEasier | AskPain


def is_ready_for_routines(user: User | None) -> bool:
    """Only people who finished set-up and have no red flag get a routine."""
    return user is not None and user.status == UserStatus.ACTIVE


async def find_person(services: Services, *, telegram_id: int) -> User | None:
    """The person pressing, if we know them: a lookup that never waits for a writer."""
    async with read_only(services.session_factory) as session:
        return await users.get_user(session, telegram_id=telegram_id)


async def _where(
    services: Services, session: AsyncSession, routine_session: RoutineSession
) -> Where:
    """What the person should see now: an exercise, the easier-variant offer, or the rating."""
    key = routine_session.current_exercise_key
    if key is None:
        return AskPain(routine_session.id)
    exercise = services.content.exercise(key)
    answered = await sessions.get_step_outcome(
        session,
        session_id=routine_session.id,
        position=routine_session.current_position,
        exercise_key=key,
    )
    if answered is StepOutcome.TOO_PAINFUL and exercise.easier is not None:
        easier = services.content.exercise(exercise.easier)
        return OfferEasier(routine_session.id, routine_session.current_position, easier)
    routine = services.content.routine(routine_session.routine_key)
    return StepView(
        routine_session.id, routine_session.current_position, len(routine.exercises), exercise
    )


async def is_running(services: Services, *, user_id: int, session_id: int) -> bool:
    """Whether this person's session is still in progress."""
    async with read_only(services.session_factory) as session:
        found = await sessions.get_session(session, session_id=session_id)
    return (
        found is not None and found.user_id == user_id and found.status == SessionStatus.IN_PROGRESS
    )


async def current_step(services: Services, *, user_id: int) -> Where | None:
    """Where the person's routine in progress stands, if one is."""
    async with read_only(services.session_factory) as session:
        active = await sessions.get_active_session(session, user_id=user_id)
        return None if active is None else await _where(services, session, active)


async def start_routine(
    services: Services, *, user_id: int, routine: Routine
) -> tuple[Where, bool]:
    """Begin a routine (ending any unfinished one); also says whether it is their first."""
    now = services.clock()
    async with services.session_factory.begin() as session:
        earlier = await sessions.get_active_session(session, user_id=user_id)
        if earlier is not None:
            results = await sessions.list_step_results(session, session_id=earlier.id)
            status = status_when_stopped([outcome for _, outcome in results])
            await sessions.finish_session(session, session_id=earlier.id, status=status, now=now)
        first_time = await sessions.count_sessions(session, user_id=user_id) == 0
        started = await sessions.start_session(
            session,
            user_id=user_id,
            routine_key=routine.key,
            first_exercise_key=routine.exercises[0],
            now=now,
        )
        return await _where(services, session, started), first_time


async def _locked_at(
    session: AsyncSession, session_id: int, user_id: int, position: int
) -> RoutineSession | Stale:
    found = await sessions.get_session(session, session_id=session_id, for_update=True)
    if found is None or found.user_id != user_id or found.status != SessionStatus.IN_PROGRESS:
        return Stale()
    if found.current_position != position or found.current_exercise_key is None:
        return Stale(still_running=True)
    return found


async def _advance(services: Services, session: AsyncSession, active: RoutineSession) -> Where:
    routine = services.content.routine(active.routine_key)
    position = active.current_position + 1
    next_key = routine.exercises[position] if position < len(routine.exercises) else None
    await sessions.move_session_to(
        session, session_id=active.id, position=position, exercise_key=next_key
    )
    active.current_position, active.current_exercise_key = position, next_key
    return await _where(services, session, active)


async def answer_step(
    services: Services, *, user_id: int, session_id: int, position: int, outcome: StepOutcome
) -> NextMove:
    """Record Done, Skip or Too painful for the current exercise and move on, atomically."""
    async with services.session_factory.begin() as session:
        active = await _locked_at(session, session_id, user_id, position)
        if isinstance(active, Stale):
            return active
        assert active.current_exercise_key is not None  # checked by _locked_at
        recorded = await sessions.record_step_result(
            session,
            session_id=session_id,
            position=position,
            exercise_key=active.current_exercise_key,
            outcome=outcome,
            now=services.clock(),
        )
        if not recorded:
            return Stale(still_running=True)
        where = await _where(services, session, active)
        return (
            where if isinstance(where, OfferEasier) else await _advance(services, session, active)
        )


async def choose_after_pain(
    services: Services, *, user_id: int, session_id: int, position: int, try_easier: bool
) -> NextMove:
    """After Too painful: try the easier variant in the same place, or move on."""
    async with services.session_factory.begin() as session:
        active = await _locked_at(session, session_id, user_id, position)
        if isinstance(active, Stale):
            return active
        offer = await _where(services, session, active)
        if not isinstance(offer, OfferEasier):
            return Stale(still_running=True)
        if not try_easier:
            return await _advance(services, session, active)
        await sessions.move_session_to(
            session, session_id=session_id, position=position, exercise_key=offer.easier.key
        )
        active.current_exercise_key = offer.easier.key
        return await _where(services, session, active)
