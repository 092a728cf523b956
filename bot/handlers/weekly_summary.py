"""The weekly summary: its message (the week in three lines, as the chart's caption), and
/summary, which shows and changes its day."""

import html
import logging
import re
from datetime import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.content.texts import Texts
from bot.flows import weekly_summary as flow
from bot.flows.reminder_settings import NotReady
from bot.flows.weekly_summary import SummarySetting, SummaryToSend
from bot.handlers import callback_data as cd
from bot.handlers.progress import draw_chart, summary_text
from bot.handlers.reminder_settings import refuse
from bot.handlers.reminder_views import local_when
from bot.handlers.replies import mark_answered, pressed, say, telegram_ids
from bot.services import CoachContext
from scheduler.outgoing import Rendered

logger = logging.getLogger(__name__)
# Telegram's limit on a photo's caption, in visible characters.
_CAPTION_LIMIT = 1024


def _visible_length(html_text: str) -> int:
    """How many characters Telegram counts in an HTML text: tags are not counted."""
    return len(html.unescape(re.sub(r"<[^>]+>", "", html_text)))


async def render_summary(texts: Texts, summary: SummaryToSend, *, at: time) -> Rendered:
    """The week in three lines as the chart's caption; the lines alone if the chart fails or
    edited texts make the caption too long (a summary without its picture beats none)."""
    words = texts.progress
    footer = words.weekly.footer.format(
        day=words.weekly.days[summary.weekday], time=at.strftime("%H:%M")
    )
    lines = summary_text(words, summary.progress)
    caption = f"{lines}\n\n<i>{words.chart.caption}</i>\n{footer}"
    text_only = Rendered(text=f"{lines}\n\n{footer}", reply_markup=None)
    if _visible_length(caption) > _CAPTION_LIMIT:
        logger.warning("Weekly summary caption over %d characters: sent as text", _CAPTION_LIMIT)
        return text_only
    try:
        chart = await draw_chart(summary.progress, words)
    except Exception:  # matplotlib failing must not cost the person their summary
        logger.exception("Could not draw the weekly summary chart")
        return text_only
    return Rendered(text=caption, reply_markup=None, photo=chart)


def _next_line(texts: Texts, setting: SummarySetting) -> str:
    words = texts.progress.weekly
    if setting.next is None:
        return ""
    if setting.paused:
        return words.next_paused
    when = local_when(texts.reminders, setting.next.due_at, setting.zone)
    return (words.next if setting.started else words.next_first).format(when=when)


def _setting_text(texts: Texts, setting: SummarySetting) -> str:
    words = texts.progress.weekly
    at = setting.at.strftime("%H:%M")
    if setting.weekday is None:
        return words.setting_off.format(time=at)
    day = words.days[setting.weekday]
    return words.setting.format(
        day=day, time=at, zone=setting.zone, next=_next_line(texts, setting)
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
    if isinstance(setting, NotReady):
        await refuse(update, context, setting)
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
    words = texts.progress.weekly
    chosen = words.off_button if weekday is None else texts.reminders.weekdays[weekday]
    await mark_answered(query, chosen)
    if isinstance(changed, NotReady):
        await refuse(update, context, changed)
        return
    if changed.weekday is None:
        await say(update, words.turned_off)
        return
    day, at = words.days[changed.weekday], changed.at.strftime("%H:%M")
    await say(update, words.changed.format(day=day, time=at, next=_next_line(texts, changed)))
