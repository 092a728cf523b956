"""Today's plan from the person's ladder positions, doses on the cards, content routines by
choice, sessions from before plans, and Pain now? during an exercise."""

import pytest
from sqlalchemy import select

from bot.content.schema import Content
from bot.db.coaching_models import CoachingDecision, SessionExercise
from bot.db.engine import SessionFactory
from bot.db.enums import CoachingTopic, StepOutcome
from bot.db.models import RoutineSession, StepResult, User
from bot.db.queries import ladders, sessions
from tests.conftest import FakeClock
from tests.e2e.harness import Chat, onboard
from tests.e2e.helpers import Json, buttons, cards, rows
from tests.e2e.test_reminders import reminder_arrives, set_reminder_a_minute_ahead

CORE = "transverse_activation"


def heading(card: dict[str, object]) -> str:
    return str(card["text"]).split("\n")[0]


def _saved(replies: list[Json]) -> bool:
    """The rating was taken (other coaching may follow the summary)."""
    return any("Session saved" in m["text"] for m in replies)


async def _user_id(session_factory: SessionFactory) -> int:
    [user] = await rows(session_factory, User)
    return int(user.id)


async def _at(
    session_factory: SessionFactory, clock: FakeClock, *positions: tuple[str, int]
) -> None:
    """Put the person on these rungs, as earlier sessions would have."""
    user_id = await _user_id(session_factory)
    async with session_factory.begin() as session:
        await ladders.save_positions(
            session,
            user_id=user_id,
            positions=[(track, rung, 0) for track, rung in positions],
            now=clock.now,
        )


async def _planned(session_factory: SessionFactory) -> list[tuple[str, str, int]]:
    async with session_factory() as session:
        found = await session.execute(
            select(SessionExercise).order_by(SessionExercise.session_id, SessionExercise.position)
        )
        return [(row.exercise_key, row.track_key, row.rung) for row in found.scalars()]


@pytest.mark.usefixtures("running")
async def test_todays_plan_comes_first_and_walks_the_plan_tracks(
    chat: Chat, session_factory: SessionFactory, content: Content
) -> None:
    await onboard(chat)
    [choice] = await chat.say("/routine")
    labels = list(buttons(choice))
    assert labels[0].startswith("⭐ Today's routine · ")
    assert [label for label in labels if "⭐" in label] == [labels[0]]
    assert all(any(r.name in label for label in labels[1:]) for r in content.routines)
    replies = await chat.tap("Today's routine")
    assert any(m["text"].startswith("Today's routine: 5 exercises") for m in replies)
    [first_card] = cards(replies)
    # Everyone starts on the start rungs: the shipped dosage, in its own words.
    assert content.exercise("lumbar_rotation").dosage.text in first_card["text"]
    seen = [heading(first_card)]
    for _ in range(4):
        seen.append(heading(cards(await chat.tap("Done"))[0]))
    names = [content.exercise(k).name for k in content.plan.daily_tracks]
    assert seen == [f"{n}/5 · {name}" for n, name in enumerate(names, start=1)]
    await chat.tap("Done")
    assert "How much does your back hurt" in chat.last_text
    assert _saved(await chat.tap("2"))
    [session] = await rows(session_factory, RoutineSession)
    assert session.routine_key == "todays_plan"
    assert [track for _, track, _ in await _planned(session_factory)] == content.plan.daily_tracks


@pytest.mark.usefixtures("running")
async def test_the_card_shows_the_dose_of_the_persons_rung(
    chat: Chat, session_factory: SessionFactory, clock: FakeClock, content: Content
) -> None:
    await onboard(chat)
    await _at(session_factory, clock, ("lumbar_rotation", 3), (CORE, 7))
    shipped = content.exercise("lumbar_rotation").dosage.text
    await chat.say("/routine")
    [card] = cards(await chat.tap("⭐"))
    assert "How much: 15 reps, each side" in card["text"] and shipped not in card["text"]
    await chat.tap("Done")
    await chat.tap("Done")
    [bridge] = cards(await chat.tap("Done"))
    assert heading(bridge) == "4/5 · Transverse activation with bridge"
    assert "How much: 8 reps, 5-second holds" in bridge["text"]
    assert "⏱ 0:05" in "".join(buttons(bridge))  # a Start timer button for the hold
    assert await _planned(session_factory) == [
        ("lumbar_rotation", "lumbar_rotation", 3),
        ("windmills", "windmills", 1),
        ("thread_the_needle", "thread_the_needle", 1),
        ("transverse_bridge", CORE, 7),
        ("long_bridge_multifidus", "long_bridge_multifidus", 2),
    ]


@pytest.mark.usefixtures("running")
async def test_a_chosen_content_routine_still_works(
    chat: Chat, session_factory: SessionFactory, clock: FakeClock, content: Content
) -> None:
    await onboard(chat)
    await _at(session_factory, clock, (CORE, 3))
    await chat.say("/routine")
    replies = await chat.tap("Core foundations")
    assert any("Core foundations" in m["text"] and "3 exercises" in m["text"] for m in replies)
    [card] = cards(replies)
    assert heading(card) == "1/3 · Transverse abdominis activation"
    assert "How much: 10 reps, 5-second holds" in card["text"]  # the person's rung
    [bridge] = cards(await chat.tap("Done"))
    assert content.exercise("transverse_bridge").dosage.text in bridge["text"]  # its start
    await chat.tap("Done")
    await chat.tap("Done")
    assert _saved(await chat.tap("3"))
    assert await _planned(session_factory) == [
        ("transverse_activation", CORE, 3),
        ("transverse_bridge", CORE, 6),
        ("bird_dog_crunch", "bird_dog_crunch", 0),
    ]


@pytest.mark.usefixtures("running")
async def test_a_session_started_before_plans_carries_on_from_its_routine(
    chat: Chat, session_factory: SessionFactory, clock: FakeClock, content: Content
) -> None:
    await onboard(chat)
    user_id = await _user_id(session_factory)
    async with session_factory.begin() as session:
        old = await sessions.start_session(
            session,
            user_id=user_id,
            routine_key="morning_mobility",
            first_exercise_key="lumbar_rotation",
            now=clock.now,
        )
        await sessions.record_step_result(
            session,
            session_id=old.id,
            position=0,
            exercise_key="lumbar_rotation",
            outcome=StepOutcome.DONE,
            now=clock.now,
        )
        await sessions.move_session_to(
            session, session_id=old.id, position=1, exercise_key="windmills"
        )
    replies = await chat.say("/routine")
    assert replies[0]["text"] == content.texts.routine.resumed
    [card] = cards(replies)
    assert heading(card) == "2/3 · Windmills"
    assert content.exercise("windmills").dosage.text in card["text"]
    [last] = cards(await chat.tap("Done"))
    assert heading(last) == "3/3 · Thread the needle"
    await chat.tap("Done")
    assert _saved(await chat.tap("2"))
    assert await _planned(session_factory) == []


@pytest.mark.usefixtures("running")
async def test_pain_now_up_to_5_brings_the_card_back_with_advice(
    chat: Chat, session_factory: SessionFactory, content: Content
) -> None:
    await onboard(chat)
    await chat.say("/routine")
    [card] = cards(await chat.tap("⭐"))
    assert await chat.tap("Pain now?") == []  # the same card, its answers swapped for 0–10
    asked = chat.user.last_message
    assert asked["message_id"] == card["message_id"]
    assert content.texts.coaching.in_exercise.rating_question in asked["text"]
    assert list(buttons(asked)) == [*map(str, range(11)), "Skip"]
    assert await chat.tap("4") == []
    advised = chat.user.last_message
    assert advised["message_id"] == card["message_id"]
    assert "→ 4/10" in advised["text"]
    assert content.texts.coaching.in_exercise.advice["slower_smaller"] in advised["text"]
    assert "✅ Done" in buttons(advised)
    [next_card] = cards(await chat.tap("Done"))
    assert heading(next_card) == "2/5 · Windmills"
    [result] = await rows(session_factory, StepResult)
    assert (result.outcome, result.pain_score) == (StepOutcome.DONE, 4)
    [decision] = await rows(session_factory, CoachingDecision)
    assert (decision.topic, decision.reason) == (
        CoachingTopic.IN_EXERCISE,
        "exercise_pain_acceptable",
    )


@pytest.mark.usefixtures("running")
async def test_pain_now_skip_goes_back_to_the_answers(
    chat: Chat, session_factory: SessionFactory
) -> None:
    await onboard(chat)
    await chat.say("/routine")
    [card] = cards(await chat.tap("⭐"))
    await chat.tap("Pain now?")
    assert await chat.tap("Skip") == []
    back = chat.user.last_message
    assert back["text"] == card["text"] and buttons(back) == buttons(card)
    assert await rows(session_factory, CoachingDecision) == []


@pytest.mark.usefixtures("running")
async def test_pain_now_above_5_stops_the_exercise_and_offers_the_easier_variant(
    chat: Chat, session_factory: SessionFactory, clock: FakeClock, content: Content
) -> None:
    await onboard(chat)
    await _at(session_factory, clock, (CORE, 6))
    await chat.say("/routine")
    await chat.tap("⭐")
    for _ in range(3):
        await chat.tap("Done")
    assert chat.last_text.startswith("4/5 · Transverse activation with bridge")
    await chat.tap("Pain now?")
    replies = await chat.tap("8")
    assert replies[0]["text"] == content.texts.coaching.reasons["exercise_pain_too_much"]
    assert "Try Transverse abdominis activation" in "".join(buttons(replies[-1]))
    [easier] = cards(await chat.tap("Try"))
    assert heading(easier) == "4/5 · Transverse abdominis activation"
    assert "How much: 10 reps, 10-second holds" in easier["text"]  # the rung below the bridge
    results = await rows(session_factory, StepResult)
    assert [(r.exercise_key, r.outcome, r.pain_score) for r in results][-1] == (
        "transverse_bridge",
        StepOutcome.TOO_PAINFUL,
        8,
    )
    reasons = [d.reason for d in await rows(session_factory, CoachingDecision)]
    assert reasons == ["exercise_pain_too_much"]


@pytest.mark.usefixtures("running")
async def test_a_reminders_start_now_opens_todays_plan(
    chat: Chat, session_factory: SessionFactory, clock: FakeClock
) -> None:
    await set_reminder_a_minute_ahead(chat)
    reminder = await reminder_arrives(chat, clock)
    replies = await chat.tap("Start now", reminder)
    assert any(m["text"].startswith("Today's routine: 5 exercises") for m in replies)
    assert heading(cards(replies)[0]) == "1/5 · Lumbar rotation"
    [session] = await rows(session_factory, RoutineSession)
    assert session.routine_key == "todays_plan"
