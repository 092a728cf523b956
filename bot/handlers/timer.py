"""The Start timer button on holds and timed releases: a countdown in one edited message.

One message per step (session, position): every Start on that card, one per rep of an 8-rep
hold, counts down again in the same message, and its end is shown by editing it ("Time.
Release slowly…"). No separate "done" message: the person is holding still and watching the
count, so a new message per rep would only bury the card under 16 of them. Only the current
step's card can start a timer; an older card's gets a kind toast.

One JobQueue job per chat counts down: a second Start replaces the first, Stop cancels it. A
timer lives in memory only; after a restart its Stop button just says it has expired, and the
next Start sends a new message.
"""

import asyncio
import logging
import math
import time
from dataclasses import dataclass, field
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import JobQueue

from bot.content.coaching_texts import TimerTexts
from bot.flows import exercise_pain, onboarding
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


@dataclass(frozen=True, slots=True)
class TimerMessage:
    """The one message that counts down the holds of a step."""

    step: tuple[int, int]  # (session id, position)
    message_id: int


@dataclass
class Countdown:
    chat_id: int
    message_id: int
    step: tuple[int, int]  # (session id, position)
    ends_at: float  # time.monotonic() when it reaches 0
    showing: int  # the seconds the message shows now
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


# In chat_data (kept in memory only, like the jobs): the chat's countdown, the current step's
# timer message, and when a timer message was last edited in the chat (time.monotonic()).
_CURRENT = "hold_timer"
_MESSAGE = "hold_timer_message"
_EDITED = "hold_timer_edited_at"


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
    delay = max(due - now, _edited_at(context) + MIN_EDIT_GAP - now, 0.0)
    job_queue.run_once(
        _tick, delay, data=countdown, name=_job_name(countdown.chat_id), chat_id=countdown.chat_id
    )


def _edited_at(context: CoachContext) -> float:
    assert context.chat_data is not None
    edited = context.chat_data.get(_EDITED)
    return edited if isinstance(edited, float) else -MIN_EDIT_GAP


async def _edit_message(
    context: CoachContext, chat_id: int, message_id: int, text: str, *, stop: bool
) -> bool:
    """Edit a timer message, never sooner than MIN_EDIT_GAP after the chat's last; False if
    Telegram refuses (the same words again count as done)."""
    wait = _edited_at(context) + MIN_EDIT_GAP - time.monotonic()
    if wait > 0:
        await asyncio.sleep(wait)
    markup = _stop_keyboard(_texts(context)) if stop else None
    try:
        await context.bot.edit_message_text(
            text,
            chat_id=chat_id,
            message_id=message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
        )
    except BadRequest as error:
        if "not modified" not in error.message:
            logger.info("A timer message could not be edited (%s)", error.message)
            return False
    except TelegramError as error:
        logger.info("A timer message could not be edited (%s)", type(error).__name__)
        return False
    finally:
        assert context.chat_data is not None
        context.chat_data[_EDITED] = time.monotonic()
    return True


async def _edit(context: CoachContext, countdown: Countdown, text: str, *, stop: bool) -> bool:
    """Edit the countdown message; False (and the timer ends quietly) if Telegram refuses."""
    edited = await _edit_message(context, countdown.chat_id, countdown.message_id, text, stop=stop)
    if not edited:
        logger.info("A timer stopped: its message could not be edited")
        _end(context, countdown)
    return edited


def _end(context: CoachContext, countdown: Countdown) -> None:
    countdown.over = True
    assert context.chat_data is not None
    if context.chat_data.get(_CURRENT) is countdown:
        del context.chat_data[_CURRENT]


async def _tick(context: CoachContext) -> None:
    """Show the next number, or the end: the same message says the time is up."""
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
        await _edit(context, countdown, texts.finished, stop=False)
        _end(context, countdown)


async def _halt(context: CoachContext, countdown: Countdown, *, show: bool = True) -> None:
    """Cancel a countdown and, if `show`, show where it stopped."""
    assert context.job_queue is not None
    countdown.over = True  # before waiting: a tick waiting for the lock will see it
    for job in context.job_queue.get_jobs_by_name(_job_name(countdown.chat_id)):
        if job.data is countdown:
            job.schedule_removal()
    left = max(math.ceil(countdown.ends_at - time.monotonic()), 1)
    async with countdown.editing:
        if show:
            await _edit(
                context, countdown, _texts(context).stopped.format(time=clock(left)), stop=False
            )
    _end(context, countdown)


def _current(context: CoachContext) -> Countdown | None:
    assert context.chat_data is not None
    found = context.chat_data.get(_CURRENT)
    return found if isinstance(found, Countdown) and not found.over else None


async def _is_current(update: Update, context: CoachContext, step: tuple[int, int]) -> bool:
    """Whether the step is the one the person's routine waits on now."""
    services = context.services
    person = await onboarding.find_user(services, telegram_id=telegram_ids(update)[0])
    return person is not None and await exercise_pain.showing(
        services, user_id=person.id, session_id=step[0], position=step[1]
    )


async def _show(update: Update, context: CoachContext, step: tuple[int, int], text: str) -> int:
    """The step's timer message, showing `text`: the one it has (edited), else a new one."""
    assert context.chat_data is not None
    earlier = context.chat_data.get(_MESSAGE)
    chat_id = telegram_ids(update)[1]
    if (
        isinstance(earlier, TimerMessage)
        and earlier.step == step
        and await _edit_message(context, chat_id, earlier.message_id, text, stop=True)
    ):
        return earlier.message_id
    message = await say(update, text, _stop_keyboard(_texts(context)))
    context.chat_data[_MESSAGE] = TimerMessage(step, message.message_id)
    return message.message_id


async def start_timer(update: Update, context: CoachContext) -> None:
    """Start timer: count down the hold in the step's timer message (replacing a countdown
    running); only on the current step's card."""
    query, data = pressed(update)
    session_id, position, seconds = cd.parse_timer_start(data)
    step = (session_id, position)
    if not 1 <= seconds <= LONGEST_SECONDS:
        await query.answer(context.services.content.texts.common.button_expired)
        return
    if not await _is_current(update, context, step):
        await query.answer(_texts(context).not_current)
        return
    await query.answer()
    running = _current(context)
    if running is not None:
        # The same step's countdown starts over in its own message: no "stopped" in between.
        await _halt(context, running, show=running.step != step)
    message_id = await _show(
        update, context, step, _texts(context).running.format(time=clock(seconds))
    )
    countdown = Countdown(
        telegram_ids(update)[1], message_id, step, time.monotonic() + seconds, seconds
    )
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
