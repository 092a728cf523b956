"""The periodic tick: claim due messages in batches, decide per plan, log, queue, move on.

Per batch the work is set-based: SQL groups the claimed rows by plan, Python decides once per
group, and a few statements log, advance and delete every row of the batch at once. Whether a
person already did a session that day is left to the sender, when each message's turn comes:
it is truer then (a backlog can last minutes), and it keeps a lookup per row out of the tick.
"""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from bot.db.engine import SessionFactory
from bot.db.enums import MessageKind
from bot.db.queries import batch_log, due_batches, send_log
from bot.db.queries.due_batches import Advance, DueGroup
from bot.flows.schedule import plan_of, summary_plan_of
from scheduler.decisions import Fate, GroupFacts, decide_group
from scheduler.due_watch import DueWatch
from scheduler.hand_over import HandOver
from scheduler.plans import Occurrence, ReminderPlan
from scheduler.sender import Outgoing

logger = logging.getLogger(__name__)
# Kinds that come back on their plan; kinds that are reminders (dropped while paused, skipped
# on a day with a session).
_RECURRING = frozenset({MessageKind.DAILY_REMINDER, MessageKind.WEEKLY_SUMMARY})
_REMINDERS = frozenset({MessageKind.DAILY_REMINDER, MessageKind.SNOOZE})


@dataclass
class TickReport:
    """What one tick did; the counts an operator (and a benchmark) wants."""

    claimed: int = 0
    queued: int = 0
    skipped_late: int = 0
    dropped: int = 0


@dataclass
class _Batch:
    """A claimed batch's decisions, merged into what each statement needs."""

    claimed: int = 0
    dropped: int = 0
    late_ids: list[int] = field(default_factory=list)
    moves: dict[Occurrence, list[int]] = field(default_factory=dict)
    finished_ids: list[int] = field(default_factory=list)
    # Sent unless the sender, when its turn comes, finds the day done or the plan changed.
    sending: list[DueGroup] = field(default_factory=list)

    def add(
        self, group: DueGroup, *, plan: ReminderPlan | None, now: datetime, grace: timedelta
    ) -> None:
        recurring = group.kind in _RECURRING
        reminder = group.kind in _REMINDERS
        facts = GroupFacts(group.due_at, group.local_date, plan, recurring, reminder=reminder)
        decision = decide_group(facts, now=now, grace=grace)
        ids = group.due_ids
        self.claimed += len(ids)
        if decision.fate is Fate.SEND:
            self.sending.append(group)
        elif decision.fate is Fate.SKIP_LATE:
            self.late_ids.extend(ids)
        else:
            self.dropped += len(ids)
        if decision.next is None:
            self.finished_ids.extend(ids)
        else:
            self.moves.setdefault(decision.next, []).extend(ids)

    def queued_ids(self) -> list[int]:
        return [due_id for group in self.sending for due_id in group.due_ids]

    def advances(self) -> list[Advance]:
        return [Advance(ids, to.due_at, to.local_date) for to, ids in self.moves.items()]

    def moves_any_to(self, now: datetime) -> bool:
        """Whether a row moved to a time already due (today's, after downtime)."""
        return any(to.due_at <= now for to in self.moves)


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
        summary_at: time,
        watch: DueWatch | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._grace = grace
        self._batch_size = batch_size
        self._enqueue = enqueue
        self._hand_over = HandOver(enqueue)
        self._watch = watch or DueWatch()
        self._summary_at = summary_at

    async def tick(self) -> TickReport:
        """Claim everything due now, one bounded transaction at a time."""
        report = TickReport()
        if not self._watch.needs_look(self._clock()):
            return report
        self._watch.looking()
        try:
            while True:
                if not await self.claim_batch(report):
                    break
                # Let handlers run between batches: a hot minute never holds the loop for long.
                await asyncio.sleep(0)
        finally:
            await self._hand_over.finish()
        if report.skipped_late:
            logger.warning("Skipped %d reminders that were too late to send", report.skipped_late)
        return report

    async def claim_batch(self, report: TickReport) -> bool:
        """Claim, decide, log and advance one batch in one transaction; then start queueing its
        sends (`tick` waits for them). True if more may be due now."""
        now = self._clock()
        batch = _Batch()
        async with self._session_factory.begin() as session:
            groups = await due_batches.claim_due_groups(session, now=now, limit=self._batch_size)
            for group in groups:
                batch.add(group, plan=self._plan_for(group), now=now, grace=self._grace)
            queued = await batch_log.log_claimed(
                session, queued_ids=batch.queued_ids(), late_ids=batch.late_ids, now=now
            )
            await due_batches.advance_due(session, advances=batch.advances())
            await due_batches.delete_due_rows(session, due_ids=batch.finished_ids)
            more = batch.claimed >= self._batch_size or batch.moves_any_to(now)
            if not more:
                earliest = await due_batches.earliest_due(session)
        if not more:
            self._watch.looked(earliest=earliest, now=now)
        report.claimed += batch.claimed
        report.queued += len(queued)
        report.skipped_late += len(batch.late_ids)
        report.dropped += batch.dropped
        self._hand_over.add(queued, batch.sending)
        return more

    def _plan_for(self, group: DueGroup) -> ReminderPlan | None:
        """The plan a group's rows follow: the weekly summary's, or the daily reminder's."""
        if group.kind is MessageKind.WEEKLY_SUMMARY:
            return summary_plan_of(group, at=self._summary_at)
        return plan_of(group)

    async def recover_queued(self, *, page_size: int = 10_000) -> int:
        """Queue again what a stop or crash left queued but unsent (sending decides once); all of
        it, a page at a time."""
        recovered = 0
        last = None
        while True:
            async with self._session_factory() as session:
                page = await send_log.list_queued(session, limit=page_size, after=last)
            for item in page:
                key = (item.user_id, item.kind.value, item.local_date)
                self._enqueue(Outgoing(key=key, chat_id=item.chat_id, due_at=item.due_at))
            recovered += len(page)
            if len(page) < page_size:
                return recovered
            last = page[-1]
