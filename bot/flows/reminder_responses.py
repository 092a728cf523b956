"""What a person pressed on a reminder: Start now, Later, Skip today."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import MessageKind, ReminderResponse
from bot.db.queries import due_messages, send_log, users
from bot.services import Services
from scheduler.due_times import local_date_of
from scheduler.due_watch import announce_due
from scheduler.plans import Occurrence


@dataclass(frozen=True)
class Snoozed:
    due_at: datetime
    zone: str


@dataclass(frozen=True)
class Skipped:
    next: Occurrence | None
    zone: str


class Passed:
    """The button belongs to an earlier day's reminder (or today's snooze was used up)."""


async def start_now(services: Services, *, user_id: int, local_date: date) -> None:
    """Note the start; a pending snooze is no longer needed."""
    async with services.session_factory.begin() as session:
        await _respond(session, services.clock(), user_id, local_date, ReminderResponse.START)
        await due_messages.delete_due(session, user_id=user_id, kinds=[MessageKind.SNOOZE])


async def snooze(services: Services, *, telegram_id: int, local_date: date) -> Snoozed | Passed:
    """Remind again in a little while, once per day."""
    now = services.clock()
    minutes = services.content.texts.reminders.snooze_minutes
    async with services.session_factory.begin() as session:
        person = await users.get_user(session, telegram_id=telegram_id, for_update=True)
        if person is None or person.time_zone is None:
            return Passed()
        zone = person.time_zone
        used = await send_log.was_logged(
            session, user_id=person.id, kind=MessageKind.SNOOZE, local_date=local_date
        )
        if used or local_date_of(now, zone) != local_date:
            return Passed()
        due_at = now + timedelta(minutes=minutes)
        await _respond(session, now, person.id, local_date, ReminderResponse.LATER)
        await due_messages.schedule_due(
            session,
            user_id=person.id,
            kind=MessageKind.SNOOZE,
            due_at=due_at,
            local_date=local_date,
        )
        announce_due(session, due_at)
    return Snoozed(due_at, zone)


async def skip_today(services: Services, *, telegram_id: int, local_date: date) -> Skipped | Passed:
    """A rest day: no snooze today; say when the next reminder comes."""
    now = services.clock()
    async with services.session_factory.begin() as session:
        person = await users.get_user(session, telegram_id=telegram_id, for_update=True)
        if person is None or person.time_zone is None:
            return Passed()
        if local_date_of(now, person.time_zone) != local_date:
            return Passed()
        await _respond(session, now, person.id, local_date, ReminderResponse.SKIP)
        await due_messages.delete_due(session, user_id=person.id, kinds=[MessageKind.SNOOZE])
        pending = await due_messages.get_due(
            session, user_id=person.id, kind=MessageKind.DAILY_REMINDER
        )
    following = Occurrence(pending.next_due_at, pending.local_date) if pending else None
    return Skipped(following, person.time_zone)


async def _respond(
    session: AsyncSession, now: datetime, user_id: int, local_date: date, response: ReminderResponse
) -> None:
    await send_log.record_response(
        session,
        user_id=user_id,
        local_date=local_date,
        response=response,
        now=now,
    )
