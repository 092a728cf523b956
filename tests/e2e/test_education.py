"""Short education from the articles after sessions over the first days: in content order, one
at a time, never more than one a day."""

from datetime import date

import pytest
from sqlalchemy import select

from bot.content.schema import Content
from bot.db.coaching_models import EducationShown
from bot.db.engine import SessionFactory
from tests.conftest import FakeClock
from tests.e2e.coaching_steps import next_day, rated_session
from tests.e2e.harness import Chat, onboard
from tests.e2e.helpers import Json, texts_of

pytestmark = pytest.mark.usefixtures("running")


async def _shown(session_factory: SessionFactory) -> list[tuple[str, date]]:
    async with session_factory() as session:
        found = await session.execute(select(EducationShown).order_by(EducationShown.shown_on))
        return [(row.item_key, row.shown_on) for row in found.scalars()]


def _lessons(replies: list[str], content: Content) -> list[str]:
    titles = [item.title for item in content.education]
    return [text for text in replies if text.startswith("💡") and text[2:].split("\n")[0] in titles]


async def test_the_first_session_brings_the_first_item(
    chat: Chat, session_factory: SessionFactory, content: Content
) -> None:
    await onboard(chat, baseline="3")
    [lesson] = _lessons(texts_of(await rated_session(chat, 3)), content)
    first = content.education[0]
    assert lesson == f"💡 {first.title}\n{first.text}"
    assert await _shown(session_factory) == [(first.key, date(2026, 3, 4))]


async def test_never_more_than_one_a_day_and_the_next_one_the_next_day(
    chat: Chat, session_factory: SessionFactory, content: Content, clock: FakeClock
) -> None:
    await onboard(chat, baseline="3")
    await rated_session(chat, 3)
    assert _lessons(texts_of(await rated_session(chat, 3)), content) == []  # same day
    await next_day(chat, clock)
    [lesson] = _lessons(texts_of(await rated_session(chat, 3)), content)
    assert lesson.startswith(f"💡 {content.education[1].title}\n")
    assert [key for key, _ in await _shown(session_factory)] == [
        item.key for item in content.education[:2]
    ]


async def test_a_lesson_whose_send_failed_is_not_recorded_and_comes_next_time(
    chat: Chat, session_factory: SessionFactory, content: Content
) -> None:
    await onboard(chat, baseline="3")
    first = content.education[0]
    summary = "Session saved"

    def refuse_the_message_after_the_summary(_chat_id: int, kind: str, message: Json) -> None:
        if kind == "sent" and str(message.get("text", "")).startswith(summary):
            chat.api.fail_next("sendMessage", 400, description="Bad Request: injected")

    chat.api.subscribe(refuse_the_message_after_the_summary)
    replies = texts_of(await rated_session(chat, 3))
    chat.api.world.listeners.remove(refuse_the_message_after_the_summary)
    assert any(text.startswith(summary) for text in replies)
    assert _lessons(replies, content) == []  # Telegram refused it
    assert await _shown(session_factory) == []
    [lesson] = _lessons(texts_of(await rated_session(chat, 3)), content)
    assert lesson == f"💡 {first.title}\n{first.text}"
    assert await _shown(session_factory) == [(first.key, date(2026, 3, 4))]
