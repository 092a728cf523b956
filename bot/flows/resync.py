"""At startup: every active person's next reminder and next weekly summary recomputed, in pages,
so a time-zone data or code change never leaves a schedule stale."""

import asyncio
from collections.abc import Callable
from datetime import datetime, time

from bot.db.engine import SessionFactory
from bot.db.enums import MessageKind
from bot.db.queries import schedules
from bot.flows.schedule import plan_of, reschedule_kind, summary_plan_of
from scheduler.plans import Occurrence, ReminderPlan, next_occurrence


async def resync_schedules(
    session_factory: SessionFactory, *, now: datetime, summary_at: time
) -> int:
    """Recompute every active person's next reminder and next weekly summary (as at startup,
    after a time-zone data or code change); returns how many rows changed."""
    reminders = await resync_reminders(session_factory, now=now)
    summaries = await _resync(
        session_factory,
        kind=MessageKind.WEEKLY_SUMMARY,
        plan_for=lambda row: summary_plan_of(row, at=summary_at),
        now=now,
    )
    return reminders + summaries


async def resync_reminders(
    session_factory: SessionFactory, *, now: datetime, page_size: int = 1000
) -> int:
    """Recompute every active person's next daily reminder; returns how many rows changed."""
    return await _resync(
        session_factory,
        kind=MessageKind.DAILY_REMINDER,
        plan_for=plan_of,
        now=now,
        page_size=page_size,
    )


async def _resync(
    session_factory: SessionFactory,
    *,
    kind: MessageKind,
    plan_for: Callable[[schedules.ScheduleRow], ReminderPlan | None],
    now: datetime,
    page_size: int = 1000,
) -> int:
    """Messages already due are left to the tick, which applies the lateness rule to them."""
    changed, after = 0, 0
    cache: dict[ReminderPlan, Occurrence | None] = {}
    while True:
        async with session_factory() as session:
            page = await schedules.list_schedules_page(
                session, kind=kind, after_user_id=after, limit=page_size
            )
        if not page:
            return changed
        fixes: list[tuple[int, ReminderPlan]] = []
        for row in page:
            if row.next_due_at is not None and row.next_due_at <= now:
                continue
            plan = plan_for(row)
            if plan is None:
                continue
            if plan not in cache:
                cache[plan] = next_occurrence(plan, now)
            stored = (
                Occurrence(row.next_due_at, row.local_date)
                if row.next_due_at is not None and row.local_date is not None
                else None
            )
            if cache[plan] != stored:
                fixes.append((row.user_id, plan))
        if fixes:
            async with session_factory.begin() as session:
                for user_id, plan in fixes:
                    await reschedule_kind(session, user_id=user_id, kind=kind, plan=plan, now=now)
            changed += len(fixes)
        after = page[-1].user_id
        await asyncio.sleep(0)
