"""A scheduled message's fate, decided again when its turn to send comes, and logged."""

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import MessageKind, SendStatus
from bot.db.queries import send_log
from scheduler.decisions import DueMessageFacts, Fate, decide
from scheduler.outgoing import Outgoing
from scheduler.plans import ReminderPlan

_STATUS_OF_FATE = {
    Fate.SEND: SendStatus.SENDING,
    Fate.SKIP_LATE: SendStatus.SKIPPED_LATE,
    Fate.SKIP_DONE: SendStatus.SKIPPED_DONE,
    Fate.DROP: SendStatus.CANCELLED,
}


def fate_of_non_reminder(
    item: Outgoing,
    *,
    plan: ReminderPlan | None,
    recurring: bool,
    now: datetime,
    grace: timedelta,
) -> Fate:
    """A check-in's or summary's fate by the scheduling rules alone: sent whatever the day
    held, late beyond `grace`, dropped with no plan. Each kind then adds its own reasons."""
    facts = DueMessageFacts(
        due_at=item.due_at,
        local_date=item.key[2],
        plan=plan,
        recurring=recurring,
        done_that_day=False,
        reminder=False,
    )
    return decide(facts, now=now, grace=grace).fate


async def settle(session: AsyncSession, item: Outgoing, fate: Fate) -> bool:
    """Log the fate of a queued message; True if this call took it from queued (and, for
    SEND, with it the one right to send it)."""
    user_id, kind, local_date = item.key
    return await send_log.settle_queued(
        session,
        user_id=user_id,
        kind=MessageKind(kind),
        local_date=local_date,
        to=_STATUS_OF_FATE[fate],
    )
