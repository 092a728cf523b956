"""`backcoach run` as an operator starts it: schema, command menu, polling, clean SIGTERM."""

import asyncio
import os
import signal
import sqlite3
import sys
from pathlib import Path

from bot.emulator import FakeBotApi
from tests.e2e.conftest import PERSON_ID
from tests.e2e.harness import Chat


def _commands_registered(api: FakeBotApi) -> dict[str, object] | None:
    return next((values for name, values in api.calls if name == "setMyCommands"), None)


async def test_run_serves_a_person_and_stops_cleanly_on_sigterm(
    api: FakeBotApi, chat: Chat, tmp_path: Path
) -> None:
    database = tmp_path / "coach.sqlite3"
    environment = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=environment,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        commands = await api.world.wait_for(lambda: _commands_registered(api), timeout=30)
        await chat.user.send_text("/start")
        await chat.user.wait_for_message(lambda m: "I'm not a doctor" in m["text"], timeout=30)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, stderr.decode()
    assert b"Traceback" not in stderr and api.token.encode() not in stderr
    assert '"routine"' in str(commands["commands"])
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT telegram_id FROM users").fetchall() == [(PERSON_ID,)]
