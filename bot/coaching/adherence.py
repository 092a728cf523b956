"""Adherence and streaks over a person's local days (issue 5).

Planned sessions are the person's reminder days; adherence is completed / planned per week, a
partial session counted (and shown) as partial. A streak counts planned days done in a row (a
partial session is still a session done that day, as for reminders); paused days, flare-up days
and days that were not planned never break it, and today breaks nothing until it is over.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum


class DayDone(StrEnum):
    """The best session of a local day."""

    COMPLETED = "completed"
    PARTIAL = "partial"


@dataclass(frozen=True, slots=True)
class DayHistory:
    """What a person did, day by day, and which days counted."""

    done: Mapping[date, DayDone]  # local date -> best session status that day
    weekdays: frozenset[int]  # planned weekdays, Monday is 0
    paused: frozenset[date] = field(default_factory=frozenset)
    flare: frozenset[date] = field(default_factory=frozenset)
    # The person's first day: nothing was planned before they joined.
    first_day: date | None = None

    def planned(self, day: date) -> bool:
        """A reminder day, since the person joined, that they did not pause."""
        if self.first_day is not None and day < self.first_day:
            return False
        return day.weekday() in self.weekdays and day not in self.paused


@dataclass(frozen=True, slots=True)
class WeekAdherence:
    planned: int  # planned days in the week
    completed: int  # planned days with a completed session
    partial: int  # planned days whose best session was partial
    extra: int  # days not planned with a session anyway

    @property
    def share(self) -> float:
        """Completed / planned (0 when nothing was planned)."""
        return self.completed / self.planned if self.planned else 0.0


@dataclass(frozen=True, slots=True)
class Streaks:
    current: int
    longest: int


def week_adherence(history: DayHistory, *, today: date) -> WeekAdherence:
    """This week's (Monday to Sunday, local) adherence."""
    monday = today - timedelta(days=today.weekday())
    return _adherence(history, [monday + timedelta(days=n) for n in range(7)])


def last_week_adherence(history: DayHistory, *, today: date) -> WeekAdherence:
    """The adherence of the seven local days that end with `today` (the weekly summary's
    week, whichever weekday it comes on)."""
    return _adherence(history, [today - timedelta(days=n) for n in range(6, -1, -1)])


def _adherence(history: DayHistory, week: list[date]) -> WeekAdherence:
    planned = [day for day in week if history.planned(day)]
    best = [history.done.get(day) for day in planned]
    extra = sum(1 for day in week if day in history.done and day not in planned)
    return WeekAdherence(
        planned=len(planned),
        completed=best.count(DayDone.COMPLETED),
        partial=best.count(DayDone.PARTIAL),
        extra=extra,
    )


def streaks(history: DayHistory, *, today: date) -> Streaks:
    """The current streak (up to today) and the longest one, over all the history given."""
    if not history.done:
        return Streaks(0, 0)
    run = longest = 0
    day = min(history.done)
    while day <= today:
        if day in history.done and day.weekday() in history.weekdays:
            run += 1
            longest = max(longest, run)
        elif history.planned(day) and day not in history.flare and day < today:
            run = 0
        day += timedelta(days=1)
    return Streaks(run, longest)
