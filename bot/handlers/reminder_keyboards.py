"""Inline keyboards of /reminders: the settings menu and the weekday toggles."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.coaching.reminder_input import WEEKDAYS
from bot.content.texts import Texts
from bot.handlers import callback_data as cd


def settings_menu(texts: Texts, *, paused: bool) -> InlineKeyboardMarkup:
    """One big button a row: change time, days, zone; pause, or turn back on."""
    labels = texts.reminder_settings
    pause_or_resume = (
        (labels.resume_button, cd.SETTINGS_RESUME)
        if paused
        else (labels.pause_button, cd.SETTINGS_PAUSE)
    )
    rows = [
        (labels.change_time_button, cd.SETTINGS_TIME),
        (labels.change_days_button, cd.SETTINGS_DAYS),
        (labels.change_zone_button, cd.SETTINGS_ZONE),
        pause_or_resume,
    ]
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data)] for text, data in rows]
    )


def weekdays(texts: Texts, selected: str) -> InlineKeyboardMarkup:
    """The seven days, ✓ on those selected (Mon–Thu, then Fri–Sun), and Save."""
    labels = texts.reminder_settings
    names = texts.reminders.weekdays
    days = [
        InlineKeyboardButton(
            (labels.day_on if str(day) in selected else labels.day_off).format(day=names[day]),
            callback_data=cd.days(selected, day),
        )
        for day in WEEKDAYS
    ]
    save = InlineKeyboardButton(labels.save_button, callback_data=cd.days(selected, "save"))
    return InlineKeyboardMarkup([days[:4], days[4:], [save]])
