"""True, kind things a reminder can say about a person: their streak, or days since, and
flare-up mode (softer words while in it, and once that it is over)."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from bot.coaching.flare import STREAK_HORIZON_DAYS, streak_with_flare

__all__ = ["NO_FLARE", "STREAK_HORIZON_DAYS", "FlareFacts", "ReminderFacts", "reminder_facts"]


@dataclass(frozen=True, slots=True)
class FlareFacts:
    """What a reminder knows of flare-up mode."""

    # Every local date in flare-up mode: a planned day without a session never breaks a streak.
    days: frozenset[date] = frozenset()
    # It ended by itself and the person has not been told yet.
    ended_news: bool = False


NO_FLARE = FlareFacts()


@dataclass(frozen=True, slots=True)
class ReminderFacts:
    # Planned days in a row, up to yesterday, with a session (0 when the last one was missed).
    streak: int
    # Days since the last session; None when there has never been one (in the horizon).
    days_since: int | None
    # Today is a flare-up day: the reminder is a softer one.
    in_flare: bool = False
    # Flare-up mode ended by itself: say so, once.
    flare_over: bool = False


def reminder_facts(
    session_days: Collection[date],
    *,
    today: date,
    weekdays: frozenset[int],
    flare: FlareFacts = NO_FLARE,
) -> ReminderFacts:
    """Facts from the local dates of recent sessions; the streak is `streak_with_flare`'s:
    days not planned neither count towards a streak nor break it, and neither do flare-up days
    without a session (a flare never lowers a streak)."""
    in_flare, flare_over = today in flare.days, flare.ended_news
    earlier = [day for day in session_days if day < today]
    if not earlier:
        return ReminderFacts(0, None, in_flare, flare_over)
    days_since = (today - max(earlier)).days
    streak = streak_with_flare(session_days, today=today, weekdays=weekdays, flare_days=flare.days)
    return ReminderFacts(streak, days_since, in_flare, flare_over)
