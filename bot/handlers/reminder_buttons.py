"""The buttons on a reminder: Start now, Later, Skip today."""

from telegram import Update

from bot.db.enums import UserStatus
from bot.flows import onboarding, reminder_responses
from bot.flows import routine as routine_flow
from bot.flows.reminder_responses import Passed
from bot.handlers import callback_data as cd
from bot.handlers import routine
from bot.handlers.reminder_views import local_clock, next_reminder_line
from bot.handlers.replies import mark_answered, pressed, telegram_ids
from bot.services import CoachContext


async def start_now(update: Update, context: CoachContext) -> str | int | None:
    """Open today's plan (or the routine already under way)."""
    query, data = pressed(update)
    services = context.services
    user = await onboarding.find_user(services, telegram_id=telegram_ids(update)[0])
    if user is None or user.status != UserStatus.ACTIVE:
        return await routine.open_routines(update, context)
    await query.answer()
    await reminder_responses.start_now(services, user_id=user.id, local_date=cd.reminder_date(data))
    await mark_answered(query, services.content.texts.reminders.started_mark)
    current = await routine_flow.current_step(services, user_id=user.id)
    if current is not None:
        return await routine.show(update, context, current)
    return await routine.begin_routine(update, context, user.id, None)


async def later(update: Update, context: CoachContext) -> None:
    """Remind again after the snooze time."""
    query, data = pressed(update)
    texts = context.services.content.texts.reminders
    outcome = await reminder_responses.snooze(
        context.services, telegram_id=telegram_ids(update)[0], local_date=cd.reminder_date(data)
    )
    if isinstance(outcome, Passed):
        await query.answer(texts.passed, show_alert=True)
        return
    await query.answer()
    when = local_clock(outcome.due_at, outcome.zone)
    await mark_answered(query, texts.later_confirmed.format(time=when))


async def skip_today(update: Update, context: CoachContext) -> None:
    """A rest day, with the next reminder's day and time."""
    query, data = pressed(update)
    texts = context.services.content.texts.reminders
    outcome = await reminder_responses.skip_today(
        context.services, telegram_id=telegram_ids(update)[0], local_date=cd.reminder_date(data)
    )
    if isinstance(outcome, Passed):
        await query.answer(texts.passed, show_alert=True)
        return
    await query.answer()
    following = next_reminder_line(texts, outcome.next, outcome.zone)
    await mark_answered(query, texts.skip_confirmed.format(next=following))
