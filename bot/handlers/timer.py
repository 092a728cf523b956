"""The Start timer button on holds and timed releases: a countdown in one edited message.

One JobQueue job per chat counts down: a second Start replaces the first, Stop cancels it. A
timer lives in memory only; after a restart its Stop button just says it has expired.
"""

import asyncio
import logging
import math
import time
from dataclasses import dataclass, field
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import JobQueue

from bot.content.coaching_texts import TimerTexts
from bot.handlers import callback_data as cd
from bot.handlers.replies import pressed, say, telegram_ids
from bot.services import CoachContext

logger = logging.getLogger(__name__)

LONGEST_SECONDS = 900
# Telegram allows about one edit per second in a chat, and the countdown shares that chat's
# budget with the coach's own replies. So a long hold counts down in steps of 5 seconds (it
# leaves room for replies, and a number changing every second is restless to hold still by),
# and only the last 5 seconds go one by one, so the end is easy to see coming.
STEP_SECONDS = 5
FINAL_SECONDS = 5
# Never two edits of the countdown closer together than this, even when a job runs late.
MIN_EDIT_GAP = 1.0


@dataclass
class Countdown:
    chat_id: int
    message_id: int
    ends_at: float  # time.monotonic() when it reaches 0
    showing: int  # the seconds the message shows now
    edited_at: float  # time.monotonic() of the last edit
    over: bool = False  # stopped, replaced, finished, or its message is gone
    # One edit at a time, so a Stop's edit can never be overtaken by the countdown's.
    editing: asyncio.Lock = field(default_factory=asyncio.Lock)


def timer_button(session_id: int, position: int, seconds: int) -> InlineKeyboardButton:
    """A button that starts a `seconds` countdown for the step at `position`."""
    # A start symbol and the duration, no words: the label needs no translation.
    return InlineKeyboardButton(
        f"▶️ ⏱ {clock(seconds)}", callback_data=cd.timer_start(session_id, position, seconds)
    )


def clock(seconds: int) -> str:
    """0:25, 1:30."""
    minutes, rest = divmod(max(seconds, 0), 60)
    return f"{minutes}:{rest:02d}"


def next_shown(showing: int) -> int:
    """What the countdown shows after `showing`: each of the last five seconds, otherwise the
    next multiple of five below (30, 25, … 10, 5, 4, 3, 2, 1, 0)."""
    if showing <= FINAL_SECONDS:
        return showing - 1
    return (showing - 1) // STEP_SECONDS * STEP_SECONDS


# The chat's countdown, in chat_data (kept in memory only, like the jobs).
_CURRENT = "hold_timer"


def _job_name(chat_id: int) -> str:
    return f"timer:{chat_id}"


def _texts(context: CoachContext) -> TimerTexts:
    return context.services.content.texts.coaching.timer


def _stop_keyboard(texts: TimerTexts) -> InlineKeyboardMarkup:
    # Built here: `keyboards` imports this module for the Start timer button.
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(texts.stop_button, callback_data=cd.TIMER_STOP)]]
    )


def _schedule(context: CoachContext, countdown: Countdown) -> None:
    """The next edit: when the countdown reaches its next number, and never too soon."""
    # JobQueue[Any]: PTB types the context's queue with a context type it cannot know.
    job_queue: JobQueue[Any] | None = context.job_queue
    assert job_queue is not None
    now = time.monotonic()
    due = countdown.ends_at - next_shown(countdown.showing)
    delay = max(due - now, countdown.edited_at + MIN_EDIT_GAP - now, 0.0)
    job_queue.run_once(
        _tick, delay, data=countdown, name=_job_name(countdown.chat_id), chat_id=countdown.chat_id
    )


async def _edit(context: CoachContext, countdown: Countdown, text: str, *, stop: bool) -> bool:
    """Edit the countdown message; False (and the timer ends quietly) if Telegram refuses."""
    markup = _stop_keyboard(_texts(context)) if stop else None
    try:
        await context.bot.edit_message_text(
            text,
            chat_id=countdown.chat_id,
            message_id=countdown.message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
        )
    except TelegramError as error:
        logger.info("A timer stopped: its message could not be edited (%s)", type(error).__name__)
        _end(context, countdown)
        return False
    countdown.edited_at = time.monotonic()
    return True


def _end(context: CoachContext, countdown: Countdown) -> None:
    countdown.over = True
    assert context.chat_data is not None
    if context.chat_data.get(_CURRENT) is countdown:
        del context.chat_data[_CURRENT]


async def _tick(context: CoachContext) -> None:
    """Show the next number, or the end and the done cue."""
    assert context.job is not None and isinstance(context.job.data, Countdown)
    countdown, texts = context.job.data, _texts(context)
    async with countdown.editing:
        if countdown.over:
            return
        countdown.showing = next_shown(countdown.showing)
        if countdown.showing > 0:
            running = texts.running.format(time=clock(countdown.showing))
            if await _edit(context, countdown, running, stop=True):
                _schedule(context, countdown)
            return
        finished = await _edit(context, countdown, texts.finished, stop=False)
        _end(context, countdown)
    if not finished:
        return
    try:
        await context.bot.send_message(countdown.chat_id, texts.done, parse_mode=ParseMode.HTML)
    except TelegramError as error:
        logger.info("A timer's done cue could not be sent (%s)", type(error).__name__)


async def _halt(context: CoachContext, countdown: Countdown) -> None:
    """Cancel a countdown and show where it stopped."""
    assert context.job_queue is not None
    countdown.over = True  # before waiting: a tick waiting for the lock will see it
    for job in context.job_queue.get_jobs_by_name(_job_name(countdown.chat_id)):
        if job.data is countdown:
            job.schedule_removal()
    left = max(math.ceil(countdown.ends_at - time.monotonic()), 1)
    async with countdown.editing:
        await _edit(
            context, countdown, _texts(context).stopped.format(time=clock(left)), stop=False
        )
    _end(context, countdown)


def _current(context: CoachContext) -> Countdown | None:
    assert context.chat_data is not None
    found = context.chat_data.get(_CURRENT)
    return found if isinstance(found, Countdown) and not found.over else None


async def start_timer(update: Update, context: CoachContext) -> None:
    """Start timer: count down the hold in a new message (replacing a countdown running)."""
    query, data = pressed(update)
    _session_id, _position, seconds = cd.parse_timer_start(data)
    if not 1 <= seconds <= LONGEST_SECONDS:
        await query.answer(context.services.content.texts.common.button_expired)
        return
    await query.answer()
    running = _current(context)
    if running is not None:
        await _halt(context, running)
    texts = _texts(context)
    message = await say(update, texts.running.format(time=clock(seconds)), _stop_keyboard(texts))
    now = time.monotonic()
    countdown = Countdown(telegram_ids(update)[1], message.message_id, now + seconds, seconds, now)
    assert context.chat_data is not None
    context.chat_data[_CURRENT] = countdown
    _schedule(context, countdown)


async def stop_timer(update: Update, context: CoachContext) -> None:
    """Stop: cancel the countdown this message shows."""
    query, _ = pressed(update)
    running = _current(context)
    if (
        running is None
        or not isinstance(query.message, Message)
        or (query.message.message_id != running.message_id)
    ):
        await query.answer(context.services.content.texts.common.button_expired)
        return
    await query.answer()
    await _halt(context, running)
