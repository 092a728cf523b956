"""Reminder wording: the reminder itself and "next reminder" lines, from content."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.coaching.reminder_facts import ReminderFacts
from bot.content.coaching_texts import FlareTexts
from bot.content.texts import ReminderTexts
from bot.handlers import callback_data as cd
from scheduler.plans import Occurrence


def local_when(texts: ReminderTexts, instant: datetime, zone: str) -> str:
    """An instant as the person's clock shows it: "Thu 5 Mar, 08:00"."""
    local = instant.astimezone(ZoneInfo(zone))
    return texts.when.format(
        weekday=texts.weekdays[local.weekday()],
        day=local.day,
        month=texts.months[local.month - 1],
        time=local_clock(instant, zone),
    )


def local_clock(instant: datetime, zone: str) -> str:
    """What the person's clock shows at `instant`: "09:30"."""
    return instant.astimezone(ZoneInfo(zone)).strftime("%H:%M")


def next_reminder_line(texts: ReminderTexts, occurrence: Occurrence | None, zone: str) -> str:
    """ "Next reminder: Thu 5 Mar, 08:00." or, with none planned, how to turn them back on."""
    if occurrence is None:
        return texts.no_next_reminder
    return texts.next_reminder.format(when=local_when(texts, occurrence.due_at, zone))


def reminder_message(
    texts: ReminderTexts,
    facts: ReminderFacts,
    *,
    local_date: date,
    snoozed: bool,
    flare: FlareTexts | None = None,
) -> str:
    """The day's reminder: a phrasing that says something true, varied from day to day; a
    softer one in flare-up mode, and once that flare-up mode is over (with `flare` texts)."""
    if snoozed:
        return texts.snoozed
    if flare is not None and facts.in_flare:
        return flare.reminders[local_date.toordinal() % len(flare.reminders)]
    usual = _usual_reminder(texts, facts, local_date)
    if flare is not None and facts.flare_over:
        return f"{flare.ended_by_itself}\n\n{usual}"
    return usual


def _usual_reminder(texts: ReminderTexts, facts: ReminderFacts, local_date: date) -> str:
    if facts.days_since is None:
        options, values = texts.never_done, {}
    elif facts.streak >= 2:
        options, values = texts.streak, {"streak": facts.streak}
    elif facts.days_since == 1:
        options, values = texts.yesterday, {}
    else:
        options, values = texts.since, {"days": facts.days_since}
    return options[local_date.toordinal() % len(options)].format(**values)


def reminder_keyboard(
    texts: ReminderTexts, *, local_date: date, offer_later: bool
) -> InlineKeyboardMarkup:
    """Start now, Later (once a day), Skip today."""
    rows = [
        [InlineKeyboardButton(texts.start_button, callback_data=cd.reminder("start", local_date))]
    ]
    if offer_later:
        later = texts.later_button.format(minutes=texts.snooze_minutes)
        rows.append([InlineKeyboardButton(later, callback_data=cd.reminder("later", local_date))])
    rows.append(
        [InlineKeyboardButton(texts.skip_button, callback_data=cd.reminder("skip", local_date))]
    )
    return InlineKeyboardMarkup(rows)
