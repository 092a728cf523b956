"""The schema of `content/plan.yaml`: which tracks make the daily plan, and flare-up settings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from bot.content.checks import Problem

if TYPE_CHECKING:  # the schema imports this module: type names only, to avoid a cycle
    from bot.content.schema import Exercise

TrackKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]


class Plan(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    # Each key is a track's first exercise (one with no `easier`), in the order they are done.
    daily_tracks: Annotated[list[TrackKey], Field(min_length=1)]
    # How many days flare-up mode lasts unless ended early with /flare off.
    flare_days: Annotated[int, Field(ge=1, le=14)]
    # The morning check-in's time ("HH:MM", local) unless the person chose one with /checkin.
    check_in_time: Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]

    # The weekly summary's time ("HH:MM", local) on the person's chosen day.
    weekly_summary_time: Annotated[
        str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    ]

    @property
    def check_in_at(self) -> time:
        return time.fromisoformat(self.check_in_time)

    @property
    def weekly_summary_at(self) -> time:
        return time.fromisoformat(self.weekly_summary_time)


def plan_problems(plan: Plan, exercises: Sequence[Exercise]) -> list[Problem]:
    """Daily tracks that are unknown, not a track's first exercise, or listed twice; and a plan
    with no mobility track (flare-up mode offers only those)."""
    by_key = {e.key: e for e in exercises}
    problems = []
    for i, key in enumerate(plan.daily_tracks):
        exercise = by_key.get(key)
        if exercise is None:
            problems.append(Problem("plan", f"daily_tracks.{i}", f"unknown exercise '{key}'"))
        elif exercise.easier is not None:
            message = (
                f"'{key}' is on the '{exercise.easier}' track; list the track's first exercise"
            )
            problems.append(Problem("plan", f"daily_tracks.{i}", message))
    problems += [
        Problem("plan", "daily_tracks", f"'{key}' is listed twice")
        for key in sorted({k for k in plan.daily_tracks if plan.daily_tracks.count(k) > 1})
    ]
    listed = [by_key[k] for k in plan.daily_tracks if k in by_key]
    if listed and not any(e.category == "mobility" for e in listed):
        message = "needs at least one mobility track for flare-up mode"
        problems.append(Problem("plan", "daily_tracks", message))
    return problems
