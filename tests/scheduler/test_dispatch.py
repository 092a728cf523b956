"""The tick, against a real database: each day's reminder is queued once, on time or not at all."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import SessionFactory
from bot.db.enums import MessageKind, SendStatus, SessionStatus, UserStatus
from bot.db.models import SentMessage
from bot.db.queries import due_messages, send_log, sessions, users
from bot.delivery import ReminderDelivery
from bot.flows.schedule import reschedule_reminder
from bot.services import Services
from scheduler.dispatch import Dispatcher
from scheduler.due_watch import DueWatch
from scheduler.plans import Occurrence
from scheduler.sender import Outgoing
from tests.conftest import FakeClock

GRACE = timedelta(hours=3)
REMINDER, SNOOZE = MessageKind.DAILY_REMINDER, MessageKind.SNOOZE
COMPLETED, PARTIAL, ABANDONED = (
    SessionStatus.COMPLETED,
    SessionStatus.PARTIAL,
    SessionStatus.ABANDONED,
)
# Wednesday 2026-03-04; Berlin is on CET (+01:00), so 08:00 there is 07:00 UTC.
WEDNESDAY = date(2026, 3, 4)


def utc(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def day(month: int, of_month: int) -> date:
    return date(2026, month, of_month)


# The day before, at noon: the plan's first reminder is Wednesday's.
SET_UP_AT = utc(3, 3, 12)


class Harness:
    """A dispatcher on the test's clock and database, with what it enqueued."""

    def __init__(self, services: Services, clock: FakeClock, batch_size: int = 50) -> None:
        self.services = services
        self.session_factory = services.session_factory
        self.clock = clock
        self.batch_size = batch_size
        self.enqueued: list[Outgoing] = []
        self.dispatcher = self.restart()

    def restart(
        self, enqueue: Callable[[Outgoing], object] | None = None, *, watch: DueWatch | None = None
    ) -> Dispatcher:
        """A new dispatcher (as after a restart, with a fresh watch); the enqueued list is kept."""
        self.services = replace(self.services, due_watch=watch or DueWatch())
        self.dispatcher = Dispatcher(
            self.session_factory,
            clock=self.clock,
            grace=GRACE,
            batch_size=self.batch_size,
            enqueue=enqueue or self.enqueued.append,
            watch=self.services.due_watch,
            summary_at=self.services.content.plan.weekly_summary_at,
        )
        return self.dispatcher

    async def tick_at(self, now: datetime) -> list[Outgoing]:
        """Move the clock and tick; what this tick enqueued."""
        self.clock.now = now
        before = len(self.enqueued)
        await self.dispatcher.tick()
        return self.enqueued[before:]

    async def person(
        self,
        telegram_id: int = 1,
        *,
        at: time = time(8),
        zone: str = "Europe/Berlin",
        set_up_at: datetime = SET_UP_AT,
        via: SessionFactory | None = None,
    ) -> int:
        """An active person whose reminder plan was set (and scheduled) at `set_up_at`; `via`
        another session factory, as another process would."""
        async with (via or self.session_factory).begin() as session:
            user = await users.ensure_user(
                session, telegram_id=telegram_id, chat_id=100 + telegram_id, now=set_up_at
            )
            await users.set_reminder_time(session, user_id=user.id, reminder_time=at)
            await users.activate_user(session, user_id=user.id, time_zone=zone)
            user = await users.get_user_by_id(session, user_id=user.id)
            await reschedule_reminder(session, user_id=user.id, person=user, now=set_up_at)
            return user.id

    async def pause(self, user_id: int, *, resume_on: date | None, now: datetime) -> None:
        """The person pauses their reminders, as the settings flow does it."""
        async with self.session_factory.begin() as session:
            await users.update_reminder_settings(
                session, user_id=user_id, reminders_paused=True, reminders_resume_on=resume_on
            )
            user = await users.get_user_by_id(session, user_id=user_id)
            await reschedule_reminder(session, user_id=user_id, person=user, now=now)

    async def finished_session(
        self, user_id: int, *, at: datetime, status: SessionStatus = SessionStatus.COMPLETED
    ) -> None:
        async with self.session_factory.begin() as session:
            started = await sessions.start_session(
                session,
                user_id=user_id,
                routine_key="gentle",
                first_exercise_key="pelvic_tilt",
                now=at - timedelta(minutes=15),
            )
            await sessions.finish_session(session, session_id=started.id, status=status, now=at)

    async def due(self, user_id: int, kind: MessageKind = REMINDER) -> Occurrence | None:
        async with self.session_factory() as session:
            row = await due_messages.get_due(session, user_id=user_id, kind=kind)
        return Occurrence(row.next_due_at, row.local_date) if row else None

    async def turns(self, queued: list[Outgoing]) -> list[Outgoing]:
        """What the sender would send of `queued` when each one's turn comes (now, on the
        clock): it decides again, and logs the fate of each."""
        delivery = ReminderDelivery(self.services, grace=GRACE)
        return [item for item in queued if await delivery.begin(item) is not None]

    async def log(self) -> list[tuple[int, str, date, SendStatus]]:
        async with self.session_factory() as session:
            rows = await session.execute(
                select(
                    SentMessage.user_id,
                    SentMessage.kind,
                    SentMessage.local_date,
                    SentMessage.status,
                ).order_by(SentMessage.user_id, SentMessage.local_date, SentMessage.kind)
            )
        return [tuple(row) for row in rows]  # type: ignore[misc]


@pytest.fixture
def harness(services: Services, clock: FakeClock) -> Harness:
    return Harness(services, clock)


def keys(items: list[Outgoing]) -> list[tuple[int, str, date]]:
    return [item.key for item in items]


@contextmanager
def failing_statements(session_factory: SessionFactory, starting: str) -> Iterator[None]:
    """Make the database refuse statements that start with `starting` (a crash stand-in)."""
    engine = session_factory.kw["bind"]
    assert isinstance(engine, AsyncEngine)

    def refuse(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(starting.upper()):
            raise RuntimeError("crash")

    event.listen(engine.sync_engine, "before_cursor_execute", refuse)
    try:
        yield
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", refuse)


# ---- on time, late, very late


async def test_a_reminder_due_now_is_queued_and_moves_to_the_next_day(harness: Harness) -> None:
    user_id = await harness.person()

    queued = await harness.tick_at(utc(3, 4, 7))

    assert queued == [
        Outgoing(key=(user_id, REMINDER, WEDNESDAY), chat_id=101, due_at=utc(3, 4, 7))
    ]
    assert await harness.log() == [(user_id, REMINDER, WEDNESDAY, SendStatus.QUEUED)]
    assert await harness.due(user_id) == Occurrence(utc(3, 5, 7), day(3, 5))


async def test_each_person_s_reminder_goes_to_their_own_chat(harness: Harness) -> None:
    # Three share one plan (one group of the claim), one is an hour later in another zone.
    same_plan = [await harness.person(telegram_id) for telegram_id in (1, 2, 3)]
    london = await harness.person(4, zone="Europe/London")

    queued = await harness.tick_at(utc(3, 4, 8))

    chats = {item.key[0]: item.chat_id for item in queued}
    assert chats == {same_plan[0]: 101, same_plan[1]: 102, same_plan[2]: 103, london: 104}


async def test_ticking_again_queues_nothing_more(harness: Harness) -> None:
    await harness.person()
    await harness.tick_at(utc(3, 4, 7))

    again = await harness.tick_at(utc(3, 4, 7))
    a_minute_later = await harness.tick_at(utc(3, 4, 7, 1))

    assert again == [] and a_minute_later == []
    assert len(harness.enqueued) == 1


async def test_a_reminder_two_hours_late_is_still_sent(harness: Harness) -> None:
    user_id = await harness.person()

    queued = await harness.tick_at(utc(3, 4, 9))

    assert keys(queued) == [(user_id, REMINDER, WEDNESDAY)]
    assert await harness.log() == [(user_id, REMINDER, WEDNESDAY, SendStatus.QUEUED)]


async def test_a_reminder_four_hours_late_is_skipped_until_the_next_day(
    harness: Harness,
) -> None:
    user_id = await harness.person()

    queued = await harness.tick_at(utc(3, 4, 11))

    assert queued == []
    assert await harness.log() == [(user_id, REMINDER, WEDNESDAY, SendStatus.SKIPPED_LATE)]
    assert await harness.due(user_id) == Occurrence(utc(3, 5, 7), day(3, 5))


async def test_back_after_three_days_down_today_s_reminder_still_comes_once(
    harness: Harness,
) -> None:
    # Down from Tuesday to Saturday 10:00 in Berlin: Wednesday's reminder is long overdue,
    # Saturday's 08:00 is two hours ago.
    user_id = await harness.person()

    queued = await harness.tick_at(utc(3, 7, 9))

    assert keys(queued) == [(user_id, REMINDER, day(3, 7))]
    # One skip for the stale reminder; the days in between were never due on their own.
    assert await harness.log() == [
        (user_id, REMINDER, WEDNESDAY, SendStatus.SKIPPED_LATE),
        (user_id, REMINDER, day(3, 7), SendStatus.QUEUED),
    ]
    assert await harness.due(user_id) == Occurrence(utc(3, 8, 7), day(3, 8))


async def test_back_in_the_night_nothing_is_sent_before_the_morning(harness: Harness) -> None:
    user_id = await harness.person()

    at_three_am = await harness.tick_at(utc(3, 7, 2))  # Saturday 03:00 in Berlin
    before_eight = await harness.tick_at(utc(3, 7, 6, 59))
    at_eight = await harness.tick_at(utc(3, 7, 7))

    assert at_three_am == [] and before_eight == []
    assert keys(at_eight) == [(user_id, REMINDER, day(3, 7))]


# ---- done, paused, snoozed


async def test_no_reminder_after_a_session_earlier_that_day(harness: Harness) -> None:
    user_id = await harness.person()
    await harness.finished_session(user_id, at=utc(3, 4, 6))  # 07:00 in Berlin

    queued = await harness.tick_at(utc(3, 4, 7))

    assert await harness.turns(queued) == []
    assert await harness.log() == [(user_id, REMINDER, WEDNESDAY, SendStatus.SKIPPED_DONE)]
    assert await harness.due(user_id) == Occurrence(utc(3, 5, 7), day(3, 5))


@pytest.mark.parametrize(
    ("finished_at", "status", "reminded"),
    [
        pytest.param(utc(3, 3, 22, 30), COMPLETED, True, id="23:30 the evening before"),
        pytest.param(utc(3, 3, 22, 59), COMPLETED, True, id="23:59 the evening before"),
        pytest.param(utc(3, 3, 23), COMPLETED, False, id="at local midnight"),
        pytest.param(utc(3, 3, 23, 30), COMPLETED, False, id="00:30, the day before in UTC"),
        pytest.param(utc(3, 4, 6), PARTIAL, False, id="partial, that morning"),
        pytest.param(utc(3, 4, 6), ABANDONED, True, id="abandoned that morning"),
    ],
)
async def test_the_day_a_session_counts_for_is_the_person_s_local_day(
    harness: Harness, finished_at: datetime, status: SessionStatus, reminded: bool
) -> None:
    user_id = await harness.person()
    await harness.finished_session(user_id, at=finished_at, status=status)

    queued = await harness.tick_at(utc(3, 4, 7))

    sent = await harness.turns(queued)
    assert keys(sent) == ([(user_id, REMINDER, WEDNESDAY)] if reminded else [])


async def test_a_paused_person_gets_nothing_until_the_day_they_come_back(
    harness: Harness,
) -> None:
    user_id = await harness.person()
    await harness.pause(user_id, resume_on=day(3, 6), now=utc(3, 4, 6))

    wednesday = await harness.tick_at(utc(3, 4, 7))
    thursday = await harness.tick_at(utc(3, 5, 7))
    friday = await harness.tick_at(utc(3, 6, 7))

    assert wednesday == [] and thursday == []
    assert keys(friday) == [(user_id, REMINDER, day(3, 6))]
    assert await harness.log() == [(user_id, REMINDER, day(3, 6), SendStatus.QUEUED)]


async def test_a_reminder_already_due_when_the_person_paused_is_dropped(
    harness: Harness,
) -> None:
    # The pause is in the settings, but the due row was not moved (a race, or an older build).
    user_id = await harness.person()
    async with harness.session_factory.begin() as session:
        await users.update_reminder_settings(
            session, user_id=user_id, reminders_paused=True, reminders_resume_on=day(3, 6)
        )

    queued = await harness.tick_at(utc(3, 4, 7))

    assert queued == []
    assert await harness.log() == []
    assert await harness.due(user_id) == Occurrence(utc(3, 6, 7), day(3, 6))


async def test_a_person_who_blocked_the_bot_gets_nothing_more(harness: Harness) -> None:
    user_id = await harness.person()
    async with harness.session_factory.begin() as session:
        await users.change_status(
            session, user_id=user_id, was=UserStatus.ACTIVE, becomes=UserStatus.INACTIVE
        )

    queued = await harness.tick_at(utc(3, 4, 7))

    assert queued == []
    assert await harness.log() == []
    assert await harness.due(user_id) is None


async def test_a_snooze_is_sent_once_and_then_removed(harness: Harness) -> None:
    user_id = await harness.person()
    await harness.tick_at(utc(3, 4, 7))
    async with harness.session_factory.begin() as session:
        await due_messages.schedule_due(
            session, user_id=user_id, kind=SNOOZE, due_at=utc(3, 4, 8), local_date=WEDNESDAY
        )

    snoozed = await harness.tick_at(utc(3, 4, 8))
    later = await harness.tick_at(utc(3, 4, 9))

    assert keys(snoozed) == [(user_id, SNOOZE, WEDNESDAY)] and later == []
    assert await harness.due(user_id, SNOOZE) is None
    assert await harness.due(user_id) == Occurrence(utc(3, 5, 7), day(3, 5))


# ---- crashes and restarts


async def test_a_crash_before_the_batch_commits_leaves_the_reminders_due(
    harness: Harness,
) -> None:
    user_ids = [await harness.person(telegram_id) for telegram_id in (1, 2, 3)]

    with (
        failing_statements(harness.session_factory, "UPDATE due_messages"),
        pytest.raises(RuntimeError, match="crash"),
    ):
        await harness.tick_at(utc(3, 4, 7))
    assert harness.enqueued == []
    assert await harness.log() == []
    assert [await harness.due(user_id) for user_id in user_ids] == 3 * [
        Occurrence(utc(3, 4, 7), WEDNESDAY)
    ]

    after = await harness.tick_at(utc(3, 4, 7, 1))
    assert sorted(keys(after)) == [(user_id, REMINDER, WEDNESDAY) for user_id in user_ids]


async def test_reminders_queued_before_a_crash_are_queued_again_once_on_restart(
    harness: Harness,
) -> None:
    user_ids = [await harness.person(telegram_id) for telegram_id in (1, 2, 3)]

    def crash(_item: Outgoing) -> None:
        raise RuntimeError("crash")

    harness.restart(enqueue=crash)
    with pytest.raises(RuntimeError, match="crash"):
        await harness.tick_at(utc(3, 4, 7))
    harness.restart()
    recovered = await harness.dispatcher.recover_queued()
    ticked = await harness.tick_at(utc(3, 4, 7, 1))

    assert recovered == 3 and ticked == []
    assert sorted(keys(harness.enqueued)) == [
        (user_id, REMINDER, WEDNESDAY) for user_id in user_ids
    ]


async def test_a_backlog_larger_than_a_page_is_queued_again_whole_on_restart(
    harness: Harness,
) -> None:
    user_ids = [await harness.person(telegram_id) for telegram_id in range(1, 6)]
    harness.restart(enqueue=lambda _item: None)  # queued, then the process stops
    await harness.tick_at(utc(3, 4, 7))

    harness.restart()
    recovered = await harness.dispatcher.recover_queued(page_size=2)

    assert recovered == 5
    assert sorted(keys(harness.enqueued)) == [
        (user_id, REMINDER, WEDNESDAY) for user_id in user_ids
    ]


async def test_a_batch_that_fails_to_reach_the_sender_holds_back_no_other(
    services: Services, clock: FakeClock
) -> None:
    harness = Harness(services, clock, batch_size=1)
    user_ids = [await harness.person(telegram_id) for telegram_id in (1, 2, 3, 4)]
    failures: list[Outgoing] = []

    def enqueue(item: Outgoing) -> None:
        if not failures:
            failures.append(item)
            raise RuntimeError("crash")
        harness.enqueued.append(item)

    harness.restart(enqueue=enqueue)
    with pytest.raises(RuntimeError, match="crash"):
        await harness.tick_at(utc(3, 4, 7))

    handed = keys(failures + harness.enqueued)
    assert sorted(handed) == [(user_id, REMINDER, WEDNESDAY) for user_id in user_ids]
    assert len(harness.enqueued) == 3


async def test_a_reminder_already_handed_to_the_sender_is_not_recovered(
    harness: Harness,
) -> None:
    first, second = await harness.person(1), await harness.person(2)
    harness.restart(enqueue=lambda _item: None)  # queued, then the process stops
    await harness.tick_at(utc(3, 4, 7))
    async with harness.session_factory.begin() as session:
        await send_log.settle_queued(
            session, user_id=first, kind=REMINDER, local_date=WEDNESDAY, to=SendStatus.SENDING
        )

    harness.restart()
    await harness.dispatcher.recover_queued()

    assert keys(harness.enqueued) == [(second, REMINDER, WEDNESDAY)]


# ---- daylight saving time


async def test_a_time_skipped_by_spring_forward_is_sent_an_hour_later_that_day(
    harness: Harness,
) -> None:
    # Berlin, Sunday 2026-03-29: clocks jump from 02:00 to 03:00, so 02:30 never shows.
    user_id = await harness.person(at=time(2, 30), set_up_at=utc(3, 28, 12))

    too_early = await harness.tick_at(utc(3, 29, 1, 29))
    at_half_past_three = await harness.tick_at(utc(3, 29, 1, 30))  # 03:30 CEST

    assert too_early == []
    assert at_half_past_three == [
        Outgoing(key=(user_id, REMINDER, day(3, 29)), chat_id=101, due_at=utc(3, 29, 1, 30))
    ]
    # Monday's is 02:30 CEST again.
    assert await harness.due(user_id) == Occurrence(utc(3, 30, 0, 30), day(3, 30))


async def test_a_late_evening_time_pushed_past_midnight_keeps_its_own_day(
    harness: Harness,
) -> None:
    # Nuuk, Saturday 2026-03-28: clocks jump from 23:00 to Sunday 00:00, so 23:30 on Saturday
    # comes at 00:30 on Sunday; it is still Saturday's reminder.
    user_id = await harness.person(at=time(23, 30), zone="America/Nuuk", set_up_at=utc(3, 28, 12))

    queued = await harness.tick_at(utc(3, 29, 1, 30))

    assert keys(queued) == [(user_id, REMINDER, day(3, 28))]
    assert await harness.log() == [(user_id, REMINDER, day(3, 28), SendStatus.QUEUED)]
    assert await harness.due(user_id) == Occurrence(utc(3, 30, 0, 30), day(3, 29))
