"""A routine walked one exercise at a time, kept in the database as it happens.

A session walks its planned exercises (`session_exercises`, written at the start with their
doses); a session started before plans existed has none and walks its content routine.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.coaching.feedback import ExercisePainAdvice, advise_during_exercise
from bot.coaching.progression import ProgressionDecision
from bot.coaching.session_summary import status_when_stopped
from bot.content.schema import Routine
from bot.db.engine import read_only
from bot.db.enums import CoachingTopic, SessionStatus, StepOutcome, UserStatus
from bot.db.models import RoutineSession, User
from bot.db.queries import coaching_log, ladders, sessions, users
from bot.flows import session_plan
from bot.flows.moves import AskPain, NextMove, OfferEasier, Stale, StepView
from bot.flows.session_plan import SessionPlan
from bot.services import Services

Where = StepView | OfferEasier | AskPain


@dataclass(frozen=True)
class Started:
    where: Where
    first_time: bool
    plan: SessionPlan
    settled: list[ProgressionDecision]  # earlier sessions settled without a morning check-in


def is_ready_for_routines(user: User | None) -> bool:
    """Only people who finished set-up and have no red flag get a routine."""
    return user is not None and user.status == UserStatus.ACTIVE


async def find_person(services: Services, *, telegram_id: int) -> User | None:
    """The person pressing, if we know them: a lookup that never waits for a writer."""
    async with read_only(services.session_factory) as session:
        return await users.get_user(session, telegram_id=telegram_id)


async def where_now(
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
    plan = await ladders.list_session_exercises(session, session_id=routine_session.id)
    total = len(session_plan.exercise_keys(services, routine_session, plan))
    dose = await session_plan.planned_dose(services, session, routine_session, plan, key)
    return StepView(routine_session.id, routine_session.current_position, total, exercise, dose)


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
        return None if active is None else await where_now(services, session, active)


async def start_routine(services: Services, *, user_id: int, routine: Routine | None) -> Started:
    """Begin today's plan (routine None) or a content routine, ending any unfinished one;
    also says whether it is their first."""
    now = services.clock()
    async with services.session_factory.begin() as session:
        # Close an unfinished session first, so planning settles it with the others.
        earlier = await sessions.get_active_session(session, user_id=user_id)
        if earlier is not None:
            results = await sessions.list_step_results(session, session_id=earlier.id)
            status = status_when_stopped([outcome for _, outcome in results])
            await sessions.finish_session(session, session_id=earlier.id, status=status, now=now)
        plan, settled = await session_plan.plan_session(
            session, services, user_id=user_id, routine=routine, now=now
        )
        first_time = await sessions.count_sessions(session, user_id=user_id) == 0
        started = await sessions.start_session(
            session,
            user_id=user_id,
            routine_key=plan.routine_key,
            first_exercise_key=plan.exercises[0].exercise,
            now=now,
        )
        await session_plan.save_plan(session, session_id=started.id, plan=plan)
        where = await where_now(services, session, started)
    return Started(where, first_time, plan, settled)


async def locked_at(
    session: AsyncSession, session_id: int, user_id: int, position: int
) -> RoutineSession | Stale:
    """The session, locked, if it is this person's, running, and at `position`."""
    found = await sessions.get_session(session, session_id=session_id, for_update=True)
    if found is None or found.user_id != user_id or found.status != SessionStatus.IN_PROGRESS:
        return Stale()
    if found.current_position != position or found.current_exercise_key is None:
        return Stale(still_running=True)
    return found


async def advance(services: Services, session: AsyncSession, active: RoutineSession) -> Where:
    """On to the next exercise, or to the pain rating after the last."""
    plan = await ladders.list_session_exercises(session, session_id=active.id)
    keys = session_plan.exercise_keys(services, active, plan)
    position = active.current_position + 1
    next_key = keys[position] if position < len(keys) else None
    await sessions.move_session_to(
        session, session_id=active.id, position=position, exercise_key=next_key
    )
    active.current_position, active.current_exercise_key = position, next_key
    return await where_now(services, session, active)


async def record_answer(
    services: Services,
    session: AsyncSession,
    active: RoutineSession,
    outcome: StepOutcome,
    pain_score: int | None = None,
    advice: ExercisePainAdvice | None = None,
) -> NextMove:
    """Keep the answer to the current exercise, with any quick 0–10 given during it, and move
    on, or offer the easier variant after Too painful (recording why: the button, or `advice`
    on a score above 5)."""
    key, now = active.current_exercise_key, services.clock()
    assert key is not None  # checked by locked_at
    recorded = await sessions.record_step_result(
        session,
        session_id=active.id,
        position=active.current_position,
        exercise_key=key,
        outcome=outcome,
        now=now,
    )
    if not recorded:
        return Stale(still_running=True)
    if pain_score is not None:
        await ladders.set_step_pain(
            session,
            session_id=active.id,
            position=active.current_position,
            exercise_key=key,
            score=pain_score,
        )
    if outcome is StepOutcome.TOO_PAINFUL:
        advice = advice or advise_during_exercise(too_painful=True)
        await record_advice(session, active, advice, now)
    where = await where_now(services, session, active)
    return where if isinstance(where, OfferEasier) else await advance(services, session, active)


async def record_advice(
    session: AsyncSession, active: RoutineSession, advice: ExercisePainAdvice, now: datetime
) -> None:
    """Keep the advice given on pain during the current exercise, with its reason."""
    reason = coaching_log.DecisionRecord(CoachingTopic.IN_EXERCISE, advice.reason.value)
    await coaching_log.record_decisions(
        session, user_id=active.user_id, session_id=active.id, decisions=[reason], now=now
    )


async def answer_step(
    services: Services,
    *,
    user_id: int,
    session_id: int,
    position: int,
    outcome: StepOutcome,
    pain_score: int | None = None,
) -> NextMove:
    """Record Done, Skip or Too painful for the current exercise and move on, atomically;
    with the quick 0–10 given during it, if one was."""
    async with services.session_factory.begin() as session:
        active = await locked_at(session, session_id, user_id, position)
        if isinstance(active, Stale):
            return active
        return await record_answer(services, session, active, outcome, pain_score)


async def choose_after_pain(
    services: Services, *, user_id: int, session_id: int, position: int, try_easier: bool
) -> NextMove:
    """After Too painful: try the easier variant in the same place, or move on."""
    async with services.session_factory.begin() as session:
        active = await locked_at(session, session_id, user_id, position)
        if isinstance(active, Stale):
            return active
        offer = await where_now(services, session, active)
        if not isinstance(offer, OfferEasier):
            return Stale(still_running=True)
        if not try_easier:
            return await advance(services, session, active)
        await sessions.move_session_to(
            session, session_id=session_id, position=position, exercise_key=offer.easier.key
        )
        active.current_exercise_key = offer.easier.key
        return await where_now(services, session, active)
