"""The weekly summary: its day, chosen with /summary, and its claim when the tick queues it.

It comes at the coach's evening time (`content/plan.yaml`) on the person's chosen weekday,
Sunday unless they chose another. It is not sent while reminders are paused (a break means no
messages), nor to someone with nothing done or rated yet: an empty week is not news.
"""

from dataclasses import dataclass
from datetime import time, timedelta

from bot.db.enums import MessageKind
from bot.db.queries import due_messages, send_log, users
from bot.flows.due_fates import STATUS_OF_FATE
from bot.flows.progress import Progress, load_progress
from bot.flows.schedule import plan_of, reschedule_summary, summary_plan_of
from bot.services import Services
from scheduler.decisions import DueMessageFacts, Fate, decide, is_paused_on
from scheduler.outgoing import Outgoing
from scheduler.plans import Occurrence


@dataclass(frozen=True, slots=True)
class SummarySetting:
    weekday: int | None  # 0 Monday to 6 Sunday; None: no weekly summary
    at: time
    zone: str
    next: Occurrence | None


@dataclass(frozen=True, slots=True)
class NotSetUp:
    """Not in the programme (set-up unfinished, or referred): no summaries."""


async def show_summary_day(services: Services, *, telegram_id: int) -> SummarySetting | NotSetUp:
    """The person's summary day and the next summary."""
    async with services.session_factory() as session:
        person = await users.get_user(session, telegram_id=telegram_id)
        if person is None or person.time_zone is None or plan_of(person) is None:
            return NotSetUp()
        pending = await due_messages.get_due(
            session, user_id=person.id, kind=MessageKind.WEEKLY_SUMMARY
        )
    next_one = Occurrence(pending.next_due_at, pending.local_date) if pending else None
    at = services.content.plan.weekly_summary_at
    return SummarySetting(person.summary_weekday, at, person.time_zone, next_one)


async def change_summary_day(
    services: Services, *, telegram_id: int, weekday: int | None
) -> SummarySetting | NotSetUp:
    """Move the weekly summary to `weekday` (None: no summary) and reschedule it."""
    at = services.content.plan.weekly_summary_at
    now = services.clock()
    async with services.session_factory.begin() as session:
        person = await users.get_user(session, telegram_id=telegram_id, for_update=True)
        if person is None or person.time_zone is None or plan_of(person) is None:
            return NotSetUp()
        await users.update_reminder_settings(session, user_id=person.id, summary_weekday=weekday)
        person = await users.get_user_by_id(session, user_id=person.id)
        occurrence = await reschedule_summary(
            session, user_id=person.id, person=person, now=now, at=at
        )
        assert person.time_zone is not None
        return SummarySetting(weekday, at, person.time_zone, occurrence)


async def claim_summary(services: Services, item: Outgoing, *, grace: timedelta) -> Progress | None:
    """Decide again now it is this summary's turn, and take the one right to send it: its
    progress to show, or None when it is not sent (late, paused, nothing to show, erased)."""
    user_id, _, local_date = item.key
    progress = await load_progress(services, user_id=user_id)
    now = services.clock()
    async with services.session_factory.begin() as session:
        person = await users.find_user_by_id(session, user_id=user_id)
        if person is None:  # erased (/delete) since the tick claimed this message
            return None
        facts = DueMessageFacts(
            due_at=item.due_at,
            local_date=local_date,
            plan=summary_plan_of(person, at=services.content.plan.weekly_summary_at),
            recurring=True,
            done_that_day=False,
            reminder=False,
        )
        fate = decide(facts, now=now, grace=grace).fate
        reminders = plan_of(person)
        paused = reminders is not None and is_paused_on(reminders, local_date)
        if fate is Fate.SEND and (paused or progress is None or not progress.has_data):
            fate = Fate.DROP
        moved = await send_log.settle_queued(
            session,
            user_id=user_id,
            kind=MessageKind.WEEKLY_SUMMARY,
            local_date=local_date,
            to=STATUS_OF_FATE[fate],
        )
    return progress if moved and fate is Fate.SEND else None
