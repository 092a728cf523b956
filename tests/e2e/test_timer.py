"""The Start timer button over HTTP: a countdown edits one message at most once a second, ends
with a short cue, can be stopped or replaced, stops quietly when its message cannot be edited,
and leaves the routine where it was.

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


def _done_cues(chat: Chat, content: Content) -> list[Json]:
    done = plain(content.texts.coaching.timer.done)
    return [m for m in chat.user.messages if m.get("text") == done]


async def _cue_arrives(chat: Chat, content: Content) -> None:
    done = plain(content.texts.coaching.timer.done)
    await chat.user.wait_for_message(lambda m: m.get("text") == done, timeout=5)


def _edit_times(api: FakeBotApi) -> list[float]:
    """When the bot edited a message, from now on (monotonic seconds)."""
    times: list[float] = []

    def listen(_chat_id: int, kind: str, _message: Json) -> None:
        if kind == "edited":
            times.append(time.monotonic())

    api.subscribe(listen)
    return times


async def test_a_hold_counts_down_in_one_message_then_cues_done(
    chat: Chat, api: FakeBotApi, content: Content
) -> None:
    card, session_id = await _card(chat)
    edited_at = _edit_times(api)
    countdown = await _start(chat, card, session_id, 2)
    assert countdown["text"].startswith("⏱ 0:02")
    assert buttons(countdown) == {"⏹ Stop": cd.TIMER_STOP}
    await _cue_arrives(chat, content)
    versions = chat.user.history(countdown)
    assert [v["text"][:6] for v in versions] == ["⏱ 0:02", "⏱ 0:01", "⏱ 0:00"]
    assert "reply_markup" not in versions[-1]
    assert all(later - earlier >= 0.95 for earlier, later in pairwise(edited_at))
    [next_card] = cards(await chat.tap("Done", card))  # the routine is where it was
    assert next_card["text"].startswith("2/")


async def test_stop_cancels_the_countdown(chat: Chat, content: Content) -> None:
    card, session_id = await _card(chat)
    countdown = await _start(chat, card, session_id, 30)
    await chat.tap("Stop", countdown)
    await asyncio.sleep(1.5)
    versions = chat.user.history(countdown)
    assert [v["text"] for v in versions[1:]] == ["⏹ Timer stopped with 0:30 to go."]
    assert "reply_markup" not in versions[-1] and _done_cues(chat, content) == []


async def test_a_second_start_replaces_the_first(chat: Chat, content: Content) -> None:
    card, session_id = await _card(chat)
    first = await _start(chat, card, session_id, 30)
    second = await _start(chat, card, session_id, 2)
    assert chat.user.history(first)[-1]["text"] == "⏹ Timer stopped with 0:30 to go."
    await _cue_arrives(chat, content)
    await asyncio.sleep(1.2)
    assert len(_done_cues(chat, content)) == 1
    assert chat.user.history(second)[-1]["text"] == "⏱ 0:00"
    assert len(chat.user.history(first)) == 2  # shown, then stopped: never counted on


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
    assert _done_cues(chat, content) == []


async def test_stop_on_a_finished_timer_says_the_button_has_expired(
    chat: Chat, content: Content
) -> None:
    card, _ = await _card(chat)
    await press_stale(chat, cd.TIMER_STOP, card)
    assert chat.last_toast == content.texts.common.button_expired
