"""Local reminder times turned into UTC instants, across DST changes and odd offsets."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scheduler.due_times import ALL_DAYS, local_date_of, local_to_utc, next_due


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


MONDAY, THURSDAY = 0, 3

# (zone, local date, local time, expected UTC instant); transitions are the 2026 ones.
LOCAL_TO_UTC = [
    # Europe/Berlin: 02:00 -> 03:00 on 2026-03-29, 03:00 -> 02:00 on 2026-10-25.
    ("Europe/Berlin", date(2026, 3, 28), time(8), utc(2026, 3, 28, 7)),
    ("Europe/Berlin", date(2026, 3, 29), time(8), utc(2026, 3, 29, 6)),
    ("Europe/Berlin", date(2026, 3, 29), time(2, 30), utc(2026, 3, 29, 1, 30)),  # gap: 03:30 CEST
    ("Europe/Berlin", date(2026, 10, 24), time(8), utc(2026, 10, 24, 6)),
    ("Europe/Berlin", date(2026, 10, 25), time(8), utc(2026, 10, 25, 7)),
    ("Europe/Berlin", date(2026, 10, 25), time(2, 30), utc(2026, 10, 25, 0, 30)),  # fold: CEST
    # America/New_York: 02:00 -> 03:00 on 2026-03-08, 02:00 -> 01:00 on 2026-11-01.
    ("America/New_York", date(2026, 3, 7), time(8), utc(2026, 3, 7, 13)),
    ("America/New_York", date(2026, 3, 8), time(8), utc(2026, 3, 8, 12)),
    ("America/New_York", date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7, 30)),  # 03:30 EDT
    ("America/New_York", date(2026, 10, 31), time(8), utc(2026, 10, 31, 12)),
    ("America/New_York", date(2026, 11, 1), time(8), utc(2026, 11, 1, 13)),
    ("America/New_York", date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30)),  # EDT
    # Australia/Sydney (southern hemisphere): 03:00 -> 02:00 on 2026-04-05, 02:00 -> 03:00 on
    # 2026-10-04.
    ("Australia/Sydney", date(2026, 4, 4), time(8), utc(2026, 4, 3, 21)),
    ("Australia/Sydney", date(2026, 4, 5), time(8), utc(2026, 4, 4, 22)),
    ("Australia/Sydney", date(2026, 4, 5), time(2, 30), utc(2026, 4, 4, 15, 30)),  # AEDT
    ("Australia/Sydney", date(2026, 10, 3), time(8), utc(2026, 10, 2, 22)),
    ("Australia/Sydney", date(2026, 10, 4), time(8), utc(2026, 10, 3, 21)),
    ("Australia/Sydney", date(2026, 10, 4), time(2, 30), utc(2026, 10, 3, 16, 30)),  # 03:30 AEDT
    # Asia/Kolkata (+05:30) and Asia/Kathmandu (+05:45) have no DST.
    ("Asia/Kolkata", date(2026, 3, 29), time(8), utc(2026, 3, 29, 2, 30)),
    ("Asia/Kolkata", date(2026, 3, 29), time(0, 15), utc(2026, 3, 28, 18, 45)),
    ("Asia/Kathmandu", date(2026, 10, 25), time(8), utc(2026, 10, 25, 2, 15)),
    ("Asia/Kathmandu", date(2026, 10, 25), time(0, 15), utc(2026, 10, 24, 18, 30)),
    # Australia/Lord_Howe shifts by 30 minutes: 02:00 -> 01:30 on 2026-04-05, 02:00 -> 02:30 on
    # 2026-10-04 (+11:00 in summer, +10:30 in winter).
    ("Australia/Lord_Howe", date(2026, 4, 4), time(8), utc(2026, 4, 3, 21)),
    ("Australia/Lord_Howe", date(2026, 4, 5), time(8), utc(2026, 4, 4, 21, 30)),
    ("Australia/Lord_Howe", date(2026, 4, 5), time(1, 45), utc(2026, 4, 4, 14, 45)),  # +11:00
    ("Australia/Lord_Howe", date(2026, 10, 4), time(2, 15), utc(2026, 10, 3, 15, 45)),  # 02:45
    ("Australia/Lord_Howe", date(2026, 10, 4), time(8), utc(2026, 10, 3, 21)),
    # Pacific/Chatham (+12:45 / +13:45): 03:45 -> 02:45 on 2026-04-05, 02:45 -> 03:45 on 2026-09-27.
    ("Pacific/Chatham", date(2026, 4, 4), time(8), utc(2026, 4, 3, 18, 15)),
    ("Pacific/Chatham", date(2026, 4, 5), time(8), utc(2026, 4, 4, 19, 15)),
    ("Pacific/Chatham", date(2026, 4, 5), time(3), utc(2026, 4, 4, 13, 15)),  # fold: +13:45
    ("Pacific/Chatham", date(2026, 9, 27), time(3), utc(2026, 9, 26, 14, 15)),  # gap: 04:00
    ("Pacific/Chatham", date(2026, 9, 27), time(8), utc(2026, 9, 26, 18, 15)),
    # America/St_Johns (-03:30 / -02:30): 02:00 -> 03:00 on 2026-03-08, 02:00 -> 01:00 on
    # 2026-11-01.
    ("America/St_Johns", date(2026, 3, 7), time(8), utc(2026, 3, 7, 11, 30)),
    ("America/St_Johns", date(2026, 3, 8), time(8), utc(2026, 3, 8, 10, 30)),
    ("America/St_Johns", date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 6)),  # 03:30 NDT
    ("America/St_Johns", date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 4)),  # NDT
    ("America/St_Johns", date(2026, 11, 1), time(8), utc(2026, 11, 1, 11, 30)),
    # America/Nuuk (-02:00 / -01:00) springs forward from Saturday 23:00 to Sunday 00:00, so a
    # gap-shifted time lands on the next local date; it falls back from 24:00 to Saturday 23:00.
    ("America/Nuuk", date(2026, 3, 28), time(8), utc(2026, 3, 28, 10)),
    ("America/Nuuk", date(2026, 3, 28), time(23, 30), utc(2026, 3, 29, 1, 30)),  # Sunday 00:30
    ("America/Nuuk", date(2026, 3, 29), time(8), utc(2026, 3, 29, 9)),
    ("America/Nuuk", date(2026, 10, 24), time(23, 30), utc(2026, 10, 25, 0, 30)),  # fold: -01:00
    ("America/Nuuk", date(2026, 10, 25), time(8), utc(2026, 10, 25, 10)),
    ("UTC", date(2026, 3, 29), time(2, 30), utc(2026, 3, 29, 2, 30)),
    ("UTC", date(2026, 10, 25), time(8), utc(2026, 10, 25, 8)),
]


@pytest.mark.parametrize(("zone", "day", "at", "expected"), LOCAL_TO_UTC)
def test_local_time_is_turned_into_its_utc_instant(
    zone: str, day: date, at: time, expected: datetime
) -> None:
    assert local_to_utc(day, at, zone) == expected


@pytest.mark.parametrize(("zone", "day", "at", "expected"), LOCAL_TO_UTC)
def test_next_due_on_the_day_is_the_local_time_of_that_day(
    zone: str, day: date, at: time, expected: datetime
) -> None:
    start_of_day = local_to_utc(day, time(0), zone) - timedelta(seconds=1)
    assert next_due(start_of_day, at, zone) == expected


def test_a_fold_flag_on_the_requested_time_still_gives_the_first_occurrence() -> None:
    at = time(2, 30, fold=1)
    assert local_to_utc(date(2026, 10, 25), at, "Europe/Berlin") == utc(2026, 10, 25, 0, 30)


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (utc(2026, 3, 4, 7), utc(2026, 3, 5, 7)),
        (utc(2026, 3, 4, 6, 59, 59), utc(2026, 3, 4, 7)),
    ],
    ids=["at-the-due-instant", "one-second-before"],
)
def test_next_due_is_strictly_after(after: datetime, expected: datetime) -> None:
    assert next_due(after, time(8), "Europe/Berlin") == expected


def test_next_due_accepts_after_in_any_zone() -> None:
    after = datetime(2026, 3, 4, 7, 59, 59, tzinfo=ZoneInfo("Europe/Berlin"))
    assert next_due(after, time(8), "Asia/Kathmandu") == utc(2026, 3, 5, 2, 15)


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (utc(2026, 3, 24, 12), utc(2026, 3, 26, 7)),  # Tuesday -> Thursday, CET
        (utc(2026, 3, 26, 7), utc(2026, 3, 30, 6)),  # Thursday -> Monday, over DST: CEST
        (utc(2026, 3, 30, 6), utc(2026, 4, 2, 6)),  # Monday -> Thursday
    ],
)
def test_next_due_skips_days_not_chosen(after: datetime, expected: datetime) -> None:
    weekdays = frozenset({MONDAY, THURSDAY})
    assert next_due(after, time(8), "Europe/Berlin", weekdays) == expected


def test_a_fold_does_not_repeat_the_reminder() -> None:
    after_first_0230 = utc(2026, 10, 25, 0, 45)
    assert next_due(after_first_0230, time(2, 30), "Europe/Berlin") == utc(2026, 10, 26, 1, 30)


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (utc(2026, 3, 29, 1, 15), utc(2026, 3, 29, 1, 30)),  # 03:15, before the shifted 03:30
        (utc(2026, 3, 29, 1, 45), utc(2026, 3, 30, 0, 30)),  # 03:45, past it: next day
    ],
)
def test_a_time_in_the_gap_is_due_once_gap_shifted(after: datetime, expected: datetime) -> None:
    assert next_due(after, time(2, 30), "Europe/Berlin") == expected


def test_a_time_shifted_past_midnight_is_still_due_on_the_new_date() -> None:
    sunday_0010_in_nuuk = utc(2026, 3, 29, 1, 10)
    assert next_due(sunday_0010_in_nuuk, time(23, 30), "America/Nuuk") == utc(2026, 3, 29, 1, 30)


@pytest.mark.parametrize(
    "weekdays", [frozenset(), frozenset({7}), frozenset({-1, 3})], ids=["none", "7", "-1"]
)
def test_weekdays_must_be_a_non_empty_set_of_monday_to_sunday(weekdays: frozenset[int]) -> None:
    with pytest.raises(ValueError, match="weekdays"):
        next_due(utc(2026, 3, 4), time(8), "Europe/Berlin", weekdays)


def test_a_naive_after_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_due(datetime(2026, 3, 4, 9), time(8), "Europe/Berlin")


@pytest.mark.parametrize(
    ("instant", "zone", "expected"),
    [
        (utc(2026, 6, 1, 18, 14, 59), "Asia/Kathmandu", date(2026, 6, 1)),  # 23:59:59 +05:45
        (utc(2026, 6, 1, 18, 15), "Asia/Kathmandu", date(2026, 6, 2)),  # 00:00 +05:45
        (utc(2026, 1, 15, 3, 29, 59), "America/St_Johns", date(2026, 1, 14)),  # 23:59:59 -03:30
        (utc(2026, 1, 15, 3, 30), "America/St_Johns", date(2026, 1, 15)),  # 00:00 -03:30
        (utc(2026, 1, 15, 3, 30), "UTC", date(2026, 1, 15)),
    ],
)
def test_local_date_of_an_instant(instant: datetime, zone: str, expected: date) -> None:
    assert local_date_of(instant, zone) == expected


# Property-based: the rules hold for any instant, time and set of weekdays in these zones.
ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/St_Johns",
    "America/Santiago",  # changes at midnight: some days have no 00:00, some two 23:30s
    "America/Nuuk",
    "UTC",
]

zones = st.sampled_from(ZONES)
instants = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2028, 12, 31),
    timezones=st.sampled_from([ZoneInfo(zone) for zone in ZONES]),
)
times = st.times()
weekday_sets = st.frozensets(st.sampled_from(sorted(ALL_DAYS)), min_size=1)
properties = settings(max_examples=200, deadline=None)


def gap_on(day: date, at: time, zone: str) -> timedelta:
    """How far `at` on `day` lies inside a spring-forward gap; zero if clocks show it."""
    tz = ZoneInfo(zone)
    wall = datetime.combine(day, at)
    # Through UTC: astimezone() to a datetime's own zone returns it unchanged.
    readings = {
        wall.replace(tzinfo=tz, fold=f).astimezone(UTC).astimezone(tz).replace(tzinfo=None)
        for f in (0, 1)
    }
    return timedelta(0) if wall in readings else max(readings) - wall


def scheduled_day(due: datetime, at: time, zone: str) -> date:
    """The local date whose `at` falls due at `due`; a gap can push it past midnight."""
    day = local_date_of(due, zone)
    return day if local_to_utc(day, at, zone) == due else day - timedelta(days=1)


def previous_chosen_day(day: date, weekdays: frozenset[int]) -> date:
    """The last date before `day` on one of `weekdays`."""
    day -= timedelta(days=1)
    while day.weekday() not in weekdays:
        day -= timedelta(days=1)
    return day


@properties
@given(after=instants, at=times, zone=zones, weekdays=weekday_sets)
def test_next_due_is_soon_after(
    after: datetime, at: time, zone: str, weekdays: frozenset[int]
) -> None:
    due = next_due(after, at, zone, weekdays)
    assert after < due <= after + timedelta(days=8)
    assert due.utcoffset() == timedelta(0)


@properties
@given(after=instants, at=times, zone=zones, weekdays=weekday_sets)
def test_next_due_falls_on_a_chosen_day(
    after: datetime, at: time, zone: str, weekdays: frozenset[int]
) -> None:
    due = next_due(after, at, zone, weekdays)
    day = scheduled_day(due, at, zone)
    assert local_to_utc(day, at, zone) == due
    assert day.weekday() in weekdays


@properties
@given(after=instants, at=times, zone=zones, weekdays=weekday_sets)
# Chile springs forward at midnight: 00:00 on Sunday 7 Sep 2025 shows as 01:00.
@example(
    after=datetime(2025, 9, 4, tzinfo=ZoneInfo("Europe/Berlin")),
    at=time(0, 0),
    zone="America/Santiago",
    weekdays=frozenset({6}),
)
def test_next_due_shows_the_time_unless_it_fell_in_a_gap(
    after: datetime, at: time, zone: str, weekdays: frozenset[int]
) -> None:
    due = next_due(after, at, zone, weekdays)
    day = scheduled_day(due, at, zone)
    shown = due.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    gap = gap_on(day, at, zone)
    assert shown - datetime.combine(day, at) == gap
    assert gap <= timedelta(hours=1)


@properties
@given(after=instants, at=times, zone=zones, weekdays=weekday_sets)
def test_next_due_skips_no_earlier_chosen_day(
    after: datetime, at: time, zone: str, weekdays: frozenset[int]
) -> None:
    due = next_due(after, at, zone, weekdays)
    earlier = previous_chosen_day(scheduled_day(due, at, zone), weekdays)
    assert local_to_utc(earlier, at, zone) <= after
