"""Presses on old keyboards are answered with a toast and never record anything."""

import pytest

from bot.content.schema import Content
from bot.db.engine import SessionFactory
from bot.db.enums import PainContext, SessionStatus, StepOutcome
from bot.db.models import PainReport, RoutineSession, StepResult
from tests.e2e.harness import Chat, onboard
from tests.e2e.helpers import (
    Json,
    buttons,
    cards,
    data_of,
    press_raw,
    press_stale,
    rows,
    snapshot,
    start_routine,
)


@pytest.mark.usefixtures("running")
async def test_done_on_a_finished_routines_card_says_the_session_ended(
    chat: Chat,
    session_factory: SessionFactory,
    content: Content,
) -> None:
    await onboard(chat)
    [first_card] = cards(await start_routine(chat))
    done = data_of(first_card, "Done")
    await chat.tap("Done")
    await chat.tap("Done")
    await chat.tap("Done")
    await chat.tap("2")
    before = await snapshot(session_factory)
    answers_before = len(chat.user.callback_answers)
    replies = await press_stale(chat, done, first_card)
    assert replies == []
    assert len(chat.user.callback_answers) == answers_before + 1
    assert chat.last_toast == content.texts.common.session_ended
    assert await snapshot(session_factory) == before
    assert len(await rows(session_factory, StepResult)) == 3


@pytest.mark.usefixtures("running")
async def test_done_on_a_card_left_after_cancel_says_the_session_ended(
    chat: Chat,
    session_factory: SessionFactory,
    content: Content,
) -> None:
    await onboard(chat)
    [card] = cards(await start_routine(chat))
    await chat.say("/cancel")
    before = await snapshot(session_factory)
    replies = await chat.tap("Done", card)  # the keyboard is still on screen
    assert replies == []
    assert chat.last_toast == content.texts.common.session_ended
    assert await snapshot(session_factory) == before
    [session] = await rows(session_factory, RoutineSession)
    assert session.status is SessionStatus.ABANDONED
    assert await rows(session_factory, StepResult) == []


@pytest.mark.usefixtures("running")
async def test_a_double_press_on_done_records_one_step(
    chat: Chat,
    content: Content,
    session_factory: SessionFactory,
) -> None:
    await onboard(chat)
    [card] = cards(await start_routine(chat))
    before = chat.user.mark()
    done = data_of(card, "Done")
    press_raw(chat, done, card)
    press_raw(chat, done, card)  # both taps reach the bot before it answers either
    await chat.settle()
    new_cards = cards(chat.new_since(before))
    assert [c["text"].split(" · ")[0] for c in new_cards] == ["2/3"]
    answered = [e for kind, e in chat.user.log.events[before:] if kind == "answered"]
    assert len(answered) == 2  # each tap is answered, so neither spinner hangs
    assert chat.last_toast == content.texts.common.already_answered
    [step] = await rows(session_factory, StepResult)
    assert (step.position, step.outcome) == (0, StepOutcome.DONE)
    [session] = await rows(session_factory, RoutineSession)
    assert (session.status, session.current_position) == (SessionStatus.IN_PROGRESS, 1)


@pytest.mark.usefixtures("running")
async def test_an_answered_card_pressed_while_the_rating_waits_is_already_noted(
    chat: Chat,
    session_factory: SessionFactory,
    content: Content,
) -> None:
    await onboard(chat)
    [card] = cards(await start_routine(chat))
    done = data_of(card, "Done")
    for _ in range(3):
        await chat.tap("Done")
    await press_stale(chat, done, card)
    assert chat.last_toast == content.texts.common.already_answered
    summary = (await chat.tap("2"))[0]  # what follows a rating may come after it
    assert "Session saved" in summary["text"]
    assert len(await rows(session_factory, StepResult)) == 3


async def _to_pain_question(chat: Chat) -> Json:
    await onboard(chat)
    await start_routine(chat)
    await chat.tap("Done")
    await chat.tap("Done")
    [question] = [m for m in await chat.tap("Done") if buttons(m)]
    return question


@pytest.mark.usefixtures("running")
async def test_a_double_press_on_a_score_records_one_rating(
    chat: Chat,
    content: Content,
    session_factory: SessionFactory,
) -> None:
    question = await _to_pain_question(chat)
    before = chat.user.mark()
    press_raw(chat, data_of(question, "2"), question)
    press_raw(chat, data_of(question, "2"), question)
    await chat.settle()
    answered = [e for kind, e in chat.user.log.events[before:] if kind == "answered"]
    assert len(answered) == 2
    assert chat.last_toast == content.texts.common.session_ended
    assert len([m for m in chat.new_since(before) if "Session saved" in m["text"]]) == 1
    ratings = await rows(session_factory, PainReport)
    assert [r.context for r in ratings].count(PainContext.AFTER_SESSION) == 1


@pytest.mark.usefixtures("running")
async def test_a_score_pressed_after_the_rating_was_typed_says_the_session_ended(
    chat: Chat,
    content: Content,
    session_factory: SessionFactory,
) -> None:
    question = await _to_pain_question(chat)
    summary = (await chat.say("2"))[0]  # what follows a rating may come after it
    assert "Session saved" in summary["text"]
    before = await snapshot(session_factory)
    replies = await press_stale(chat, data_of(question, "3"), question)
    assert replies == []
    assert chat.last_toast == content.texts.common.session_ended
    assert await snapshot(session_factory) == before
