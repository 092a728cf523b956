"""A real Application fed updates directly, its Bot API calls recorded (no polling, no HTTP)."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from telegram import Update

from bot.app import build_application
from bot.emulator.state import World
from bot.emulator.user import FakeUser
from bot.services import CoachApplication, Services
from tests.flows.recording import RecordingRequest

TOKEN = "123456:TEST"
PERSON_ID = 6_000_000_001


@dataclass
class Conversation:
    """One person talking to the bot; each action is handled fully before it returns."""

    application: CoachApplication
    request: RecordingRequest
    person: FakeUser

    async def _deliver(self) -> None:
        world = self.request.world
        pending, world.updates = world.updates, []
        for update in pending:
            await self.application.process_update(Update.de_json(update, self.application.bot))

    async def say(self, text: str) -> None:
        await self.person.send_text(text)
        await self._deliver()

    async def tap(self, label: str) -> None:
        """Press the button whose label is or contains `label`, on the newest keyboard."""
        message = next(m for m in reversed(self.person.messages) if m.get("reply_markup"))
        buttons = [b for row in message["reply_markup"]["inline_keyboard"] for b in row]
        exact = [b for b in buttons if b["text"] == label]
        chosen = (exact or [b for b in buttons if label in b["text"]])[0]
        await self.person.press(chosen["callback_data"], message)
        await self._deliver()

    @property
    def texts(self) -> list[str]:
        return [str(m.get("text", "")) for m in self.person.messages]

    def sent_since(self, count: int) -> list[str]:
        return self.texts[count:]


def _world() -> World:
    bot_user: dict[str, Any] = {
        "id": 123456, "is_bot": True, "first_name": "Backcoach", "username": "backcoach_bot",
    }  # fmt: skip
    return World(bot_user, None)


@pytest.fixture
async def conversation(services: Services) -> AsyncIterator[Conversation]:
    request = RecordingRequest(_world())
    application = build_application(
        services, token=TOKEN, base_url="http://bot-api.invalid/bot", request=request
    )
    async with application:
        yield Conversation(application, request, FakeUser(request.world, PERSON_ID, "Kim"))
