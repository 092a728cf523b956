"""The weekly summary: its message (the week in three lines, under the chart), and /summary,
which shows and changes its day."""

import logging
from datetime import date, time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.content.texts import Texts
from bot.flows import weekly_summary as flow
from bot.flows.progress import Progress
from bot.flows.weekly_summary import NotSetUp, SummarySetting
from bot.handlers import callback_data as cd
from bot.handlers.progress import draw_chart, progress_text
from bot.handlers.reminder_views import local_when
from bot.handlers.replies import mark_answered, pressed, say, telegram_ids
from bot.services import CoachContext
from scheduler.outgoing import Rendered

logger = logging.getLogger(__name__)


async def render_summary(
    texts: Texts, progress: Progress, *, local_date: date, at: time
) -> Rendered:
    """The week in three lines as the chart's caption; the lines alone if the chart fails (a
    summary without its picture beats none)."""
    words = texts.progress
    footer = words.weekly.footer.format(
        day=words.weekly.days[local_date.weekday()], time=at.strftime("%H:%M")
    )
    lines = progress_text(words, progress, heading=words.weekly.heading)
    caption = f"{lines}\n\n<i>{words.chart.caption}</i>\n{footer}"
    try:
        chart = await draw_chart(progress, words)
    except Exception:  # matplotlib failing must not cost the person their summary
        logger.exception("Could not draw the weekly summary chart")
        return Rendered(text=f"{lines}\n\n{footer}", reply_markup=None)
    return Rendered(text=caption, reply_markup=None, photo=chart)


def _setting_text(texts: Texts, setting: SummarySetting) -> str:
    words = texts.progress.weekly
    at = setting.at.strftime("%H:%M")
    if setting.weekday is None:
        return words.setting_off.format(time=at)
    when = local_when(texts.reminders, setting.next.due_at, setting.zone) if setting.next else ""
    return words.setting.format(
        day=words.days[setting.weekday],
        time=at,
        zone=setting.zone,
        next=words.next.format(when=when) if when else "",
    )


def _day_keyboard(texts: Texts, chosen: int | None) -> InlineKeyboardMarkup:
    """The seven days (the chosen one ticked), four and three a row, then "none"."""
    names = texts.reminders.weekdays
    days = [
        InlineKeyboardButton(
            texts.reminder_settings.day_on.format(day=name) if n == chosen else name,
            callback_data=cd.summary_day(n),
        )
        for n, name in enumerate(names)
    ]
    off = InlineKeyboardButton(texts.progress.weekly.off_button, callback_data=cd.summary_day(None))
    return InlineKeyboardMarkup([days[:4], days[4:], [off]])


async def show_summary_day(update: Update, context: CoachContext) -> None:
    """/summary: which day the weekly summary comes, with buttons to change it."""
    texts = context.services.content.texts
    setting = await flow.show_summary_day(context.services, telegram_id=telegram_ids(update)[0])
    if isinstance(setting, NotSetUp):
        await say(update, texts.routine.not_ready)
        return
    await say(update, _setting_text(texts, setting), _day_keyboard(texts, setting.weekday))


async def press_summary_day(update: Update, context: CoachContext) -> None:
    """A day (or "none") pressed under /summary: saved, the buttons taken away, confirmed."""
    query, data = pressed(update)
    await query.answer()
    texts = context.services.content.texts
    weekday = cd.parse_summary_day(data)
    changed = await flow.change_summary_day(
        context.services, telegram_id=telegram_ids(update)[0], weekday=weekday
    )
    if isinstance(changed, NotSetUp):
        await say(update, texts.routine.not_ready)
        return
    words = texts.progress.weekly
    chosen = words.off_button if weekday is None else words.days[weekday]
    await mark_answered(query, chosen)
    if changed.weekday is None or changed.next is None:
        await say(update, words.turned_off)
        return
    when = local_when(texts.reminders, changed.next.due_at, changed.zone)
    day = words.days[changed.weekday]
    await say(update, words.changed.format(day=day, time=changed.at.strftime("%H:%M"), when=when))
