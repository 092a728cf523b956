"""The tick leaves the database alone while nothing can be due, yet holds no reminder back."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import time, timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import SessionFactory, create_session_factory
from bot.flows import reminder_responses
from bot.flows.reminder_responses import Snoozed
from bot.services import Services
from scheduler.due_watch import REREAD, DueWatch
from tests.conftest import FakeClock
from tests.scheduler.test_dispatch import REMINDER, SNOOZE, WEDNESDAY, Harness, day, keys, utc

# A watch that never reads again by itself: only this process's own news moves the tick.
DEAF = timedelta(days=1)


@pytest.fixture
def harness(services: Services, clock: FakeClock) -> Harness:
    return Harness(services, clock)


@contextmanager
def statements_run(session_factory: SessionFactory) -> Iterator[list[str]]:
    """The SQL statements run on the test's engine while the block runs."""
    engine = session_factory.kw["bind"]
    assert isinstance(engine, AsyncEngine)
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", note)


def claims(statements: list[str]) -> int:
    return sum(statement.lstrip().startswith("WITH claimed") for statement in statements)


async def test_an_empty_tick_skips_the_database_until_something_can_be_due(
    harness: Harness,
) -> None:
    user_id = await harness.person()  # Wednesday 08:00 in Berlin, 07:00 UTC
    await harness.tick_at(utc(3, 4, 6, 59))

    with statements_run(harness.session_factory) as statements:
        nothing = await harness.tick_at(utc(3, 4, 6, 59) + timedelta(seconds=59))
    queued = await harness.tick_at(utc(3, 4, 7))

    assert nothing == [] and statements == []
    assert keys(queued) == [(user_id, REMINDER, WEDNESDAY)]


async def test_a_reminder_set_here_is_not_held_back_by_a_later_earliest(
    harness: Harness,
) -> None:
    harness.restart(watch=DueWatch(reread=DEAF))
    await harness.person(1)  # 07:00 UTC
    await harness.tick_at(utc(3, 4, 5))

    # Set up through the schedule flow, in this process: 06:30 in Berlin, 05:30 UTC.
    second = await harness.person(2, at=time(6, 30), set_up_at=utc(3, 4, 5))
    queued = await harness.tick_at(utc(3, 4, 5, 30))

    assert keys(queued) == [(second, REMINDER, WEDNESDAY)]


async def test_a_snooze_comes_on_time_though_the_tick_knows_of_tomorrow_s_reminder(
    harness: Harness,
) -> None:
    harness.restart(watch=DueWatch(reread=DEAF))
    user_id = await harness.person()
    await harness.tick_at(utc(3, 4, 7))
    harness.clock.now = utc(3, 4, 7, 5)

    snoozed = await reminder_responses.snooze(harness.services, telegram_id=1, local_date=WEDNESDAY)
    assert isinstance(snoozed, Snoozed)
    queued = await harness.tick_at(snoozed.due_at)

    assert keys(queued) == [(user_id, SNOOZE, WEDNESDAY)]


async def test_a_reminder_another_process_set_is_seen_within_a_minute(harness: Harness) -> None:
    await harness.person(1)
    await harness.tick_at(utc(3, 4, 5))
    elsewhere = create_session_factory(harness.session_factory.kw["bind"])

    other = await harness.person(2, at=time(6, 0, 30), set_up_at=utc(3, 4, 5), via=elsewhere)
    not_yet = await harness.tick_at(utc(3, 4, 5) + timedelta(seconds=30))
    seen = await harness.tick_at(utc(3, 4, 5) + REREAD)

    assert not_yet == []
    assert keys(seen) == [(other, REMINDER, WEDNESDAY)]


async def test_a_short_batch_ends_the_tick_without_another_claim(harness: Harness) -> None:
    for telegram_id in (1, 2, 3):
        await harness.person(telegram_id)

    with statements_run(harness.session_factory) as statements:
        queued = await harness.tick_at(utc(3, 4, 7))

    assert len(queued) == 3 and claims(statements) == 1


async def test_full_batches_are_claimed_until_one_comes_back_short(
    services: Services, clock: FakeClock
) -> None:
    harness = Harness(services, clock, batch_size=2)
    for telegram_id in (1, 2, 3, 4):
        await harness.person(telegram_id)

    with statements_run(harness.session_factory) as statements:
        queued = await harness.tick_at(utc(3, 4, 7))

    assert len(queued) == 4 and claims(statements) == 3


async def test_a_row_moved_to_a_time_already_due_is_claimed_again_at_once(
    harness: Harness,
) -> None:
    user_id = await harness.person()

    # Back after three days down, at 10:00 in Berlin: Saturday's 08:00 is still worth sending.
    with statements_run(harness.session_factory) as statements:
        queued = await harness.tick_at(utc(3, 7, 9))

    assert keys(queued) == [(user_id, REMINDER, day(3, 7))] and claims(statements) == 2
