"""Reading `/pause [N]` and the weekday toggles, and naming a set of weekdays in words."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

MAX_PAUSE_DAYS = 60
WEEKDAYS = range(7)  # Monday is 0, as stored

_PAUSE_PATTERN = re.compile(r"^(\d{1,3})\s*(d|days?)?$", re.IGNORECASE)
# A run of this many days or more in a row reads as a range: Mon–Fri, not Mon, Tue, Wed, Thu, Fri.
_RANGE_FROM = 3


@dataclass(frozen=True, slots=True)
class PauseRequest:
    """How long a person wants no reminders: a number of days, or None until they resume."""

    days: int | None


def parse_pause(args: Sequence[str]) -> PauseRequest | None:
    """`/pause` (until /resume), `/pause 3` or `/pause 3 days`; None for anything else, or for
    a number of days outside 1 to 60."""
    typed = " ".join(args).strip()
    if not typed:
        return PauseRequest(None)
    match = _PAUSE_PATTERN.match(typed)
    if match is None:
        return None
    days = int(match.group(1))
    return PauseRequest(days) if 1 <= days <= MAX_PAUSE_DAYS else None


def is_valid_days(digits: str) -> bool:
    """Stored weekdays: at least one, each a digit 0 (Mon) to 6 (Sun), sorted, none twice."""
    return bool(digits) and digits == normalise_days(digits) and set(digits) <= set("0123456")


def normalise_days(digits: str) -> str:
    """Weekday digits sorted, each once."""
    return "".join(sorted(set(digits)))


def toggle_day(digits: str, day: int) -> str:
    """The weekdays with `day` switched on or off."""
    mark = str(day)
    return normalise_days(digits.replace(mark, "") if mark in digits else digits + mark)


def describe_days(
    digits: str, names: Sequence[str], *, every_day: str, day_range: str, separator: str
) -> str:
    """ "every day", "Mon–Fri" or "Mon, Wed, Fri": three or more days in a row as a range."""
    days = sorted({int(digit) for digit in digits})
    if len(days) == len(WEEKDAYS):
        return every_day
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts: list[str] = []
    for run in runs:
        if len(run) >= _RANGE_FROM:
            parts.append(day_range.format(first=names[run[0]], last=names[run[-1]]))
        else:
            parts.extend(names[day] for day in run)
    return separator.join(parts)
