"""Reading a reminder time and a time zone the way a person types or shares them."""

import re
import zoneinfo
from datetime import time
from functools import cache

from timezonefinder import TimezoneFinder

_TIME_PATTERN = re.compile(r"^\s*([01]?\d|2[0-3])\s*[:.h]\s*([0-5]\d)\s*$")
_MAX_ZONE_LENGTH = 64


def parse_reminder_time(text: str) -> time | None:
    """`07:30`, `7:30`, `7.30` or `19h05` give a time; anything else gives None."""
    match = _TIME_PATTERN.match(text[:20]) if len(text) <= 20 else None
    if match is None:
        return None
    return time(int(match.group(1)), int(match.group(2)))


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in zoneinfo.available_timezones()}


def resolve_time_zone(text: str) -> str | None:
    """The canonical IANA name for a typed zone (any case, spaces as `_`), or None."""
    candidate = text.strip().replace(" ", "_")
    if not candidate or len(candidate) > _MAX_ZONE_LENGTH:
        return None
    return _zones_by_folded_name().get(candidate.casefold())


@cache
def _finder() -> TimezoneFinder:
    return TimezoneFinder()


def zone_for_location(latitude: float, longitude: float) -> str | None:
    """The IANA zone at a point, looked up offline; None at sea or for bad coordinates."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    name = _finder().timezone_at(lat=latitude, lng=longitude)
    if name is None or resolve_time_zone(name) is None:
        return None
    return str(name)
