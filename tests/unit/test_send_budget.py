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


def _chat_while_bulk_drains(
    ticker: Ticker, *, replies_per_second: float, seconds: int = 12
) -> tuple[float, list[int]]:
    """Replies at random moments, bulk as fast as allowed; every send's call takes 20 ms.

    Returns bulk sends per second after a 2 s start, and each reply's wait for a slot in ms
    (a waiting reply goes before bulk, as in `acquire`).
    """
    budget = SendBudget(30, now=ticker)
    rng = random.Random(1)
    arrivals: list[int] = []
    at = rng.expovariate(replies_per_second) if replies_per_second else seconds
    while at < seconds:
        arrivals.append(int(at * 1000))
        at += rng.expovariate(replies_per_second)
    finishing: list[tuple[float, int | None]] = []
    waiting: list[int] = []
    waits: list[int] = []
    bulk = 0
    for ms in range(seconds * 1000):
        for sent in [sent for sent in finishing if sent[0] <= ticker.now]:
            finishing.remove(sent)
            budget.release(sent[1])
        waiting += [ms] * arrivals.count(ms)
        while waiting and budget.try_acquire(interactive=True):
            waits.append(ms - waiting.pop(0))
            finishing.append((ticker.now + 0.02, None))
        if not waiting and budget.try_acquire(ms):
            finishing.append((ticker.now + 0.02, ms))
            bulk += ms >= 2000
        ticker.advance(0.001)
    assert not waiting
    return bulk / (seconds - 2), waits


def test_with_nobody_chatting_bulk_gets_the_whole_budget(ticker: Ticker) -> None:
    bulk_per_second, _ = _chat_while_bulk_drains(ticker, replies_per_second=0)
    assert bulk_per_second >= 29  # 30 less the rounding of its 33.3 ms spacing to whole ms


def test_a_few_people_chatting_get_slots_at_once_and_leave_bulk_most(ticker: Ticker) -> None:
    bulk_per_second, waits = _chat_while_bulk_drains(ticker, replies_per_second=3)
    assert max(waits) == 0
    assert bulk_per_second >= 24


def test_many_people_chatting_are_never_starved_and_bulk_still_moves(ticker: Ticker) -> None:
    """Benchmark 2's load, 22 replies a second; counting them twice left bulk 2 a second."""
    bulk_per_second, waits = _chat_while_bulk_drains(ticker, replies_per_second=22)
    assert sorted(waits)[len(waits) // 2] == 0
    assert max(waits) < 1000  # a reply takes the next slot to come free, before any bulk send
    assert bulk_per_second >= 5


async def test_bulk_still_moves_while_replies_ask_for_more_than_the_budget() -> None:
    """Twice as many replies as slots, and four bulk senders waiting, as the sender's workers
    do: bulk gets about one slot per gap, not none, and not the priority."""
    gap = 0.1
    budget = SendBudget(5, window=0.1, chat_interval=0.0, max_bulk_gap=gap)

    async def reply() -> None:
        async with budget.slot(None, interactive=True):
            await asyncio.sleep(0.001)

    chatting: list[asyncio.Task[None]] = []
    bulk_sends = 0

    async def drain_bulk(chat_id: int) -> None:
        nonlocal bulk_sends
        while True:
            async with budget.slot(chat_id):
                bulk_sends += 1

    started = time.monotonic()
    draining = [asyncio.create_task(drain_bulk(chat_id)) for chat_id in range(4)]
    for _ in range(80):  # 100 replies a second for 0.8 s; the budget holds 50 a second
        chatting.append(asyncio.create_task(reply()))
        await asyncio.sleep(0.01)
    elapsed = time.monotonic() - started
    for task in [*draining, *chatting]:
        task.cancel()
    await asyncio.gather(*draining, *chatting, return_exceptions=True)

    # About one per gap (8 in 0.8 s); with priority it would take about as many as replies.
    assert 3 <= bulk_sends <= elapsed / gap + 2
