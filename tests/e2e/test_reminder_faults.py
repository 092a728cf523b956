"""Reminders through Telegram's failures: flood control, blocked bots, dropped connections."""

import asyncio

from bot.db.engine import SessionFactory
from bot.db.enums import MessageKind, SendStatus, UserStatus
from bot.db.queries import due_messages, users
from bot.emulator import FakeBotApi
from tests.conftest import FakeClock
from tests.e2e.harness import Chat
from tests.e2e.helpers import settled_fates
from tests.e2e.test_reminders import reminder_arrives, set_reminder_a_minute_ahead


def reminders_in(chat: Chat) -> list[str]:
    return [m["text"] for m in chat.user.messages if "Start now" in str(m.get("reply_markup"))]


async def test_flood_control_delays_the_reminder_without_losing_or_doubling_it(
    chat: Chat, api: FakeBotApi, running: None, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await set_reminder_a_minute_ahead(chat)
    api.fail_next("sendMessage", 429, retry_after=1)

    await reminder_arrives(chat, clock)
    await asyncio.sleep(0.5)

    assert len(reminders_in(chat)) == 1
    sent = {SendStatus.SENT: 1}
    assert await settled_fates(session_factory, sent) == sent


async def test_a_dropped_connection_is_retried_and_the_reminder_arrives_once(
    chat: Chat, api: FakeBotApi, running: None, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await set_reminder_a_minute_ahead(chat)
    api.fail_next("sendMessage", 502, count=1)
    api.fail_next("sendMessage", drop_connection=True, count=1)

    await reminder_arrives(chat, clock)

    assert len(reminders_in(chat)) == 1
    sent = {SendStatus.SENT: 1}
    assert await settled_fates(session_factory, sent) == sent


async def test_a_person_who_blocked_the_bot_gets_no_more_reminders(
    chat: Chat, api: FakeBotApi, running: None, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await set_reminder_a_minute_ahead(chat)
    # Blocked without the bot hearing of it: the reminder's 403 is how it finds out.
    api.fail_next("sendMessage", 403, description="Forbidden: bot was blocked by the user")
    clock.advance(minutes=1)

    blocked = {SendStatus.BLOCKED: 1}
    assert await settled_fates(session_factory, blocked) == blocked
    async with session_factory() as session:
        person = await users.get_user(session, telegram_id=chat.user.user_id)
        assert person is not None and person.status == UserStatus.INACTIVE
        assert (
            await due_messages.get_due(session, user_id=person.id, kind=MessageKind.DAILY_REMINDER)
            is None
        )
    clock.advance(days=1)
    await asyncio.sleep(0.5)
    assert reminders_in(chat) == []


async def test_unblocking_the_bot_brings_the_reminders_back(
    chat: Chat, api: FakeBotApi, running: None, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await set_reminder_a_minute_ahead(chat)
    api.block_bot(chat.user.user_id)
    await chat.settle()
    async with session_factory() as session:
        person = await users.get_user(session, telegram_id=chat.user.user_id)
        assert person is not None and person.status == UserStatus.INACTIVE

    api.unblock_bot(chat.user.user_id)
    await chat.settle()
    await reminder_arrives(chat, clock)

    assert len(reminders_in(chat)) == 1
