"""A person's own reminder settings: see them, change time, days or zone, pause and resume.

Every change is one transaction: the settings, then the due row moved to match
(`reschedule_reminder`), so the schedule never disagrees with what the person was told.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.coaching.reminder_input import is_valid_days
from bot.db.enums import MessageKind, UserStatus
from bot.db.models import User
from bot.db.queries import due_messages, users
from bot.flows.schedule import plan_of, reschedule_all
from bot.services import Services
from scheduler.decisions import is_paused_on
from scheduler.due_times import local_date_of
from scheduler.plans import Occurrence, next_occurrence


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    """What the person has set, as of now, and the reminder that comes next."""

    at: time
    days: str
    zone: str
    # No reminder on today's local date because of a pause.
    paused: bool
    # While paused: the first local date reminders come back; None is until /resume.
    resume_on: date | None
    next: Occurrence | None


@dataclass(frozen=True, slots=True)
class NotReady:
    """The person gets no reminders (not set up, or referred): nothing was changed."""

    referred: bool


@dataclass(frozen=True, slots=True)
class Resumed:
    settings: ReminderSettings
    # False when reminders were already on.
    was_paused: bool


Changes = Callable[[User, datetime], dict[str, object]]


async def show_settings(services: Services, *, telegram_id: int) -> ReminderSettings | NotReady:
    """The person's reminder settings and their next reminder."""
    async with services.session_factory() as session:
        user = await users.get_user(session, telegram_id=telegram_id)
    plan = plan_of(user) if user is not None else None
    if user is None or plan is None:
        return not_ready(user)
    now = services.clock()
    return _settings(user, next_occurrence(plan, now), now)


async def change_time(
    services: Services, *, telegram_id: int, reminder_time: time
) -> ReminderSettings | NotReady:
    """A new local time for the daily reminder."""
    return _after(
        await _change(services, telegram_id, lambda _u, _n: {"reminder_time": reminder_time})
    )


async def change_days(
    services: Services, *, telegram_id: int, days: str
) -> ReminderSettings | NotReady:
    """New weekdays for the reminder (digits, Monday 0; at least one)."""
    if not is_valid_days(days):
        raise ValueError(f"not a set of weekdays: {days!r}")
    return _after(await _change(services, telegram_id, lambda _u, _n: {"reminder_days": days}))


async def change_zone(
    services: Services, *, telegram_id: int, zone: str
) -> ReminderSettings | NotReady:
    """A new time zone; the reminder keeps its local time there."""
    return _after(await _change(services, telegram_id, lambda _u, _n: {"time_zone": zone}))


async def pause(
    services: Services, *, telegram_id: int, days: int | None
) -> ReminderSettings | NotReady:
    """No reminders for `days` local days starting today, or until /resume when None."""

    def changes(user: User, now: datetime) -> dict[str, object]:
        assert user.time_zone is not None  # only people with a plan get here
        back_on = None if days is None else local_date_of(now, user.time_zone) + timedelta(days)
        return {"reminders_paused": True, "reminders_resume_on": back_on}

    return _after(await _change(services, telegram_id, changes, drop_snooze=True))


async def resume(services: Services, *, telegram_id: int) -> Resumed | NotReady:
    """Reminders back on, whatever pause there was."""
    changed = await _change(
        services,
        telegram_id,
        lambda _u, _n: {"reminders_paused": False, "reminders_resume_on": None},
    )
    if isinstance(changed, NotReady):
        return changed
    before, after = changed
    return Resumed(after, was_paused=before.paused)


async def _change(
    services: Services, telegram_id: int, changes: Changes, *, drop_snooze: bool = False
) -> tuple[ReminderSettings, ReminderSettings] | NotReady:
    """The settings before and after the change, with the due row moved to match."""
    now = services.clock()
    async with services.session_factory.begin() as session:
        user = await users.get_user(session, telegram_id=telegram_id, for_update=True)
        if user is None or plan_of(user) is None:
            return not_ready(user)
        before = _settings(user, None, now)
        await users.update_reminder_settings(session, user_id=user.id, **changes(user, now))
        user = await users.get_user_by_id(session, user_id=user.id)
        # A change of zone moves the weekly summary too.
        occurrence = await reschedule_all(
            session,
            user_id=user.id,
            person=user,
            now=now,
            at=services.content.plan.weekly_summary_at,
        )
        if drop_snooze:
            # A "Later" pressed before the pause is not sent during it.
            kinds = [MessageKind.SNOOZE]
            await due_messages.delete_due(session, user_id=user.id, kinds=kinds)
        return before, _settings(user, occurrence, now)


def _after(
    changed: tuple[ReminderSettings, ReminderSettings] | NotReady,
) -> ReminderSettings | NotReady:
    return changed if isinstance(changed, NotReady) else changed[1]


def not_ready(user: User | None) -> NotReady:
    """Why someone gets no reminders (and no summaries): not set up, or referred."""
    return NotReady(referred=user is not None and user.status == UserStatus.REFERRED)


def _settings(user: User, occurrence: Occurrence | None, now: datetime) -> ReminderSettings:
    plan = plan_of(user)
    assert plan is not None and user.reminder_time is not None and user.time_zone is not None
    paused = is_paused_on(plan, local_date_of(now, user.time_zone))
    return ReminderSettings(
        at=user.reminder_time,
        days=user.reminder_days,
        zone=user.time_zone,
        paused=paused,
        resume_on=user.reminders_resume_on if paused else None,
        next=occurrence,
    )
