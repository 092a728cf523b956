"""A clean stop and start of the bot loses nothing: routines and ratings carry on."""

from bot.content.schema import Content
from bot.db.engine import SessionFactory
from bot.db.enums import PainContext, SessionStatus, StepOutcome
from bot.db.models import PainReport, RoutineSession, StepResult
from bot.emulator import FakeBotApi
from tests.conftest import FakeClock
from tests.e2e.harness import Chat, Progress, onboard, running_bot
from tests.e2e.helpers import cards, rows, start_routine, texts_of


async def test_the_next_card_works_after_a_restart_mid_routine(
    api: FakeBotApi,
    chat: Chat,
    progress: Progress,
    database_url: str,
    clock: FakeClock,
    session_factory: SessionFactory,
) -> None:
    async with running_bot(api, database_url, clock, progress):
        await onboard(chat)
        await start_routine(chat)
        [second_card] = cards(await chat.tap("Done"))
    async with running_bot(api, database_url, clock, progress):
        replies = await chat.tap("Done", second_card)
    assert [c["text"].split(" · ")[0] for c in cards(replies)] == ["3/3"]
    steps = await rows(session_factory, StepResult)
    assert [(s.position, s.exercise_key, s.outcome) for s in steps] == [
        (0, "lumbar_rotation", StepOutcome.DONE),
        (1, "windmills", StepOutcome.DONE),
    ]
    [session] = await rows(session_factory, RoutineSession)
    assert (session.status, session.current_position, session.current_exercise_key) == (
        SessionStatus.IN_PROGRESS,
        2,
        "thread_the_needle",
    )


async def test_routine_after_a_restart_shows_where_you_were(
    api: FakeBotApi,
    chat: Chat,
    progress: Progress,
    database_url: str,
    clock: FakeClock,
    session_factory: SessionFactory,
    content: Content,
) -> None:
    async with running_bot(api, database_url, clock, progress):
        await onboard(chat)
        await start_routine(chat)
        await chat.tap("Done")
    async with running_bot(api, database_url, clock, progress):
        replies = await chat.say("/routine")
        assert texts_of(replies)[0] == content.texts.routine.resumed
        assert [c["text"].split("\n")[0] for c in cards(replies)] == ["2/3 · Windmills"]
        await chat.tap("Done")  # the resumed card's buttons work
    assert len(await rows(session_factory, StepResult)) == 2
    assert len(await rows(session_factory, RoutineSession)) == 1


async def test_a_typed_rating_after_a_restart_is_recorded(
    api: FakeBotApi,
    chat: Chat,
    progress: Progress,
    database_url: str,
    clock: FakeClock,
    session_factory: SessionFactory,
) -> None:
    async with running_bot(api, database_url, clock, progress):
        await onboard(chat)
        await start_routine(chat)
        for _ in range(3):
            await chat.tap("Done")
        assert "How much does your back hurt" in chat.last_text
    async with running_bot(api, database_url, clock, progress):
        summary = (await chat.say("3"))[0]  # what follows a rating may come after it
    assert "Session saved" in summary["text"] and "3/10" in summary["text"]
    reports = await rows(session_factory, PainReport)
    assert [(r.score, r.context) for r in reports] == [
        (5, PainContext.BASELINE),
        (3, PainContext.AFTER_SESSION),
    ]
    [session] = await rows(session_factory, RoutineSession)
    assert session.status is SessionStatus.COMPLETED
