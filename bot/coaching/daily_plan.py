"""The routine offered each day, assembled from the person's ladder positions.

Issue 4: "The routine offered each day is assembled from the person's current ladder
positions"; in flare-up mode, "gentle mobility only". Which tracks: `content/plan.yaml`.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.coaching.ladders import LadderPosition, Track, current_rung
from bot.coaching.reasons import CoachingReason


@dataclass(frozen=True, slots=True)
class PlannedExercise:
    track: str
    rung: int
    exercise: str
    reps: int | None
    hold_seconds: int | None
    sets: int | None


@dataclass(frozen=True, slots=True)
class DailyPlan:
    exercises: tuple[PlannedExercise, ...]
    reason: CoachingReason


def _planned(track: Track, rung: int) -> PlannedExercise:
    step = track.rungs[rung]
    return PlannedExercise(track.key, rung, step.exercise, step.reps, step.hold_seconds, step.sets)


def daily_plan(
    tracks: Sequence[Track], positions: Mapping[str, LadderPosition], *, in_flare: bool
) -> DailyPlan:
    """One exercise per daily track (in order) at the person's rung, the start rung when they
    have none. In flare-up mode: only the mobility tracks, each on its bottom rung."""
    if in_flare:
        gentle = tuple(_planned(t, 0) for t in tracks if t.category == "mobility")
        return DailyPlan(gentle, CoachingReason.PLAN_FLARE_MOBILITY)
    planned = tuple(_planned(t, current_rung(t, positions.get(t.key))) for t in tracks)
    return DailyPlan(planned, CoachingReason.PLAN_FROM_LADDERS)
