"""/reminders, /pause and /resume over HTTP: every change is confirmed with the next reminder,
the due row moves with it, and bad input changes nothing.

The clock starts on Wed 4 Mar 2026, 09:00 UTC (10:00 in Berlin); `onboard` sets 08:00 Berlin, so
the first reminder is Thu 5 Mar, 08:00 (07:00 UTC).
"""

from datetime import UTC, date, datetime, time

import pytest

from bot.content.schema import Content
from bot.db.engine import SessionFactory
from bot.db.enums import MessageKind
from bot.db.models import DueMessage, User
from bot.db.queries import due_messages, users
from tests.conftest import FakeClock
from tests.e2e.conftest import PERSON_ID
from tests.e2e.harness import Chat, onboard
from tests.e2e.helpers import (
    buttons,
    plain,
    send_location,
    snapshot,
    start_routine,
    texts_of,
    to_baseline,
    to_screening,
)

pytestmark = pytest.mark.usefixtures("running")


async def _person(session_factory: SessionFactory) -> User:
    async with session_factory() as session:
        user = await users.get_user(session, telegram_id=PERSON_ID)
    assert user is not None
    return user


async def _due(session_factory: SessionFactory, kind: MessageKind) -> DueMessage | None:
    user = await _person(session_factory)
    async with session_factory() as session:
        return await due_messages.get_due(session, user_id=user.id, kind=kind)


async def _daily(session_factory: SessionFactory) -> tuple[datetime, date] | None:
    due = await _due(session_factory, MessageKind.DAILY_REMINDER)
    return None if due is None else (due.next_due_at, due.local_date)


async def _tap_on_settings(chat: Chat, label: str) -> None:
    """Set up, send /reminders and tap `label` on the settings."""
    await onboard(chat)
    await chat.say("/reminders")
    await chat.tap(label)


async def test_reminders_shows_the_settings_and_the_next_reminder(chat: Chat) -> None:
    await onboard(chat)
    [summary] = await chat.say("/reminders")
    text = summary["text"]
    assert "08:00" in text and "every day" in text and "Europe/Berlin" in text
    assert "Reminders are on" in text
    assert "Next reminder: Thu 5 Mar, 08:00." in text
    labels = list(buttons(summary))
    assert labels == [
        "⏰ Change time",
        "📅 Change days",
        "🌍 Change time zone",
        "⏸ Pause reminders",
    ]


async def test_a_typed_time_moves_the_next_reminder(
    chat: Chat, session_factory: SessionFactory
) -> None:
    await _tap_on_settings(chat, "Change time")
    [done] = await chat.say("7:30")
    assert "07:30" in done["text"] and "Next reminder: Thu 5 Mar, 07:30." in done["text"]
    assert await _daily(session_factory) == (
        datetime(2026, 3, 5, 6, 30, tzinfo=UTC),
        date(2026, 3, 5),
    )
    assert (await _person(session_factory)).reminder_time == time(7, 30)


async def test_a_preset_time_later_today_is_the_next_reminder(
    chat: Chat, session_factory: SessionFactory
) -> None:
    await _tap_on_settings(chat, "Change time")
    [done] = await chat.tap("18:00")
    assert "Next reminder: Wed 4 Mar, 18:00." in done["text"]
    assert await _daily(session_factory) == (
        datetime(2026, 3, 4, 17, 0, tzinfo=UTC),
        date(2026, 3, 4),
    )


async def test_an_unreadable_time_keeps_the_old_one_and_asks_again(
    chat: Chat, session_factory: SessionFactory, content: Content
) -> None:
    await _tap_on_settings(chat, "Change time")
    before = await snapshot(session_factory)
    for bad in ["banana", "25:99", "7"]:
        [reply] = await chat.say(bad)
        assert "kept 08:00" in reply["text"], bad
    assert await snapshot(session_factory) == before
    [done] = await chat.say("07:30")  # still waiting for a time
    assert "Next reminder: Thu 5 Mar, 07:30." in done["text"]


async def test_cancel_while_asked_for_a_time_changes_nothing(
    chat: Chat, session_factory: SessionFactory, content: Content
) -> None:
    await _tap_on_settings(chat, "Change time")
    before = await snapshot(session_factory)
    replies = await chat.say("/cancel")
    assert texts_of(replies) == [content.texts.reminder_settings.change_cancelled]
    assert await snapshot(session_factory) == before
    assert texts_of(await chat.say("7:30")) == [content.texts.common.not_understood]


async def test_another_command_drops_the_time_question(
    chat: Chat, session_factory: SessionFactory, content: Content
) -> None:
    await _tap_on_settings(chat, "Change time")
    await chat.say("/routine")  # the routine list, instead of a time
    before = await snapshot(session_factory)
    replies = await chat.say("7:30")
    assert texts_of(replies) == [content.texts.common.use_buttons]
    assert await snapshot(session_factory) == before


async def test_weekdays_only_skips_the_weekend(
    chat: Chat, session_factory: SessionFactory, clock: FakeClock
) -> None:
    clock.advance(days=2)  # Friday 6 Mar, 10:00 in Berlin: today's 08:00 has passed
    await onboard(chat)
    assert "Next reminder: Sat 7 Mar, 08:00." in chat.last_text
    await chat.say("/reminders")
    await chat.tap("Change days")
    await chat.tap("Sat")
    await chat.tap("Sun")
    assert [label for label in buttons(chat.user.last_message) if "✓" in label] == [
        "✓ Mon", "✓ Tue", "✓ Wed", "✓ Thu", "✓ Fri",
    ]  # fmt: skip
    [done] = await chat.tap("Save")
    assert "Mon–Fri" in done["text"] and "Next reminder: Mon 9 Mar, 08:00." in done["text"]
    assert await _daily(session_factory) == (
        datetime(2026, 3, 9, 7, 0, tzinfo=UTC),
        date(2026, 3, 9),
    )
    assert (await _person(session_factory)).reminder_days == "01234"


async def test_saving_no_days_is_refused_and_changes_nothing(
    chat: Chat, session_factory: SessionFactory, content: Content
) -> None:
    await _tap_on_settings(chat, "Change days")
    for day in content.texts.reminders.weekdays:
        await chat.tap(day)
    before = await snapshot(session_factory)
    replies = await chat.tap("Save")
    assert texts_of(replies) == [plain(content.texts.reminder_settings.days_none)]
    assert await snapshot(session_factory) == before
    await chat.tap("Wed")  # the same keyboard still works
    [done] = await chat.tap("Save")
    assert "Next reminder: Wed 11 Mar, 08:00." in done["text"]


async def test_a_typed_time_zone_keeps_the_local_time_there(
    chat: Chat, session_factory: SessionFactory
) -> None:
    await _tap_on_settings(chat, "Change time zone")
    [done] = await chat.say("america/new_york")
    assert "America/New_York" in done["text"]
    assert "Next reminder: Wed 4 Mar, 08:00." in done["text"]  # 04:00 in New York now
    assert await _daily(session_factory) == (
        datetime(2026, 3, 4, 13, 0, tzinfo=UTC),
        date(2026, 3, 4),
    )


async def test_a_shared_location_sets_the_time_zone(
    chat: Chat, session_factory: SessionFactory
) -> None:
    await _tap_on_settings(chat, "Change time zone")
    [done] = await send_location(chat, 35.68, 139.69)  # Tokyo, 18:00 there now
    assert "Asia/Tokyo" in done["text"] and "Next reminder: Thu 5 Mar, 08:00." in done["text"]
    assert (await _person(session_factory)).time_zone == "Asia/Tokyo"


async def test_an_unknown_time_zone_keeps_the_old_one(
    chat: Chat, session_factory: SessionFactory
) -> None:
    await _tap_on_settings(chat, "Change time zone")
    before = await snapshot(session_factory)
    [reply] = await chat.say("Mars/{zone}")
    assert "Mars/{zone}" in reply["text"] and "kept Europe/Berlin" in reply["text"]
    assert await snapshot(session_factory) == before


async def test_pause_for_three_days_then_reminders_shows_until_when(
    chat: Chat, session_factory: SessionFactory
) -> None:
    await onboard(chat)
    [paused] = await chat.say("/pause 3")
    assert "3 days" in paused["text"] and "Sat 7 Mar" in paused["text"]
    assert "Next reminder: Sat 7 Mar, 08:00." in paused["text"]
    assert await _daily(session_factory) == (
        datetime(2026, 3, 7, 7, 0, tzinfo=UTC),
        date(2026, 3, 7),
    )
    [summary] = await chat.say("/reminders")
    assert "Paused; reminders start again on Sat 7 Mar." in summary["text"]
    assert "▶️ Turn reminders back on" in buttons(summary)


async def test_pause_until_resume_takes_the_reminder_and_a_snooze_out(
    chat: Chat, session_factory: SessionFactory, clock: FakeClock
) -> None:
    await onboard(chat)
    user = await _person(session_factory)
    async with session_factory.begin() as session:
        await due_messages.schedule_due(
            session, user_id=user.id, kind=MessageKind.SNOOZE,
            due_at=datetime(2026, 3, 5, 7, 30, tzinfo=UTC), local_date=date(2026, 3, 5),
        )  # fmt: skip
    [paused] = await chat.say("/pause")
    assert "/resume" in paused["text"]
    assert await _due(session_factory, MessageKind.DAILY_REMINDER) is None
    assert await _due(session_factory, MessageKind.SNOOZE) is None
    [summary] = await chat.say("/reminders")
    assert "Paused until you send /resume." in summary["text"]


async def test_resume_after_a_pause_brings_the_next_reminder_back(
    chat: Chat, session_factory: SessionFactory
) -> None:
    await onboard(chat)
    await chat.say("/pause")
    [resumed] = await chat.say("/resume")
    assert "on again" in resumed["text"]
    assert "Next reminder: Thu 5 Mar, 08:00." in resumed["text"]
    assert await _daily(session_factory) == (
        datetime(2026, 3, 5, 7, 0, tzinfo=UTC),
        date(2026, 3, 5),
    )


async def test_the_resume_button_on_a_pause_turns_reminders_back_on(chat: Chat) -> None:
    await onboard(chat)
    await chat.say("/pause 10")
    [resumed] = await chat.tap("Turn reminders back on")
    assert "on again" in resumed["text"] and "Thu 5 Mar, 08:00" in resumed["text"]


async def test_resume_when_not_paused_says_so_and_changes_nothing(
    chat: Chat, session_factory: SessionFactory
) -> None:
    await onboard(chat)
    before = await snapshot(session_factory)
    [reply] = await chat.say("/resume")
    assert "already on" in reply["text"] and "Next reminder: Thu 5 Mar, 08:00." in reply["text"]
    assert await snapshot(session_factory) == before


async def test_bad_pause_lengths_are_explained_and_change_nothing(
    chat: Chat, session_factory: SessionFactory, content: Content
) -> None:
    await onboard(chat)
    before = await snapshot(session_factory)
    for bad in ["/pause abc", "/pause 0", "/pause 999", "/pause -2"]:
        replies = await chat.say(bad)
        assert texts_of(replies) == [content.texts.reminder_settings.pause_invalid], bad
    assert await snapshot(session_factory) == before


async def test_pause_works_in_the_middle_of_a_routine(chat: Chat) -> None:
    await onboard(chat)
    await start_routine(chat)
    card = chat.user.messages[-1]
    [paused] = await chat.say("/pause 2")
    assert "No reminders for 2 days" in paused["text"]
    await chat.tap("Done", card)  # the routine carries on
    assert chat.last_text.startswith("2/3")


@pytest.mark.parametrize("command", ["/reminders", "/pause 3", "/resume"])
async def test_someone_not_set_up_is_pointed_to_start(
    chat: Chat, session_factory: SessionFactory, content: Content, command: str
) -> None:
    await to_baseline(chat)
    before = await snapshot(session_factory)
    replies = await chat.say(command)
    assert texts_of(replies) == [content.texts.routine.not_ready]
    assert await snapshot(session_factory) == before


async def test_someone_referred_gets_the_referral_reminder(
    chat: Chat, session_factory: SessionFactory, content: Content
) -> None:
    await to_screening(chat)
    await chat.tap("Yes")
    before = await snapshot(session_factory)
    [reply] = await chat.say("/reminders")
    assert reply["text"] == plain(content.texts.screening.referred_reminder)
    assert list(buttons(reply)) == [content.texts.screening.recheck_button]
    assert await snapshot(session_factory) == before


async def test_help_while_asked_for_a_time_keeps_the_question(chat: Chat, content: Content) -> None:
    await _tap_on_settings(chat, "Change time")
    assert texts_of(await chat.say("/help")) == [plain(content.texts.common.help)]
    [done] = await chat.say("19:00")
    assert "Next reminder: Wed 4 Mar, 19:00." in done["text"]
