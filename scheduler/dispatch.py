"""The periodic tick: claim due messages in batches, decide each one, queue it, move on."""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.db.engine import SessionFactory
from bot.db.enums import MessageKind, SendStatus
from bot.db.queries import due_messages, send_log, session_history
from bot.db.queries.due_messages import Advance, DueRow
from bot.db.queries.send_log import LogEntry
from bot.flows.schedule import plan_of
from scheduler.decisions import Decision, DueMessageFacts, Fate, decide
from scheduler.due_times import local_date_of
from scheduler.sender import Outgoing

logger = logging.getLogger(__name__)

_LOGGED_FATES = {
    Fate.SEND: SendStatus.QUEUED,
    Fate.SKIP_LATE: SendStatus.SKIPPED_LATE,
    Fate.SKIP_DONE: SendStatus.SKIPPED_DONE,
}
# A session finished more than this long before a message fell due can't be on its local day.
_SAME_DAY_LOOKBACK = timedelta(days=2)


@dataclass
class TickReport:
    """What one tick did; the counts an operator (and a benchmark) wants."""

    claimed: int = 0
    queued: int = 0
    skipped_late: int = 0
    skipped_done: int = 0
    dropped: int = 0

    def add(self, fate: Fate) -> None:
        self.claimed += 1
        if fate is Fate.SEND:
            self.queued += 1
        elif fate is Fate.SKIP_LATE:
            self.skipped_late += 1
        elif fate is Fate.SKIP_DONE:
            self.skipped_done += 1
        else:
            self.dropped += 1


class Dispatcher:
    """Turns due rows into queued sends; safe to run in several processes at once."""

    def __init__(
        self,
        session_factory: SessionFactory,
        *,
        clock: Callable[[], datetime],
        grace: timedelta,
        batch_size: int,
        enqueue: Callable[[Outgoing], object],
    ) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._grace = grace
        self._batch_size = batch_size
        self._enqueue = enqueue

    async def tick(self) -> TickReport:
        """Claim everything due now, one bounded transaction at a time."""
        report = TickReport()
        # Until a claim finds nothing: a row moved on after downtime may be due again at once
        # (today's reminder, still within the grace window).
        while True:
            if not await self.claim_batch(report):
                break
            # Let handlers run between batches: a hot minute never holds the loop for long.
            await asyncio.sleep(0)
        if report.skipped_late:
            logger.warning("Skipped %d reminders that were too late to send", report.skipped_late)
        return report

    async def claim_batch(self, report: TickReport) -> int:
        """Claim, decide, log and advance one batch in one transaction; then queue its sends."""
        now = self._clock()
        outgoing: list[Outgoing] = []
        async with self._session_factory.begin() as session:
            rows = await due_messages.claim_due(session, now=now, limit=self._batch_size)
            if not rows:
                return 0
            finishes = await session_history.latest_finishes(
                session,
                user_ids=[row.user_id for row in rows],
                since=min(row.due_at for row in rows) - _SAME_DAY_LOOKBACK,
            )
            entries: list[LogEntry] = []
            advances: list[Advance] = []
            finished: list[int] = []
            decisions: dict[DueMessageFacts, Decision] = {}
            for row in rows:
                facts = _facts(row, finishes.get(row.user_id))
                decision = decisions.get(facts)
                if decision is None:
                    decision = decisions[facts] = decide(facts, now=now, grace=self._grace)
                report.add(decision.fate)
                status = _LOGGED_FATES.get(decision.fate)
                if status is not None:
                    entries.append(
                        LogEntry(row.user_id, row.kind, row.local_date, row.due_at, status)
                    )
                if decision.fate is Fate.SEND:
                    key = (row.user_id, row.kind.value, row.local_date)
                    outgoing.append(Outgoing(key=key, chat_id=row.chat_id, due_at=row.due_at))
                if decision.next is None:
                    finished.append(row.id)
                else:
                    advances.append(Advance(row.id, decision.next.due_at, decision.next.local_date))
            await send_log.log_sends(session, entries=entries, now=now)
            await due_messages.advance_due(session, advances=advances)
            await due_messages.delete_due_rows(session, due_ids=finished)
        # Only once the claim is committed: a crash before this leaves the rows due, not lost.
        for item in outgoing:
            self._enqueue(item)
        return len(rows)

    async def recover_queued(self, *, limit: int = 100_000) -> int:
        """Queue again what a stop or crash left queued but unsent (sending decides once)."""
        async with self._session_factory() as session:
            queued = await send_log.list_queued(session, limit=limit)
        for item in queued:
            key = (item.user_id, item.kind.value, item.local_date)
            self._enqueue(Outgoing(key=key, chat_id=item.chat_id, due_at=item.due_at))
        return len(queued)


def _facts(row: DueRow, last_finish: datetime | None) -> DueMessageFacts:
    plan = plan_of(row)
    done = (
        plan is not None
        and last_finish is not None
        and local_date_of(last_finish, plan.zone) == row.local_date
    )
    return DueMessageFacts(
        due_at=row.due_at,
        local_date=row.local_date,
        plan=plan,
        recurring=row.kind is MessageKind.DAILY_REMINDER,
        done_that_day=done,
    )
