"""What a session is planned with: today's plan from the person's ladder positions, or a
content routine at their doses; and the dose of the easier variant after Too painful."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.coaching.daily_plan import DailyPlan, PlannedExercise, daily_plan
from bot.coaching.ladders import LadderPosition, Track, current_rung, track_of
from bot.coaching.progression import ProgressionDecision
from bot.coaching.reasons import CoachingReason
from bot.content.schema import Routine
from bot.db.coaching_models import SessionExercise
from bot.db.engine import read_only
from bot.db.models import RoutineSession
from bot.db.queries import ladders, users
from bot.flows import progression
from bot.flows.moves import Dose
from bot.services import Services

# The routine key of a session planned from the ladders: not a content routine.
TODAYS_PLAN = "todays_plan"


@dataclass(frozen=True, slots=True)
class SessionPlan:
    routine_key: str  # TODAYS_PLAN or a content routine's key
    exercises: tuple[PlannedExercise, ...]
    reason: CoachingReason | None  # why today's plan is what it is; None for a content routine

    @property
    def in_flare(self) -> bool:
        return self.reason is CoachingReason.PLAN_FLARE_MOBILITY


async def positions_of(session: AsyncSession, *, user_id: int) -> dict[str, LadderPosition]:
    """The person's stored ladder positions, by track."""
    stored = await ladders.get_positions(session, user_id=user_id)
    return {key: LadderPosition(key, rung, good) for key, (rung, good) in stored.items()}


def _today(services: Services, positions: Mapping[str, LadderPosition], flare: bool) -> DailyPlan:
    tracks = services.tracks
    daily = [tracks[key] for key in services.content.plan.daily_tracks]
    return daily_plan(daily, positions, in_flare=flare)


def _span(track: Track, exercise: str) -> range:
    """The rungs of `exercise` on its track."""
    found = [i for i, rung in enumerate(track.rungs) if rung.exercise == exercise]
    return range(found[0], found[-1] + 1)


def _at(track: Track, rung: int) -> PlannedExercise:
    step = track.rungs[rung]
    return PlannedExercise(track.key, rung, step.exercise, step.reps, step.hold_seconds, step.sets)


def routine_rung(track: Track, exercise: str, person_rung: int, starting_step: int) -> int:
    """A content routine's exercise: at the person's rung if that is on this exercise, else at
    the exercise's starting step (its shipped dosage)."""
    span = _span(track, exercise)
    return person_rung if person_rung in span else span.start + starting_step


def easier_rung(track: Track, easier: str, person_rung: int) -> int:
    """The easier variant after Too painful: the person's rung kept within the variant's steps,
    so its top step (the rung just below the harder one) if they had climbed past it."""
    span = _span(track, easier)
    return min(max(person_rung, span.start), span.stop - 1)


def _routine(
    services: Services, routine: Routine, positions: Mapping[str, LadderPosition]
) -> tuple[PlannedExercise, ...]:
    planned = []
    for key in routine.exercises:
        track = track_of(services.tracks, key)
        person = current_rung(track, positions.get(track.key))
        starting = services.content.exercise(key).starting_step()
        planned.append(_at(track, routine_rung(track, key, person, starting)))
    return tuple(planned)


async def plan_session(
    session: AsyncSession,
    services: Services,
    *,
    user_id: int,
    routine: Routine | None,
    now: datetime,
) -> tuple[SessionPlan, list[ProgressionDecision]]:
    """Settle earlier sessions whose morning check-in never came, then plan today's (routine
    None) or a content routine at the person's positions; with the decisions just made."""
    decided = await progression.settle_unanswered(session, services, user_id=user_id, now=now)
    positions = await positions_of(session, user_id=user_id)
    if routine is not None:
        return SessionPlan(routine.key, _routine(services, routine, positions), None), decided
    user = await users.get_user_by_id(session, user_id=user_id)
    today = _today(services, positions, progression.in_flare_at(user, now))
    return SessionPlan(TODAYS_PLAN, today.exercises, today.reason), decided


async def preview_today(services: Services, *, user_id: int) -> SessionPlan:
    """Today's plan as it stands, to offer it (nothing is settled or written)."""
    async with read_only(services.session_factory) as session:
        positions = await positions_of(session, user_id=user_id)
        user = await users.get_user_by_id(session, user_id=user_id)
    today = _today(services, positions, progression.in_flare_at(user, services.clock()))
    return SessionPlan(TODAYS_PLAN, today.exercises, today.reason)


async def easier_dose(
    session: AsyncSession, services: Services, *, user_id: int, easier: str
) -> PlannedExercise:
    """The easier variant at the person's rung on its track, kept within its steps."""
    track = track_of(services.tracks, easier)
    positions = await positions_of(session, user_id=user_id)
    return _at(track, easier_rung(track, easier, current_rung(track, positions.get(track.key))))


def exercise_keys(
    services: Services, routine_session: RoutineSession, plan: Sequence[SessionExercise]
) -> list[str]:
    """The session's exercises in order: as planned, or its content routine's (older ones)."""
    if plan:
        return [planned.exercise_key for planned in plan]
    return services.content.routine(routine_session.routine_key).exercises


async def planned_dose(
    services: Services,
    session: AsyncSession,
    routine_session: RoutineSession,
    plan: Sequence[SessionExercise],
    key: str,
) -> Dose | None:
    """The planned dose at the current position; the easier variant's if it replaced it."""
    position = routine_session.current_position
    if position >= len(plan):
        return None
    planned = plan[position]
    if planned.exercise_key == key:
        return Dose(planned.reps, planned.hold_seconds, planned.sets)
    easier = await easier_dose(session, services, user_id=routine_session.user_id, easier=key)
    return Dose(easier.reps, easier.hold_seconds, easier.sets)


async def save_plan(session: AsyncSession, *, session_id: int, plan: SessionPlan) -> None:
    """The session's planned exercises, with their doses, in order."""
    await ladders.add_session_exercises(session, session_id=session_id, exercises=plan.exercises)


def planned_minutes(services: Services, exercises: tuple[PlannedExercise, ...]) -> int:
    """About how long the planned exercises take, at their doses (at least a minute)."""
    seconds = 0
    for planned in exercises:
        dosage = services.content.exercise(planned.exercise).dosage
        dose = {"reps": planned.reps, "hold_seconds": planned.hold_seconds, "sets": planned.sets}
        seconds += dosage.model_copy(update=dose).estimated_seconds()
    return max(1, round(seconds / 60))
