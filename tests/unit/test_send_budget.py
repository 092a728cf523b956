"""SendBudget: the sliding-window slots, the bulk lane's pacing, and interactive priority."""

import asyncio
import random
import time

import pytest

from scheduler.budget import SendBudget


class Ticker:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def ticker() -> Ticker:
    return Ticker()


def test_per_second_sends_may_start_at_once(ticker: Ticker) -> None:
    budget = SendBudget(3, now=ticker)
    assert [budget.try_acquire(interactive=True) for _ in range(4)] == [True, True, True, False]


def test_a_send_in_flight_keeps_its_slot_however_long_it_takes(ticker: Ticker) -> None:
    budget = SendBudget(1, now=ticker)
    assert budget.try_acquire(interactive=True)
    ticker.advance(60)
    assert not budget.try_acquire(interactive=True)


def test_a_finished_send_keeps_its_slot_for_one_window_after_finishing(ticker: Ticker) -> None:
    budget = SendBudget(1, now=ticker)
    assert budget.try_acquire(interactive=True)
    ticker.advance(0.3)
    budget.release()
    ticker.advance(0.99)
    assert not budget.try_acquire(interactive=True)
    ticker.advance(0.01)
    assert budget.try_acquire(interactive=True)


def test_bulk_sends_are_spread_evenly_over_the_window(ticker: Ticker) -> None:
    budget = SendBudget(10, now=ticker)
    assert budget.try_acquire(1)
    assert not budget.try_acquire(2)
    ticker.advance(0.1)
    assert budget.try_acquire(2)


def test_bulk_waits_while_a_send_to_the_chat_is_in_flight(ticker: Ticker) -> None:
    budget = SendBudget(30, now=ticker)
    assert budget.try_acquire(7, interactive=True)
    ticker.advance(5.0)
    assert not budget.try_acquire(7)
    assert budget.try_acquire(8)


def test_bulk_waits_a_chat_interval_after_the_last_send_to_the_chat_finished(
    ticker: Ticker,
) -> None:
    budget = SendBudget(30, now=ticker)
    assert budget.try_acquire(7, interactive=True)
    ticker.advance(0.5)
    budget.release(7)
    assert budget.chat_ready_in(7) == pytest.approx(1.0)
    ticker.advance(0.99)
    assert not budget.try_acquire(7)
    ticker.advance(0.01)
    assert budget.chat_ready_in(7) == 0
    assert budget.try_acquire(7)


def test_interactive_sends_ignore_chat_interval_and_pacing(ticker: Ticker) -> None:
    budget = SendBudget(30, now=ticker)
    assert budget.try_acquire(7)
    assert budget.try_acquire(7, interactive=True)
    assert budget.try_acquire(7, interactive=True)


def test_a_flood_hold_stops_bulk_sends_only(ticker: Ticker) -> None:
    budget = SendBudget(30, now=ticker)
    budget.hold_bulk(2.0)
    assert budget.bulk_paused_for() == pytest.approx(2.0)
    assert not budget.try_acquire(1)
    assert budget.try_acquire(1, interactive=True)
    ticker.advance(2.0)
    assert budget.bulk_paused_for() == 0
    assert budget.try_acquire(2)


def test_release_without_a_matching_slot_is_an_error(ticker: Ticker) -> None:
    budget = SendBudget(now=ticker)
    with pytest.raises(RuntimeError):
        budget.release()
    assert budget.try_acquire(7)
    with pytest.raises(RuntimeError):
        budget.release(8)


async def test_a_waiting_reply_gets_the_next_slot_before_waiting_bulk() -> None:
    budget = SendBudget(1, window=0.05)
    order: list[str] = []

    async def send(name: str, *, interactive: bool) -> None:
        async with budget.slot(interactive=interactive):
            order.append(name)

    await budget.acquire(interactive=True)
    bulk = asyncio.create_task(send("bulk", interactive=False))
    await asyncio.sleep(0)
    reply = asyncio.create_task(send("reply", interactive=True))
    await asyncio.sleep(0)
    budget.release()
    await asyncio.wait_for(asyncio.gather(bulk, reply), timeout=1.0)
    assert order == ["reply", "bulk"]


async def test_a_waiter_wakes_when_the_window_passes() -> None:
    budget = SendBudget(1, window=0.1)
    async with budget.slot():
        pass
    started = time.monotonic()
    await asyncio.wait_for(budget.acquire(), timeout=1.0)
    assert 0.08 <= time.monotonic() - started < 0.5


async def test_a_cancelled_waiter_leaves_the_slot_to_the_next() -> None:
    budget = SendBudget(1, window=0.05)
    await budget.acquire()
    gone = asyncio.create_task(budget.acquire())
    await asyncio.sleep(0)
    gone.cancel()
    budget.release()
    await asyncio.wait_for(budget.acquire(), timeout=1.0)
    assert gone.cancelled()


async def test_no_window_ever_sees_more_than_per_second_arrivals() -> None:
    """Simulate a server that sees each send at a random moment between its start and finish."""
    budget = SendBudget(5, window=0.1, chat_interval=0.05)
    rng, arrivals = random.Random(7), list[float]()

    async def send(chat_id: int) -> None:
        async with budget.slot(chat_id % 4, interactive=chat_id % 3 == 0):
            started = time.monotonic()
            await asyncio.sleep(rng.uniform(0, 0.02))
            arrivals.append(rng.uniform(started, time.monotonic()))

    await asyncio.wait_for(asyncio.gather(*(send(n) for n in range(40))), timeout=5.0)
    arrivals.sort()
    most = max(sum(1 for t in arrivals if start <= t < start + 0.1) for start in arrivals)
    assert most <= 5


def test_while_people_are_chatting_bulk_leaves_slots_free_for_replies(ticker: Ticker) -> None:
    budget = SendBudget(30, now=ticker)
    assert budget.try_acquire(interactive=True)  # a reply: bulk now keeps 2 slots free
    bulk = 0
    for chat_id in range(1, 100):
        ticker.advance(0.034)
        if ticker.now >= 100.95:
            break
        bulk += budget.try_acquire(chat_id)
    assert bulk == 27
    assert budget.try_acquire(interactive=True)  # the next reply finds a slot at once
