"""/start for someone already set up welcomes them back and never wipes their data."""

import pytest

from bot.content.schema import Content
from bot.db.engine import SessionFactory
from tests.conftest import FakeClock
from tests.e2e.harness import Chat, onboard
from tests.e2e.helpers import plain, snapshot, start_routine, texts_of


@pytest.mark.usefixtures("running")
async def test_start_again_welcomes_back_and_keeps_everything(
    chat: Chat,
    clock: FakeClock,
    session_factory: SessionFactory,
    content: Content,
) -> None:
    await onboard(chat, baseline="6")
    await start_routine(chat)
    for _ in range(3):
        await chat.tap("Done")
    await chat.tap("4")
    clock.advance(hours=20)  # the next morning, before the 08:00 reminder
    before = await snapshot(session_factory)
    assert [len(before[t]) for t in ("users", "routine_sessions", "step_results")] == [1, 1, 3]
    replies = texts_of(await chat.say("/start"))
    assert replies == [plain(content.texts.onboarding.welcome_back)]
    assert await snapshot(session_factory) == before
    assert "Which routine today?" in texts_of(await chat.say("/routine"))[0]
