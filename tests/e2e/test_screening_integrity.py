"""A red-flag referral can only be lifted by a complete new screen, never by old buttons."""

import pytest

from bot.content.schema import Content
from bot.db.engine import SessionFactory
from bot.db.enums import StepOutcome, UserStatus
from bot.db.models import RoutineSession, StepResult, User
from tests.e2e.harness import Chat, onboard
from tests.e2e.helpers import press_stale, rows, start_routine, to_screening


@pytest.mark.usefixtures("running")
async def test_old_question_buttons_cannot_clear_a_referral(
    chat: Chat,
    session_factory: SessionFactory,
    content: Content,
) -> None:
    await to_screening(chat)
    await chat.tap("No")
    await chat.tap("No")
    old_third_question = chat.user.last_message
    await chat.say("/start")  # asks from the first question again
    await chat.tap("Yes")  # saddle numbness: referred
    for _ in range(4):
        await press_stale(chat, "screen:leg_weakness:no", old_third_question)
        assert chat.last_toast == content.texts.common.button_expired
    await chat.say("/routine")
    [user] = await rows(session_factory, User)
    assert user.status is UserStatus.REFERRED
    assert await rows(session_factory, RoutineSession) == []


@pytest.mark.usefixtures("running")
async def test_an_old_recheck_button_does_nothing_once_set_up(
    chat: Chat,
    session_factory: SessionFactory,
    content: Content,
) -> None:
    await to_screening(chat)
    await chat.tap("Yes")
    await chat.say("/routine")
    spare_recheck = chat.user.last_message
    await chat.say("/start")
    await chat.tap("I've been checked")
    for _ in content.texts.screening.questions:
        await chat.tap("No")
    await chat.tap("3")
    await chat.tap("08:00")
    await chat.tap("Europe/Berlin")
    await press_stale(chat, "recheck", spare_recheck)
    assert chat.last_toast == content.texts.common.button_expired
    [user] = await rows(session_factory, User)
    assert user.status is UserStatus.ACTIVE


@pytest.mark.usefixtures("running")
async def test_routine_after_too_painful_resumes_at_the_easier_offer(
    chat: Chat,
    session_factory: SessionFactory,
) -> None:
    await onboard(chat)
    await start_routine(chat, "Core foundations")
    await chat.tap("Done")
    await chat.tap("Too painful")
    await chat.say("/routine")
    assert "easier version" in chat.last_text
    await chat.tap("Try")
    await chat.tap("Done")
    await chat.tap("Done")
    summary = (await chat.tap("4"))[0]["text"]  # what follows a rating may come after it
    assert "3 done" in summary and "0 too painful" in summary
    outcomes = [(s.position, s.outcome) for s in await rows(session_factory, StepResult)]
    assert outcomes == [
        (0, StepOutcome.DONE), (1, StepOutcome.TOO_PAINFUL), (1, StepOutcome.DONE),
        (2, StepOutcome.DONE),
    ]  # fmt: skip
