"""The countdown's pace: every 5 seconds on a long hold, every second of the last 5."""

import itertools

from bot.handlers.timer import clock, next_shown


def _countdown(seconds: int) -> list[int]:
    shown = [seconds]
    while shown[-1] > 0:
        shown.append(next_shown(shown[-1]))
    return shown


def test_a_long_hold_counts_in_fives_then_each_of_the_last_five_seconds() -> None:
    assert _countdown(30) == [30, 25, 20, 15, 10, 5, 4, 3, 2, 1, 0]


def test_an_odd_length_reaches_the_next_multiple_of_five_first() -> None:
    assert _countdown(12) == [12, 10, 5, 4, 3, 2, 1, 0]


def test_a_short_hold_counts_every_second() -> None:
    assert _countdown(3) == [3, 2, 1, 0]


def test_no_two_numbers_are_less_than_a_second_apart() -> None:
    for seconds in range(1, 901):
        shown = _countdown(seconds)
        assert all(a - b >= 1 for a, b in itertools.pairwise(shown))


def test_the_clock_shows_minutes_and_seconds() -> None:
    assert [clock(s) for s in (0, 5, 59, 60, 90, 600)] == [
        "0:00",
        "0:05",
        "0:59",
        "1:00",
        "1:30",
        "10:00",
    ]
