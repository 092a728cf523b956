"""/progress: the week, the streaks, pain against the starting point, and the chart."""

import asyncio

from telegram import Update

from bot.coaching.adherence import WeekAdherence
from bot.content.progress_texts import ProgressTexts
from bot.db.enums import UserStatus
from bot.flows import onboarding
from bot.flows.progress import Progress, load_progress
from bot.handlers.progress_chart import render_chart
from bot.handlers.replies import say, telegram_ids
from bot.services import CoachContext


def _score(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def progress_text(texts: ProgressTexts, progress: Progress) -> str:
    """The /progress message: heading, this week (Monday to Sunday), streak, pain."""
    week = _adherence(texts, progress.week, texts.week, texts.week_nothing_planned)
    return _lines(texts, progress, texts.heading, week)


def summary_text(texts: ProgressTexts, progress: Progress) -> str:
    """The weekly summary's heading and three lines: the seven days that end today, the
    streak, pain."""
    words = texts.weekly
    week = _adherence(texts, progress.last_seven, words.week, words.week_nothing_planned)
    return _lines(texts, progress, words.heading, week)


def _adherence(texts: ProgressTexts, week: WeekAdherence, template: str, nothing: str) -> str:
    if not week.planned:
        return nothing
    line = template.format(completed=week.completed, planned=week.planned)
    line += texts.week_partial.format(partial=week.partial) if week.partial else ""
    return line + (texts.week_extra.format(extra=week.extra) if week.extra else "")


def _lines(texts: ProgressTexts, progress: Progress, heading: str, week: str) -> str:
    if progress.pain_now is None:
        pain = texts.pain_none
    elif progress.baseline is None:
        pain = texts.pain_no_baseline.format(now=_score(progress.pain_now))
    else:
        pain = texts.pain.format(now=_score(progress.pain_now), baseline=progress.baseline)
    streak = progress.streaks
    return "\n".join(
        [heading, week, texts.streak.format(current=streak.current, longest=streak.longest), pain]
    )


async def draw_chart(progress: Progress, texts: ProgressTexts) -> bytes:
    """The progress chart as a PNG, drawn off the event loop."""
    return await asyncio.to_thread(
        render_chart,
        progress.pain_days,
        progress.chart_sessions,
        baseline=progress.baseline,
        texts=texts.chart,
    )


async def show_progress(update: Update, context: CoachContext) -> None:
    """/progress: the text at once, then the chart drawn off the event loop."""
    texts = context.services.content.texts
    person = await onboarding.find_user(context.services, telegram_id=telegram_ids(update)[0])
    if person is None or person.status != UserStatus.ACTIVE:
        await say(update, texts.routine.not_ready)
        return
    progress = await load_progress(context.services, user_id=person.id)
    if progress is None or not progress.has_data:
        await say(update, texts.progress.no_data)
        return
    await say(update, progress_text(texts.progress, progress))
    chart = await draw_chart(progress, texts.progress)
    chat = update.effective_chat
    assert chat is not None
    await chat.send_photo(chart, caption=texts.progress.chart.caption)
