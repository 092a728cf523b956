"""The bulk lane: sends queued reminders through their own Bot, paced by the shared budget."""

import asyncio
import logging
from collections import deque
from contextlib import suppress
from datetime import datetime

from telegram import Bot

from scheduler.budget import SendBudget
from scheduler.outgoing import Delivery, Key, Outgoing, Rendered
from scheduler.retry import DEFAULT_RETRY, Backoff, Retries, RetryPolicy
from scheduler.send_one import OneSend

# Outgoing, Rendered and Delivery live in scheduler.outgoing; imported from here as well.
__all__ = ["BulkSender", "Delivery", "Outgoing", "Rendered"]

logger = logging.getLogger(__name__)


class BulkSender:
    """Sends queued items FIFO with several workers; a chat sent to < 1 s ago waits its turn."""

    def __init__(
        self,
        bot: Bot,
        budget: SendBudget,
        delivery: Delivery,
        *,
        max_network_retries: int = 5,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        retry: RetryPolicy = DEFAULT_RETRY,
        concurrency: int = 16,
        stop_timeout: float = 5.0,
    ) -> None:
        self._budget = budget
        self._retries = Retries(retry, requeue=self._requeue, done=self._forget)
        self._one_send = OneSend(
            bot,
            budget,
            delivery,
            self._retries,
            max_network_retries=max_network_retries,
            network_backoff=Backoff(backoff_base, backoff_cap),
        )
        self._concurrency = concurrency
        self._stop_timeout = stop_timeout
        # Plain tuples, not Outgoing objects: the garbage collector stops tracking a tuple of
        # plain values after its first look, and a hot minute queues 100,000 of them, which
        # every full collection would otherwise walk.
        self._queue: deque[_Queued] = deque()
        self._keys: set[Key] = set()
        self._busy_chats: set[int] = set()
        self._wakeup = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._workers: list[asyncio.Task[None]] = []
        self._stopping = False

    def put(self, item: Outgoing) -> bool:
        """Queue `item`; False if one with the same key is pending, or the sender stopped."""
        if self._stopping or item.key in self._keys:
            return False
        self._keys.add(item.key)
        self._queue.append(_queued(item))
        self._idle.clear()
        self._notify()
        return True

    @property
    def pending(self) -> int:
        """Return how many items are queued, being sent, or waiting to be tried again."""
        return len(self._keys)

    async def start(self) -> None:
        """Start the workers."""
        if not self._workers:
            self._workers = [asyncio.create_task(self._work()) for _ in range(self._concurrency)]

    async def stop(self) -> None:
        """Begin nothing more; let begun items finish, then their outcomes be written (each up to
        `stop_timeout`); drop the rest, which the log keeps queued for the next start."""
        self._stopping = True
        self._notify()
        dropped = [*self._retries.stop_waiting(), *(key for key, _, _ in self._queue)]
        self._queue.clear()
        await _finish_or_cancel(self._workers, self._stop_timeout, "sends begun, not finished")
        self._workers = []
        # Only now: a worker stopped mid-send may just have handed its release over.
        await _finish_or_cancel(self._retries.writes, self._stop_timeout, "outcomes unrecorded")
        for key in dropped:
            self._forget(key)

    async def wait_idle(self) -> None:
        """Wait until nothing is queued, being sent, or waiting to be tried again."""
        await self._idle.wait()

    def _notify(self) -> None:
        # Setting an Event already set costs next to nothing: a hot minute's 100,000 puts
        # between two takes make no new Events (`_take` replaces a set one before waiting).
        self._wakeup.set()

    def _requeue(self, item: Outgoing) -> None:
        self._queue.appendleft(_queued(item))  # it fell due before what was queued meanwhile
        self._notify()

    def _forget(self, key: Key) -> None:
        self._keys.discard(key)
        if not self._keys:
            self._idle.set()

    async def _work(self) -> None:
        while (item := await self._take()) is not None:
            later = False
            try:
                later = await self._one_send.send(item)
            except Exception as error:  # the lane must outlive any one item
                logger.warning("%s sending to user %s", type(error).__name__, item.key[0])
            finally:
                self._busy_chats.discard(item.chat_id)
                if not later:
                    self._forget(item.key)
                self._notify()

    async def _take(self) -> Outgoing | None:
        """Wait for the oldest item whose chat may be sent to now, and mark its chat busy."""
        while not self._stopping:
            if self._wakeup.is_set():
                self._wakeup = asyncio.Event()
            wakeup = self._wakeup
            delay: float | None = self._budget.bulk_paused_for()
            if not delay:
                item, delay = self._pick()
                if item is not None:
                    self._busy_chats.add(item.chat_id)
                    return item
            with suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await wakeup.wait()
        return None

    def _pick(self) -> tuple[Outgoing | None, float | None]:
        soonest: float | None = None
        for index, (key, chat_id, due_at) in enumerate(self._queue):
            if chat_id in self._busy_chats:
                continue
            ready_in = self._budget.chat_ready_in(chat_id)
            if ready_in <= 0:
                del self._queue[index]
                return Outgoing(key, chat_id, due_at), None
            soonest = ready_in if soonest is None else min(soonest, ready_in)
        return None, soonest


async def _finish_or_cancel(tasks: list[asyncio.Task[None]], seconds: float, what: str) -> None:
    if tasks:
        _, late = await asyncio.wait(tasks, timeout=seconds)
        for task in late:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if late:
            logger.warning("Stopped with %d %s", len(late), what)


_Queued = tuple[Key, int, datetime]


def _queued(item: Outgoing) -> _Queued:
    return (item.key, item.chat_id, item.due_at)
