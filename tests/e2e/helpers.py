"""Small additions to the harness for the end-to-end behaviour tests: set-up stages, raw
presses on keyboards the chat no longer shows, and what the database holds."""

import asyncio
import html
import re
from typing import Any

from sqlalchemy import select

from bot.db.engine import SessionFactory
from bot.db.enums import MessageKind, SendStatus
from bot.db.models import Base
from bot.db.queries import send_log
from tests.e2e.harness import Chat

Json = dict[str, Any]
Snapshot = dict[str, list[tuple[Any, ...]]]
SCREENING_QUESTIONS = 6


async def snapshot(session_factory: SessionFactory) -> Snapshot:
    """Every row of every domain table (not the conversation states), in primary-key order."""
    tables = [t for t in Base.metadata.sorted_tables if t.name != "conversation_states"]
    found: Snapshot = {}
    async with session_factory() as session:
        for table in tables:
            result = await session.execute(select(table).order_by(*table.primary_key.columns))
            found[table.name] = [tuple(row) for row in result.all()]
    return found


async def rows(session_factory: SessionFactory, model: type[Base]) -> list[Any]:
    """All rows of one model, in id order."""
    async with session_factory() as session:
        result = await session.execute(select(model).order_by(model.id))  # type: ignore[attr-defined]
        return list(result.scalars())


async def to_screening(chat: Chat) -> None:
    """/start and consent: the first safety question is showing."""
    await chat.say("/start")
    await chat.tap("I understand")


async def to_baseline(chat: Chat) -> None:
    """Through a clear screen: the baseline question is showing."""
    await to_screening(chat)
    for _ in range(SCREENING_QUESTIONS):
        await chat.tap("No")


async def to_reminder_time(chat: Chat) -> None:
    """Baseline 5 given: the reminder-time question is showing."""
    await to_baseline(chat)
    await chat.tap("5")


async def to_time_zone(chat: Chat) -> None:
    """08:00 chosen: the time-zone question is showing."""
    await to_reminder_time(chat)
    await chat.tap("08:00")


async def start_routine(chat: Chat, routine: str = "Morning mobility") -> list[Json]:
    """/routine and pick one (by a part of its button label); return the bot's answers."""
    await chat.say("/routine")
    return await chat.tap(routine)


def buttons(message: Json) -> dict[str, str]:
    """A message's inline buttons as label -> callback_data, as the message was sent."""
    rows_ = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return {button["text"]: button["callback_data"] for row in rows_ for button in row}


def data_of(message: Json, label: str) -> str:
    """The callback_data of the button whose label contains `label`."""
    found = [data for text, data in buttons(message).items() if label in text]
    assert found, f"no button {label!r} in {list(buttons(message))}"
    return found[0]


def cards(messages: list[Json]) -> list[Json]:
    """The exercise cards among some bot messages (they carry a Done button)."""
    return [m for m in messages if any("Done" in text for text in buttons(m))]


def press_raw(chat: Chat, data: str, message: Json) -> None:
    """Send a callback query for `data` on `message`, even if its keyboard is gone.

    Builds the same update as `FakeUser.press`, which refuses buttons no longer shown: this is
    what a client with a stale screen, or a second tap racing the edit, sends.
    """
    user, world = chat.user, chat.user.world
    query_id = str(next(world.callback_ids))
    world.callback_queries[query_id] = user.user_id
    current = user.log.bot_messages[message["message_id"]]
    query = {
        "id": query_id, "from": user.profile, "message": current,
        "chat_instance": user.log.chat_instance, "data": data,
    }  # fmt: skip
    world.enqueue("callback_query", query)


async def press_stale(chat: Chat, data: str, message: Json) -> list[Json]:
    """`press_raw`, then wait for the bot; return its new messages."""
    before = chat.user.mark()
    press_raw(chat, data, message)
    await chat.settle()
    return chat.new_since(before)


async def send_sticker(chat: Chat) -> list[Json]:
    """Send a sticker; return the bot's answers."""
    before = chat.user.mark()
    await chat.user.send_sticker()
    await chat.settle()
    return chat.new_since(before)


async def send_location(chat: Chat, latitude: float, longitude: float) -> list[Json]:
    """Share a location; return the bot's answers."""
    before = chat.user.mark()
    await chat.user.send_location(latitude, longitude)
    await chat.settle()
    return chat.new_since(before)


def texts_of(messages: list[Json]) -> list[str]:
    return [str(m.get("text", "")) for m in messages]


def plain(html_text: str) -> str:
    """What a person reads of a content text sent with HTML formatting."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


async def reminder_fates(
    session_factory: SessionFactory, kind: MessageKind = MessageKind.DAILY_REMINDER
) -> dict[SendStatus, int]:
    async with session_factory() as session:
        return await send_log.count_by_status(session, kind=kind)


async def settled_fates(
    session_factory: SessionFactory,
    expected: dict[SendStatus, int],
    kind: MessageKind = MessageKind.DAILY_REMINDER,
) -> dict[SendStatus, int]:
    """The fates of messages of `kind` once they match `expected`, or after 5 s (the message
    can reach the person a moment before its fate is written)."""
    for _ in range(100):
        fates = await reminder_fates(session_factory, kind)
        if fates == expected:
            break
        await asyncio.sleep(0.05)
    return fates
