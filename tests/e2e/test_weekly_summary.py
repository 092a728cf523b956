"""The weekly summary over HTTP: it comes on the chosen evening with the week in three lines and
the chart; /summary moves it or turns it off; nobody gets an empty one, nor one while paused.

The clock starts on Wed 4 Mar 2026, 09:00 UTC (10:00 in Berlin); Sunday 8 Mar, 19:00 in Berlin
is 18:00 UTC.
"""

import io
from datetime import UTC, date, datetime

import pytest
from matplotlib.image import imread

from bot.content.schema import Content
from bot.db.engine import SessionFactory
from bot.db.enums import MessageKind, SendStatus
from bot.db.queries import due_messages
from bot.emulator import FakeBotApi
from bot.emulator.files import find_file
from scheduler.plans import Occurrence
from tests.conftest import FakeClock
from tests.e2e.coaching_steps import next_day, rated_session
from tests.e2e.harness import Chat, Json, onboard
from tests.e2e.helpers import plain, settled_fates, texts_of

pytestmark = pytest.mark.usefixtures("running")
SUNDAY_EVENING = datetime(2026, 3, 8, 18, 0, tzinfo=UTC)
NEXT_SUNDAY = Occurrence(datetime(2026, 3, 15, 18, 0, tzinfo=UTC), date(2026, 3, 15))
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _is_summary(message: Json) -> bool:
    return "photo" in message and "Your week" in str(message.get("caption"))


async def summary_at(chat: Chat, clock: FakeClock, when: datetime) -> Json:
    """The clock moves to `when`; the weekly summary that falls due arrives."""
    mark = chat.user.mark()
    clock.now = when
    message = await chat.user.wait_for_message(_is_summary, after=mark, timeout=15)
    await chat.settle()
    return message


async def cancelled_at(
    chat: Chat, clock: FakeClock, session_factory: SessionFactory, when: datetime
) -> dict[SendStatus, int]:
    """The clock moves to `when`; the summary's fate once the sender decided it (cancelled, or
    what it was after 5 s)."""
    clock.now = when
    await next_day(chat, clock, days=0)
    cancelled = {SendStatus.CANCELLED: 1}
    return await settled_fates(session_factory, cancelled, MessageKind.WEEKLY_SUMMARY)


async def pending_summary(session_factory: SessionFactory) -> Occurrence | None:
    async with session_factory() as session:
        row = await due_messages.get_due(session, user_id=1, kind=MessageKind.WEEKLY_SUMMARY)
    return Occurrence(row.next_due_at, row.local_date) if row else None


async def three_sessions(chat: Chat, clock: FakeClock) -> None:
    """Rated sessions on Wednesday, Thursday and Friday."""
    for day, score in enumerate((4, 5, 3)):
        if day:
            await next_day(chat, clock)
        await rated_session(chat, score)


async def test_sunday_evening_brings_the_week_in_three_lines_and_the_chart(
    chat: Chat, api: FakeBotApi, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await onboard(chat, baseline="6")
    await three_sessions(chat, clock)

    summary = await summary_at(chat, clock, SUNDAY_EVENING)

    [progress] = [m for m in await chat.say("/progress") if "text" in m]
    caption = str(summary["caption"]).splitlines()
    assert caption[:2] == ["Your week 🗓", "The last 7 days: 3 of 5 planned sessions done"]
    # The streak and pain lines are the ones /progress shows.
    assert caption[2:4] == str(progress["text"]).splitlines()[2:4]
    assert "Every Sunday at 19:00. /summary changes the day." in caption
    stored = find_file(api.world, summary["photo"][-1]["file_id"])
    assert stored is not None and stored.data.startswith(PNG_SIGNATURE)
    height, width, _ = imread(io.BytesIO(stored.data), format="png").shape
    assert (width, height) == (800, 560)
    assert await pending_summary(session_factory) == NEXT_SUNDAY


async def test_moving_the_day_after_this_weeks_summary_skips_to_the_week_after(
    chat: Chat, clock: FakeClock, content: Content
) -> None:
    await onboard(chat)
    await rated_session(chat, 3)
    await summary_at(chat, clock, SUNDAY_EVENING)

    await chat.say("/summary")
    [changed] = await chat.tap("Mon")

    # Not tomorrow, a day after the last one: the Monday after.
    expected = content.texts.progress.weekly.next.format(when="Mon 16 Mar, 19:00")
    assert expected in texts_of([changed])[0]


async def test_summary_shows_the_day_and_moves_it_to_friday(
    chat: Chat, clock: FakeClock, content: Content
) -> None:
    await onboard(chat)
    words = content.texts.progress.weekly

    shown = await chat.say("/summary")
    assert "Every Sunday at 19:00 (Europe/Berlin)" in texts_of(shown)[0]
    # Nothing done yet: the first one is promised only with a session.
    assert words.next_first.format(when="Sun 8 Mar, 19:00") in texts_of(shown)[0]
    [changed] = await chat.tap("Fri")

    first = words.next_first.format(when="Fri 6 Mar, 19:00")
    assert texts_of([changed]) == [
        plain(words.changed.format(day="Friday", time="19:00", next=first))
    ]
    await rated_session(chat, 3)
    summary = await summary_at(chat, clock, datetime(2026, 3, 6, 18, 0, tzinfo=UTC))
    caption = str(summary["caption"])
    # Wednesday (the day of joining) to Friday were planned, one session done.
    assert "The last 7 days: 1 of 3 planned sessions done" in caption
    assert "Every Friday at 19:00" in caption


async def test_no_weekly_summary_turns_it_off_until_a_day_is_chosen(
    chat: Chat, clock: FakeClock, content: Content, session_factory: SessionFactory
) -> None:
    await onboard(chat)
    words = content.texts.progress.weekly
    await chat.say("/summary")

    assert texts_of(await chat.tap(words.off_button)) == [plain(words.turned_off)]
    assert await pending_summary(session_factory) is None
    assert texts_of(await chat.say("/summary")) == [plain(words.setting_off.format(time="19:00"))]

    await chat.tap("Sun")
    assert await pending_summary(session_factory) == Occurrence(SUNDAY_EVENING, date(2026, 3, 8))


async def test_someone_with_nothing_done_yet_gets_no_empty_summary(
    chat: Chat, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await onboard(chat)

    fates = await cancelled_at(chat, clock, session_factory, SUNDAY_EVENING)

    assert fates == {SendStatus.CANCELLED: 1}
    assert not any(_is_summary(m) for m in chat.user.messages)
    assert await pending_summary(session_factory) == NEXT_SUNDAY


async def test_no_summary_while_reminders_are_paused(
    chat: Chat, clock: FakeClock, session_factory: SessionFactory, content: Content
) -> None:
    await onboard(chat)
    await rated_session(chat, 3)
    await chat.say("/pause")
    words = content.texts.progress.weekly
    assert words.next_paused in texts_of(await chat.say("/summary"))[0]

    fates = await cancelled_at(chat, clock, session_factory, SUNDAY_EVENING)

    assert fates == {SendStatus.CANCELLED: 1}
    assert not any(_is_summary(m) for m in chat.user.messages)
    await chat.say("/resume")
    assert await pending_summary(session_factory) == NEXT_SUNDAY


async def test_summary_before_set_up_is_refused(chat: Chat, content: Content) -> None:
    assert texts_of(await chat.say("/summary")) == [plain(content.texts.routine.not_ready)]
