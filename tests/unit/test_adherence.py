"""Adherence per week and streaks over planned days (bot/coaching/adherence.py)."""

from datetime import date, timedelta

from bot.coaching.adherence import (
    DayDone,
    DayHistory,
    Streaks,
    last_week_adherence,
    streaks,
    week_adherence,
)

C, P = DayDone.COMPLETED, DayDone.PARTIAL
EVERY_DAY = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
MON = date(2026, 3, 2)  # a Monday


def _days(*statuses: DayDone | None, start: date = MON) -> dict[date, DayDone]:
    """Consecutive days from `start`; None is a day without a session."""
    return {
        start + timedelta(days=n): status for n, status in enumerate(statuses) if status is not None
    }


def test_adherence_counts_completed_and_partial_planned_days_apart() -> None:
    history = DayHistory(done=_days(C, P, None, C), weekdays=WEEKDAYS)
    week = week_adherence(history, today=MON + timedelta(days=3))
    assert (week.planned, week.completed, week.partial, week.extra) == (5, 2, 1, 0)
    assert week.share == 2 / 5


def test_a_session_on_a_day_not_planned_is_extra_not_adherence() -> None:
    history = DayHistory(done=_days(None, None, None, None, None, C), weekdays=WEEKDAYS)
    week = week_adherence(history, today=MON + timedelta(days=6))
    assert (week.planned, week.completed, week.extra) == (5, 0, 1)


def test_paused_days_are_not_planned() -> None:
    paused = frozenset(MON + timedelta(days=n) for n in range(3))
    history = DayHistory(done=_days(None, None, None, C), weekdays=WEEKDAYS, paused=paused)
    assert week_adherence(history, today=MON + timedelta(days=3)).planned == 2


def test_nothing_planned_is_no_share_not_a_division_by_zero() -> None:
    history = DayHistory(done={}, weekdays=frozenset())
    assert week_adherence(history, today=MON).share == 0.0


def test_no_sessions_no_streak() -> None:
    assert streaks(DayHistory(done={}, weekdays=EVERY_DAY), today=MON) == Streaks(0, 0)


def test_a_missed_planned_day_breaks_the_streak_and_the_longest_is_kept() -> None:
    history = DayHistory(done=_days(C, C, C, None, C), weekdays=EVERY_DAY)
    assert streaks(history, today=MON + timedelta(days=5)) == Streaks(1, 3)


def test_a_partial_session_keeps_the_streak() -> None:
    history = DayHistory(done=_days(C, P, C), weekdays=EVERY_DAY)
    assert streaks(history, today=MON + timedelta(days=2)) == Streaks(3, 3)


def test_today_without_a_session_yet_breaks_nothing() -> None:
    history = DayHistory(done=_days(C, C), weekdays=EVERY_DAY)
    assert streaks(history, today=MON + timedelta(days=2)) == Streaks(2, 2)


def test_days_not_planned_neither_count_nor_break() -> None:
    # Mon-Fri planned: Fri, (Sat, Sun off), Mon make three in a row; a Saturday session is extra.
    friday = MON + timedelta(days=4)
    history = DayHistory(done=_days(C, C, None, C, start=friday), weekdays=WEEKDAYS)
    assert streaks(history, today=friday + timedelta(days=3)) == Streaks(2, 2)
    with_saturday = DayHistory(done=_days(C, C, C, C, start=friday), weekdays=WEEKDAYS)
    assert streaks(with_saturday, today=friday + timedelta(days=3)).current == 2
    assert week_adherence(with_saturday, today=friday + timedelta(days=1)).extra == 2


def test_paused_days_never_break_a_streak() -> None:
    paused = frozenset({MON + timedelta(days=2), MON + timedelta(days=3)})
    history = DayHistory(done=_days(C, C, None, None, C), weekdays=EVERY_DAY, paused=paused)
    assert streaks(history, today=MON + timedelta(days=4)) == Streaks(3, 3)


def test_flare_up_days_never_break_a_streak_and_a_session_in_one_still_counts() -> None:
    flare = frozenset(MON + timedelta(days=n) for n in (1, 2, 3))
    history = DayHistory(done=_days(C, None, C, None, C), weekdays=EVERY_DAY, flare=flare)
    assert streaks(history, today=MON + timedelta(days=4)) == Streaks(3, 3)


def test_the_same_day_missed_outside_a_flare_breaks_it() -> None:
    history = DayHistory(done=_days(C, None, C, None, C), weekdays=EVERY_DAY)
    assert streaks(history, today=MON + timedelta(days=4)) == Streaks(1, 1)


def test_days_before_the_person_joined_were_not_planned() -> None:
    wednesday = MON + timedelta(days=2)
    history = DayHistory(done=_days(C, start=wednesday), weekdays=EVERY_DAY, first_day=wednesday)
    week = week_adherence(history, today=wednesday)
    assert (week.planned, week.completed) == (5, 1)  # Wednesday to Sunday


def test_the_summary_week_is_the_seven_days_that_end_today() -> None:
    # Sessions on Saturday and Sunday before, then Monday to Wednesday; today is Friday.
    saturday = MON - timedelta(days=2)
    history = DayHistory(done=_days(C, C, C, P, C, start=saturday), weekdays=EVERY_DAY)
    friday = MON + timedelta(days=4)
    week = last_week_adherence(history, today=friday)
    # Saturday to Friday: 7 planned, Thursday and Friday without a session.
    assert (week.planned, week.completed, week.partial) == (7, 4, 1)
    assert week_adherence(history, today=friday).completed == 2  # Monday to Sunday: Mon, Wed
