"""/help answers in any state and leaves the conversation where it was."""

import pytest

from bot.content.schema import Content
from bot.db.engine import SessionFactory
from bot.db.models import PainReport, StepResult
from tests.e2e.harness import Chat
from tests.e2e.helpers import cards, plain, rows, snapshot, start_routine, texts_of, to_baseline

COMMANDS = ("/routine", "/cancel", "/start", "/help")


async def _help(chat: Chat, content: Content) -> None:
    replies = texts_of(await chat.say("/help"))
    assert replies == [plain(content.texts.common.help)]
    assert all(command in replies[0] for command in COMMANDS)


@pytest.mark.usefixtures("running")
async def test_help_lists_the_commands_anywhere_and_changes_nothing(
    chat: Chat,
    session_factory: SessionFactory,
    content: Content,
) -> None:
    await _help(chat, content)  # before /start: nobody is created
    assert all(found == [] for found in (await snapshot(session_factory)).values())
    await to_baseline(chat)
    before = await snapshot(session_factory)
    await _help(chat, content)
    assert await snapshot(session_factory) == before
    await chat.say("3")  # still waiting for the baseline
    await chat.tap("08:00")
    await chat.tap("Europe/Berlin")
    await start_routine(chat)
    await chat.tap("Done")
    before = await snapshot(session_factory)
    await _help(chat, content)  # in the middle of an exercise
    assert await snapshot(session_factory) == before
    resumed = await chat.say("/routine")
    assert texts_of(resumed)[0] == content.texts.routine.resumed
    assert cards(resumed)[0]["text"].startswith("2/3")
    await chat.tap("Done")
    assert chat.last_text.startswith("3/3")
    [report] = await rows(session_factory, PainReport)
    assert report.score == 3
    assert len(await rows(session_factory, StepResult)) == 2
