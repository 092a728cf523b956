"""Knowing when the bot has finished handling what a simulated person sent."""

import asyncio

from telegram import Update
from telegram.ext import TypeHandler

from bot.services import CoachApplication

# Handler groups run in order, so a handler in a late group sees an update after the bot did.
_LAST_GROUP = 99


class UpdateProgress:
    """The newest update id up to which the bot has finished handling every update."""

    def __init__(self) -> None:
        self.handled_update_id = 0
        # Handled ahead of an earlier one still in progress (the bot handles people in parallel).
        self._ahead: set[int] = set()
        self._changed = asyncio.Condition()

    def attach(self, application: CoachApplication) -> None:
        """Watch `application` (pass as `run_bot(on_built=...)`)."""
        application.add_handler(TypeHandler(Update, self._note), group=_LAST_GROUP)

    async def _note(self, update: Update, _context: object) -> None:
        async with self._changed:
            self._ahead.add(update.update_id)
            while self.handled_update_id + 1 in self._ahead:
                self.handled_update_id += 1
                self._ahead.discard(self.handled_update_id)
            self._changed.notify_all()

    async def wait_for(self, update_id: int, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the bot has handled update `update_id` and every one before it."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: self.handled_update_id >= update_id)
