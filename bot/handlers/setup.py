"""Set-up after the screen: baseline pain, reminder time and time zone."""

from datetime import time
from html import escape

from telegram import Update
from telegram.ext import ConversationHandler

from bot.coaching.pain import is_valid_score, parse_pain_score
from bot.coaching.time_input import parse_reminder_time, resolve_time_zone, zone_for_location
from bot.db.models import User
from bot.flows import onboarding
from bot.flows.stage import Stage
from bot.handlers import callback_data as cd
from bot.handlers import keyboards
from bot.handlers.reminder_views import next_reminder_line
from bot.handlers.replies import mark_answered, pressed, say, telegram_ids
from bot.handlers.states import CHOOSING_REMINDER_TIME, CHOOSING_TIME_ZONE, RATING_BASELINE
from bot.services import CoachContext


async def _user(update: Update, context: CoachContext) -> User:
    user = await onboarding.find_user(context.services, telegram_id=telegram_ids(update)[0])
    assert user is not None  # set-up states are only reached after /start created them
    return user


async def resume(update: Update, context: CoachContext, stage: Stage) -> str:
    """Ask again the first set-up question still open."""
    if stage is Stage.BASELINE:
        return await ask_baseline(update, context)
    if stage is Stage.REMINDER_TIME:
        return await ask_reminder_time(update, context)
    user = await _user(update, context)
    assert user.reminder_time is not None
    return await ask_time_zone(update, context, user.reminder_time)


async def ask_baseline(update: Update, context: CoachContext) -> str:
    texts = context.services.content.texts
    await say(
        update, texts.onboarding.baseline_question, keyboards.zero_to_ten(keyboards.ScoreData())
    )
    return RATING_BASELINE


async def _keep_baseline(update: Update, context: CoachContext, score: int) -> str:
    user = await _user(update, context)
    await onboarding.record_baseline(context.services, user_id=user.id, score=score)
    await say(
        update, context.services.content.texts.onboarding.baseline_recorded.format(score=score)
    )
    return await ask_reminder_time(update, context)


async def press_baseline(update: Update, context: CoachContext) -> str | None:
    """A 0–10 button as today's starting point."""
    query, data = pressed(update)
    score = cd.last_number(data)
    if not is_valid_score(score):
        await query.answer(context.services.content.texts.common.button_expired)
        return None
    await query.answer()
    await mark_answered(query, f"{score}/10")
    return await _keep_baseline(update, context, score)


async def type_baseline(update: Update, context: CoachContext) -> str | None:
    """A typed `4` or `4/10` as today's starting point."""
    assert update.effective_message is not None
    score = parse_pain_score(update.effective_message.text or "")
    if score is None:
        await say(update, context.services.content.texts.pain.invalid)
        return None
    return await _keep_baseline(update, context, score)


async def ask_reminder_time(update: Update, context: CoachContext) -> str:
    texts = context.services.content.texts
    await say(update, texts.onboarding.reminder_time_question, keyboards.reminder_times(texts))
    return CHOOSING_REMINDER_TIME


async def _keep_time(update: Update, context: CoachContext, chosen: time) -> str:
    user = await _user(update, context)
    await onboarding.choose_reminder_time(context.services, user_id=user.id, reminder_time=chosen)
    return await ask_time_zone(update, context, chosen)


async def press_reminder_time(update: Update, context: CoachContext) -> str | None:
    """A preset time button."""
    query, data = pressed(update)
    chosen = parse_reminder_time(cd.suffix(data))
    if chosen is None:
        await query.answer(context.services.content.texts.common.button_expired)
        return None
    await query.answer()
    await mark_answered(query, chosen.strftime("%H:%M"))
    return await _keep_time(update, context, chosen)


async def type_reminder_time(update: Update, context: CoachContext) -> str | None:
    """A typed `07:30`."""
    assert update.effective_message is not None
    chosen = parse_reminder_time(update.effective_message.text or "")
    if chosen is None:
        await say(update, context.services.content.texts.onboarding.reminder_time_invalid)
        return None
    return await _keep_time(update, context, chosen)


async def ask_time_zone(update: Update, context: CoachContext, reminder_time: time) -> str:
    texts = context.services.content.texts
    question = texts.onboarding.time_zone_question.format(time=reminder_time.strftime("%H:%M"))
    await say(update, question, keyboards.time_zones(texts))
    return CHOOSING_TIME_ZONE


async def _keep_zone(update: Update, context: CoachContext, zone: str) -> int:
    user = await _user(update, context)
    first = await onboarding.finish_setup(context.services, user_id=user.id, time_zone=zone)
    texts = context.services.content.texts
    assert user.reminder_time is not None
    done = texts.onboarding.done.format(
        time=user.reminder_time.strftime("%H:%M"),
        zone=zone,
        next=next_reminder_line(texts.reminders, first, zone),
    )
    await say(
        update, done, keyboards.single(texts.onboarding.start_routine_button, cd.OPEN_ROUTINES)
    )
    return ConversationHandler.END


async def press_time_zone(update: Update, context: CoachContext) -> int | None:
    """A preset zone button."""
    query, data = pressed(update)
    zone = resolve_time_zone(cd.suffix(data))
    if zone is None:
        await query.answer(context.services.content.texts.common.button_expired)
        return None
    await query.answer()
    await mark_answered(query, zone)
    return await _keep_zone(update, context, zone)


async def type_time_zone(update: Update, context: CoachContext) -> int | None:
    """A typed IANA name such as `Europe/Berlin`."""
    assert update.effective_message is not None
    typed = update.effective_message.text or ""
    zone = resolve_time_zone(typed)
    if zone is None:
        invalid = context.services.content.texts.onboarding.time_zone_invalid
        await say(update, invalid.format(text=escape(typed[:40])))
        return None
    return await _keep_zone(update, context, zone)


async def share_location(update: Update, context: CoachContext) -> int | None:
    """A shared location, turned into a zone offline and then forgotten."""
    assert update.effective_message is not None and update.effective_message.location is not None
    location = update.effective_message.location
    zone = zone_for_location(location.latitude, location.longitude)
    if zone is None:
        await say(update, context.services.content.texts.onboarding.time_zone_location_unknown)
        return None
    return await _keep_zone(update, context, zone)
