"""/reminders, /pause and /resume: see the daily reminder, change its days, pause it.

Changing the time or the zone asks a question and waits for the answer: `reminder_changes.py`.
"""

from datetime import date

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.coaching.reminder_input import describe_days, is_valid_days, parse_pause, toggle_day
from bot.content.texts import Texts
from bot.flows import reminder_settings as flow
from bot.flows.reminder_settings import NotReady, ReminderSettings
from bot.handlers import callback_data as cd
from bot.handlers import keyboards, reminder_keyboards
from bot.handlers.reminder_views import next_reminder_line
from bot.handlers.replies import mark_answered, pressed, say, telegram_ids
from bot.services import CoachContext


def worded(texts: Texts, template: str, settings: ReminderSettings, **extra: object) -> str:
    """A reminder-settings text with its {time}, {days}, {zone}, {date}, {status} and {next}
    filled in (and any `extra` placeholders)."""
    return template.format(
        time=settings.at.strftime("%H:%M"),
        days=days_in_words(texts, settings.days),
        zone=settings.zone,
        date=_date_in_words(texts, settings.resume_on) if settings.resume_on else "",
        status=_status(texts, settings),
        next=next_reminder_line(texts.reminders, settings.next, settings.zone),
        **extra,
    )


def _status(texts: Texts, settings: ReminderSettings) -> str:
    words = texts.reminder_settings
    if not settings.paused:
        return words.status_on
    if settings.resume_on is None:
        return words.status_paused
    return words.status_paused_until.format(date=_date_in_words(texts, settings.resume_on))


def days_in_words(texts: Texts, days: str) -> str:
    words = texts.reminder_settings
    return describe_days(
        days,
        texts.reminders.weekdays,
        every_day=words.every_day,
        day_range=words.day_range,
        separator=words.day_separator,
    )


def _date_in_words(texts: Texts, day: date) -> str:
    names = texts.reminders
    return texts.reminder_settings.date.format(
        weekday=names.weekdays[day.weekday()], day=day.day, month=names.months[day.month - 1]
    )


async def refuse(update: Update, context: CoachContext, refusal: NotReady) -> None:
    """Someone who gets no reminders yet: point them to set-up (or to the recheck)."""
    texts = context.services.content.texts
    if refusal.referred:
        recheck = keyboards.single(texts.screening.recheck_button, cd.RECHECK)
        await say(update, texts.screening.referred_reminder, recheck)
    else:
        await say(update, texts.routine.not_ready)


async def confirm(
    update: Update,
    context: CoachContext,
    settings: ReminderSettings | NotReady,
    template: str,
    keyboard: InlineKeyboardMarkup | None = None,
    **extra: object,
) -> None:
    """Say `template` with the settings filled in; or, if there are none, why."""
    if isinstance(settings, NotReady):
        await refuse(update, context, settings)
        return
    await say(update, worded(context.services.content.texts, template, settings, **extra), keyboard)


async def show_reminders(update: Update, context: CoachContext) -> None:
    """/reminders: time, days, zone, pause, the next reminder, and buttons to change them."""
    settings = await flow.show_settings(context.services, telegram_id=telegram_ids(update)[0])
    if isinstance(settings, NotReady):
        await refuse(update, context, settings)
        return
    texts = context.services.content.texts
    menu = reminder_keyboards.settings_menu(texts, paused=settings.paused)
    await say(update, worded(texts, texts.reminder_settings.summary, settings), menu)


async def pause_reminders(update: Update, context: CoachContext) -> None:
    """/pause (until /resume) or /pause N (N days from today)."""
    request = parse_pause(context.args or [])
    if request is not None:
        await _pause(update, context, request.days)
        return
    settings = await flow.show_settings(context.services, telegram_id=telegram_ids(update)[0])
    invalid = context.services.content.texts.reminder_settings.pause_invalid
    await confirm(update, context, settings, invalid)


async def press_pause(update: Update, context: CoachContext) -> None:
    """The Pause button: until /resume."""
    query, _ = pressed(update)
    await query.answer()
    await mark_answered(query, context.services.content.texts.reminder_settings.pause_button)
    await _pause(update, context, None)


async def _pause(update: Update, context: CoachContext, days: int | None) -> None:
    telegram_id = telegram_ids(update)[0]
    settings = await flow.pause(context.services, telegram_id=telegram_id, days=days)
    words = context.services.content.texts.reminder_settings
    template = words.paused_for if days else words.paused
    if days == 1:
        template = words.paused_for_one
    resume = keyboards.single(words.resume_button, cd.SETTINGS_RESUME)
    await confirm(update, context, settings, template, resume, count=days)


async def resume_reminders(update: Update, context: CoachContext) -> None:
    """/resume: reminders back on, whatever pause there was."""
    resumed = await flow.resume(context.services, telegram_id=telegram_ids(update)[0])
    if isinstance(resumed, NotReady):
        await refuse(update, context, resumed)
        return
    words = context.services.content.texts.reminder_settings
    template = words.resumed if resumed.was_paused else words.already_on
    await confirm(update, context, resumed.settings, template)


async def press_resume(update: Update, context: CoachContext) -> None:
    """The Turn reminders back on button."""
    query, _ = pressed(update)
    await query.answer()
    await mark_answered(query, context.services.content.texts.reminder_settings.resume_button)
    await resume_reminders(update, context)


async def open_days(update: Update, context: CoachContext) -> None:
    """The Change days button: the seven days, the current ones ticked."""
    query, _ = pressed(update)
    await query.answer()
    texts = context.services.content.texts
    await mark_answered(query, texts.reminder_settings.change_days_button)
    settings = await flow.show_settings(context.services, telegram_id=telegram_ids(update)[0])
    keyboard = None
    if not isinstance(settings, NotReady):
        keyboard = reminder_keyboards.weekdays(texts, settings.days)
    await confirm(update, context, settings, texts.reminder_settings.days_question, keyboard)


async def press_day(update: Update, context: CoachContext) -> None:
    """A weekday toggle (the selection so far lives in the buttons), or Save."""
    query, data = pressed(update)
    await query.answer()
    selected, action = cd.parse_days(data)
    if action == "save":
        await _save_days(update, context, selected)
        return
    keyboard = reminder_keyboards.weekdays(
        context.services.content.texts, toggle_day(selected, int(action))
    )
    try:
        await query.edit_message_reply_markup(keyboard)
    except BadRequest as error:
        # A double tap on an old keyboard asks for the same change twice.
        if "not modified" not in str(error).lower():
            raise


async def _save_days(update: Update, context: CoachContext, selected: str) -> None:
    texts = context.services.content.texts
    if not is_valid_days(selected):
        await say(update, texts.reminder_settings.days_none)
        return
    telegram_id = telegram_ids(update)[0]
    settings = await flow.change_days(context.services, telegram_id=telegram_id, days=selected)
    if not isinstance(settings, NotReady):
        await mark_answered(pressed(update)[0], days_in_words(texts, settings.days))
    await confirm(update, context, settings, texts.reminder_settings.days_changed)
