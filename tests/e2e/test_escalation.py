"""Advice to see a physical therapist, and the weekly red-flag re-check, over HTTP.

The clock starts on Wed 4 Mar 2026, 09:00 UTC; set-up (and its screen) happens then, so the
re-check is due again after a rating a week later.
"""

from collections.abc import Iterator

import pytest

from bot.content.schema import Content
from bot.content.texts import Urgency
from bot.db.engine import SessionFactory
from bot.db.enums import CoachingTopic, MessageKind, SessionStatus, UserStatus
from bot.db.models import DueMessage, RoutineSession, ScreeningAnswer, User
from tests.conftest import FakeClock
from tests.e2e.coaching_steps import decisions, next_day, rated_session
from tests.e2e.harness import Chat, onboard
from tests.e2e.helpers import (
    SCREENING_QUESTIONS,
    Json,
    plain,
    press_stale,
    rows,
    start_routine,
    texts_of,
)

ADVICE = "It would be a good idea to see a physical therapist."
WEEKLY_UP = "Your average pain this week is 2 or more points higher than the week before."
TWO_STEP_DOWNS = "We've had to make your exercises lighter twice within two weeks."


@pytest.fixture
def clinic(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The operator set CLINIC_NAME and CLINIC_CONTACT."""
    monkeypatch.setenv("CLINIC_NAME", "Riverside Physio & Rehab")
    monkeypatch.setenv("CLINIC_CONTACT", "+49 30 1234567")
    yield


def _advice(replies: list[str]) -> list[str]:
    return [text for text in replies if ADVICE in text]


@pytest.mark.usefixtures("clinic", "running")
async def test_rising_weekly_pain_recommends_a_physical_therapist_and_names_the_clinic(
    chat: Chat, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await onboard(chat, baseline="3")
    assert _advice(texts_of(await rated_session(chat, 2))) == []
    await next_day(chat, clock, days=7)
    [advice] = _advice(texts_of(await rated_session(chat, 5)))
    assert WEEKLY_UP in advice
    assert "A physical therapy clinic you could contact: Riverside Physio & Rehab" in advice
    assert advice.endswith("To book: +49 30 1234567")
    assert "diagnos" not in advice and "medic" not in advice
    assert await decisions(session_factory, CoachingTopic.ESCALATION) == [
        ("escalate_weekly_pain_up", None)
    ]


@pytest.mark.usefixtures("running")
async def test_the_same_advice_is_not_repeated_within_a_week(
    chat: Chat, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await onboard(chat, baseline="3")
    await rated_session(chat, 2)
    await next_day(chat, clock, days=7)
    [advice] = _advice(texts_of(await rated_session(chat, 5)))
    assert "To book" not in advice and "clinic" not in advice  # no clinic is set
    await next_day(chat, clock)
    assert _advice(texts_of(await rated_session(chat, 5))) == []
    assert len(await decisions(session_factory, CoachingTopic.ESCALATION)) == 1


@pytest.mark.usefixtures("running")
async def test_advice_whose_send_failed_is_not_recorded_and_is_given_next_time(
    chat: Chat, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await onboard(chat, baseline="3")
    await rated_session(chat, 2)
    await next_day(chat, clock, days=7)

    def refuse_the_message_after_the_summary(_chat_id: int, kind: str, message: Json) -> None:
        if kind == "sent" and str(message.get("text", "")).startswith("Session saved"):
            chat.api.fail_next("sendMessage", 400, description="Bad Request: injected")

    chat.api.subscribe(refuse_the_message_after_the_summary)
    replies = texts_of(await rated_session(chat, 5))
    chat.api.world.listeners.remove(refuse_the_message_after_the_summary)
    assert _advice(replies) == []  # Telegram refused it
    assert await decisions(session_factory, CoachingTopic.ESCALATION) == []
    [advice] = _advice(texts_of(await rated_session(chat, 5)))
    assert WEEKLY_UP in advice
    assert await decisions(session_factory, CoachingTopic.ESCALATION) == [
        ("escalate_weekly_pain_up", None)
    ]


@pytest.mark.usefixtures("running")
async def test_two_step_downs_within_two_weeks_recommend_a_physical_therapist(
    chat: Chat, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await onboard(chat, baseline="6")
    assert _advice(texts_of(await rated_session(chat, 7))) == []  # one step down so far
    await next_day(chat, clock)
    [advice] = _advice(texts_of(await rated_session(chat, 7)))
    assert TWO_STEP_DOWNS in advice
    assert ("escalate_repeated_step_downs", None) in await decisions(
        session_factory, CoachingTopic.ESCALATION
    )


async def _week_later_recheck(chat: Chat, clock: FakeClock, content: Content) -> list[str]:
    """A session now, and one a week later: the replies to the second rating."""
    await onboard(chat, baseline="3")
    await rated_session(chat, 3)
    await next_day(chat, clock, days=7)
    replies = texts_of(await rated_session(chat, 3))
    assert content.texts.coaching.escalation.recheck_intro in replies
    assert "saddle" in replies[-1]
    return replies


@pytest.mark.usefixtures("running")
async def test_a_yes_in_the_weekly_recheck_refers_and_pauses_the_programme(
    chat: Chat, clock: FakeClock, session_factory: SessionFactory, content: Content
) -> None:
    await _week_later_recheck(chat, clock, content)
    [advice] = texts_of(await chat.tap("Yes"))
    # The mid-programme words, not set-up's "I won't start the exercise programme".
    assert advice == plain(content.texts.screening.weekly_advice[Urgency.EMERGENCY])
    assert "Please get medical help now." in advice
    assert "stop the exercises for now" in advice and "paused" in advice
    assert "won't start" not in advice and "haven't started" not in advice
    assert "diagnos" not in advice and "medication" not in advice
    assert "I've been checked" in str(chat.user.last_message["reply_markup"])
    [user] = await rows(session_factory, User)
    assert user.status is UserStatus.REFERRED
    assert await rows(session_factory, DueMessage) == []  # no reminders, no check-ins
    assert texts_of(await chat.say("/routine")) == [
        plain(content.texts.screening.referred_reminder)
    ]
    sessions = await rows(session_factory, RoutineSession)
    assert len(sessions) == 2  # nothing new started
    await chat.tap("I've been checked")
    for _ in range(SCREENING_QUESTIONS):
        await chat.tap("No")
    await chat.tap("3")
    await chat.tap("08:00")
    await chat.tap("Europe/Berlin")
    [user] = await rows(session_factory, User)
    assert user.status is UserStatus.ACTIVE
    kinds = sorted(d.kind for d in await rows(session_factory, DueMessage))
    assert kinds == [MessageKind.DAILY_REMINDER, MessageKind.WEEKLY_SUMMARY]


@pytest.mark.usefixtures("running")
async def test_an_urgent_yes_in_the_weekly_recheck_says_see_a_doctor_today_and_stops_the_routine(
    chat: Chat, clock: FakeClock, session_factory: SessionFactory, content: Content
) -> None:
    await _week_later_recheck(chat, clock, content)
    for _ in range(2):  # the two emergency questions
        await chat.tap("No")
    question = chat.user.last_message
    assert content.texts.screening.questions[2].urgency is Urgency.URGENT
    await start_routine(chat, "⭐")  # a routine begun while the question waits
    replies = texts_of(await chat.tap("Yes", question))
    assert replies == [plain(content.texts.screening.weekly_advice[Urgency.URGENT])]
    assert "Please see a doctor today" in replies[0] and "stop the exercises" in replies[0]
    [user] = await rows(session_factory, User)
    assert user.status is UserStatus.REFERRED
    # Referred, reminders gone and the routine closed together: nothing left in progress.
    latest = max(await rows(session_factory, RoutineSession), key=lambda s: s.id)
    assert latest.status is SessionStatus.ABANDONED and latest.finished_at == clock.now
    assert await rows(session_factory, DueMessage) == []


@pytest.mark.usefixtures("running")
async def test_a_clear_weekly_recheck_carries_on_and_is_not_asked_again_that_week(
    chat: Chat, clock: FakeClock, session_factory: SessionFactory, content: Content
) -> None:
    await _week_later_recheck(chat, clock, content)
    for _ in range(SCREENING_QUESTIONS - 1):
        await chat.tap("No")
    replies = texts_of(await chat.tap("No"))
    assert replies[0] == plain(content.texts.screening.clear)
    [user] = await rows(session_factory, User)
    assert user.status is UserStatus.ACTIVE and user.screened_at == clock.now
    answers = await rows(session_factory, ScreeningAnswer)
    assert [a.answer_yes for a in answers] == [False] * 2 * SCREENING_QUESTIONS
    await next_day(chat, clock)
    replies = texts_of(await rated_session(chat, 3))
    assert content.texts.coaching.escalation.recheck_intro not in replies


@pytest.mark.usefixtures("running")
async def test_a_button_from_an_earlier_recheck_changes_nothing(
    chat: Chat, clock: FakeClock, session_factory: SessionFactory, content: Content
) -> None:
    await _week_later_recheck(chat, clock, content)
    old_question = chat.user.last_message
    old_no = next(
        data
        for row in old_question["reply_markup"]["inline_keyboard"]
        for data in (button["callback_data"] for button in row)
        if data.endswith(":no")
    )
    await next_day(chat, clock)
    await rated_session(chat, 3)  # the re-check is asked again: a new pass
    await press_stale(chat, old_no, old_question)
    assert chat.last_toast == content.texts.common.button_expired
    answers = await rows(session_factory, ScreeningAnswer)
    assert len(answers) == SCREENING_QUESTIONS  # only the first screen's
