"""Change time and Change time zone: ask, then take a button, a typed answer or a location.

This conversation runs in handler group -1, before all the others, and what it answers is kept
from them (`claims.py`). Anything else (another command, another button) ends the question
quietly and goes on to the other handlers, so a forgotten question never takes a pain score
typed later in a routine.
"""

from datetime import time
from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ConversationHandler

from bot.coaching.time_input import parse_reminder_time, resolve_time_zone, zone_for_location
from bot.flows import reminder_settings as flow
from bot.flows.reminder_settings import NotReady
from bot.handlers import callback_data as cd
from bot.handlers import keyboards
from bot.handlers.reminder_settings import confirm
from bot.handlers.replies import mark_answered, pressed, say, telegram_ids
from bot.handlers.states import CHANGING_REMINDER_TIME, CHANGING_TIME_ZONE
from bot.services import CoachContext

State = str | int | None


async def _press(update: Update, mark: str) -> None:
    query, _ = pressed(update)
    await query.answer()
    await mark_answered(query, mark)


async def _ask(
    update: Update,
    context: CoachContext,
    template: str,
    keyboard: InlineKeyboardMarkup | None = None,
    **extra: object,
) -> bool:
    """Ask (or ask again) with the settings filled in; False if the person gets no reminders."""
    settings = await flow.show_settings(context.services, telegram_id=telegram_ids(update)[0])
    await confirm(update, context, settings, template, keyboard, **extra)
    return not isinstance(settings, NotReady)


async def ask_time(update: Update, context: CoachContext) -> State:
    """The Change time button: the time now, the presets, or type one."""
    texts = context.services.content.texts
    words = texts.reminder_settings
    await _press(update, words.change_time_button)
    asked = await _ask(update, context, words.time_question, keyboards.reminder_times(texts))
    return CHANGING_REMINDER_TIME if asked else ConversationHandler.END


async def _keep_time(update: Update, context: CoachContext, chosen: time) -> State:
    telegram_id = telegram_ids(update)[0]
    changed = await flow.change_time(
        context.services, telegram_id=telegram_id, reminder_time=chosen
    )
    await confirm(
        update, context, changed, context.services.content.texts.reminder_settings.time_changed
    )
    return ConversationHandler.END


async def press_time(update: Update, context: CoachContext) -> State:
    """A preset time button."""
    query, data = pressed(update)
    chosen = parse_reminder_time(cd.suffix(data))
    if chosen is None:
        await query.answer(context.services.content.texts.common.button_expired)
        return None
    await _press(update, chosen.strftime("%H:%M"))
    return await _keep_time(update, context, chosen)


async def type_time(update: Update, context: CoachContext) -> State:
    """A typed `7:30`; anything else is asked again, and the time is kept."""
    assert update.effective_message is not None
    chosen = parse_reminder_time(update.effective_message.text or "")
    if chosen is not None:
        return await _keep_time(update, context, chosen)
    invalid = context.services.content.texts.reminder_settings.time_invalid
    return None if await _ask(update, context, invalid) else ConversationHandler.END


async def ask_zone(update: Update, context: CoachContext) -> State:
    """The Change time zone button: the zone now, the presets, a typed name or a location."""
    texts = context.services.content.texts
    words = texts.reminder_settings
    await _press(update, words.change_zone_button)
    asked = await _ask(update, context, words.zone_question, keyboards.time_zones(texts))
    return CHANGING_TIME_ZONE if asked else ConversationHandler.END


async def _keep_zone(update: Update, context: CoachContext, zone: str) -> State:
    telegram_id = telegram_ids(update)[0]
    changed = await flow.change_zone(context.services, telegram_id=telegram_id, zone=zone)
    await confirm(
        update, context, changed, context.services.content.texts.reminder_settings.zone_changed
    )
    return ConversationHandler.END


async def press_zone(update: Update, context: CoachContext) -> State:
    """A preset zone button."""
    query, data = pressed(update)
    zone = resolve_time_zone(cd.suffix(data))
    if zone is None:
        await query.answer(context.services.content.texts.common.button_expired)
        return None
    await _press(update, zone)
    return await _keep_zone(update, context, zone)


async def type_zone(update: Update, context: CoachContext) -> State:
    """A typed IANA name such as `Europe/Berlin`; anything else is asked again."""
    assert update.effective_message is not None
    typed = update.effective_message.text or ""
    zone = resolve_time_zone(typed)
    if zone is not None:
        return await _keep_zone(update, context, zone)
    invalid = context.services.content.texts.reminder_settings.zone_invalid
    asked = await _ask(update, context, invalid, text=escape(typed[:40]))
    return None if asked else ConversationHandler.END


async def share_location(update: Update, context: CoachContext) -> State:
    """A shared location, turned into a zone offline and then forgotten."""
    assert update.effective_message is not None and update.effective_message.location is not None
    location = update.effective_message.location
    zone = zone_for_location(location.latitude, location.longitude)
    if zone is None:
        await say(update, context.services.content.texts.onboarding.time_zone_location_unknown)
        return None
    return await _keep_zone(update, context, zone)


async def cancel_change(update: Update, context: CoachContext) -> State:
    """/cancel while asked for a time or zone: keep everything as it was."""
    await say(update, context.services.content.texts.reminder_settings.change_cancelled)
    return ConversationHandler.END


async def step_aside(update: Update, context: CoachContext) -> int:
    """Another command or button: drop the question; the update goes on to the next group."""
    return ConversationHandler.END
