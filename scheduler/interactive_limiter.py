"""The Application bot's rate limiter: replies take budget slots ahead of the bulk lane."""

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from scheduler.budget import SendBudget
from scheduler.send_one import retry_after_seconds

logger = logging.getLogger(__name__)
JSONDict = dict[str, Any]

# Methods that post a new message count toward Telegram's per-bot limit; edits, callback
# answers and chat actions do not (and must never wait).
COUNTED_ENDPOINTS = frozenset(
    {
        "sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup", "sendAudio", "sendVideo",
        "sendAnimation", "sendVoice", "sendVideoNote", "sendSticker", "sendLocation",
        "sendVenue", "sendContact", "sendPoll", "sendDice", "sendInvoice", "sendGame",
        "sendPaidMedia", "copyMessage", "copyMessages", "forwardMessage", "forwardMessages",
    }
)  # fmt: skip


class InteractiveLimiter(BaseRateLimiter[int]):
    """Takes an interactive budget slot for each counted send; retries after a 429."""

    __slots__ = ("_budget", "_max_retries")

    def __init__(self, budget: SendBudget, *, max_retries: int = 3) -> None:
        self._budget = budget
        self._max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to set up: the budget is shared and owned by the caller."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Call `callback`, in a budget slot if `endpoint` counts; `rate_limit_args`: retries."""
        max_retries = self._max_retries if rate_limit_args is None else rate_limit_args
        chat_id = data.get("chat_id")
        attempt = 0
        while True:
            try:
                if endpoint not in COUNTED_ENDPOINTS:
                    return await callback(*args, **kwargs)
                async with self._budget.slot(
                    chat_id if isinstance(chat_id, int) else None, interactive=True
                ):
                    return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt >= max_retries:
                    raise
                attempt += 1
                seconds = retry_after_seconds(error)
                logger.warning("Flood control on %s: retry in %.1f s", endpoint, seconds)
                self._budget.hold_bulk(seconds)
                await asyncio.sleep(seconds)
