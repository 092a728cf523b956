"""Flare-up mode over HTTP: /flare and /flare off, the offer after a jump in pain, softer
reminders, a streak that flare days never break, and its end by itself told once.

The clock starts on Wed 4 Mar 2026, 09:00 UTC (10:00 in Berlin); flare-up mode lasts 3 days
(content/plan.yaml), so a flare started on Wednesday is on until Friday 6 Mar, included.
"""

import asyncio
from datetime import date

import pytest

from bot.content.schema import Content
from bot.db.engine import SessionFactory
from bot.db.enums import CoachingTopic, SendStatus
from bot.db.models import SentMessage, User
from tests.conftest import FakeClock
from tests.e2e.coaching_steps import decisions, next_day, rated_session, reminder_after
from tests.e2e.harness import Chat, onboard
from tests.e2e.helpers import Json, plain, rows, texts_of, to_reminder_time, to_screening

pytestmark = pytest.mark.usefixtures("running")
WEDNESDAY = date(2026, 3, 4)


async def _flare_dates(session_factory: SessionFactory) -> tuple[date | None, date | None]:
    [user] = await rows(session_factory, User)
    return user.flare_started_on, user.flare_until


async def test_flare_turns_on_gentle_days_until_a_date_and_is_recorded(
    chat: Chat, session_factory: SessionFactory
) -> None:
    await onboard(chat)
    [reply] = texts_of(await chat.say("/flare"))
    assert reply.startswith("Flare-up mode is on 🌱 Until Fri 6 Mar: gentle mobility only")
    assert await _flare_dates(session_factory) == (WEDNESDAY, date(2026, 3, 7))
    assert await decisions(session_factory, CoachingTopic.FLARE) == [("flare_requested", None)]


async def test_flare_again_starts_the_days_over_and_keeps_the_days_already_in_it(
    chat: Chat, session_factory: SessionFactory, clock: FakeClock
) -> None:
    await onboard(chat)
    await chat.say("/flare")
    await next_day(chat, clock)
    replies = texts_of(await chat.say("/flare"))
    assert any(
        text.startswith("You're already in flare-up mode, until Sat 7 Mar.") for text in replies
    )
    assert await _flare_dates(session_factory) == (WEDNESDAY, date(2026, 3, 8))


async def test_flare_off_makes_today_ordinary_again(
    chat: Chat, session_factory: SessionFactory, content: Content
) -> None:
    await onboard(chat)
    await chat.say("/flare")
    assert texts_of(await chat.say("/flare off")) == [content.texts.coaching.flare.off]
    assert await _flare_dates(session_factory) == (WEDNESDAY, WEDNESDAY)
    assert texts_of(await chat.say("/flare off")) == [content.texts.coaching.flare.not_on]
    reasons = [reason for reason, _ in await decisions(session_factory, CoachingTopic.FLARE)]
    assert reasons == ["flare_requested", "flare_ended_by_person"]


async def test_flare_before_set_up_is_refused_and_set_up_carries_on(
    chat: Chat, session_factory: SessionFactory, content: Content
) -> None:
    await to_screening(chat)
    assert texts_of(await chat.say("/flare")) == [plain(content.texts.routine.not_ready)]
    await chat.tap("No")  # the safety question still waits for its answer
    assert "bladder" in chat.last_text
    assert await _flare_dates(session_factory) == (None, None)


async def test_a_jump_in_pain_offers_flare_up_mode_and_yes_turns_it_on(
    chat: Chat, session_factory: SessionFactory
) -> None:
    await onboard(chat, baseline="2")
    replies = texts_of(await rated_session(chat, 6))
    [offer] = [text for text in replies if "Would you like flare-up mode" in text]
    # No earlier rating: the jump is on the starting point (the baseline).
    assert offer.startswith("Your pain is 4 points higher than your starting point.")
    assert "for the next 3 days" in offer
    [on] = texts_of(await chat.tap("Yes, go gentle"))
    assert on.startswith("Flare-up mode is on 🌱 Until Fri 6 Mar")
    assert await _flare_dates(session_factory) == (WEDNESDAY, date(2026, 3, 7))
    offered, accepted = await decisions(session_factory, CoachingTopic.FLARE)
    assert (offered[0], accepted[0]) == ("flare_offer_pain_jump", "flare_offer_accepted")
    assert offered[1] is not None and accepted[1] == offered[1]  # about that session


async def test_a_jump_on_the_last_rating_says_higher_than_last_time(
    chat: Chat, clock: FakeClock
) -> None:
    await onboard(chat, baseline="2")
    await rated_session(chat, 2)
    clock.advance(hours=2)
    replies = texts_of(await rated_session(chat, 5))
    [offer] = [text for text in replies if "Would you like flare-up mode" in text]
    assert offer.startswith("Your pain is 3 points higher than last time.")


def _offer(replies: list[Json]) -> Json:
    [offer] = [m for m in replies if "Would you like flare-up mode" in str(m.get("text"))]
    return offer


async def test_yes_on_an_offer_from_an_earlier_day_is_refused_kindly(
    chat: Chat, clock: FakeClock, session_factory: SessionFactory, content: Content
) -> None:
    await onboard(chat, baseline="2")
    offer = _offer(await rated_session(chat, 6))
    await next_day(chat, clock, days=2)
    assert await chat.tap("Yes, go gentle", offer) == []
    assert chat.last_toast == content.texts.coaching.flare.offer_expired
    assert await _flare_dates(session_factory) == (None, None)
    reasons = [reason for reason, _ in await decisions(session_factory, CoachingTopic.FLARE)]
    assert reasons == ["flare_offer_pain_jump"]


async def test_yes_on_an_offer_about_an_earlier_session_is_refused_kindly(
    chat: Chat, session_factory: SessionFactory, content: Content
) -> None:
    await onboard(chat, baseline="2")
    offer = _offer(await rated_session(chat, 6))
    await rated_session(chat, 3)  # a later session the same day
    assert await chat.tap("Yes, go gentle", offer) == []
    assert chat.last_toast == content.texts.coaching.flare.offer_expired
    assert await _flare_dates(session_factory) == (None, None)


async def test_declining_the_offer_changes_nothing(
    chat: Chat, session_factory: SessionFactory, content: Content
) -> None:
    await onboard(chat, baseline="2")
    await rated_session(chat, 6)
    assert texts_of(await chat.tap("No, carry on")) == [content.texts.coaching.flare.declined]
    assert await _flare_dates(session_factory) == (None, None)


async def test_no_offer_when_pain_did_not_jump(chat: Chat, session_factory: SessionFactory) -> None:
    await onboard(chat, baseline="4")
    replies = texts_of(await rated_session(chat, 6))
    assert not any("flare-up mode" in text for text in replies)
    assert await decisions(session_factory, CoachingTopic.FLARE) == []


async def _reminders_at_ten_past_ten(chat: Chat) -> None:
    """Set up with reminders at 10:01 in Berlin, a minute after the clock."""
    await to_reminder_time(chat)
    await chat.say("10:01")
    await chat.tap("Europe/Berlin")


async def test_reminders_are_softer_in_flare_up_mode(
    chat: Chat, clock: FakeClock, content: Content
) -> None:
    await _reminders_at_ten_past_ten(chat)
    await chat.say("/flare")
    reminder = await reminder_after(chat, clock, minutes=1)
    assert reminder["text"] in content.texts.coaching.flare.reminders


async def test_flare_days_never_break_the_streak_and_its_end_is_told_once(
    chat: Chat, clock: FakeClock, session_factory: SessionFactory, content: Content
) -> None:
    await _reminders_at_ten_past_ten(chat)
    await rated_session(chat, 3)  # Wednesday
    await next_day(chat, clock)
    await rated_session(chat, 3)  # Thursday
    await next_day(chat, clock)
    await chat.say("/flare")  # Friday to Sunday, with no session
    flare_reminders = content.texts.coaching.flare.reminders
    for _ in range(3):
        soft = await reminder_after(chat, clock, minutes=1)
        assert soft["text"] in flare_reminders
        clock.advance(days=1, minutes=-1)
    monday = await reminder_after(chat, clock, minutes=1)
    assert monday["text"].startswith(plain(content.texts.coaching.flare.ended_by_itself))
    assert "2 planned days in a row" in monday["text"]  # Thursday and Wednesday still count
    tuesday = await reminder_after(chat, clock, days=1)
    assert plain(content.texts.coaching.flare.ended_by_itself) not in tuesday["text"]
    reasons = [reason for reason, _ in await decisions(session_factory, CoachingTopic.FLARE)]
    assert reasons == ["flare_requested", "flare_time_up"]


async def test_the_end_is_recorded_as_told_only_once_a_reminder_saying_it_is_delivered(
    chat: Chat, clock: FakeClock, session_factory: SessionFactory, content: Content
) -> None:
    await _reminders_at_ten_past_ten(chat)
    await chat.say("/flare")  # Wednesday to Friday
    for _ in range(3):
        await reminder_after(chat, clock, minutes=1)
        clock.advance(days=1, minutes=-1)
    # Saturday's reminder, which would say flare-up mode is over, is refused by Telegram.
    chat.api.fail_next("sendMessage", 400, description="Bad Request: injected")
    clock.advance(minutes=1)
    for _ in range(100):
        if any(row.status is SendStatus.FAILED for row in await rows(session_factory, SentMessage)):
            break
        await asyncio.sleep(0.05)
    else:
        pytest.fail("Saturday's reminder was never refused")
    reasons = [reason for reason, _ in await decisions(session_factory, CoachingTopic.FLARE)]
    assert reasons == ["flare_requested"]  # not told yet
    replies = texts_of(await rated_session(chat, 3))
    assert content.texts.coaching.flare.ended_by_itself in replies  # so it is told now
    reasons = [reason for reason, _ in await decisions(session_factory, CoachingTopic.FLARE)]
    assert reasons == ["flare_requested", "flare_time_up"]
