"""Reminder times and time zones as people type or share them."""

from datetime import time

import pytest

from bot.coaching.time_input import parse_reminder_time, resolve_time_zone, zone_for_location


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("07:30", time(7, 30)), ("7:30", time(7, 30)), ("19.05", time(19, 5)), ("0:00", time(0, 0))],
)
def test_times_are_read(typed: str, expected: time) -> None:
    assert parse_reminder_time(typed) == expected


@pytest.mark.parametrize("typed", ["24:00", "7:60", "banana", "730", "", "07:30" * 1000])
def test_bad_times_are_refused(typed: str) -> None:
    assert parse_reminder_time(typed) is None


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("America/New York", "America/New_York"),
        ("Asia/Kathmandu", "Asia/Kathmandu"),
    ],
)
def test_zone_names_are_resolved_to_their_canonical_spelling(typed: str, zone: str) -> None:
    assert resolve_time_zone(typed) == zone


@pytest.mark.parametrize("typed", ["Mars/Olympus", "Berlin", "", "x" * 5000])
def test_unknown_zones_are_refused(typed: str) -> None:
    assert resolve_time_zone(typed) is None


def test_a_shared_location_gives_its_zone_offline() -> None:
    assert zone_for_location(52.52, 13.405) == "Europe/Berlin"
    assert zone_for_location(-33.87, 151.21) == "Australia/Sydney"


def test_impossible_coordinates_give_no_zone() -> None:
    assert zone_for_location(123.0, 13.0) is None
