"""How /history reads: one short line per session, phone-sized."""

from datetime import date
from html import escape

from bot.content.schema import Content
from bot.content.texts import Texts
from bot.flows.export_files import routine_name
from bot.flows.person_data import PastSession


def _date(texts: Texts, day: date) -> str:
    names = texts.reminders
    return texts.data.history_date.format(
        weekday=names.weekdays[day.weekday()], day=day.day, month=names.months[day.month - 1]
    )


def history(texts: Texts, content: Content, past: list[PastSession]) -> str:
    """The heading and one line per session, or a kind word when there are none."""
    words = texts.data
    if not past:
        return words.history_empty
    lines = [
        words.history_line.format(
            date=_date(texts, session.local_date),
            routine=escape(routine_name(content, session.routine_key)),
            status=words.statuses[session.status],
            pain=words.history_no_pain
            if session.pain_after is None
            else words.history_pain.format(score=session.pain_after),
        )
        for session in past
    ]
    return "\n".join([words.history_heading, *lines])
