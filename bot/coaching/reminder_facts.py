"""True, kind things a reminder can say about a person: their streak, or days since."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

# How far back a streak is counted; longer runs are still shown as this many days.
STREAK_HORIZON_DAYS = 60


@dataclass(frozen=True, slots=True)
class ReminderFacts:
    # Planned days in a row, up to yesterday, with a session (0 when the last one was missed).
    streak: int
    # Days since the last session; None when there has never been one (in the horizon).
    days_since: int | None


def reminder_facts(
    session_days: Collection[date], *, today: date, weekdays: frozenset[int]
) -> ReminderFacts:
    """Facts from the local dates of recent sessions; days not planned neither count towards
    a streak nor break it."""
    earlier = [day for day in session_days if day < today]
    if not earlier:
        return ReminderFacts(streak=0, days_since=None)
    days_since = (today - max(earlier)).days
    streak = 0
    day = today - timedelta(days=1)
    for _ in range(STREAK_HORIZON_DAYS):
        planned = day.weekday() in weekdays
        if planned and day in session_days:
            streak += 1
        elif planned:
            break
        day -= timedelta(days=1)
    return ReminderFacts(streak=streak, days_since=days_since)
