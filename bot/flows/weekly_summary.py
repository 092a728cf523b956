"""The weekly summary: its day, chosen with /summary, and its claim when the tick queues it.

It comes at the coach's evening time (`content/plan.yaml`) on the person's chosen weekday,
Sunday unless they chose another. It is not sent while reminders are paused (a break means no
messages), nor to someone with nothing done or rated yet: an empty week is not news.
"""

from dataclasses import dataclass
from datetime import time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import MessageKind
from bot.db.models import User
from bot.db.queries import due_messages, session_history, users
from bot.flows.due_fates import fate_of_non_reminder, settle
from bot.flows.progress import Progress, load_progress
from bot.flows.reminder_settings import NotReady, not_ready
from bot.flows.schedule import plan_of, reschedule_summary, summary_plan_of
from bot.services import Services
from scheduler.decisions import Fate, is_paused_on
from scheduler.outgoing import Outgoing
from scheduler.plans import Occurrence


@dataclass(frozen=True, slots=True)
class SummarySetting:
    weekday: int | None  # 0 Monday to 6 Sunday; None: no weekly summary
    at: time
    zone: str
    next: Occurrence | None
    paused: bool  # reminders are paused on the next one's day: it will not come
    started: bool  # a session done: the next one has something to show


@dataclass(frozen=True, slots=True)
class SummaryToSend:
    progress: Progress
    weekday: int  # the person's summary day now (it may have moved since this one was queued)


async def show_summary_day(services: Services, *, telegram_id: int) -> SummarySetting | NotReady:
    """The person's summary day and the next summary."""
    async with services.session_factory() as session:
        person = await users.get_user(session, telegram_id=telegram_id)
        if person is None or plan_of(person) is None:
            return not_ready(person)
        pending = await due_messages.get_due(
            session, user_id=person.id, kind=MessageKind.WEEKLY_SUMMARY
        )
        next_one = Occurrence(pending.next_due_at, pending.local_date) if pending else None
        return await _setting(services, session, person, next_one)


async def change_summary_day(
    services: Services, *, telegram_id: int, weekday: int | None
) -> SummarySetting | NotReady:
    """Move the weekly summary to `weekday` (None: no summary) and reschedule it."""
    at = services.content.plan.weekly_summary_at
    now = services.clock()
    async with services.session_factory.begin() as session:
        person = await users.get_user(session, telegram_id=telegram_id, for_update=True)
        if person is None or plan_of(person) is None:
            return not_ready(person)
        await users.update_reminder_settings(session, user_id=person.id, summary_weekday=weekday)
        person = await users.get_user_by_id(session, user_id=person.id)
        occurrence = await reschedule_summary(
            session, user_id=person.id, person=person, now=now, at=at
        )
        return await _setting(services, session, person, occurrence)


async def _setting(
    services: Services, session: AsyncSession, person: User, next_one: Occurrence | None
) -> SummarySetting:
    plan = plan_of(person)
    assert plan is not None and person.time_zone is not None
    paused = next_one is not None and is_paused_on(plan, next_one.local_date)
    started = await session_history.has_done_a_session(session, user_id=person.id)
    at = services.content.plan.weekly_summary_at
    return SummarySetting(person.summary_weekday, at, person.time_zone, next_one, paused, started)


async def claim_summary(
    services: Services, item: Outgoing, *, grace: timedelta
) -> SummaryToSend | None:
    """Decide again now it is this summary's turn, and take the one right to send it: what to
    show, or None when it is not sent (late, paused, nothing to show, turned off, erased)."""
    user_id, _, local_date = item.key
    progress = await load_progress(services, user_id=user_id)
    now = services.clock()
    async with services.session_factory.begin() as session:
        person = await users.find_user_by_id(session, user_id=user_id)
        if person is None:  # erased (/delete) since the tick claimed this message
            return None
        plan = summary_plan_of(person, at=services.content.plan.weekly_summary_at)
        fate = fate_of_non_reminder(item, plan=plan, recurring=True, now=now, grace=grace)
        reminders = plan_of(person)
        paused = reminders is not None and is_paused_on(reminders, local_date)
        if fate is Fate.SEND and (paused or progress is None or not progress.has_data):
            fate = Fate.DROP
        moved = await settle(session, item, fate)
    if not moved or fate is not Fate.SEND or progress is None or person.summary_weekday is None:
        return None
    return SummaryToSend(progress, person.summary_weekday)
