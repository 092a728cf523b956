"""The emulated Telegram world: chats, messages, updates, files, and change notification."""

import asyncio
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.emulator.errors import bad_request, forbidden
from bot.emulator.limits import RateLimiter, RateLimits, SendStats
from bot.emulator.params import Json

T = TypeVar("T")
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
Listener = Callable[[int, str, Json], None]


@dataclass(frozen=True)
class MessageSource:
    """The text (or caption) as the bot sent it, before its parse_mode was applied."""

    text: str
    parse_mode: str | None


@dataclass
class StoredFile:
    """A file the bot uploaded (or referred to by URL)."""

    file_id: str
    file_unique_id: str
    kind: str
    file_name: str | None
    mime_type: str | None
    data: bytes
    chat_id: int
    caption: str | None = None

    @property
    def file_path(self) -> str:
        """Return the path under which the file is served for download."""
        return f"{self.kind}s/{self.file_unique_id}_{self.file_name or 'file'}"


@dataclass
class ChatLog:
    """One private chat between the bot and a user, and everything that happened in it."""

    user: Json
    chat: Json
    chat_instance: str
    next_message_id: int = 1
    blocked: bool = False
    bot_messages: dict[int, Json] = field(default_factory=dict)
    user_messages: dict[int, Json] = field(default_factory=dict)
    edit_history: dict[int, list[Json]] = field(default_factory=dict)
    sources: dict[int, MessageSource] = field(default_factory=dict)
    events: list[tuple[str, Json]] = field(default_factory=list)
    reply_keyboard: Json | None = None
    chat_actions: list[str] = field(default_factory=list)
    files: list[StoredFile] = field(default_factory=list)


class World:
    """All state of one fake Bot API server; every change wakes the waiters."""

    def __init__(self, bot_user: Json, limits: RateLimits | None) -> None:
        self.bot_user = bot_user
        self.stats = SendStats()
        self.limiter = RateLimiter(limits, self.stats)
        self.chats: dict[int, ChatLog] = {}
        self.updates: list[Json] = []
        self.update_ids = itertools.count(1)
        self.last_update_id = 0
        self.delivered_update_id = 0
        self.allowed_updates: frozenset[str] | None = None
        self.callback_queries: dict[str, int] = {}
        self.callback_ids = itertools.count(4_000_000_000_000_000_001)
        self.files: dict[str, StoredFile] = {}
        self.file_ids = itertools.count(1)
        self.commands: dict[str, list[Json]] = {}
        self.poll_generation = 0
        self.closing = False
        self.requests_in_flight = 0
        self.last_request_at = time.monotonic()
        self.listeners: list[Listener] = []
        self._changed = asyncio.Event()

    @property
    def message_sender(self) -> Json:
        """Return the bot as the `from` of its messages."""
        return {key: self.bot_user[key] for key in ("id", "is_bot", "first_name", "username")}

    def notify(self) -> None:
        """Wake everything waiting for a change."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_for(self, probe: Callable[[], T | None], timeout: float) -> T:  # noqa: ASYNC109
        """Wait until `probe()` returns something other than None; TimeoutError after `timeout`."""
        async with asyncio.timeout(timeout):
            while (found := probe()) is None:
                await self._changed.wait()
            return found

    def register_chat(self, user: Json) -> ChatLog:
        """Create (or return) the private chat with `user`."""
        chat_id = int(user["id"])
        if chat_id not in self.chats:
            chat = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
            chat.update({key: user[key] for key in ("last_name", "username") if key in user})
            instance = str(6_000_000_000_000_000_000 + chat_id * 7919)
            self.chats[chat_id] = ChatLog(user=user, chat=chat, chat_instance=instance)
        return self.chats[chat_id]

    def chat(self, chat_id: int) -> ChatLog:
        """Return the chat, or 400 `chat not found` as Telegram does for unknown chats."""
        if chat_id not in self.chats:
            raise bad_request("chat not found")
        return self.chats[chat_id]

    def ensure_reachable(self, log: ChatLog) -> None:
        """Raise 403 when the user has blocked the bot."""
        if log.blocked:
            raise forbidden("bot was blocked by the user")

    def set_blocked(self, log: ChatLog, *, blocked: bool) -> None:
        """Block or unblock the bot for this chat, with the my_chat_member update Telegram sends."""
        if log.blocked == blocked:
            return
        log.blocked = blocked
        member = {"user": self.message_sender, "status": "member"}
        kicked = {"user": self.message_sender, "status": "kicked", "until_date": 0}
        old, new = (member, kicked) if blocked else (kicked, member)
        change = {"chat": log.chat, "from": log.user, "date": int(time.time())}
        self.enqueue("my_chat_member", {**change, "old_chat_member": old, "new_chat_member": new})

    def new_message(self, log: ChatLog, sender: Json, content: Json) -> Json:
        """Build a message in `log` with the next message id of that chat."""
        message_id = log.next_message_id
        log.next_message_id += 1
        base = {
            "message_id": message_id,
            "from": sender,
            "chat": log.chat,
            "date": int(time.time()),
        }
        return {**base, **content}

    def record(self, log: ChatLog, kind: str, message: Json) -> None:
        """Append an event (`sent`, `edited`, `deleted`, `answered`) to the chat and notify."""
        log.events.append((kind, message))
        for listener in self.listeners:
            listener(int(log.chat["id"]), kind, message)
        self.notify()

    def enqueue(self, kind: str, payload: Json) -> Json:
        """Add an update for the bot, unless its type is not in `allowed_updates`."""
        update_id = next(self.update_ids)
        update = {"update_id": update_id, kind: payload}
        allowed = self.allowed_updates
        if (kind in allowed) if allowed is not None else kind not in DEFAULT_EXCLUDED_UPDATES:
            self.updates.append(update)
            self.last_update_id = update_id
            self.notify()
        return update

    def new_file(self, kind: str, chat_id: int, **details: Any) -> StoredFile:
        """Store a new file and give it Telegram-like identifiers."""
        number = next(self.file_ids)
        prefix = {"photo": "AgAC", "document": "BQAC", "sticker": "CAAC"}.get(kind, "AAAC")
        stored = StoredFile(
            f"{prefix}{number:08d}fake", f"AQAD{number:06d}", kind, chat_id=chat_id, **details
        )
        self.files[stored.file_id] = stored
        return stored

    @property
    def all_updates_delivered(self) -> bool:
        """Tell whether getUpdates has handed out every queued update."""
        return self.delivered_update_id >= self.last_update_id
