"""One queued item's send: claimed, sent until Telegram settles it, and its outcome recorded.

Telegram's answers decide what happens: flood control pauses the whole bulk lane and tries
again, a block is recorded (never retried), a network error is retried with backoff, and any
other error gives up. Whatever happens, one item is sent at most once per claim.
"""

import asyncio
import logging
import warnings
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.warnings import PTBDeprecationWarning

from scheduler.budget import SendBudget
from scheduler.outgoing import Delivery, Outgoing, Rendered
from scheduler.retry import Backoff, Retries, Write

logger = logging.getLogger(__name__)


def retry_after_seconds(error: RetryAfter) -> float:
    """Return `error.retry_after` in seconds, whichever type PTB hands it back as."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class OneSend:
    """Sends one item at a time for a worker of the bulk lane; holds no queue of its own."""

    def __init__(
        self,
        bot: Bot,
        budget: SendBudget,
        delivery: Delivery,
        retries: Retries,
        *,
        max_network_retries: int,
        network_backoff: Backoff,
    ) -> None:
        self._bot = bot
        self._budget = budget
        self._delivery = delivery
        self._retries = retries
        self._max_network_retries = max_network_retries
        self._network_backoff = network_backoff

    async def send(self, item: Outgoing) -> bool:
        """Send one item; True if it is left to `Retries` (to begin again, or to record)."""
        try:
            rendered = await self._delivery.begin(item)
        except Exception as error:  # not claimed, not sent: queue it again in a while
            self._retries.begin_failed(item, error)
            return True
        self._retries.begin_worked(item)
        if rendered is None:
            return False
        attempt = _Attempt()
        try:
            return await self._send_begun(item, rendered, attempt)
        except asyncio.CancelledError:
            # Stopped while waiting (a flood-control pause, a backoff, a slot): Telegram never
            # got it, so it goes back to the queue for the next start instead of being lost.
            if not attempt.maybe_delivered:
                release = partial(self._delivery.release, item)
                await asyncio.shield(self._record(item, "release", release))
            raise

    async def _send_begun(self, item: Outgoing, rendered: Rendered, attempt: "_Attempt") -> bool:
        """Send until Telegram settles it, then record how (never sending it again for that)."""
        failures = 0
        while True:
            try:
                async with self._budget.slot(item.chat_id):
                    attempt.calling = True
                    message = await self._post(item.chat_id, rendered)
            except RetryAfter as error:
                attempt.calling = False
                seconds = retry_after_seconds(error)
                logger.warning("Flood control: bulk paused %.1f s (user %s)", seconds, item.key[0])
                self._budget.hold_bulk(seconds)
                continue
            except Forbidden:
                logger.info("User %s blocked the bot", item.key[0])
                return await self._record(item, "blocked", partial(self._delivery.blocked, item))
            except NetworkError as error:
                attempt.calling = False
                # A timeout may come after Telegram took the message.
                attempt.timed_out |= isinstance(error, TimedOut)
                # BadRequest is a NetworkError too, but sending it again cannot help.
                if isinstance(error, BadRequest) or failures >= self._max_network_retries:
                    return await self._give_up(item, error)
                failures += 1
                delay = self._network_backoff.delay(failures)
                logger.warning(
                    "%s sending to user %s; retry %d in %.1f s",
                    type(error).__name__, item.key[0], failures, delay,
                )  # fmt: skip
                await asyncio.sleep(delay)
                continue
            except TelegramError as error:
                return await self._give_up(item, error)
            delivered = partial(self._delivery.delivered, item, message.message_id)
            return await self._record(item, "delivered", delivered)

    async def _post(self, chat_id: int, rendered: Rendered) -> Message:
        if rendered.photo is not None:
            return await self._bot.send_photo(
                chat_id,
                rendered.photo,
                caption=rendered.text,
                parse_mode=ParseMode.HTML,
                reply_markup=rendered.reply_markup,
            )
        return await self._bot.send_message(
            chat_id, rendered.text, parse_mode=ParseMode.HTML, reply_markup=rendered.reply_markup
        )

    async def _give_up(self, item: Outgoing, error: TelegramError) -> bool:
        logger.warning("%s sending to user %s; giving up", type(error).__name__, item.key[0])
        failed = partial(self._delivery.failed, item, type(error).__name__)
        return await self._record(item, "failed", failed)

    async def _record(self, item: Outgoing, what: str, write: Write) -> bool:
        """Write how a send ended (its budget slot is free by now); True if that failed and is
        retried in the background. Never by sending it again."""
        return await self._retries.record(item, what, write)


@dataclass(slots=True)
class _Attempt:
    """Whether Telegram may already have a begun message (so it must not be queued again)."""

    calling: bool = False
    timed_out: bool = False

    @property
    def maybe_delivered(self) -> bool:
        return self.calling or self.timed_out
