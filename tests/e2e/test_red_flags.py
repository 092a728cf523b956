"""A Yes to a red-flag question sends the person to care and keeps the programme closed."""

import pytest

from bot.content.schema import Content
from bot.db.engine import SessionFactory
from bot.db.enums import UserStatus
from bot.db.models import PainReport, RoutineSession, ScreeningAnswer, User
from tests.e2e.harness import Chat
from tests.e2e.helpers import SCREENING_QUESTIONS, buttons, plain, rows, texts_of, to_screening


@pytest.mark.usefixtures("running")
async def test_yes_to_saddle_numbness_says_get_help_now_and_blocks_routines(
    chat: Chat,
    session_factory: SessionFactory,
    content: Content,
) -> None:
    await to_screening(chat)
    assert "saddle" in chat.last_text
    [advice] = texts_of(await chat.tap("Yes"))
    assert "Please get medical help now" in advice and "emergency" in advice
    assert "I won't start the exercise programme" in advice
    routine_replies = texts_of(await chat.say("/routine"))
    assert routine_replies == [plain(content.texts.screening.referred_reminder)]
    [user] = await rows(session_factory, User)
    [answer] = await rows(session_factory, ScreeningAnswer)
    assert user.status is UserStatus.REFERRED and user.screened_at is not None
    assert (answer.question_key, answer.answer_yes) == ("saddle_numbness", True)
    assert await rows(session_factory, RoutineSession) == []


@pytest.mark.usefixtures("running")
async def test_yes_to_cancer_history_says_see_a_doctor(
    chat: Chat,
    session_factory: SessionFactory,
) -> None:
    await to_screening(chat)
    for _ in range(SCREENING_QUESTIONS - 1):
        await chat.tap("No")
    assert "cancer" in chat.last_text
    [advice] = texts_of(await chat.tap("Yes"))
    assert "Please see a doctor before you start exercising" in advice
    assert "get medical help now" not in advice
    [user] = await rows(session_factory, User)
    answers = await rows(session_factory, ScreeningAnswer)
    assert user.status is UserStatus.REFERRED
    assert [(a.question_key, a.answer_yes) for a in answers][-1] == ("cancer_history", True)
    assert [a.answer_yes for a in answers] == [False] * 5 + [True]


@pytest.mark.usefixtures("running")
async def test_start_after_referral_offers_a_recheck_that_can_clear_them(
    chat: Chat,
    session_factory: SessionFactory,
    content: Content,
) -> None:
    await to_screening(chat)
    await chat.tap("Yes")
    [reminder] = await chat.say("/start")
    assert reminder["text"] == plain(content.texts.screening.referred_reminder)
    assert list(buttons(reminder)) == [content.texts.screening.recheck_button]
    await chat.tap("I've been checked")
    for _ in range(SCREENING_QUESTIONS - 1):
        await chat.tap("No")
    replies = texts_of(await chat.tap("No"))
    assert replies[0].startswith("Thank you, none of those warning signs")
    assert "How much does your back hurt" in replies[-1]
    [user] = await rows(session_factory, User)
    answers = await rows(session_factory, ScreeningAnswer)
    assert user.status is UserStatus.ONBOARDING
    assert [a.answer_yes for a in answers] == [True] + [False] * SCREENING_QUESTIONS
    assert await rows(session_factory, PainReport) == []


@pytest.mark.usefixtures("running")
async def test_routine_after_referral_offers_the_recheck_it_mentions(
    chat: Chat,
    session_factory: SessionFactory,
    content: Content,
) -> None:
    await to_screening(chat)
    await chat.tap("Yes")
    [reminder] = await chat.say("/routine")
    assert "tap below" in reminder["text"]
    assert list(buttons(reminder)) == [content.texts.screening.recheck_button]
    replies = texts_of(await chat.tap("I've been checked"))
    assert "saddle" in replies[-1]  # the screen starts again from its first question
    assert await rows(session_factory, RoutineSession) == []
