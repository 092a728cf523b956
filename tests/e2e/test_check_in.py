"""The morning check-in over HTTP: answered once, by a button or a typed 0–10 when nothing
else is asked, and at a time the person chooses with /checkin."""

from datetime import time

from sqlalchemy import select, update

from bot.db.coaching_models import CheckIn
from bot.db.engine import SessionFactory
from bot.db.enums import CheckInFeeling, CoachingTopic, UserStatus
from bot.db.models import User
from tests.conftest import FakeClock
from tests.e2e.harness import Chat, onboard
from tests.e2e.helpers import data_of, press_stale, start_routine, texts_of
from tests.e2e.test_progression import QUESTION, audit, next_morning_check_in, todays_session


async def _answers(session_factory: SessionFactory) -> list[tuple[object, int | None]]:
    async with session_factory() as session:
        rows = (await session.execute(select(CheckIn).order_by(CheckIn.id))).scalars()
        return [(row.feeling, row.score) for row in rows]


async def test_a_second_press_gets_a_kind_toast_and_changes_nothing(
    chat: Chat, running: None, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await onboard(chat)
    await todays_session(chat, 3)
    check_in = await next_morning_check_in(chat, clock)
    await chat.tap("Better", check_in)
    replies = await press_stale(chat, data_of(check_in, "Worse"), check_in)

    assert replies == []
    assert chat.last_toast == "You've already told me how that morning felt. Thank you!"
    assert await _answers(session_factory) == [(CheckInFeeling.BETTER, None)]


async def test_a_check_in_stays_answerable_after_a_session_started_that_day(
    chat: Chat, running: None, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await onboard(chat)
    await todays_session(chat, 2)
    check_in = await next_morning_check_in(chat, clock)
    await start_routine(chat, "⭐")  # Start now before answering: the session is left open

    [reply] = texts_of(await chat.tap("Better", check_in))

    assert "One more like it, and we'll take a small step up." in reply
    decided = [(d[0], d[1]) for d in await audit(session_factory)]
    assert (CoachingTopic.CHECK_IN, "morning_settled") in decided
    assert (CoachingTopic.PROGRESSION, "hold_no_check_in") not in decided
    assert await _answers(session_factory) == [(CheckInFeeling.BETTER, None)]


async def test_a_press_the_day_after_is_told_it_has_passed(
    chat: Chat, running: None, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await onboard(chat)
    await todays_session(chat, 3)
    check_in = await next_morning_check_in(chat, clock)
    await start_routine(chat, "⭐")
    clock.advance(days=1)

    replies = await chat.tap("Better", check_in)

    assert replies == []
    assert chat.last_toast == (
        "That check-in has passed. I'll ask again the morning after your next session."
    )
    assert await _answers(session_factory) == []


async def test_a_referred_person_cannot_answer_a_check_in(
    chat: Chat, running: None, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await onboard(chat)
    await todays_session(chat, 2)
    await chat.tap("Better", await next_morning_check_in(chat, clock))
    clock.advance(hours=2)
    await todays_session(chat, 2)
    check_in = await next_morning_check_in(chat, clock)
    async with session_factory.begin() as session:
        await session.execute(update(User).values(status=UserStatus.REFERRED))

    replies = await chat.tap("Better", check_in)

    assert replies == []
    assert chat.last_toast == (
        "That check-in has passed. I'll ask again the morning after your next session."
    )
    assert "step_up_ready" not in [d[1] for d in await audit(session_factory)]


async def test_a_typed_score_is_judged_against_that_sessions_own_rating(
    chat: Chat, running: None, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await onboard(chat, baseline="2")
    await todays_session(chat, 4)
    await next_morning_check_in(chat, clock)

    [reply] = texts_of(await chat.say("3"))

    # 3 the next morning is below the 4 right after the session: settled (the baseline, 2,
    # was the level before it, and is not what the morning is compared with).
    assert "Pain of 4 or 5 is acceptable" in reply
    assert (CoachingTopic.CHECK_IN, "morning_settled", None, None, None) in await audit(
        session_factory
    )


async def test_the_check_in_comes_in_the_morning_whatever_the_reminder_time(
    chat: Chat, running: None, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await onboard(chat)
    await chat.say("/reminders")
    await chat.tap("Change time")
    await chat.say("20:00")
    async with session_factory() as session:
        person = (await session.execute(select(User))).scalar_one()
    assert person.reminder_time == time(20, 0)

    _, summary = await todays_session(chat, 3)

    assert "I'll ask you at 08:00." in summary
    [shown] = texts_of(await chat.say("/checkin"))
    assert "Your morning check-in comes at 08:00" in shown


async def test_a_typed_number_answers_a_waiting_check_in(
    chat: Chat, running: None, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await onboard(chat, baseline="5")
    await todays_session(chat, 4)
    await next_morning_check_in(chat, clock)

    [reply] = texts_of(await chat.say("3"))

    # 3 is no higher than the baseline, the level before that first session: settled.
    assert "Your next session" in reply
    assert await _answers(session_factory) == [(None, 3)]


async def test_a_number_typed_with_no_check_in_waiting_is_not_taken(
    chat: Chat, running: None, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await onboard(chat)
    await todays_session(chat, 4)  # its check-in is tomorrow morning

    replies = await chat.say("3")

    assert QUESTION not in " ".join(texts_of(replies))
    assert "Your next session" not in " ".join(texts_of(replies))
    assert await _answers(session_factory) == []


async def test_a_pain_rating_during_a_routine_is_never_a_check_in(
    chat: Chat, running: None, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await onboard(chat)
    await todays_session(chat, 4)
    await next_morning_check_in(chat, clock)

    _, summary = await todays_session(chat, 2, typed=True)

    assert "2/10" in summary
    assert await _answers(session_factory) == []


async def test_a_number_typed_to_another_question_is_not_a_check_in(
    chat: Chat, running: None, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await onboard(chat)
    await todays_session(chat, 4)
    await next_morning_check_in(chat, clock)
    await chat.say("/reminders")
    await chat.tap("Change time")

    replies = await chat.say("9")

    assert "Your next session" not in " ".join(texts_of(replies))
    assert await _answers(session_factory) == []


async def test_checkin_shows_and_changes_the_time_and_the_next_check_in_follows(
    chat: Chat, running: None, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await onboard(chat)
    [shown] = texts_of(await chat.say("/checkin"))
    assert "Your morning check-in comes at 08:00, the morning after each session." in shown

    [changed] = texts_of(await chat.say("/checkin 7:30"))
    await todays_session(chat, 3)
    mark = chat.user.mark()
    clock.advance(hours=21, minutes=30)  # Thursday 07:30 in Berlin

    # It arrives at 07:30, before the reminder time.
    await chat.user.wait_for_message(
        lambda m: QUESTION in str(m.get("text")), after=mark, timeout=15
    )
    assert changed == (
        "Done. Your morning check-in now comes at 07:30, the morning after each session."
    )
    async with session_factory() as session:
        person = (await session.execute(select(User))).scalar_one()
    assert person.check_in_time == time(7, 30)


async def test_checkin_with_something_else_than_a_time_explains_itself(
    chat: Chat, running: None
) -> None:
    await onboard(chat)

    [reply] = texts_of(await chat.say("/checkin soon"))

    assert reply == "Please send /checkin with a time, like /checkin 7:30."
