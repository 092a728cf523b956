"""What the bulk lane sends, and what it asks of the bot for each send."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from telegram import InlineKeyboardMarkup

Key = tuple[int, str, date]


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One reminder to send; `key` is (user_id, kind, local_date), the idempotency key."""

    key: Key
    chat_id: int
    due_at: datetime


@dataclass(frozen=True, slots=True)
class Rendered:
    """The words (HTML) and buttons of a claimed message; with a picture, the words are its
    caption (at most 1,024 characters)."""

    text: str
    reply_markup: InlineKeyboardMarkup | None
    photo: bytes | None = None


class Delivery(Protocol):
    """The bot's side: claim and word a reminder, then record how its send ended.

    Any of these may raise (a busy or lost database). `begin` is then tried again later, so its
    claim must be a compare-and-set; the other four are retried a few times after Telegram
    settled the send, so they must be idempotent.
    """

    async def begin(self, item: Outgoing) -> Rendered | None: ...
    async def delivered(self, item: Outgoing, message_id: int) -> None: ...
    async def blocked(self, item: Outgoing) -> None: ...
    async def failed(self, item: Outgoing, reason: str) -> None: ...
    async def release(self, item: Outgoing) -> None: ...  # begun but surely not sent: requeue
