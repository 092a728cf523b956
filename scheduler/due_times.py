"""When a person's next reminder falls due: local wall-clock times turned into UTC instants."""

import functools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ALL_DAYS = frozenset(range(7))
# ZoneInfo keeps only a handful of zones alive; past that it reads the zone file again each time.
_zone = functools.cache(ZoneInfo)

# From the day before `after`'s local date, whose time a gap can push past midnight (America/Nuuk
# springs forward from 23:00 to 00:00), to seven days after it, which hold every weekday.
_DAYS_TO_SEARCH = range(-1, 8)


def local_to_utc(day: date, at: time, zone: str) -> datetime:
    """`at` on `day` in `zone` as a UTC instant: a gap moves it forward, a fold takes the first."""
    tz = _zone(zone)
    wall = datetime.combine(day, at, tzinfo=tz)
    requested = wall.replace(tzinfo=None)
    readings = [wall.replace(fold=fold).astimezone(UTC) for fold in (0, 1)]
    # Round-tripping tells the cases apart. Usually both readings are one instant. In an autumn
    # fold both show `at` again and the earlier is the first occurrence. In a spring-forward gap
    # `at` never shows: one reading lands the gap's length before it on the clock, the other the
    # gap's length after it, and the later one is the rule.
    return min(r for r in readings if _wall_time(r, tz) >= requested)


def next_due(after: datetime, at: time, zone: str, weekdays: frozenset[int] = ALL_DAYS) -> datetime:
    """The first instant after `after` (strictly) when it is `at` in `zone` on one of `weekdays`."""
    if not weekdays or not weekdays <= ALL_DAYS:
        raise ValueError(f"weekdays must be a non-empty subset of 0 (Mon) to 6 (Sun): {weekdays}")
    start = local_date_of(after, zone)
    # Walk local dates, not 24-hour steps in UTC, so 08:00 stays 08:00 across a DST change.
    candidates = (
        local_to_utc(day, at, zone)
        for day in (start + timedelta(days=offset) for offset in _DAYS_TO_SEARCH)
        if day.weekday() in weekdays
    )
    # Strictly later, so neither an autumn fold's second pass nor a gap-shifted time before
    # `after` is sent again (or at all).
    return next(c for c in candidates if c > after)


def local_date_of(instant: datetime, zone: str) -> date:
    """The calendar date in `zone` at `instant`."""
    if instant.utcoffset() is None:
        # astimezone() would silently read a naive value as the server's own local time.
        raise ValueError(f"instant must be timezone-aware: {instant!r}")
    return instant.astimezone(_zone(zone)).date()


def _wall_time(instant: datetime, tz: ZoneInfo) -> datetime:
    """What clocks in `tz` show at `instant`, as a naive datetime."""
    return instant.astimezone(tz).replace(tzinfo=None)
