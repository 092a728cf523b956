"""The bulk lane: sends queued reminders through their own Bot, paced by the shared budget."""

import asyncio
import logging
import random
import warnings
from collections import deque
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from telegram import Bot, InlineKeyboardMarkup
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

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One reminder to send; `key` is (user_id, kind, local_date), the idempotency key."""

    key: tuple[int, str, date]
    chat_id: int
    due_at: datetime


@dataclass(frozen=True, slots=True)
class Rendered:
    """The words (HTML) and buttons of a claimed reminder."""

    text: str
    reply_markup: InlineKeyboardMarkup | None


class Delivery(Protocol):
    """The bot's side: claim and word a reminder, then record how its send ended."""

    async def begin(self, item: Outgoing) -> Rendered | None: ...
    async def delivered(self, item: Outgoing, message_id: int) -> None: ...
    async def blocked(self, item: Outgoing) -> None: ...
    async def failed(self, item: Outgoing, reason: str) -> None: ...
    async def release(self, item: Outgoing) -> None: ...  # begun but surely not sent: requeue


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
        concurrency: int = 16,
        stop_timeout: float = 5.0,
    ) -> None:
        self._bot = bot
        self._budget = budget
        self._delivery = delivery
        self._max_network_retries = max_network_retries
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._concurrency = concurrency
        self._stop_timeout = stop_timeout
        self._queue: deque[Outgoing] = deque()
        self._keys: set[tuple[int, str, date]] = set()
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
        self._queue.append(item)
        self._idle.clear()
        self._notify()
        return True

    @property
    def pending(self) -> int:
        """Return how many items are queued or being sent."""
        return len(self._keys)

    async def start(self) -> None:
        """Start the workers."""
        if not self._workers:
            self._workers = [asyncio.create_task(self._work()) for _ in range(self._concurrency)]

    async def stop(self) -> None:
        """Begin nothing more, let begun items finish (up to `stop_timeout`), drop the queue."""
        self._stopping = True
        self._notify()
        if self._workers:
            _, late = await asyncio.wait(self._workers, timeout=self._stop_timeout)
            for task in late:
                task.cancel()
            await asyncio.gather(*self._workers, return_exceptions=True)
            if late:
                logger.warning("Stopped %d sends that were begun but not finished", len(late))
        self._workers = []
        self._keys.difference_update(item.key for item in self._queue)
        self._queue.clear()
        if not self._keys:
            self._idle.set()

    async def wait_idle(self) -> None:
        """Wait until nothing is queued or being sent."""
        await self._idle.wait()

    def _notify(self) -> None:
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    async def _work(self) -> None:
        while (item := await self._take()) is not None:
            try:
                await self._send(item)
            except Exception as error:  # the lane must outlive any one item
                logger.warning("%s sending to user %s", type(error).__name__, item.key[0])
            finally:
                self._finish(item)

    async def _take(self) -> Outgoing | None:
        """Wait for the oldest item whose chat may be sent to now, and mark its chat busy."""
        while not self._stopping:
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
        for index, item in enumerate(self._queue):
            if item.chat_id in self._busy_chats:
                continue
            ready_in = self._budget.chat_ready_in(item.chat_id)
            if ready_in <= 0:
                del self._queue[index]
                return item, None
            soonest = ready_in if soonest is None else min(soonest, ready_in)
        return None, soonest

    def _finish(self, item: Outgoing) -> None:
        self._busy_chats.discard(item.chat_id)
        self._keys.discard(item.key)
        if not self._keys:
            self._idle.set()
        self._notify()

    async def _send(self, item: Outgoing) -> None:
        rendered = await self._delivery.begin(item)
        if rendered is None:
            return
        attempt = _Attempt()
        try:
            await self._send_begun(item, rendered, attempt)
        except asyncio.CancelledError:
            # Stopped while waiting (a flood-control pause, a backoff, a slot): Telegram never
            # got it, so it goes back to the queue for the next start instead of being lost.
            if not attempt.maybe_delivered:
                await asyncio.shield(self._delivery.release(item))
            raise

    async def _send_begun(self, item: Outgoing, rendered: Rendered, attempt: "_Attempt") -> None:
        failures = 0
        while True:
            try:
                async with self._budget.slot(item.chat_id):
                    attempt.calling = True
                    message = await self._bot.send_message(
                        item.chat_id,
                        rendered.text,
                        parse_mode=ParseMode.HTML,
                        reply_markup=rendered.reply_markup,
                    )
            except RetryAfter as error:
                attempt.calling = False
                seconds = retry_after_seconds(error)
                logger.warning("Flood control: bulk paused %.1f s (user %s)", seconds, item.key[0])
                self._budget.hold_bulk(seconds)
                continue
            except Forbidden:
                logger.info("User %s blocked the bot", item.key[0])
                await self._delivery.blocked(item)
            except NetworkError as error:
                attempt.calling = False
                # A timeout may come after Telegram took the message.
                attempt.timed_out |= isinstance(error, TimedOut)
                # BadRequest is a NetworkError too, but sending it again cannot help.
                if isinstance(error, BadRequest) or failures >= self._max_network_retries:
                    await self._give_up(item, error)
                    return
                delay = min(self._backoff_cap, self._backoff_base * 2.0**failures)
                delay *= random.uniform(1.0, 1.1)
                failures += 1
                logger.warning(
                    "%s sending to user %s; retry %d in %.1f s",
                    type(error).__name__, item.key[0], failures, delay,
                )  # fmt: skip
                await asyncio.sleep(delay)
                continue
            except TelegramError as error:
                await self._give_up(item, error)
            else:
                await self._delivery.delivered(item, message.message_id)
            return

    async def _give_up(self, item: Outgoing, error: TelegramError) -> None:
        logger.warning("%s sending to user %s; giving up", type(error).__name__, item.key[0])
        await self._delivery.failed(item, type(error).__name__)


@dataclass(slots=True)
class _Attempt:
    """Whether Telegram may already have a begun message (so it must not be queued again)."""

    calling: bool = False
    timed_out: bool = False

    @property
    def maybe_delivered(self) -> bool:
        return self.calling or self.timed_out
