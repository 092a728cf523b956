"""`backcoach demo`: the real bot against the fake Bot API, chatted with in this terminal."""

import asyncio
import contextlib
import sys
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy.engine import make_url

from bot.config import Settings
from bot.emulator import FakeBotApi, FakeUser
from bot.emulator.progress import UpdateProgress
from bot.runner import run_bot

Json = dict[str, Any]
DEMO_USER_ID = 424242
INTRO = """\
backcoach demo: you are chatting with the real coach (same handlers, same database code)
through a fake Telegram on this computer. No token and no network needed.
  • type /start to begin, or any message as you would in Telegram
  • type a button's number to press it
  • type :location LAT LON to share a location (e.g. :location 52.52 13.40)
  • type :quit (or Ctrl-D) to leave. Your demo data is kept in {database}.
"""


def _buttons(message: Json) -> list[Json]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


def _is_scale(buttons: list[Json]) -> bool:
    """A 0–10 keyboard: there the typed number is the score, not a button's position."""
    return all(str(b["text"]).isdigit() for b in buttons)


class Terminal:
    """Prints what the coach sends and turns typed lines into messages or presses."""

    def __init__(self, user: FakeUser) -> None:
        self.user = user
        self.keyboard_message: Json | None = None

    def show(self, chat_id: int, kind: str, message: Json) -> None:
        """Print a message the bot sent; remember the newest keyboard."""
        if chat_id != self.user.user_id or kind != "sent":
            return
        text = message.get("text") or message.get("caption") or "(media)"
        print("\ncoach › " + text.replace("\n", "\n        "))
        buttons = _buttons(message)
        if buttons:
            self.keyboard_message = message
            if _is_scale(buttons):
                labels = "  ".join(f"[{b['text']}]" for b in buttons)
            else:
                labels = "   ".join(f"[{n}] {b['text']}" for n, b in enumerate(buttons, start=1))
            print("        " + labels)

    async def act(self, line: str) -> None:
        """Press a numbered button, share a location, or send the line as a message."""
        if line.isdigit() and self.keyboard_message is not None:
            buttons = _buttons(self.user.history(self.keyboard_message)[-1])
            number = int(line)
            if _is_scale(buttons):
                chosen = [b for b in buttons if b["text"] == line]
            else:
                chosen = [buttons[number - 1]] if 1 <= number <= len(buttons) else []
            if chosen:
                await self.user.press(chosen[0]["callback_data"], self.keyboard_message)
                return
        if line.startswith(":location"):
            with contextlib.suppress(ValueError):
                latitude, longitude = (float(part) for part in line.split()[1:3])
                await self.user.send_location(latitude, longitude)
                return
        await self.user.send_text(line)


def _demo_settings(settings: Settings, api: FakeBotApi) -> Settings:
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(api.token),
            "telegram_api_base_url": api.base_url,
        }
    )


def _remove_sqlite_file(database_url: str) -> None:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database:
        for suffix in ("", "-wal", "-shm"):
            Path(url.database + suffix).unlink(missing_ok=True)


async def _read_line() -> str | None:
    try:
        return (await asyncio.to_thread(input, "you › ")).strip()
    except EOFError:
        return None


async def run_demo(settings: Settings, *, fresh: bool = False) -> int:
    """Chat with the coach until :quit or end of input."""
    if fresh:
        _remove_sqlite_file(settings.demo_database_url)
    print(INTRO.format(database=settings.demo_database_url))
    async with FakeBotApi() as api:
        user = api.user(DEMO_USER_ID, "You")
        terminal = Terminal(user)
        api.subscribe(terminal.show)
        progress, stop, ready = UpdateProgress(), asyncio.Event(), asyncio.Event()
        bot = asyncio.create_task(
            run_bot(
                _demo_settings(settings, api),
                database_url=settings.demo_database_url,
                stop=stop,
                ready=ready,
                poll_timeout=1,
                on_built=progress.attach,
            )
        )
        await ready.wait()
        while (line := await _read_line()) not in (None, ":quit"):
            if line:
                await terminal.act(line)
                await progress.wait_for(api.world.last_update_id, timeout=30)
        stop.set()
        await bot
    print("\nbye, take care of your back.", file=sys.stderr)
    return 0
