"""The bulk lane and the interactive limiter against the fake Bot API with flood limits on."""

import asyncio
import dataclasses
import logging
import ssl
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from telegram import Bot
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.db.enums import MessageKind, SendStatus
from bot.db.queries import send_log, users
from bot.delivery import ReminderDelivery
from bot.emulator import FakeBotApi, RateLimits
from bot.flows.schedule import reschedule_reminder
from bot.services import Services
from scheduler.budget import SendBudget
from scheduler.dispatch import Dispatcher
from scheduler.interactive_limiter import InteractiveLimiter
from scheduler.retry import Backoff, RetryPolicy
from scheduler.sender import BulkSender, Delivery, Outgoing, Rendered
from tests.conftest import FakeClock

pytestmark = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)

TOKEN = "123456:TEST"
SSL_CONTEXT = ssl.create_default_context()
TODAY = date(2026, 3, 4)
Key = tuple[int, str, date]
MakeSender = Callable[..., BulkSender]
FAST_RETRY = RetryPolicy(begin=Backoff(0.01, 0.05), write=Backoff(0.01, 0.05))


def outgoing(user_id: int, kind: str = "daily_reminder") -> Outgoing:
    return Outgoing((user_id, kind, TODAY), user_id, datetime(2026, 3, 4, 9, tzinfo=UTC))


def http() -> HTTPXRequest:
    return HTTPXRequest(connection_pool_size=32, httpx_kwargs={"verify": SSL_CONTEXT})


@dataclass
class RecordingDelivery:
    """An in-memory Delivery that records every call; `texts` overrides what a user is sent."""

    texts: dict[int, str] = field(default_factory=dict)
    broken: set[int] = field(default_factory=set)
    begun: list[Key] = field(default_factory=list)
    sent: dict[Key, int] = field(default_factory=dict)
    blocked_keys: list[Key] = field(default_factory=list)
    failures: list[tuple[Key, str]] = field(default_factory=list)
    released: list[Key] = field(default_factory=list)
    progress: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def wait_for_sent(self, count: int) -> None:
        async with self.progress:
            await self.progress.wait_for(lambda: len(self.sent) >= count)

    async def begin(self, item: Outgoing) -> Rendered | None:
        self.begun.append(item.key)
        if item.key[0] in self.broken:
            raise RuntimeError("database is down")
        return Rendered(self.texts.get(item.key[0], f"<b>Time to move</b> ({item.key[1]})"), None)

    async def delivered(self, item: Outgoing, message_id: int) -> None:
        self.sent[item.key] = message_id
        async with self.progress:
            self.progress.notify_all()

    async def blocked(self, item: Outgoing) -> None:
        self.blocked_keys.append(item.key)

    async def failed(self, item: Outgoing, reason: str) -> None:
        self.failures.append((item.key, reason))

    async def release(self, item: Outgoing) -> None:
        self.released.append(item.key)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    limits = RateLimits(per_bot=30, per_chat=3)
    async with FakeBotApi(TOKEN, enforce_limits=True, limits=limits) as server:
        yield server


@pytest.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=api.base_url, request=http()) as client:
        yield client


@pytest.fixture
def delivery() -> RecordingDelivery:
    return RecordingDelivery()


@pytest.fixture
async def make_sender(bot: Bot, delivery: RecordingDelivery) -> AsyncIterator[MakeSender]:
    """Build a BulkSender (fast backoffs; `delivery` unless given); stopped after the test."""
    senders: list[BulkSender] = []

    def make(
        budget: SendBudget | None = None, *, to: Delivery | None = None, **options: Any
    ) -> BulkSender:
        options.setdefault("backoff_base", 0.01)
        options.setdefault("retry", FAST_RETRY)
        sender = BulkSender(bot, budget or SendBudget(), to or delivery, **options)
        senders.append(sender)
        return sender

    yield make
    for sender in senders:
        await sender.stop()


async def until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    """Poll what a Delivery recorded until `condition` holds."""
    for _ in range(int(seconds * 100)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition never held")


async def send_all(sender: BulkSender, items: list[Outgoing], timeout: float = 15.0) -> float:  # noqa: ASYNC109
    """Queue `items`, run the lane until idle, and return the seconds it took."""
    for item in items:
        assert sender.put(item)
    started = time.monotonic()
    await sender.start()
    await asyncio.wait_for(sender.wait_idle(), timeout)
    return time.monotonic() - started


async def test_a_backlog_goes_out_once_each_at_the_flood_limit(
    api: FakeBotApi, make_sender: MakeSender, delivery: RecordingDelivery
) -> None:
    users = [api.user(user_id) for user_id in range(1, 151)]
    await send_all(make_sender(), [outgoing(user.user_id) for user in users])
    assert [len(user.messages) for user in users] == [1] * 150
    assert len(delivery.sent) == 150 and not delivery.failures
    assert api.stats.too_many_requests == 0
    assert api.stats.max_in_window(1.0) <= 30
    times = api.stats.send_times
    assert (len(times) - 1) / (times[-1] - times[0]) >= 25


async def test_two_reminders_to_one_chat_go_a_second_apart_in_order(
    api: FakeBotApi, make_sender: MakeSender
) -> None:
    user = api.user(1)
    await send_all(make_sender(), [outgoing(1, "daily_reminder"), outgoing(1, "snooze")])
    first, second = api.stats.chat_send_times[1]
    assert second - first >= 1.0
    assert [message["text"] for message in user.messages] == [
        "Time to move (daily_reminder)",
        "Time to move (snooze)",
    ]


async def test_a_chat_that_must_wait_does_not_hold_up_other_chats(
    api: FakeBotApi, make_sender: MakeSender
) -> None:
    api.user(1), api.user(2)
    await send_all(make_sender(), [outgoing(1), outgoing(1, "snooze"), outgoing(2)])
    assert api.stats.chat_send_times[2][0] < api.stats.chat_send_times[1][1]


async def test_flood_control_pauses_the_lane_and_resends_the_same_message(
    api: FakeBotApi, make_sender: MakeSender, delivery: RecordingDelivery
) -> None:
    users = [api.user(user_id) for user_id in range(1, 6)]
    api.fail_next("sendMessage", 429, retry_after=1)
    elapsed = await send_all(make_sender(), [outgoing(user.user_id) for user in users])
    assert [len(user.messages) for user in users] == [1] * 5
    assert Counter(delivery.begun) == Counter(outgoing(user.user_id).key for user in users)
    assert api.stats.too_many_requests == 1 and len(delivery.sent) == 5
    assert elapsed >= 1.0


@pytest.mark.parametrize("how", ["blocked", "injected 403"])
async def test_a_person_who_blocked_the_bot_is_reported_and_sent_nothing(
    api: FakeBotApi, make_sender: MakeSender, delivery: RecordingDelivery, how: str
) -> None:
    users = [api.user(user_id) for user_id in range(1, 4)]
    if how == "blocked":
        api.block_bot(2)
    else:
        api.fail_next("sendMessage", 403, description="Forbidden: bot was blocked by the user")
    items = [outgoing(2), outgoing(1), outgoing(3)]
    await send_all(make_sender(), items)
    assert delivery.blocked_keys == [outgoing(2).key]
    assert [len(user.messages) for user in users] == [1, 0, 1]
    assert not delivery.failures


@pytest.mark.parametrize(
    "failure", [{"drop_connection": True}, {"error_code": 502}], ids=["dropped", "502"]
)
async def test_a_network_failure_is_retried_and_delivered_once(
    api: FakeBotApi, make_sender: MakeSender, delivery: RecordingDelivery, failure: dict[str, Any]
) -> None:
    user = api.user(1)
    api.fail_next("sendMessage", **failure)
    await send_all(make_sender(), [outgoing(1)])
    assert len(user.messages) == 1 and list(delivery.sent) == [outgoing(1).key]
    assert [method for method, _ in api.calls].count("sendMessage") == 2


async def test_network_failures_give_up_after_the_last_retry(
    api: FakeBotApi, make_sender: MakeSender, delivery: RecordingDelivery
) -> None:
    user = api.user(1)
    api.fail_next("sendMessage", 502, count=3)
    await send_all(make_sender(max_network_retries=2), [outgoing(1)])
    assert delivery.failures == [(outgoing(1).key, "NetworkError")]
    assert user.messages == [] and not delivery.sent


async def test_a_bad_request_fails_without_a_retry(
    api: FakeBotApi, make_sender: MakeSender, delivery: RecordingDelivery
) -> None:
    api.user(1)
    delivery.texts[1] = "Hold for <5 seconds"
    await send_all(make_sender(), [outgoing(1)])
    assert delivery.failures == [(outgoing(1).key, "BadRequest")]
    assert [method for method, _ in api.calls].count("sendMessage") == 1


async def test_logs_name_the_user_but_never_the_text(
    api: FakeBotApi,
    make_sender: MakeSender,
    delivery: RecordingDelivery,
    caplog: pytest.LogCaptureFixture,
) -> None:
    api.user(77)
    delivery.texts[77] = "Your pain was <7/10 yesterday"
    caplog.set_level(logging.DEBUG, logger="scheduler")
    await send_all(make_sender(), [outgoing(77)])
    logged = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("scheduler"))
    assert "BadRequest" in logged and "77" in logged
    assert "pain" not in logged and TOKEN not in logged


async def test_an_item_whose_claim_keeps_failing_is_retried_without_holding_up_the_lane(
    api: FakeBotApi, make_sender: MakeSender, delivery: RecordingDelivery
) -> None:
    user = api.user(1)
    api.user(2)
    delivery.broken.add(1)
    sender = make_sender()
    sender.put(outgoing(1)), sender.put(outgoing(2))
    await sender.start()
    await asyncio.wait_for(delivery.wait_for_sent(1), 5)
    await until(lambda: delivery.begun.count(outgoing(1).key) >= 3)
    assert list(delivery.sent) == [outgoing(2).key]
    assert user.messages == [] and sender.pending == 1


async def test_a_stop_drops_items_waiting_to_be_claimed_again_at_once(
    api: FakeBotApi, make_sender: MakeSender, delivery: RecordingDelivery
) -> None:
    api.user(1)
    delivery.broken.add(1)
    sender = make_sender(retry=RetryPolicy(begin=Backoff(30, 60)))
    sender.put(outgoing(1))
    await sender.start()
    await until(lambda: bool(delivery.begun))
    started = time.monotonic()
    await sender.stop()
    assert time.monotonic() - started < 0.5
    assert delivery.begun == [outgoing(1).key] and sender.pending == 0


async def test_a_key_already_pending_is_not_queued_twice(
    api: FakeBotApi, make_sender: MakeSender
) -> None:
    user = api.user(1)
    sender = make_sender()
    assert sender.put(outgoing(1))
    assert not sender.put(outgoing(1))
    assert sender.pending == 1
    await send_all(sender, [])
    assert len(user.messages) == 1 and sender.pending == 0


async def test_stop_finishes_what_began_and_begins_nothing_more(
    api: FakeBotApi, make_sender: MakeSender, delivery: RecordingDelivery
) -> None:
    users = [api.user(user_id) for user_id in range(1, 61)]
    sender = make_sender()
    for user in users:
        sender.put(outgoing(user.user_id))
    await sender.start()
    await delivery.wait_for_sent(5)
    started = time.monotonic()
    await sender.stop()
    assert time.monotonic() - started < 1.0
    assert set(delivery.begun) == set(delivery.sent)
    assert len(delivery.begun) < 60 and sender.pending == 0
    assert sum(len(user.messages) for user in users) == len(delivery.sent)


async def test_a_stop_during_flood_control_puts_the_message_back_unsent(
    api: FakeBotApi, make_sender: MakeSender, delivery: RecordingDelivery
) -> None:
    user = api.user(1)
    api.fail_next("sendMessage", 429, retry_after=30)
    sender = make_sender(stop_timeout=0.2)
    sender.put(outgoing(user.user_id))
    await sender.start()
    for _ in range(100):  # until the 429 has been answered and the lane is holding
        if any(method.lower() == "sendmessage" for method, _ in api.calls):
            break
        await asyncio.sleep(0.01)

    await sender.stop()

    assert delivery.released == [outgoing(user.user_id).key]
    assert delivery.sent == {} and user.messages == []


class FlakyDelivery:
    """The real `ReminderDelivery` on a real database, except that the named calls first raise
    (`count` times each) as a busy or lost database does, without touching it."""

    def __init__(self, real: Delivery, **failing: int) -> None:
        self.real = real
        self.failing = Counter(failing)
        self.calls: Counter[str] = Counter()

    def _call(self, name: str) -> None:
        self.calls[name] += 1
        if self.failing[name] > 0:
            self.failing[name] -= 1
            raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))

    async def begin(self, item: Outgoing) -> Rendered | None:
        self._call("begin")
        return await self.real.begin(item)

    async def delivered(self, item: Outgoing, message_id: int) -> None:
        self._call("delivered")
        await self.real.delivered(item, message_id)

    async def blocked(self, item: Outgoing) -> None:
        self._call("blocked")
        await self.real.blocked(item)

    async def failed(self, item: Outgoing, reason: str) -> None:
        self._call("failed")
        await self.real.failed(item, reason)

    async def release(self, item: Outgoing) -> None:
        self._call("release")
        await self.real.release(item)


GRACE = timedelta(hours=3)
SET_UP_AT = datetime(2026, 3, 3, 12, tzinfo=UTC)
BERLIN_8AM = datetime(2026, 3, 4, 7, tzinfo=UTC)


def flaky(services: Services, **failing: int) -> FlakyDelivery:
    return FlakyDelivery(ReminderDelivery(services, grace=GRACE), **failing)


async def reminder_due(services: Services, telegram_id: int) -> None:
    """A person whose 08:00 (Berlin) reminder is due now, claimed and queued in the send log."""
    async with services.session_factory.begin() as session:
        user = await users.ensure_user(
            session, telegram_id=telegram_id, chat_id=telegram_id, now=SET_UP_AT
        )
        await users.set_reminder_time(session, user_id=user.id, reminder_time=dt_time(8))
        await users.activate_user(session, user_id=user.id, time_zone="Europe/Berlin")
        person = await users.get_user_by_id(session, user_id=user.id)
        await reschedule_reminder(session, user_id=user.id, person=person, now=SET_UP_AT)
    assert isinstance(services.clock, FakeClock)
    services.clock.now = BERLIN_8AM


def dispatcher(services: Services, sender: BulkSender) -> Dispatcher:
    return Dispatcher(
        services.session_factory,
        clock=services.clock,
        grace=GRACE,
        batch_size=10,
        enqueue=sender.put,
        summary_at=services.content.plan.weekly_summary_at,
    )


async def logged(services: Services) -> dict[SendStatus, int]:
    async with services.session_factory() as session:
        return await send_log.count_by_status(session, kind=MessageKind.DAILY_REMINDER)


def send_calls(api: FakeBotApi) -> int:
    return [method.lower() for method, _ in api.calls].count("sendmessage")


async def test_a_claim_that_fails_is_tried_again_and_the_reminder_sent_once(
    api: FakeBotApi, make_sender: MakeSender, services: Services
) -> None:
    person = api.user(7)
    await reminder_due(services, 7)
    delivery = flaky(services, begin=2)
    sender = make_sender(to=delivery)
    await sender.start()
    assert (await dispatcher(services, sender).tick()).queued == 1
    await asyncio.wait_for(sender.wait_idle(), 10)
    assert len(person.messages) == 1 and send_calls(api) == 1
    assert delivery.calls == {"begin": 3, "delivered": 1}
    assert await logged(services) == {SendStatus.SENT: 1}


async def test_an_outcome_write_that_fails_is_retried_without_sending_again(
    api: FakeBotApi, make_sender: MakeSender, services: Services
) -> None:
    person = api.user(7)
    await reminder_due(services, 7)
    delivery = flaky(services, delivered=1)
    sender = make_sender(to=delivery)
    await sender.start()
    await dispatcher(services, sender).tick()
    await asyncio.wait_for(sender.wait_idle(), 10)
    assert len(person.messages) == 1 and send_calls(api) == 1
    assert delivery.calls == {"begin": 1, "delivered": 2}
    assert await logged(services) == {SendStatus.SENT: 1}


async def test_an_outcome_write_that_keeps_failing_is_given_up_and_never_resent(
    api: FakeBotApi,
    make_sender: MakeSender,
    services: Services,
    caplog: pytest.LogCaptureFixture,
) -> None:
    person = api.user(7)
    await reminder_due(services, 7)
    delivery = flaky(services, delivered=10)
    sender = make_sender(to=delivery, retry=dataclasses.replace(FAST_RETRY, write_retries=2))
    caplog.set_level(logging.WARNING, logger="scheduler")
    await sender.start()
    await dispatcher(services, sender).tick()
    await asyncio.wait_for(sender.wait_idle(), 10)
    assert len(person.messages) == 1 and send_calls(api) == 1
    assert delivery.calls == {"begin": 1, "delivered": 3}
    assert await logged(services) == {SendStatus.SENDING: 1}  # "maybe sent": never resent
    logged_text = " ".join(r.getMessage() for r in caplog.records)
    assert "gave up" in logged_text and person.messages[0]["text"] not in logged_text


async def test_a_claim_waiting_to_be_retried_at_stop_is_sent_after_the_next_start(
    api: FakeBotApi, make_sender: MakeSender, services: Services
) -> None:
    person = api.user(7)
    await reminder_due(services, 7)
    delivery = flaky(services, begin=1)
    sender = make_sender(to=delivery, retry=RetryPolicy(begin=Backoff(30, 60)))
    await sender.start()
    await dispatcher(services, sender).tick()
    await until(lambda: delivery.calls["begin"] == 1)
    await sender.stop()
    assert person.messages == [] and await logged(services) == {SendStatus.QUEUED: 1}

    restarted = make_sender(to=ReminderDelivery(services, grace=GRACE))
    await restarted.start()
    assert await dispatcher(services, restarted).recover_queued() == 1
    await asyncio.wait_for(restarted.wait_idle(), 10)
    assert len(person.messages) == 1 and send_calls(api) == 1
    assert await logged(services) == {SendStatus.SENT: 1}


@pytest.fixture
def budget() -> SendBudget:
    return SendBudget()


@pytest.fixture
async def replies(api: FakeBotApi, budget: SendBudget) -> AsyncIterator[ExtBot[int]]:
    """The Application's own bot: its counted sends go through the InteractiveLimiter."""
    limiter = InteractiveLimiter(budget)
    async with ExtBot(TOKEN, base_url=api.base_url, request=http(), rate_limiter=limiter) as bot:
        yield bot


async def test_a_reply_does_not_wait_behind_the_backlog(
    api: FakeBotApi,
    make_sender: MakeSender,
    delivery: RecordingDelivery,
    budget: SendBudget,
    replies: ExtBot[int],
) -> None:
    users = [api.user(user_id) for user_id in range(1, 91)]
    person = api.user(999)
    sender = make_sender(budget)
    for user in users:
        sender.put(outgoing(user.user_id))
    await sender.start()
    await delivery.wait_for_sent(40)
    started = time.monotonic()
    await replies.send_message(person.user_id, "Well done")
    waited = time.monotonic() - started
    await asyncio.wait_for(sender.wait_idle(), 10)
    assert waited < 0.3 and sender.pending == 0
    assert person.last_message["text"] == "Well done"
    assert api.stats.too_many_requests == 0 and api.stats.max_in_window(1.0) <= 30


async def test_a_reply_hit_by_flood_control_is_sent_after_retry_after(
    api: FakeBotApi, budget: SendBudget, replies: ExtBot[int]
) -> None:
    person = api.user(42)
    api.fail_next("sendMessage", 429, retry_after=1)
    started = time.monotonic()
    await replies.send_message(person.user_id, "Well done")
    assert time.monotonic() - started >= 1.0
    assert [message["text"] for message in person.messages] == ["Well done"]


async def test_edits_and_answers_never_wait_for_the_budget(
    api: FakeBotApi, budget: SendBudget, replies: ExtBot[int]
) -> None:
    person = api.user(42)
    sent = await replies.send_message(person.user_id, "Step 1")
    for _ in range(budget.per_second):
        await budget.acquire(interactive=True)
    await asyncio.wait_for(replies.edit_message_text("Step 2", 42, sent.message_id), 0.5)
    await asyncio.wait_for(replies.send_chat_action(42, "typing"), 0.5)
    assert person.last_message["text"] == "Step 2"
