"""A person's schedules: the daily reminder and the weekly summary, each a plan read from the
database and one due row."""

from datetime import date, datetime, time, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import MessageKind, UserStatus
from bot.db.queries import due_messages, send_log
from scheduler.due_watch import announce_due
from scheduler.plans import Occurrence, ReminderPlan, next_occurrence, weekdays_from_digits

# With no daily reminder left, a pending snooze of one goes too.
_CANCELLED_WITH = {MessageKind.DAILY_REMINDER: (MessageKind.SNOOZE,)}
# At least this long after a message of the kind went out before the next may be scheduled.
_SPACING = {MessageKind.WEEKLY_SUMMARY: timedelta(days=6)}


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


class HasSummarySettings(Protocol):
    @property
    def status(self) -> UserStatus: ...
    @property
    def time_zone(self) -> str | None: ...
    @property
    def summary_weekday(self) -> int | None: ...


class HasScheduleSettings(HasReminderSettings, HasSummarySettings, Protocol):
    pass


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


def summary_plan_of(person: HasSummarySettings, *, at: time) -> ReminderPlan | None:
    """The weekly summary's plan: at `at` on the person's chosen weekday; None if they get none.
    A pause does not move it: a summary due while paused is dropped when its turn comes."""
    if person.status != UserStatus.ACTIVE or not person.time_zone:
        return None
    if person.summary_weekday is None:
        return None
    return ReminderPlan(at=at, zone=person.time_zone, weekdays=frozenset({person.summary_weekday}))


async def reschedule_reminder(
    session: AsyncSession, *, user_id: int, person: HasReminderSettings, now: datetime
) -> Occurrence | None:
    """Put the person's next daily reminder in the schedule (or take it out, with any snooze);
    return it."""
    return await reschedule_kind(
        session,
        user_id=user_id,
        kind=MessageKind.DAILY_REMINDER,
        plan=plan_of(person),
        now=now,
    )


async def reschedule_summary(
    session: AsyncSession, *, user_id: int, person: HasSummarySettings, now: datetime, at: time
) -> Occurrence | None:
    """Put the person's next weekly summary in the schedule (or take it out); return it."""
    plan = summary_plan_of(person, at=at)
    return await reschedule_kind(
        session, user_id=user_id, kind=MessageKind.WEEKLY_SUMMARY, plan=plan, now=now
    )


async def reschedule_all(
    session: AsyncSession, *, user_id: int, person: HasScheduleSettings, now: datetime, at: time
) -> Occurrence | None:
    """Both schedules, after a change that moves both (set-up done, zone, coming back); returns
    the next daily reminder."""
    await reschedule_summary(session, user_id=user_id, person=person, now=now, at=at)
    return await reschedule_reminder(session, user_id=user_id, person=person, now=now)


async def reschedule_kind(
    session: AsyncSession,
    *,
    user_id: int,
    kind: MessageKind,
    plan: ReminderPlan | None,
    now: datetime,
) -> Occurrence | None:
    """Put the person's next message of `kind` under `plan` in the schedule (or, with no plan
    or no next occurrence, take it out); return it."""
    occurrence = next_occurrence(plan, now) if plan is not None else None
    # A day gets one message of a kind: after today's went out (or was skipped), moving the
    # time to later today means the next occurrence, and the confirmation must say so.
    while occurrence is not None and await _taken(
        session, user_id=user_id, kind=kind, day=occurrence.local_date
    ):
        assert plan is not None
        occurrence = next_occurrence(plan, occurrence.due_at)
    if occurrence is None:
        cancelled = [kind, *_CANCELLED_WITH.get(kind, ())]
        await due_messages.delete_due(session, user_id=user_id, kinds=cancelled)
        return None
    await due_messages.schedule_due(
        session,
        user_id=user_id,
        kind=kind,
        due_at=occurrence.due_at,
        local_date=occurrence.local_date,
    )
    announce_due(session, occurrence.due_at)
    return occurrence


async def _taken(session: AsyncSession, *, user_id: int, kind: MessageKind, day: date) -> bool:
    """Whether `day` already had its message of `kind`; for a summary, whether one went out in
    the six days before (a week gets one, whichever day it moves to)."""
    if await send_log.was_logged(session, user_id=user_id, kind=kind, local_date=day):
        return True
    spacing = _SPACING.get(kind)
    if spacing is None:
        return False
    return await send_log.was_sent_between(
        session, user_id=user_id, kind=kind, first=day - spacing, last=day
    )
