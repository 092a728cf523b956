"""Answering an update in an early handler group so that group 0 leaves it alone.

`ApplicationHandlerStop` would do that, but it stops *every* later group, including the last-group
watcher that the demo and the tests use to know the bot has finished with an update.
"""

import functools
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import BaseHandler

from bot.services import CoachContext

RT = TypeVar("RT")
Callback = Callable[[Update, CoachContext], Coroutine[Any, Any, RT]]


class Claims:
    """The updates answered early (in group -1), until group 0 has let them pass."""

    def __init__(self) -> None:
        self._update_ids: set[int] = set()

    def answering(self, callback: Callback[RT]) -> Callback[RT]:
        """`callback`, claiming each update it answers (even one it fails on)."""

        @functools.wraps(callback)
        async def answer(update: Update, context: CoachContext) -> RT:
            self._update_ids.add(update.update_id)
            return await callback(update, context)

        return answer

    def handler(self) -> "BaseHandler[Update, CoachContext, None]":
        """For group 0, ahead of anything that could match: takes claimed updates, does nothing."""
        return _Claimed(self._update_ids)

    def guard(self) -> "BaseHandler[Update, CoachContext, None]":
        """For a group between the claiming one and group 0, ahead of its handlers: takes
        claimed updates other than commands (a command still lets older questions end)."""
        return _Guarded(self._update_ids)


class _Claimed(BaseHandler[Update, CoachContext, None]):
    def __init__(self, update_ids: set[int]) -> None:
        super().__init__(self._let_pass)
        self._update_ids = update_ids

    def check_update(self, update: object) -> bool:
        return isinstance(update, Update) and update.update_id in self._update_ids

    async def _let_pass(self, update: Update, _context: CoachContext) -> None:
        self._update_ids.discard(update.update_id)


class _Guarded(_Claimed):
    def check_update(self, update: object) -> bool:
        if not super().check_update(update):
            return False
        assert isinstance(update, Update)
        message = update.effective_message
        text = None if message is None else message.text
        return not (text and text.startswith("/"))

    async def _let_pass(self, update: Update, _context: CoachContext) -> None:
        return None  # group 0 lets it pass
