"""Flare-up mode: gentle mobility only, progression paused, reminders softened.

Issue 4: entered by /flare or by accepting the offer; "it ends by itself after a set number of
days or by /flare off. It never counts against the person's streak." The number of days is
`flare_days` in content/plan.yaml (a coach default).
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.coaching.reasons import CoachingReason

# How far back a streak is counted; longer runs are still shown as this many days.
STREAK_HORIZON_DAYS = 60


@dataclass(frozen=True, slots=True)
class FlareState:
    """Flare-up mode from `started_on` up to, not including, `ends_on` (local dates)."""

    started_on: date
    ends_on: date
    reason: CoachingReason  # how it started, or FLARE_ENDED_BY_PERSON once /flare off

    @property
    def ended_by_person(self) -> bool:
        return self.reason is CoachingReason.FLARE_ENDED_BY_PERSON


def flare_end(started_on: date, days: int) -> date:
    """The first ordinary day after a flare-up mode of `days` days starting on `started_on`."""
    if days < 1:
        raise ValueError("a flare-up mode lasts at least one day")
    return started_on + timedelta(days=days)


def start_flare(*, today: date, days: int, accepted_offer: bool) -> FlareState:
    """/flare, or accepting the offer; starting again while in one restarts the count."""
    reason = (
        CoachingReason.FLARE_OFFER_ACCEPTED if accepted_offer else CoachingReason.FLARE_REQUESTED
    )
    return FlareState(today, flare_end(today, days), reason)


def stop_flare(state: FlareState, *, today: date) -> FlareState:
    """/flare off: today is an ordinary day again."""
    if not is_in_flare(state, today):
        return state
    return replace(state, ends_on=today, reason=CoachingReason.FLARE_ENDED_BY_PERSON)


def is_in_flare(state: FlareState | None, local_date: date) -> bool:
    return state is not None and state.started_on <= local_date < state.ends_on


def ended_by_itself(state: FlareState | None, local_date: date) -> CoachingReason | None:
    """FLARE_TIME_UP when the set days are over (and it was not ended with /flare off)."""
    if state is None or state.ended_by_person or local_date < state.ends_on:
        return None
    return CoachingReason.FLARE_TIME_UP


def flare_dates(states: Iterable[FlareState]) -> frozenset[date]:
    """Every local date that was in flare-up mode."""
    return frozenset(
        state.started_on + timedelta(days=n)
        for state in states
        for n in range((state.ends_on - state.started_on).days)
    )


def streak_with_flare(
    session_days: Collection[date],
    *,
    today: date,
    weekdays: frozenset[int],
    flare_days: Collection[date],
) -> int:
    """Planned days in a row, up to yesterday, with a session (the one streak rule, used by
    `reminder_facts`); a flare day without a session never breaks the streak (one with a session
    still counts), so a flare never lowers it."""
    streak = 0
    day = today - timedelta(days=1)
    for _ in range(STREAK_HORIZON_DAYS):
        planned = day.weekday() in weekdays
        if planned and day in session_days:
            streak += 1
        elif planned and day not in flare_days:
            break
        day -= timedelta(days=1)
    return streak
