"""The Start timer button over HTTP: a countdown edits one message per step at most once a
second, ends by showing a short cue in that message, can be stopped or replaced, counts every
rep in the same message, only starts from the current card, stops quietly when its message
cannot be edited, and leaves the routine where it was.

The timer is started with a short hold (2 seconds) on a real exercise card, so the test waits
real seconds only twice; long holds count in steps of five (unit-tested in tests/unit).
"""

import asyncio
import time
from itertools import pairwise
from typing import Any

import pytest

from bot.content.schema import Content
from bot.emulator import FakeBotApi
from bot.handlers import callback_data as cd
from tests.e2e.harness import Chat, onboard
from tests.e2e.helpers import buttons, cards, data_of, plain, press_stale, start_routine

Json = dict[str, Any]
pytestmark = pytest.mark.usefixtures("running")


async def _card(chat: Chat) -> tuple[Json, int]:
    """The first exercise card of today's routine, and its session."""
    await onboard(chat)
    card = cards(await start_routine(chat, "⭐"))[0]
    return card, int(data_of(card, "Done").split(":")[1])


async def _start(chat: Chat, card: Json, session_id: int, seconds: int) -> Json:
    """Press Start timer for `seconds` on the card: the countdown message."""
    [countdown] = await press_stale(chat, cd.timer_start(session_id, 0, seconds), card)
    return countdown


def _finished(chat: Chat, countdown: Json) -> bool:
    return str(chat.user.history(countdown)[-1].get("text", "")).startswith("✅ 0:00")


async def _cue_shown(chat: Chat, countdown: Json) -> None:
    """Wait until the countdown message shows the end."""
    for _ in range(100):
        if _finished(chat, countdown):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the countdown never showed its end")


def _edit_times(api: FakeBotApi) -> list[float]:
    """When the bot edited a message, from now on (monotonic seconds)."""
    times: list[float] = []

    def listen(_chat_id: int, kind: str, _message: Json) -> None:
        if kind == "edited":
            times.append(time.monotonic())

    api.subscribe(listen)
    return times


async def test_a_hold_counts_down_in_one_message_then_shows_done_in_it(
    chat: Chat, api: FakeBotApi, content: Content
) -> None:
    card, session_id = await _card(chat)
    edited_at = _edit_times(api)
    mark = chat.user.mark()
    countdown = await _start(chat, card, session_id, 2)
    assert countdown["text"].startswith("⏱ 0:02")
    assert buttons(countdown) == {"⏹ Stop": cd.TIMER_STOP}
    await _cue_shown(chat, countdown)
    versions = chat.user.history(countdown)
    assert [v["text"][:6] for v in versions] == ["⏱ 0:02", "⏱ 0:01", "✅ 0:00"]
    assert versions[-1]["text"] == plain(content.texts.coaching.timer.finished)
    assert "reply_markup" not in versions[-1]
    assert all(later - earlier >= 0.95 for earlier, later in pairwise(edited_at))
    await asyncio.sleep(0.3)
    assert [m["message_id"] for m in chat.new_since(mark)] == [countdown["message_id"]]
    [next_card] = cards(await chat.tap("Done", card))  # the routine is where it was
    assert next_card["text"].startswith("2/")


async def test_every_rep_counts_down_again_in_the_same_message(chat: Chat, api: FakeBotApi) -> None:
    card, session_id = await _card(chat)
    edited_at = _edit_times(api)
    mark = chat.user.mark()
    countdown = await _start(chat, card, session_id, 1)
    for _ in range(2):  # two more reps: Start again on the same card
        await _cue_shown(chat, countdown)
        assert await press_stale(chat, cd.timer_start(session_id, 0, 1), card) == []
        assert chat.user.history(countdown)[-1]["text"].startswith("⏱ 0:01")
    await _cue_shown(chat, countdown)
    # Three holds, one message, nothing else sent; never two edits within a second.
    assert [m["message_id"] for m in chat.new_since(mark)] == [countdown["message_id"]]
    assert all(later - earlier >= 0.95 for earlier, later in pairwise(edited_at))


async def test_an_older_cards_timer_gets_a_kind_toast(chat: Chat, content: Content) -> None:
    card, session_id = await _card(chat)
    await chat.tap("Done", card)  # on to the second exercise
    assert await press_stale(chat, cd.timer_start(session_id, 0, 2), card) == []
    assert chat.last_toast == content.texts.coaching.timer.not_current


async def test_stop_cancels_the_countdown(chat: Chat) -> None:
    card, session_id = await _card(chat)
    countdown = await _start(chat, card, session_id, 30)
    await chat.tap("Stop", countdown)
    await asyncio.sleep(1.5)
    versions = chat.user.history(countdown)
    assert [v["text"] for v in versions[1:]] == ["⏹ Timer stopped with 0:30 to go."]
    assert "reply_markup" not in versions[-1] and not _finished(chat, countdown)


async def test_a_second_start_restarts_the_count_in_the_same_message(chat: Chat) -> None:
    card, session_id = await _card(chat)
    first = await _start(chat, card, session_id, 30)
    assert await press_stale(chat, cd.timer_start(session_id, 0, 2), card) == []
    await _cue_shown(chat, first)
    texts = [v["text"][:6] for v in chat.user.history(first)]
    assert texts == ["⏱ 0:30", "⏱ 0:02", "⏱ 0:01", "✅ 0:00"]  # never counted on from 0:30


async def test_a_countdown_whose_message_cannot_be_edited_stops_quietly(
    chat: Chat, api: FakeBotApi, content: Content
) -> None:
    card, session_id = await _card(chat)
    mark = chat.user.mark()
    api.fail_next("editMessageText", 400, description="Bad Request: message to edit not found")
    countdown = await _start(chat, card, session_id, 2)
    await asyncio.sleep(2.5)
    assert chat.user.history(countdown) == [countdown]
    assert [m["message_id"] for m in chat.new_since(mark)] == [countdown["message_id"]]


async def test_stop_on_a_finished_timer_says_the_button_has_expired(
    chat: Chat, content: Content
) -> None:
    card, _ = await _card(chat)
    await press_stale(chat, cd.TIMER_STOP, card)
    assert chat.last_toast == content.texts.common.button_expired
