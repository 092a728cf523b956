"""Bad input anywhere gets one short, kind re-prompt and changes nothing in the database."""

import pytest

from bot.content.schema import Content
from bot.db.engine import SessionFactory
from bot.db.enums import PainContext, StepOutcome
from bot.db.models import PainReport, ScreeningAnswer, StepResult, User
from tests.e2e.harness import Chat, onboard
from tests.e2e.helpers import (
    plain,
    rows,
    send_sticker,
    snapshot,
    start_routine,
    texts_of,
    to_baseline,
    to_reminder_time,
    to_screening,
    to_time_zone,
)

LONG_TEXT = "7" * 5_000


@pytest.mark.usefixtures("running")
async def test_text_at_consent_reprompts_and_changes_nothing(
    chat: Chat,
    session_factory: SessionFactory,
    content: Content,
) -> None:
    await chat.say("/start")
    before = await snapshot(session_factory)
    replies = await chat.say("yes ok")
    assert texts_of(replies) == [content.texts.common.use_buttons]
    assert await snapshot(session_factory) == before
    await chat.tap("I understand")
    [user] = await rows(session_factory, User)
    assert user.consented_at is not None


@pytest.mark.usefixtures("running")
async def test_text_at_screening_question_reprompts_and_records_no_answer(
    chat: Chat,
    session_factory: SessionFactory,
    content: Content,
) -> None:
    await to_screening(chat)
    question = chat.last_text
    before = await snapshot(session_factory)
    replies = await chat.say("no")
    assert texts_of(replies) == [content.texts.common.use_buttons]
    assert await snapshot(session_factory) == before
    assert await rows(session_factory, ScreeningAnswer) == []
    await chat.tap("No")  # the question's buttons still work
    assert chat.last_text != question
    assert len(await rows(session_factory, ScreeningAnswer)) == 1


@pytest.mark.usefixtures("running")
async def test_bad_baseline_is_asked_again_and_not_recorded(
    chat: Chat,
    session_factory: SessionFactory,
    content: Content,
) -> None:
    invalid = content.texts.pain.invalid
    await to_baseline(chat)
    before = await snapshot(session_factory)
    for bad in ["11", "-1", "banana", LONG_TEXT]:
        replies = await chat.say(bad)
        assert texts_of(replies) == [invalid], bad
    assert texts_of(await send_sticker(chat)) == [invalid]
    assert await snapshot(session_factory) == before
    assert await rows(session_factory, PainReport) == []
    await chat.tap("6")  # the 0–10 buttons still work after all that
    [report] = await rows(session_factory, PainReport)
    assert (report.score, report.context) == (6, PainContext.BASELINE)


@pytest.mark.usefixtures("running")
async def test_impossible_reminder_time_is_asked_again(
    chat: Chat,
    session_factory: SessionFactory,
    content: Content,
) -> None:
    await to_reminder_time(chat)
    before = await snapshot(session_factory)
    replies = await chat.say("25:99")
    assert texts_of(replies) == [content.texts.onboarding.reminder_time_invalid]
    assert await snapshot(session_factory) == before
    [user] = await rows(session_factory, User)
    assert user.reminder_time is None


@pytest.mark.usefixtures("running")
async def test_unknown_time_zone_is_asked_again(
    chat: Chat,
    session_factory: SessionFactory,
) -> None:
    await to_time_zone(chat)
    before = await snapshot(session_factory)
    [reply] = await chat.say("Mars/Base")
    assert "Mars/Base" in reply["text"] and "Europe/Berlin" in reply["text"]
    assert await snapshot(session_factory) == before
    [user] = await rows(session_factory, User)
    assert user.time_zone is None and user.status == "onboarding"


@pytest.mark.usefixtures("running")
async def test_text_during_an_exercise_records_no_step(
    chat: Chat,
    session_factory: SessionFactory,
    content: Content,
) -> None:
    await onboard(chat)
    await start_routine(chat)
    card = chat.last_text
    before = await snapshot(session_factory)
    replies = await chat.say("done")
    assert texts_of(replies) == [content.texts.routine.in_progress_use_buttons]
    assert await snapshot(session_factory) == before
    assert await rows(session_factory, StepResult) == []
    await chat.tap("Done")  # the card's buttons still work
    assert chat.last_text.startswith("2/3") and chat.last_text != card


async def _to_pain_question(chat: Chat) -> None:
    await onboard(chat)
    await start_routine(chat)
    for _ in range(3):
        await chat.tap("Done")


@pytest.mark.usefixtures("running")
async def test_bad_pain_rating_is_asked_again_then_typed_score_is_recorded(
    chat: Chat,
    session_factory: SessionFactory,
    content: Content,
) -> None:
    await _to_pain_question(chat)
    assert "How much does your back hurt" in chat.last_text
    before = await snapshot(session_factory)
    for bad in ["11", "banana"]:
        replies = await chat.say(bad)
        assert texts_of(replies) == [content.texts.pain.invalid], bad
    assert len(await send_sticker(chat)) == 1  # one short re-prompt, nothing else
    assert await snapshot(session_factory) == before
    summary = (await chat.say("4/10"))[0]  # what follows a rating may come after it
    assert "Session saved" in summary["text"] and "4/10" in summary["text"]
    reports = await rows(session_factory, PainReport)
    assert [(r.score, r.context) for r in reports] == [
        (5, PainContext.BASELINE),
        (4, PainContext.AFTER_SESSION),
    ]
    assert [s.outcome for s in await rows(session_factory, StepResult)] == [StepOutcome.DONE] * 3


@pytest.mark.usefixtures("running")
async def test_sticker_at_pain_rating_repeats_the_pain_prompt(
    chat: Chat,
    content: Content,
) -> None:
    await _to_pain_question(chat)
    replies = await send_sticker(chat)
    assert texts_of(replies) == [plain(content.texts.pain.invalid)]
