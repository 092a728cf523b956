"""Coaching words from content: what follows a session's rating, and the morning check-in."""

from collections.abc import Mapping

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.coaching.checkins import MorningAnswer
from bot.coaching.ladders import Track
from bot.content.coaching_texts import CheckInTexts
from bot.content.schema import Content
from bot.flows.check_in import Answered
from bot.flows.session_end import Rated
from bot.handlers import callback_data as cd
from bot.handlers.views import progression_lines


def after_session(content: Content, tracks: Mapping[str, Track], rated: Rated) -> str:
    """Below the session summary: against recent sessions, what changes now, and whether the
    rest waits for the morning."""
    words = content.texts.coaching
    parts = []
    feedback = rated.feedback
    if feedback.recent_average is not None and feedback.versus_recent is not None:
        average = f"{feedback.recent_average:g}"
        parts.append(words.versus_recent[feedback.versus_recent].format(average=average))
    if rated.decided:
        parts.append(progression_lines(content, tracks, rated.decided))
    if rated.waiting and rated.check_in_at is not None:
        parts.append(words.check_in.waiting.format(time=rated.check_in_at.strftime("%H:%M")))
    elif rated.waiting:
        parts.append(words.check_in.waiting_unscheduled)
    return "\n\n".join(parts)


def _labels(texts: CheckInTexts) -> dict[MorningAnswer, str]:
    return {
        MorningAnswer.BETTER: texts.better_button,
        MorningAnswer.SAME: texts.same_button,
        MorningAnswer.WORSE: texts.worse_button,
    }


def check_in_keyboard(texts: CheckInTexts, *, session_id: int) -> InlineKeyboardMarkup:
    """Better / The same / Worse, about that session."""
    buttons = [
        InlineKeyboardButton(label, callback_data=cd.check_in(session_id, answer.value))
        for answer, label in _labels(texts).items()
    ]
    return InlineKeyboardMarkup([buttons])


def answer_label(texts: CheckInTexts, answer: MorningAnswer) -> str:
    """A pressed answer, to show under the question."""
    return texts.answered.format(answer=_labels(texts)[answer])


def check_in_reply(content: Content, tracks: Mapping[str, Track], answered: Answered) -> str:
    """The answer to a check-in: what the decisions it made change, and why; else the
    morning's verdict, or a kind note when the session was already decided without it."""
    words = content.texts.coaching
    if answered.decisions:
        lines = progression_lines(content, tracks, answered.decisions)
        return f"{words.check_in.next_session}\n{lines}"
    if answered.noted:
        return words.check_in.noted
    return words.reasons[answered.verdict.reason]
