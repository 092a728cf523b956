"""Telegram's flood limits, send statistics, and one-shot failure injection."""

import math
from collections import deque
from dataclasses import dataclass, field

from bot.emulator.errors import ApiError, standard_error, too_many_requests

COUNTED_METHODS = frozenset({"sendmessage", "sendphoto", "senddocument"})


@dataclass(frozen=True)
class RateLimits:
    """Sends allowed per sliding window: per bot, and per private chat (a small burst)."""

    per_bot: int = 30
    per_chat: int = 3
    window: float = 1.0


@dataclass
class SendStats:
    """What was sent and when (monotonic seconds), and how many 429s were answered."""

    send_times: list[float] = field(default_factory=list)
    chat_send_times: dict[int, list[float]] = field(default_factory=dict)
    too_many_requests: int = 0

    def record(self, chat_id: int, now: float) -> None:
        """Record one accepted send."""
        self.send_times.append(now)
        self.chat_send_times.setdefault(chat_id, []).append(now)

    def max_in_window(self, window: float = 1.0, chat_id: int | None = None) -> int:
        """Return the most sends that fell into any `window`-second span (optionally one chat)."""
        times = self.send_times if chat_id is None else self.chat_send_times.get(chat_id, [])
        best, start = 0, 0
        for end, moment in enumerate(times):
            while moment - times[start] >= window:
                start += 1
            best = max(best, end - start + 1)
        return best


class RateLimiter:
    """Admits sends under `RateLimits` (or everything, when limits are off) and records them."""

    def __init__(self, limits: RateLimits | None, stats: SendStats) -> None:
        self.limits = limits
        self.stats = stats
        self._bot_recent: deque[float] = deque()
        self._chat_recent: dict[int, deque[float]] = {}

    def admit(self, chat_id: int, now: float) -> None:
        """Record a send to `chat_id`, or raise 429 with `retry_after` if it exceeds a limit."""
        if self.limits is not None:
            window = self.limits.window
            chat_recent = self._chat_recent.setdefault(chat_id, deque())
            for recent, limit in (
                (self._bot_recent, self.limits.per_bot),
                (chat_recent, self.limits.per_chat),
            ):
                while recent and now - recent[0] >= window:
                    recent.popleft()
                if len(recent) >= limit:
                    retry_after = max(1, math.ceil(recent[len(recent) - limit] + window - now))
                    raise too_many_requests(retry_after)
            self._bot_recent.append(now)
            chat_recent.append(now)
        self.stats.record(chat_id, now)


@dataclass
class InjectedFailure:
    """A failure to answer the next `remaining` calls of `method` with."""

    method: str
    error: ApiError
    remaining: int
    drop_connection: bool = False


class FailureInjector:
    """Holds one-shot failures and hands them out per method."""

    def __init__(self) -> None:
        self._pending: list[InjectedFailure] = []

    def add(
        self,
        method: str,
        error_code: int = 429,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        count: int = 1,
        drop_connection: bool = False,
    ) -> None:
        """Fail the next `count` calls of `method` (case-insensitive; `*` for any method)."""
        error = standard_error(error_code, description, retry_after)
        self._pending.append(InjectedFailure(method.lower(), error, count, drop_connection))

    def take(self, method: str) -> InjectedFailure | None:
        """Return (and use up once) the first pending failure for `method`, if any."""
        for failure in self._pending:
            if failure.method in (method.lower(), "*"):
                failure.remaining -= 1
                if failure.remaining <= 0:
                    self._pending.remove(failure)
                return failure
        return None
