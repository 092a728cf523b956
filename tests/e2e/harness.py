"""The real bot (`backcoach run`'s code path) long-polling the fake Bot API over HTTP."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr

from bot.config import Settings
from bot.emulator import FakeBotApi
from bot.emulator.progress import UpdateProgress
from bot.emulator.user import FakeUser
from bot.runner import run_bot
from bot.services import Clock

Json = dict[str, Any]


Progress = UpdateProgress


@asynccontextmanager
async def running_bot(
    api: FakeBotApi,
    database_url: str,
    clock: Clock,
    progress: "Progress | None" = None,
    *,
    tick_seconds: float = 0.1,
    grace_minutes: int = 180,
) -> AsyncIterator[None]:
    """Run the bot until the block ends; a second block over the same database is a restart.

    Reminders are looked for every `tick_seconds` of real time, against the test's `clock`.
    """
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=SecretStr(api.token),
        telegram_api_base_url=api.base_url,
        reminder_tick_seconds=tick_seconds,
        reminder_grace_minutes=grace_minutes,
    )
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(
        run_bot(
            settings,
            database_url=database_url,
            stop=stop,
            ready=ready,
            clock=clock,
            poll_timeout=1,
            on_built=progress.attach if progress else None,
        )
    )
    ready_wait = asyncio.create_task(ready.wait())
    done, _ = await asyncio.wait({task, ready_wait}, timeout=30, return_when="FIRST_COMPLETED")
    if task in done:
        task.result()  # startup failed: raise its error here
    assert ready.is_set(), "the bot did not start"
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=30)


@dataclass
class Chat:
    """A person chatting, who waits for the bot to finish answering before reading."""

    api: FakeBotApi
    user: FakeUser
    progress: Progress

    async def settle(self) -> None:
        """Wait until the bot has handled everything this person sent."""
        await self.progress.wait_for(self.api.world.last_update_id)

    async def say(self, text: str) -> list[Json]:
        """Send text; return the bot messages sent in answer."""
        before = self.user.mark()
        await self.user.send_text(text)
        await self.settle()
        return self.new_since(before)

    async def tap(self, button: str, message: Json | None = None) -> list[Json]:
        """Press the button whose label is or contains `button` on the latest keyboard."""
        before = self.user.mark()
        await self.user.press(self._callback_data(button, message), message)
        await self.settle()
        return self.new_since(before)

    def _callback_data(self, label: str, message: Json | None) -> str:
        keyboard_messages = [m for m in self.user.messages if m.get("reply_markup")]
        target = message or (keyboard_messages[-1] if keyboard_messages else {})
        rows = target.get("reply_markup", {}).get("inline_keyboard", [])
        buttons = [button for row in rows for button in row]
        for matches in (lambda t: t == label, lambda t: label in t):
            found = [b["callback_data"] for b in buttons if matches(b["text"])]
            if found:
                return str(found[0])
        raise AssertionError(f"no button {label!r}; buttons: {[b['text'] for b in buttons]}")

    def new_since(self, mark: int) -> list[Json]:
        return [payload for kind, payload in self.user.log.events[mark:] if kind == "sent"]

    @property
    def last_text(self) -> str:
        return str(self.user.last_message.get("text", ""))

    @property
    def last_toast(self) -> str | None:
        answers = self.user.callback_answers
        return answers[-1].get("text") if answers else None


async def onboard(chat: Chat, *, baseline: str = "5") -> None:
    """/start through consent, a clear screen, baseline, 08:00 and Europe/Berlin."""
    await chat.say("/start")
    await chat.tap("I understand")
    for _ in range(6):
        await chat.tap("No")
    await chat.tap(baseline)
    await chat.tap("08:00")
    await chat.tap("Europe/Berlin")
