"""The weekly summary as a scheduled kind: due at 19:00 local on the chosen day across a clock
change, moved on a week once claimed, and never a failure when its person was erased meanwhile."""

from datetime import UTC, date, datetime, time

import pytest

from bot.db.enums import MessageKind, SendStatus
from bot.db.queries import users
from bot.delivery import ReminderDelivery
from bot.flows.person_data import erase
from bot.flows.schedule import reschedule_summary
from bot.services import Services
from scheduler.plans import Occurrence
from tests.conftest import FakeClock
from tests.scheduler.test_dispatch import GRACE, SET_UP_AT, Harness

SUMMARY = MessageKind.WEEKLY_SUMMARY
# Berlin: CET (+01:00) until 29 Mar 2026 at 02:00, CEST (+02:00) from then on.
SUNDAY_22_MAR = Occurrence(datetime(2026, 3, 22, 18, 0, tzinfo=UTC), date(2026, 3, 22))
SUNDAY_29_MAR = Occurrence(datetime(2026, 3, 29, 17, 0, tzinfo=UTC), date(2026, 3, 29))


async def summaries_logged(harness: Harness) -> list[tuple[int, str, date, SendStatus]]:
    return [row for row in await harness.log() if row[1] == SUMMARY]


@pytest.fixture
def harness(services: Services, clock: FakeClock) -> Harness:
    return Harness(services, clock)


async def _with_summary(harness: Harness, *, now: datetime = SET_UP_AT) -> int:
    user_id = await harness.person()
    async with harness.session_factory.begin() as session:
        person = await users.get_user_by_id(session, user_id=user_id)
        at = harness.services.content.plan.weekly_summary_at
        await reschedule_summary(session, user_id=user_id, person=person, now=now, at=at)
    return user_id


async def test_the_summary_stays_at_19_00_local_across_the_spring_clock_change(
    harness: Harness,
) -> None:
    user_id = await _with_summary(harness, now=datetime(2026, 3, 20, tzinfo=UTC))
    assert await harness.due(user_id, SUMMARY) == SUNDAY_22_MAR

    queued = await harness.tick_at(SUNDAY_22_MAR.due_at)

    assert [item.key for item in queued] == [(user_id, SUMMARY, SUNDAY_22_MAR.local_date)]
    assert await harness.due(user_id, SUMMARY) == SUNDAY_29_MAR


async def test_a_summary_goes_out_with_its_chart_once(harness: Harness) -> None:
    user_id = await _with_summary(harness)
    await harness.finished_session(user_id, at=datetime(2026, 3, 6, 17, 0, tzinfo=UTC))
    sunday = datetime(2026, 3, 8, 18, 0, tzinfo=UTC)
    [item] = await harness.tick_at(sunday)
    delivery = ReminderDelivery(harness.services, grace=GRACE)

    rendered = await delivery.begin(item)
    again = await delivery.begin(item)

    assert rendered is not None and rendered.photo is not None
    assert "The last 7 days: 1 of 6 planned sessions done" in rendered.text
    assert "Every Sunday at 19:00" in rendered.text
    assert again is None  # the one right to send it was taken
    assert await summaries_logged(harness) == [
        (user_id, SUMMARY, date(2026, 3, 8), SendStatus.SENDING)
    ]


async def test_a_summary_whose_person_was_erased_is_dropped_without_an_error(
    harness: Harness,
) -> None:
    user_id = await _with_summary(harness)
    await harness.finished_session(user_id, at=datetime(2026, 3, 6, 17, 0, tzinfo=UTC))
    [item] = await harness.tick_at(datetime(2026, 3, 8, 18, 0, tzinfo=UTC))

    assert await erase(harness.services, telegram_id=1)

    assert await ReminderDelivery(harness.services, grace=GRACE).begin(item) is None
    assert await harness.log() == []


async def test_a_summary_turned_off_after_it_was_queued_is_not_sent(harness: Harness) -> None:
    user_id = await _with_summary(harness)
    await harness.finished_session(user_id, at=datetime(2026, 3, 6, 17, 0, tzinfo=UTC))
    [item] = await harness.tick_at(datetime(2026, 3, 8, 18, 0, tzinfo=UTC))
    async with harness.session_factory.begin() as session:
        await users.update_reminder_settings(session, user_id=user_id, summary_weekday=None)

    assert await ReminderDelivery(harness.services, grace=GRACE).begin(item) is None
    assert await summaries_logged(harness) == [
        (user_id, SUMMARY, date(2026, 3, 8), SendStatus.CANCELLED)
    ]


async def test_set_up_time_is_the_plan_not_the_reminder_time(harness: Harness) -> None:
    user_id = await _with_summary(harness)
    # The reminder is at 08:00; the summary at the coach's 19:00, on Sunday 8 March.
    due = await harness.due(user_id, SUMMARY)
    assert due == Occurrence(datetime(2026, 3, 8, 18, 0, tzinfo=UTC), date(2026, 3, 8))
    assert harness.services.content.plan.weekly_summary_at == time(19, 0)
