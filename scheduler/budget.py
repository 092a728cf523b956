"""The per-token send budget shared by the interactive lane (replies) and the bulk lane."""

import asyncio
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass


@dataclass(eq=False, slots=True)
class _Waiter:
    chat_id: int | None
    interactive: bool
    future: asyncio.Future[None]
    since: float


class SendBudget:
    """Admits sends so that at most `per_second` reach the server in any `window` seconds.

    A send holds a slot from its start until `window` seconds after its HTTP call finished;
    the server sees it somewhere in between, so no window can hold more than `per_second`.
    Interactive sends take free slots before any bulk send. Bulk sends are also spread at least
    `window / per_second` apart, so slots come free one at a time and a reply never waits for a
    whole burst; they stop while a flood-control hold is on; and one starts to a chat only once
    no send to it (any lane) is in flight and the last one finished `chat_interval` ago, so the
    server sees a chat's bulk sends at least `chat_interval` after anything before them.

    Bulk is never starved: once a bulk send has waited `max_bulk_gap` seconds with no bulk
    send started meanwhile (replies alone filling the budget), the next free slot goes to it,
    reserve or not. Reminders then keep moving at about one a second or more, and a reply
    waits at most one slot longer, once a second.
    """

    def __init__(
        self,
        per_second: int = 30,
        *,
        window: float = 1.0,
        chat_interval: float = 1.0,
        max_bulk_gap: float = 1.0,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_second < 1:
            raise ValueError("per_second must be at least 1")
        self.per_second = per_second
        self.window = window
        self.chat_interval = chat_interval
        self.max_bulk_gap = max_bulk_gap
        self._now = now
        self._in_flight = 0
        self._finished: deque[float] = deque()
        self._chat_in_flight: dict[int, int] = {}
        self._chat_finished: dict[int, float] = {}  # last finish per chat, oldest first
        self._last_bulk_start = -math.inf
        self._hold_until = -math.inf
        self._interactive: deque[_Waiter] = deque()
        self._bulk: deque[_Waiter] = deque()
        self._interactive_starts: deque[float] = deque()
        self._timer: asyncio.TimerHandle | None = None

    def chat_ready_in(self, chat_id: int) -> float:
        """Return the seconds (at least) until a bulk send may start to `chat_id`; 0: now."""
        free_at = self._chat_free_at(chat_id)
        return self.chat_interval if free_at is None else max(0.0, free_at - self._now())

    def bulk_paused_for(self) -> float:
        """Return the seconds left of a flood-control hold on bulk sends (0 if none)."""
        return max(0.0, self._hold_until - self._now())

    def hold_bulk(self, seconds: float) -> None:
        """Start no bulk send for `seconds` (Telegram answered 429 with this retry_after)."""
        self._hold_until = max(self._hold_until, self._now() + seconds)
        self._pump()

    def try_acquire(self, chat_id: int | None = None, *, interactive: bool = False) -> bool:
        """Take a slot if one is free now for this lane; the caller must `release()` it."""
        self._pump()
        now = self._now()
        if not interactive and self._interactive:
            return False
        at = self._ready_at(chat_id, interactive=interactive, now=now)
        if at is None or at > now:
            return False
        self._grant(chat_id, interactive=interactive, now=now)
        return True

    async def acquire(self, chat_id: int | None = None, *, interactive: bool = False) -> None:
        """Wait for a slot (interactive ones first); the caller must `release()` it."""
        if self.try_acquire(chat_id, interactive=interactive):
            return
        loop = asyncio.get_running_loop()
        waiter = _Waiter(chat_id, interactive, loop.create_future(), self._now())
        queue = self._interactive if interactive else self._bulk
        queue.append(waiter)
        self._pump()
        try:
            await waiter.future
        except asyncio.CancelledError:
            if waiter.future.done() and not waiter.future.cancelled():
                self.release(chat_id)  # granted just as we were cancelled: hand it back
            elif waiter in queue:
                queue.remove(waiter)
                self._pump()
            raise

    def release(self, chat_id: int | None = None) -> None:
        """Mark a send granted for `chat_id` finished; its slot stays taken one more window."""
        if self._in_flight == 0 or (chat_id is not None and chat_id not in self._chat_in_flight):
            raise RuntimeError("release() without a matching granted send")
        now = self._now()
        self._in_flight -= 1
        self._finished.append(now)
        if chat_id is not None:
            self._chat_in_flight[chat_id] -= 1
            if not self._chat_in_flight[chat_id]:
                del self._chat_in_flight[chat_id]
            finished = self._chat_finished
            finished.pop(chat_id, None)
            finished[chat_id] = now
            while (oldest := next(iter(finished))) != chat_id and (
                finished[oldest] + self.chat_interval <= now
            ):
                del finished[oldest]
        self._pump()

    @asynccontextmanager
    async def slot(
        self, chat_id: int | None = None, *, interactive: bool = False
    ) -> AsyncIterator[None]:
        """Hold a slot around one HTTP send."""
        await self.acquire(chat_id, interactive=interactive)
        try:
            yield
        finally:
            self.release(chat_id)

    def _chat_free_at(self, chat_id: int | None) -> float | None:
        """Return when a bulk send may start to `chat_id` (None: after an in-flight one ends)."""
        if chat_id is None:
            return -math.inf
        if chat_id in self._chat_in_flight:
            return None
        return self._chat_finished.get(chat_id, -math.inf) + self.chat_interval

    def _capacity_at(self, now: float, *, interactive: bool) -> float | None:
        """Return when a slot is free (None: not before an in-flight send finishes)."""
        while self._finished and self._finished[0] + self.window <= now:
            self._finished.popleft()
        shared = interactive or self._bulk_starved(now)
        limit = self.per_second if shared else self.per_second - self._reserve(now)
        excess = self._in_flight + len(self._finished) - limit
        if excess < 0:
            return now
        if excess >= len(self._finished):
            return None
        return self._finished[excess] + self.window

    def _bulk_starved(self, now: float) -> bool:
        """Whether a bulk send has waited `max_bulk_gap` or more, with none started meanwhile:
        so bulk gets one slot per gap this way, not priority."""
        if not self._bulk:
            return False
        waiting_since = max(self._bulk[0].since, self._last_bulk_start)
        return now - waiting_since >= self.max_bulk_gap

    def _reserve(self, now: float) -> int:
        """Slots bulk leaves free while people are chatting: a tenth of a window's replies, + 1.

        So a reply usually finds a slot at once instead of queueing for the next one to free.
        Replies already hold their own slots in the window, so counting them again starved
        bulk. The reserve only has to cover replies that arrive before expiring slots top it
        up (one expires about every `window / per_second`): a tenth of a window at the recent
        rate covers a few of those. Never more than a third of the budget, so bulk keeps going.
        """
        starts = self._interactive_starts
        while starts and starts[0] + self.window <= now:
            starts.popleft()
        return min(math.ceil(len(starts) / 10) + 1, self.per_second // 3) if starts else 0

    def _ready_at(self, chat_id: int | None, *, interactive: bool, now: float) -> float | None:
        at = self._capacity_at(now, interactive=interactive)
        if at is None or interactive:
            return at
        chat_free_at = self._chat_free_at(chat_id)
        if chat_free_at is None:
            return None
        spacing = self._last_bulk_start + self.window / self.per_second
        return max(at, spacing, self._hold_until, chat_free_at)

    def _grant(self, chat_id: int | None, *, interactive: bool, now: float) -> None:
        self._in_flight += 1
        if interactive:
            self._interactive_starts.append(now)
        else:
            self._last_bulk_start = now
        if chat_id is not None:
            self._chat_in_flight[chat_id] = self._chat_in_flight.get(chat_id, 0) + 1

    def _pump(self) -> None:
        """Grant every waiter that may start now, interactive first (bulk first once starved);
        time the next check."""
        now = self._now()
        wake = math.inf
        starved = self._bulk_starved(now)
        order = (self._bulk, self._interactive) if starved else (self._interactive, self._bulk)
        for queue in order:
            for waiter in list(queue):
                if waiter.future.done():
                    queue.remove(waiter)
                    continue
                at = self._ready_at(waiter.chat_id, interactive=waiter.interactive, now=now)
                if at is not None and at <= now:
                    queue.remove(waiter)
                    self._grant(waiter.chat_id, interactive=waiter.interactive, now=now)
                    waiter.future.set_result(None)
                elif at is not None:
                    wake = min(wake, at)
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if wake < math.inf:
            self._timer = asyncio.get_running_loop().call_later(wake - now, self._pump)
