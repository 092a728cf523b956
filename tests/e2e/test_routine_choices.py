"""Choices inside a routine: the easier variant after Too painful, and /cancel."""

import pytest

from bot.content.schema import Content
from bot.db.engine import SessionFactory
from bot.db.enums import SessionStatus, StepOutcome
from bot.db.models import RoutineSession, StepResult
from tests.conftest import FakeClock
from tests.e2e.harness import Chat, onboard
from tests.e2e.helpers import buttons, cards, rows, start_routine, texts_of

CORE = "Core foundations"  # transverse_activation, transverse_bridge (easier exists), bird dog
EASIER = "Transverse abdominis activation"


def heading(card: dict[str, object]) -> str:
    return str(card["text"]).split("\n")[0]


async def _too_painful_on_the_bridge(chat: Chat) -> list[dict[str, object]]:
    await onboard(chat)
    await start_routine(chat, CORE)
    await chat.tap("Done")
    assert chat.last_text.startswith("2/3 · Transverse activation with bridge")
    return await chat.tap("Too painful")


@pytest.mark.usefixtures("running")
async def test_too_painful_offers_the_easier_variant_in_the_same_place(
    chat: Chat,
    session_factory: SessionFactory,
) -> None:
    [offer] = await _too_painful_on_the_bridge(chat)
    assert "we never go past it" in offer["text"] and EASIER in offer["text"]
    assert list(buttons(offer)) == [f"🌱 Try {EASIER}", "⏭ Skip it"]
    [easier_card] = cards(await chat.tap("Try"))
    assert heading(easier_card) == f"2/3 · {EASIER}"
    [next_card] = cards(await chat.tap("Done"))
    assert heading(next_card) == "3/3 · Bird dog with crunch"
    steps = await rows(session_factory, StepResult)
    assert [(s.position, s.exercise_key, s.outcome) for s in steps] == [
        (0, "transverse_activation", StepOutcome.DONE),
        (1, "transverse_bridge", StepOutcome.TOO_PAINFUL),
        (1, "transverse_activation", StepOutcome.DONE),
    ]


@pytest.mark.usefixtures("running")
async def test_skipping_after_too_painful_moves_on(
    chat: Chat,
    session_factory: SessionFactory,
) -> None:
    await _too_painful_on_the_bridge(chat)
    [next_card] = cards(await chat.tap("Skip it"))
    assert heading(next_card) == "3/3 · Bird dog with crunch"
    steps = await rows(session_factory, StepResult)
    assert [(s.position, s.outcome) for s in steps] == [
        (0, StepOutcome.DONE),
        (1, StepOutcome.TOO_PAINFUL),
    ]
    [session] = await rows(session_factory, RoutineSession)
    assert (session.current_position, session.current_exercise_key) == (2, "bird_dog_crunch")


@pytest.mark.usefixtures("running")
async def test_cancel_after_something_was_done_keeps_a_partial_session(
    chat: Chat,
    clock: FakeClock,
    session_factory: SessionFactory,
) -> None:
    await onboard(chat)
    await start_routine(chat)
    await chat.tap("Done")
    [reply] = texts_of(await chat.say("/cancel"))
    assert "1 of 3 exercises" in reply and "partial" in reply
    [session] = await rows(session_factory, RoutineSession)
    assert (session.status, session.finished_at) == (SessionStatus.PARTIAL, clock.now)
    assert len(await rows(session_factory, StepResult)) == 1


@pytest.mark.usefixtures("running")
async def test_cancel_before_anything_was_done_abandons_the_session(
    chat: Chat,
    clock: FakeClock,
    session_factory: SessionFactory,
    content: Content,
) -> None:
    await onboard(chat)
    await start_routine(chat)
    replies = texts_of(await chat.say("/cancel"))
    assert replies == [content.texts.common.cancelled_nothing]
    [session] = await rows(session_factory, RoutineSession)
    assert (session.status, session.finished_at) == (SessionStatus.ABANDONED, clock.now)
    assert await rows(session_factory, StepResult) == []


@pytest.mark.usefixtures("running")
async def test_cancel_with_nothing_running_says_so(
    chat: Chat,
    session_factory: SessionFactory,
    content: Content,
) -> None:
    await onboard(chat)
    replies = texts_of(await chat.say("/cancel"))
    assert replies == [content.texts.common.nothing_to_cancel]
    assert await rows(session_factory, RoutineSession) == []
