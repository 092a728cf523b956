"""Daily reminders over HTTP: they arrive at the person's time, and their buttons work."""

from typing import Any

from bot.db.engine import SessionFactory
from bot.db.enums import SendStatus
from tests.conftest import FakeClock
from tests.e2e.harness import Chat
from tests.e2e.helpers import settled_fates, to_reminder_time

Json = dict[str, Any]
# The clock starts at 09:00 UTC, 10:00 in Berlin: a reminder at 10:01 is a minute ahead.
A_MINUTE_AHEAD = "10:01"


async def set_reminder_a_minute_ahead(chat: Chat) -> None:
    await to_reminder_time(chat)
    await chat.say(A_MINUTE_AHEAD)
    await chat.tap("Europe/Berlin")


async def reminder_arrives(chat: Chat, clock: FakeClock, *, minutes: float = 1) -> Json:
    mark = chat.user.mark()
    clock.advance(minutes=minutes)
    message = await chat.user.wait_for_message(
        lambda m: "Start now" in str(m.get("reply_markup")), after=mark, timeout=15
    )
    await chat.settle()
    return message


async def test_the_setup_confirmation_names_the_first_reminder(chat: Chat, running: None) -> None:
    await set_reminder_a_minute_ahead(chat)
    assert "Next reminder: Wed 4 Mar, 10:01." in chat.last_text


async def test_a_reminder_a_minute_ahead_arrives_and_start_now_opens_the_routine(
    chat: Chat, running: None, clock: FakeClock
) -> None:
    await set_reminder_a_minute_ahead(chat)
    reminder = await reminder_arrives(chat, clock)
    assert "first session" in reminder["text"] or "first routine" in reminder["text"]

    replies = await chat.tap("Start now", reminder)

    texts = " ".join(reply["text"] for reply in replies)
    assert "Morning" in texts or "1/" in texts  # the recommended routine's first card
    assert any("Done" in str(reply.get("reply_markup")) for reply in replies)


async def test_later_brings_the_reminder_back_after_the_snooze(
    chat: Chat, running: None, clock: FakeClock
) -> None:
    await set_reminder_a_minute_ahead(chat)
    reminder = await reminder_arrives(chat, clock)

    await chat.tap("Later", reminder)
    assert "I'll remind you again at 10:31" in chat.user.history(reminder)[-1]["text"]
    clock.advance(minutes=29)
    again = await reminder_arrives(chat, clock)

    assert "reminder you asked for" in again["text"]
    assert "Later" not in str(again["reply_markup"])  # once a day is enough


async def test_skip_today_names_the_next_reminder(
    chat: Chat, running: None, clock: FakeClock
) -> None:
    await set_reminder_a_minute_ahead(chat)
    reminder = await reminder_arrives(chat, clock)

    await chat.tap("Skip today", reminder)

    assert "Next reminder: Thu 5 Mar, 10:01." in chat.user.history(reminder)[-1]["text"]


async def test_each_reminder_is_sent_once(
    chat: Chat, running: None, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await set_reminder_a_minute_ahead(chat)
    await reminder_arrives(chat, clock)
    clock.advance(minutes=5)
    await chat.settle()

    reminders = [m for m in chat.user.messages if "Start now" in str(m.get("reply_markup"))]
    assert len(reminders) == 1
    sent = {SendStatus.SENT: 1}
    assert await settled_fates(session_factory, sent) == sent


async def test_moving_the_time_after_today_s_reminder_promises_tomorrow_not_a_second_one(
    chat: Chat, running: None, clock: FakeClock
) -> None:
    await set_reminder_a_minute_ahead(chat)
    await reminder_arrives(chat, clock)

    await chat.say("/reminders")
    await chat.tap("Change time")
    [done] = await chat.tap("18:00")

    assert "Next reminder: Thu 5 Mar, 18:00." in done["text"]
