"""A person's reminder schedule: their plan, read from the database, and its due row."""

import asyncio
from datetime import date, datetime, time
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import SessionFactory
from bot.db.enums import MessageKind, UserStatus
from bot.db.queries import due_messages, schedules, send_log
from scheduler.due_watch import announce_due
from scheduler.plans import Occurrence, ReminderPlan, next_occurrence, weekdays_from_digits


class HasReminderSettings(Protocol):
    @property
    def status(self) -> UserStatus: ...
    @property
    def time_zone(self) -> str | None: ...
    @property
    def reminder_time(self) -> time | None: ...
    @property
    def reminder_days(self) -> str: ...
    @property
    def reminders_paused(self) -> bool: ...
    @property
    def reminders_resume_on(self) -> date | None: ...


def plan_of(person: HasReminderSettings) -> ReminderPlan | None:
    """The person's reminder plan; None if they get no reminders (not active, or not set up)."""
    if person.status != UserStatus.ACTIVE or not person.time_zone or not person.reminder_time:
        return None
    return ReminderPlan(
        at=person.reminder_time,
        zone=person.time_zone,
        weekdays=weekdays_from_digits(person.reminder_days),
        paused=person.reminders_paused,
        resume_on=person.reminders_resume_on,
    )


async def reschedule_reminder(
    session: AsyncSession, *, user_id: int, person: HasReminderSettings, now: datetime
) -> Occurrence | None:
    """Put the person's next daily reminder in the schedule (or take it out); return it."""
    plan = plan_of(person)
    occurrence = next_occurrence(plan, now) if plan is not None else None
    # A day gets one reminder: after today's went out (or was skipped), moving the time to
    # later today means tomorrow, and the confirmation must say so.
    while occurrence is not None and await send_log.was_logged(
        session, user_id=user_id, kind=MessageKind.DAILY_REMINDER, local_date=occurrence.local_date
    ):
        assert plan is not None
        occurrence = next_occurrence(plan, occurrence.due_at)
    if occurrence is None:
        kinds = [MessageKind.DAILY_REMINDER, MessageKind.SNOOZE]
        await due_messages.delete_due(session, user_id=user_id, kinds=kinds)
        return None
    await due_messages.schedule_due(
        session,
        user_id=user_id,
        kind=MessageKind.DAILY_REMINDER,
        due_at=occurrence.due_at,
        local_date=occurrence.local_date,
    )
    announce_due(session, occurrence.due_at)
    return occurrence


async def resync_reminders(
    session_factory: SessionFactory, *, now: datetime, page_size: int = 1000
) -> int:
    """Recompute every active person's next reminder (as at startup, after a time-zone data or
    code change); returns how many rows changed. Reminders already due are left to the tick,
    which applies the lateness rule to them."""
    changed, after = 0, 0
    cache: dict[ReminderPlan, Occurrence | None] = {}
    while True:
        async with session_factory() as session:
            page = await schedules.list_schedules_page(
                session, after_user_id=after, limit=page_size
            )
        if not page:
            return changed
        fixes = []
        for row in page:
            if row.next_due_at is not None and row.next_due_at <= now:
                continue
            plan = plan_of(row)
            if plan is None:
                continue
            if plan not in cache:
                cache[plan] = next_occurrence(plan, now)
            expected = cache[plan]
            stored = (
                Occurrence(row.next_due_at, row.local_date)
                if row.next_due_at is not None and row.local_date is not None
                else None
            )
            if expected != stored:
                fixes.append((row, expected))
        if fixes:
            async with session_factory.begin() as session:
                for row, _expected in fixes:
                    await reschedule_reminder(session, user_id=row.user_id, person=row, now=now)
            changed += len(fixes)
        after = page[-1].user_id
        await asyncio.sleep(0)
