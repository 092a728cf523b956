"""The kind, true things a reminder says: a streak of planned days, or days since."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.coaching.flare import streak_with_flare
from bot.coaching.reminder_facts import (
    STREAK_HORIZON_DAYS,
    FlareFacts,
    ReminderFacts,
    reminder_facts,
)
from scheduler.due_times import ALL_DAYS

# Thursday 2026-03-05; the days before it, by name.
TODAY = date(2026, 3, 5)
WED, TUE, MON, SUN, SAT, FRI = (TODAY - timedelta(days=n) for n in range(1, 7))
MON_WED_FRI = frozenset({0, 2, 4})


def test_no_sessions_means_no_streak_and_no_days_since() -> None:
    assert reminder_facts(set(), today=TODAY, weekdays=ALL_DAYS) == ReminderFacts(0, None)


def test_a_session_today_is_not_yet_counted() -> None:
    assert reminder_facts({TODAY}, today=TODAY, weekdays=ALL_DAYS) == ReminderFacts(0, None)


def test_consecutive_days_make_a_streak_up_to_yesterday() -> None:
    facts = reminder_facts({WED, TUE, MON}, today=TODAY, weekdays=ALL_DAYS)
    assert facts == ReminderFacts(streak=3, days_since=1)


def test_a_missed_planned_day_ends_the_streak() -> None:
    facts = reminder_facts({WED, MON, SUN}, today=TODAY, weekdays=ALL_DAYS)
    assert facts.streak == 1


def test_missing_yesterday_when_it_was_planned_means_no_streak() -> None:
    facts = reminder_facts({TUE, MON}, today=TODAY, weekdays=ALL_DAYS)
    assert facts == ReminderFacts(streak=0, days_since=2)


def test_unplanned_days_without_a_session_never_break_the_streak() -> None:
    # Mon/Wed/Fri: Fri, Mon and Wed done; the weekend and Tuesday were rest days.
    facts = reminder_facts({WED, MON, FRI}, today=TODAY, weekdays=MON_WED_FRI)
    assert facts.streak == 3


def test_the_streak_counts_planned_days_only() -> None:
    # "{streak} planned days in a row": an extra session on a rest day (Tuesday) is welcome
    # but is not a planned day.
    facts = reminder_facts({WED, TUE, MON}, today=TODAY, weekdays=MON_WED_FRI)
    assert facts.streak == 2


def test_days_since_counts_from_the_last_session() -> None:
    facts = reminder_facts({SAT, FRI}, today=TODAY, weekdays=ALL_DAYS)
    assert facts.days_since == 5


def test_a_streak_longer_than_the_horizon_is_shown_as_the_horizon() -> None:
    every_day = {TODAY - timedelta(days=n) for n in range(1, 100)}
    facts = reminder_facts(every_day, today=TODAY, weekdays=ALL_DAYS)
    assert facts == ReminderFacts(streak=STREAK_HORIZON_DAYS, days_since=1)


_RECENT = st.frozensets(st.integers(min_value=0, max_value=20).map(lambda n: TODAY - timedelta(n)))


@given(
    sessions=_RECENT,
    flare_days=_RECENT,
    weekdays=st.frozensets(st.integers(min_value=0, max_value=6), min_size=1),
)
def test_reminders_count_the_streak_by_the_one_flare_aware_rule(
    sessions: frozenset[date], flare_days: frozenset[date], weekdays: frozenset[int]
) -> None:
    """The streak a reminder shows is `streak_with_flare`'s, the property-tested rule."""
    facts = reminder_facts(
        sessions, today=TODAY, weekdays=weekdays, flare=FlareFacts(days=flare_days)
    )
    expected = streak_with_flare(sessions, today=TODAY, weekdays=weekdays, flare_days=flare_days)
    assert facts.streak == (expected if any(day < TODAY for day in sessions) else 0)
