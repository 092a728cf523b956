"""Logs help an operator without exposing anyone: no token, no pain scores, no answers."""

import io
import logging
from collections.abc import Iterator

import pytest

from bot.emulator import FakeBotApi
from bot.emulator.progress import UpdateProgress
from bot.logging_setup import configure_logging
from tests.conftest import FakeClock
from tests.e2e.harness import Chat, onboard, running_bot

REALISTIC_TOKEN = "7012345678:AAH4xkT3abcdEFGHijklMNOPqrstUVwxyz0"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:], root.level = handlers, level


async def _journey(database_url: str) -> None:
    async with FakeBotApi(token=REALISTIC_TOKEN) as api:
        progress = UpdateProgress()
        chat = Chat(api, api.user(777, "Robin"), progress)
        async with running_bot(api, database_url, FakeClock(), progress):
            await onboard(chat, baseline="7")
            await chat.tap("Start a routine")
            await chat.tap("Morning mobility")
            await chat.say("/cancel")
            await chat.say("/routine")
            await chat.tap("Morning mobility")
            await chat.tap("Done")
            await chat.tap("Done")
            await chat.tap("Done")
            await chat.say("9/10")


@pytest.mark.usefixtures("restore_logging")
async def test_the_token_never_reaches_the_log_even_at_debug(database_url: str) -> None:
    log = io.StringIO()
    configure_logging("DEBUG", stream=log)
    await _journey(database_url)
    assert "getUpdates" in log.getvalue()  # the log did record the traffic
    assert "AAH4xkT3" not in log.getvalue()


@pytest.mark.usefixtures("restore_logging")
async def test_info_logs_carry_no_pain_scores_or_screening_answers(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await _journey(database_url)
    operator_lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert any("running" in line for line in operator_lines)
    for line in operator_lines:
        assert "baseline:" not in line and "pain:" not in line and "screen:" not in line
        assert "9/10" not in line and "saddle" not in line
