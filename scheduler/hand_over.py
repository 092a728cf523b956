"""Committed batches' sends, handed to the sender while the next batch's SQL runs.

Making each send and queueing it is Python work for every row, on the event loop; the next
batch's statements run in the database driver's thread (or the server) meanwhile. Overlapped,
a hot minute's tick takes about as long as its SQL alone, not the sum of both.
"""

import asyncio
from collections.abc import Callable, Sequence

from bot.db.queries.due_batches import DueGroup
from scheduler.outgoing import Outgoing

# Items handed to the sender between two yields to the event loop (a few milliseconds of work).
_CHUNK = 500


class HandOver:
    """Hands batches over in the order they were claimed, each in a task of its own."""

    def __init__(self, enqueue: Callable[[Outgoing], object]) -> None:
        self._enqueue = enqueue
        self._tasks: list[asyncio.Task[None]] = []

    def add(self, queued: Sequence[tuple[int, str]], groups: Sequence[DueGroup]) -> None:
        """Hand over the rows the log queued, (user_id, kind) each, from the claimed `groups`
        (only once the batch is committed: a crash before leaves them due, not lost)."""
        if queued:
            previous = self._tasks[-1] if self._tasks else None
            self._tasks.append(asyncio.create_task(self._hand_over(previous, set(queued), groups)))

    async def finish(self) -> None:
        """Wait until every batch added is with the sender; then raise the first error a
        hand-over met (its rows stay queued in the log, for the next start to queue again)."""
        tasks, self._tasks = self._tasks, []
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome

    async def _hand_over(
        self,
        previous: asyncio.Task[None] | None,
        queued: set[tuple[int, str]],
        groups: Sequence[DueGroup],
    ) -> None:
        if previous is not None:
            # After it, whatever its outcome: one failed batch must not hold back the others.
            await asyncio.wait({previous})
        count = 0
        for group in groups:
            kind, local_date, due_at = group.kind.value, group.local_date, group.due_at
            for user_id, chat_id in zip(group.user_ids, group.chat_ids, strict=True):
                if (user_id, kind) not in queued:
                    continue
                key = (user_id, kind, local_date)
                self._enqueue(Outgoing(key=key, chat_id=chat_id, due_at=due_at))
                count += 1
                if count % _CHUNK == 0:
                    await asyncio.sleep(0)
