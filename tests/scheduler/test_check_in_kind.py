"""The morning check-in as a scheduled kind: sent once, whatever the day held, never late, and
only while it still asks about the person's latest session."""

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.db.enums import MessageKind, PainContext, SendStatus, SessionStatus
from bot.db.queries import pain, sessions, users
from bot.delivery import ReminderDelivery
from bot.flows.check_in import schedule_check_in
from bot.services import Services
from scheduler.outgoing import Outgoing
from scheduler.plans import Occurrence
from tests.conftest import FakeClock
from tests.scheduler.test_dispatch import GRACE, REMINDER, Harness

CHECK_IN = MessageKind.CHECK_IN
WEDNESDAY = date(2026, 3, 4)
# Berlin is on CET (+01:00): 08:00 on Wednesday is 07:00 UTC.
WEDNESDAY_8AM = datetime(2026, 3, 4, 7, 0, tzinfo=UTC)
# 00:10 on Wednesday in Berlin: a late session, done "that day" as reminders count days.
JUST_AFTER_MIDNIGHT = datetime(2026, 3, 3, 23, 10, tzinfo=UTC)


@pytest.fixture
def harness(services: Services, clock: FakeClock) -> Harness:
    return Harness(services, clock)


async def _rated_session(harness: Harness, user_id: int, *, finished_at: datetime) -> int:
    """A session rated 3 at `finished_at`, with its check-in scheduled as the rating does."""
    async with harness.session_factory.begin() as session:
        started = await sessions.start_session(
            session,
            user_id=user_id,
            routine_key="todays_plan",
            first_exercise_key="lumbar_rotation",
            now=finished_at - timedelta(minutes=15),
        )
        await sessions.finish_session(
            session, session_id=started.id, status=SessionStatus.COMPLETED, now=finished_at
        )
        await pain.record_pain(
            session,
            user_id=user_id,
            score=3,
            context=PainContext.AFTER_SESSION,
            now=finished_at,
            session_id=started.id,
        )
        person = await users.get_user_by_id(session, user_id=user_id)
        default_at = harness.services.content.plan.check_in_at
        await schedule_check_in(
            session, person=person, finished_at=finished_at, default_at=default_at
        )
        return started.id


def _check_ins(queued: list[Outgoing]) -> list[Outgoing]:
    """The check-ins of what a tick queued (the day's reminder is queued too, and left to its
    turn to find the day done)."""
    return [item for item in queued if item.key[1] == CHECK_IN]


def _delivery(harness: Harness) -> ReminderDelivery:
    return ReminderDelivery(harness.services, grace=GRACE)


async def test_a_late_session_s_check_in_comes_that_morning(harness: Harness) -> None:
    user_id = await harness.person()

    await _rated_session(harness, user_id, finished_at=JUST_AFTER_MIDNIGHT)

    assert await harness.due(user_id, CHECK_IN) == Occurrence(WEDNESDAY_8AM, WEDNESDAY)


async def test_a_check_in_is_sent_on_a_day_with_a_session_and_only_once(
    harness: Harness,
) -> None:
    user_id = await harness.person()
    await _rated_session(harness, user_id, finished_at=JUST_AFTER_MIDNIGHT)

    sent = await harness.turns(await harness.tick_at(WEDNESDAY_8AM))
    later = await harness.tick_at(WEDNESDAY_8AM + timedelta(days=1))

    assert [item.key for item in sent] == [(user_id, CHECK_IN, WEDNESDAY)]
    assert await harness.log() == [
        (user_id, CHECK_IN, WEDNESDAY, SendStatus.SENDING),
        # The reminder at the same time is not sent: the session was that day.
        (user_id, REMINDER, WEDNESDAY, SendStatus.SKIPPED_DONE),
        (user_id, REMINDER, date(2026, 3, 5), SendStatus.QUEUED),
    ]
    assert [item.key[1] for item in later] == [REMINDER]
    assert await harness.due(user_id, CHECK_IN) is None  # one-shot: no next


async def test_a_check_in_too_late_is_skipped_and_not_moved_on(harness: Harness) -> None:
    user_id = await harness.person()
    await _rated_session(harness, user_id, finished_at=JUST_AFTER_MIDNIGHT)

    queued = await harness.tick_at(WEDNESDAY_8AM + GRACE + timedelta(minutes=1))

    assert CHECK_IN not in [item.key[1] for item in queued]
    assert (user_id, CHECK_IN, WEDNESDAY, SendStatus.SKIPPED_LATE) in await harness.log()
    assert await harness.due(user_id, CHECK_IN) is None


async def test_paused_reminders_do_not_stop_the_check_in(harness: Harness) -> None:
    user_id = await harness.person()
    await _rated_session(harness, user_id, finished_at=JUST_AFTER_MIDNIGHT)
    await harness.pause(user_id, resume_on=None, now=JUST_AFTER_MIDNIGHT)

    queued = await harness.tick_at(WEDNESDAY_8AM)

    assert [item.key for item in await harness.turns(queued)] == [(user_id, CHECK_IN, WEDNESDAY)]


async def test_the_check_in_asks_about_the_latest_session_with_three_buttons(
    harness: Harness,
) -> None:
    user_id = await harness.person()
    session_id = await _rated_session(harness, user_id, finished_at=JUST_AFTER_MIDNIGHT)
    [item] = _check_ins(await harness.tick_at(WEDNESDAY_8AM))

    rendered = await _delivery(harness).begin(item)

    assert rendered is not None
    assert "compared with before your last session" in rendered.text
    assert rendered.reply_markup is not None
    [row] = rendered.reply_markup.inline_keyboard
    assert [(b.text, b.callback_data) for b in row] == [
        ("🙂 Better", f"checkin:{session_id}:better"),
        ("😐 The same", f"checkin:{session_id}:same"),
        ("😣 Worse", f"checkin:{session_id}:worse"),
    ]


async def test_a_check_in_is_dropped_once_another_session_has_started(harness: Harness) -> None:
    user_id = await harness.person()
    await _rated_session(harness, user_id, finished_at=JUST_AFTER_MIDNIGHT)
    [item] = _check_ins(await harness.tick_at(WEDNESDAY_8AM))
    async with harness.session_factory.begin() as session:
        await sessions.start_session(
            session,
            user_id=user_id,
            routine_key="todays_plan",
            first_exercise_key="lumbar_rotation",
            now=WEDNESDAY_8AM,
        )

    rendered = await _delivery(harness).begin(item)

    assert rendered is None
    assert (user_id, CHECK_IN, WEDNESDAY, SendStatus.CANCELLED) in await harness.log()
