"""The bulk sender's second tries: a claim that failed, an outcome that was not written."""

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from scheduler.outgoing import Key, Outgoing

logger = logging.getLogger(__name__)

Write = Callable[[], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Backoff:
    """Bounded exponential backoff: `base` seconds, doubling per failure up to `cap`."""

    base: float
    cap: float

    def delay(self, failures: int) -> float:
        """Return the seconds to wait after the `failures`-th failure in a row (plus ≤ 10 %)."""
        return min(self.cap, self.base * 2.0 ** (failures - 1)) * random.uniform(1.0, 1.1)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How the sender tries a failed claim or outcome write again.

    A claim (`begin`) is tried again until it works or the sender stops: a database outage
    delays reminders, and `begin` decides afresh whether one is still worth sending. How a send
    ended is written up to `write_retries` more times, then given up on: the log keeps
    `sending`, so that message is never sent again.
    """

    begin: Backoff = Backoff(1.0, 60.0)
    write: Backoff = Backoff(0.5, 8.0)
    write_retries: int = 4


DEFAULT_RETRY = RetryPolicy()


class Retries:
    """Claims that failed wait off the queue, then go back to it; outcome writes that failed are
    retried in the background. Either way no worker, and no budget slot, waits on a database."""

    def __init__(
        self,
        policy: RetryPolicy,
        *,
        requeue: Callable[[Outgoing], None],
        done: Callable[[Key], None],
    ) -> None:
        self._policy = policy
        self._requeue = requeue
        self._done = done  # the item is settled (or dropped: the log keeps it queued)
        self._failures: dict[Key, int] = {}
        self._waiting: dict[Key, asyncio.TimerHandle] = {}
        self._writes: set[asyncio.Task[None]] = set()
        self._stopped = False

    @property
    def writes(self) -> list[asyncio.Task[None]]:
        """Return the outcome writes still being retried."""
        return list(self._writes)

    def begin_failed(self, item: Outgoing, error: Exception) -> None:
        """Queue `item` again after a backoff that grows with its failures in a row."""
        name, user_id = type(error).__name__, item.key[0]
        if self._stopped:  # still queued in the log: the next start sends it
            logger.warning(
                "%s beginning the send to user %s; left for the next start", name, user_id
            )
            self._done(item.key)
            return
        failures = self._failures[item.key] = self._failures.get(item.key, 0) + 1
        delay = self._policy.begin.delay(failures)
        logger.warning(
            "%s beginning the send to user %s; retry %d in %.1f s", name, user_id, failures, delay
        )
        loop = asyncio.get_running_loop()
        self._waiting[item.key] = loop.call_later(delay, self._begin_again, item)

    def begin_worked(self, item: Outgoing) -> None:
        self._failures.pop(item.key, None)

    def stop_waiting(self) -> list[Key]:
        """Requeue nothing more; return the keys of the items that were waiting to be."""
        self._stopped = True
        for handle in self._waiting.values():
            handle.cancel()
        keys = list(self._waiting)
        self._waiting.clear()
        self._failures.clear()
        return keys

    async def record(self, item: Outgoing, what: str, write: Write) -> bool:
        """Write how a send ended; True if it failed and is being retried in the background."""
        try:
            await write()
        except Exception as error:
            task = asyncio.create_task(self._write_again(item, what, write, error))
            self._writes.add(task)
            task.add_done_callback(self._writes.discard)
            return True
        return False

    def _begin_again(self, item: Outgoing) -> None:
        del self._waiting[item.key]
        self._requeue(item)

    async def _write_again(self, item: Outgoing, what: str, write: Write, error: Exception) -> None:
        try:
            for failures in range(1, self._policy.write_retries + 1):
                delay = self._policy.write.delay(failures)
                logger.warning(
                    "%s recording %s for user %s; retry %d in %.1f s",
                    type(error).__name__, what, item.key[0], failures, delay,
                )  # fmt: skip
                await asyncio.sleep(delay)
                try:
                    await write()
                except Exception as again:
                    error = again
                else:
                    return
            logger.warning(
                "%s recording %s for user %s; gave up, its log entry stays as it was",
                type(error).__name__, what, item.key[0],
            )  # fmt: skip
        finally:
            self._done(item.key)
