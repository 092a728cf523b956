"""A fake Bot API per test, and a person to chat through it."""

from collections.abc import AsyncIterator

import pytest

from bot.emulator import FakeBotApi
from tests.conftest import FakeClock
from tests.e2e.harness import Chat, Progress, running_bot

PERSON_ID = 5_000_000_001


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as fake:
        yield fake


@pytest.fixture
def progress() -> Progress:
    return Progress()


@pytest.fixture
def chat(api: FakeBotApi, progress: Progress) -> Chat:
    return Chat(api, api.user(PERSON_ID, "Sam"), progress)


@pytest.fixture
async def running(
    api: FakeBotApi, progress: Progress, database_url: str, clock: FakeClock
) -> AsyncIterator[None]:
    """The bot polling the fake Bot API for the whole test (restart tests use `running_bot`)."""
    async with running_bot(api, database_url, clock, progress):
        yield
