"""Reading /pause arguments and weekday toggles, and naming weekdays in words."""

import pytest

from bot.coaching.reminder_input import (
    PauseRequest,
    describe_days,
    is_valid_days,
    parse_pause,
    toggle_day,
)

NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _words(digits: str) -> str:
    return describe_days(
        digits, NAMES, every_day="every day", day_range="{first}–{last}", separator=", "
    )


def test_pause_without_a_number_is_until_resume() -> None:
    assert parse_pause([]) == PauseRequest(None)


@pytest.mark.parametrize(
    ("args", "days"),
    [(["3"], 3), (["1"], 1), (["60"], 60), (["3", "days"], 3), (["7d"], 7), (["1", "Day"], 1)],
)
def test_pause_for_a_number_of_days(args: list[str], days: int) -> None:
    assert parse_pause(args) == PauseRequest(days)


@pytest.mark.parametrize(
    "args",
    [["abc"], ["0"], ["61"], ["999"], ["-3"], ["3.5"], ["3", "weeks"], ["tomorrow"], ["1000000"]],
)
def test_pause_refuses_anything_but_1_to_60_days(args: list[str]) -> None:
    assert parse_pause(args) is None


def test_toggle_switches_a_day_on_and_off_and_keeps_order() -> None:
    assert toggle_day("0123456", 6) == "012345"
    assert toggle_day("135", 0) == "0135"
    assert toggle_day("0", 0) == ""


@pytest.mark.parametrize(
    ("digits", "valid"),
    [("0123456", True), ("024", True), ("", False), ("7", False), ("10", False), ("00", False)],
)
def test_valid_days_are_sorted_distinct_weekday_digits(digits: str, valid: bool) -> None:
    assert is_valid_days(digits) is valid


@pytest.mark.parametrize(
    ("digits", "words"),
    [
        ("0123456", "every day"),
        ("01234", "Mon–Fri"),
        ("024", "Mon, Wed, Fri"),
        ("56", "Sat, Sun"),
        ("012456", "Mon–Wed, Fri–Sun"),
        ("3", "Thu"),
    ],
)
def test_days_in_words(digits: str, words: str) -> None:
    assert _words(digits) == words
