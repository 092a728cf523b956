"""The bulk lane: sends queued reminders through their own Bot, paced by the shared budget."""

import asyncio
import logging
import warnings
from collections import deque
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.warnings import PTBDeprecationWarning

from scheduler.budget import SendBudget
from scheduler.outgoing import Delivery, Key, Outgoing, Rendered
from scheduler.retry import DEFAULT_RETRY, Backoff, Retries, RetryPolicy, Write

# Outgoing, Rendered and Delivery live in scheduler.outgoing; imported from here as well.
__all__ = ["BulkSender", "Delivery", "Outgoing", "Rendered", "retry_after_seconds"]

logger = logging.getLogger(__name__)


def retry_after_seconds(error: RetryAfter) -> float:
    """Return `error.retry_after` in seconds, whichever type PTB hands it back as."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


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
        self._bot = bot
        self._budget = budget
        self._delivery = delivery
        self._max_network_retries = max_network_retries
        self._network_backoff = Backoff(backoff_base, backoff_cap)
        self._retries = Retries(retry, requeue=self._requeue, done=self._forget)
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
                later = await self._send(item)
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

    async def _send(self, item: Outgoing) -> bool:
        """Send one item; True if it is left to `Retries` (to begin again, or to record)."""
        try:
            rendered = await self._delivery.begin(item)
        except Exception as error:  # not claimed, not sent: queue it again in a while
            self._retries.begin_failed(item, error)
            return True
        self._retries.begin_worked(item)
        if rendered is None:
            return False
        attempt = _Attempt()
        try:
            return await self._send_begun(item, rendered, attempt)
        except asyncio.CancelledError:
            # Stopped while waiting (a flood-control pause, a backoff, a slot): Telegram never
            # got it, so it goes back to the queue for the next start instead of being lost.
            if not attempt.maybe_delivered:
                release = partial(self._delivery.release, item)
                await asyncio.shield(self._record(item, "release", release))
            raise

    async def _send_begun(self, item: Outgoing, rendered: Rendered, attempt: "_Attempt") -> bool:
        """Send until Telegram settles it, then record how (never sending it again for that)."""
        failures = 0
        while True:
            try:
                async with self._budget.slot(item.chat_id):
                    attempt.calling = True
                    message = await self._post(item.chat_id, rendered)
            except RetryAfter as error:
                attempt.calling = False
                seconds = retry_after_seconds(error)
                logger.warning("Flood control: bulk paused %.1f s (user %s)", seconds, item.key[0])
                self._budget.hold_bulk(seconds)
                continue
            except Forbidden:
                logger.info("User %s blocked the bot", item.key[0])
                return await self._record(item, "blocked", partial(self._delivery.blocked, item))
            except NetworkError as error:
                attempt.calling = False
                # A timeout may come after Telegram took the message.
                attempt.timed_out |= isinstance(error, TimedOut)
                # BadRequest is a NetworkError too, but sending it again cannot help.
                if isinstance(error, BadRequest) or failures >= self._max_network_retries:
                    return await self._give_up(item, error)
                failures += 1
                delay = self._network_backoff.delay(failures)
                logger.warning(
                    "%s sending to user %s; retry %d in %.1f s",
                    type(error).__name__, item.key[0], failures, delay,
                )  # fmt: skip
                await asyncio.sleep(delay)
                continue
            except TelegramError as error:
                return await self._give_up(item, error)
            delivered = partial(self._delivery.delivered, item, message.message_id)
            return await self._record(item, "delivered", delivered)

    async def _post(self, chat_id: int, rendered: Rendered) -> Message:
        if rendered.photo is not None:
            return await self._bot.send_photo(
                chat_id,
                rendered.photo,
                caption=rendered.text,
                parse_mode=ParseMode.HTML,
                reply_markup=rendered.reply_markup,
            )
        return await self._bot.send_message(
            chat_id, rendered.text, parse_mode=ParseMode.HTML, reply_markup=rendered.reply_markup
        )

    async def _give_up(self, item: Outgoing, error: TelegramError) -> bool:
        logger.warning("%s sending to user %s; giving up", type(error).__name__, item.key[0])
        failed = partial(self._delivery.failed, item, type(error).__name__)
        return await self._record(item, "failed", failed)

    async def _record(self, item: Outgoing, what: str, write: Write) -> bool:
        """Write how a send ended (its budget slot is free by now); True if that failed and is
        retried in the background. Never by sending it again."""
        return await self._retries.record(item, what, write)


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


@dataclass(slots=True)
class _Attempt:
    """Whether Telegram may already have a begun message (so it must not be queued again)."""

    calling: bool = False
    timed_out: bool = False

    @property
    def maybe_delivered(self) -> bool:
        return self.calling or self.timed_out
