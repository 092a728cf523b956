"""Reminders across a stop, a crash and a restart: sent once when still useful, never twice."""

import asyncio
from datetime import time, timedelta

from bot.db.engine import SessionFactory
from bot.db.enums import MessageKind, SendStatus
from bot.db.queries import send_log
from bot.emulator import FakeBotApi
from scheduler.dispatch import Dispatcher
from tests.conftest import FakeClock
from tests.e2e.harness import Chat, Progress, running_bot
from tests.e2e.helpers import reminder_fates
from tests.e2e.test_reminder_faults import reminders_in
from tests.e2e.test_reminders import set_reminder_a_minute_ahead

GRACE = timedelta(hours=3)
SUMMARY_AT = time(19)


async def restart_and_wait(
    api: FakeBotApi, chat: Chat, progress: Progress, database_url: str, clock: FakeClock
) -> None:
    """Start the bot again and give it time to tick and send (or not)."""
    async with running_bot(api, database_url, clock, progress):
        await asyncio.sleep(0.6)
        await api.wait_until_idle()


async def test_a_reminder_due_while_the_bot_was_down_is_sent_once_within_the_grace_window(
    api: FakeBotApi,
    chat: Chat,
    progress: Progress,
    database_url: str,
    clock: FakeClock,
    session_factory: SessionFactory,
) -> None:
    async with running_bot(api, database_url, clock, progress):
        await set_reminder_a_minute_ahead(chat)
    clock.advance(hours=2)

    await restart_and_wait(api, chat, progress, database_url, clock)
    await restart_and_wait(api, chat, progress, database_url, clock)

    assert len(reminders_in(chat)) == 1
    assert await reminder_fates(session_factory) == {SendStatus.SENT: 1}


async def test_a_reminder_older_than_the_grace_window_is_skipped_and_counted(
    api: FakeBotApi,
    chat: Chat,
    progress: Progress,
    database_url: str,
    clock: FakeClock,
    session_factory: SessionFactory,
) -> None:
    async with running_bot(api, database_url, clock, progress):
        await set_reminder_a_minute_ahead(chat)
    clock.advance(hours=4)  # 14:00 in Berlin: too late for the 10:01 reminder

    await restart_and_wait(api, chat, progress, database_url, clock)

    assert reminders_in(chat) == []
    assert await reminder_fates(session_factory) == {SendStatus.SKIPPED_LATE: 1}


async def test_a_crash_between_claiming_and_sending_sends_once_after_the_restart(
    api: FakeBotApi,
    chat: Chat,
    progress: Progress,
    database_url: str,
    clock: FakeClock,
    session_factory: SessionFactory,
) -> None:
    async with running_bot(api, database_url, clock, progress):
        await set_reminder_a_minute_ahead(chat)
    clock.advance(minutes=1)
    # The process that claims the reminder dies before its sender gets to it.
    crashed = Dispatcher(
        session_factory,
        clock=clock,
        grace=GRACE,
        batch_size=10,
        enqueue=lambda _: None,
        summary_at=SUMMARY_AT,
    )
    assert (await crashed.tick()).queued == 1

    await restart_and_wait(api, chat, progress, database_url, clock)
    await restart_and_wait(api, chat, progress, database_url, clock)

    assert len(reminders_in(chat)) == 1
    async with session_factory() as session:
        fates = await send_log.count_by_status(session, kind=MessageKind.DAILY_REMINDER)
    assert fates == {SendStatus.SENT: 1}


async def test_a_stop_during_flood_control_sends_the_reminder_after_the_restart(
    api: FakeBotApi,
    chat: Chat,
    progress: Progress,
    database_url: str,
    clock: FakeClock,
    session_factory: SessionFactory,
) -> None:
    async with running_bot(api, database_url, clock, progress):
        await set_reminder_a_minute_ahead(chat)
        api.fail_next("sendMessage", 429, retry_after=60)
        clock.advance(minutes=1)
        for _ in range(100):  # until Telegram has told the sender to wait a minute
            if await reminder_fates(session_factory) == {SendStatus.SENDING: 1}:
                break
            await asyncio.sleep(0.05)
        assert await reminder_fates(session_factory) == {SendStatus.SENDING: 1}

    assert await reminder_fates(session_factory) == {SendStatus.QUEUED: 1}
    await restart_and_wait(api, chat, progress, database_url, clock)

    assert len(reminders_in(chat)) == 1
    assert await reminder_fates(session_factory) == {SendStatus.SENT: 1}
