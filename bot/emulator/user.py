"""FakeUser: a simulated person chatting with the bot in a private chat."""

from collections.abc import Callable

from bot.emulator.html_entities import utf16_len
from bot.emulator.keyboards import describe_buttons, find_inline_button, inline_buttons
from bot.emulator.params import Json
from bot.emulator.state import MessageSource, StoredFile, World

Predicate = Callable[[Json], bool]
EVENT_NAMES = {"sent": "new bot message", "edited": "edit", "answered": "callback answer"}


class FakeUser:
    """A person in a private chat with the bot: sends updates, reads and awaits bot messages.

    Waiting is for events *after* a cursor: by default the user's last action (send, press)
    or the last event already awaited of that kind; pass `after=user.mark()` to choose.
    """

    def __init__(
        self,
        world: World,
        user_id: int,
        first_name: str = "Alex",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str = "en",
    ) -> None:
        optional = {"last_name": last_name, "username": username, "language_code": language_code}
        self.profile: Json = {"id": user_id, "is_bot": False, "first_name": first_name}
        self.profile.update({key: value for key, value in optional.items() if value})
        self.world = world
        self.log = world.register_chat(self.profile)
        self._cursors = dict.fromkeys(EVENT_NAMES, len(self.log.events))

    @property
    def user_id(self) -> int:
        """Return the user's id (also the id of the private chat)."""
        return int(self.profile["id"])

    async def send_text(self, text: str) -> Json:
        """Send text (a leading `/command` gets a bot_command entity); unblocks the bot."""
        content: Json = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
            ]
        return self._send(content)

    async def send_location(self, latitude: float, longitude: float) -> Json:
        """Share a location."""
        return self._send({"location": {"latitude": latitude, "longitude": longitude}})

    async def send_sticker(self, emoji: str = "👍") -> Json:
        """Send a sticker (a message without text)."""
        stored = self.world.new_file(
            "sticker", self.user_id, file_name=None, mime_type=None, data=b""
        )
        sticker = {
            "file_id": stored.file_id, "file_unique_id": stored.file_unique_id, "type": "regular",
            "width": 512, "height": 512, "is_animated": False, "is_video": False, "emoji": emoji,
        }  # fmt: skip
        return self._send({"sticker": sticker})

    async def press(self, button: str, message: Json | None = None) -> Json:
        """Press an inline button (by text, callback_data or text prefix); return the query."""
        target = self._keyboard_message(message)
        found = find_inline_button(target, button)
        if found is None:
            raise AssertionError(
                f"No inline button {button!r} in message {target['message_id']} "
                f"({target.get('text', '')[:60]!r}); buttons: {describe_buttons(target)}"
            )
        if "callback_data" not in found:
            raise AssertionError(f"Button {found['text']!r} has no callback_data: {found}")
        query_id = str(next(self.world.callback_ids))
        self.world.callback_queries[query_id] = self.user_id
        query = {
            "id": query_id, "from": self.profile, "message": target,
            "chat_instance": self.log.chat_instance, "data": found["callback_data"],
        }  # fmt: skip
        self._mark_read()
        self.world.enqueue("callback_query", query)
        return query

    def _send(self, content: Json) -> Json:
        self.world.set_blocked(self.log, blocked=False)
        message = self.world.new_message(self.log, self.profile, content)
        self.log.user_messages[message["message_id"]] = message
        self._mark_read()
        self.world.enqueue("message", message)
        return message

    def _keyboard_message(self, message: Json | None) -> Json:
        if message is not None:
            current = self.log.bot_messages.get(message["message_id"])
            if current is None:
                raise AssertionError(f"Message {message['message_id']} is not in the chat")
            return current
        for candidate in reversed(self.log.bot_messages.values()):
            if inline_buttons(candidate):
                return candidate
        raise AssertionError(f"No bot message with an inline keyboard; got: {self._recent()}")

    def _mark_read(self) -> None:
        self._cursors = dict.fromkeys(EVENT_NAMES, len(self.log.events))

    def _recent(self) -> list[str]:
        return [str(m.get("text", m.get("caption", "<media>")))[:60] for m in self.messages[-5:]]

    @property
    def messages(self) -> list[Json]:
        """Return the bot's messages in this chat, in order, as currently stored (after edits)."""
        return list(self.log.bot_messages.values())

    @property
    def last_message(self) -> Json:
        """Return the bot's latest message in this chat."""
        if not self.log.bot_messages:
            raise AssertionError(f"The bot has sent nothing to user {self.user_id}")
        return self.messages[-1]

    def history(self, message: Json) -> list[Json]:
        """Return every version of a bot message, oldest first, the current one last."""
        message_id = message["message_id"]
        current = [self.log.bot_messages[message_id]] if message_id in self.log.bot_messages else []
        return [*self.log.edit_history.get(message_id, []), *current]

    def source(self, message: Json) -> MessageSource | None:
        """Return the text exactly as the bot sent it, with its parse_mode."""
        return self.log.sources.get(message["message_id"])

    @property
    def callback_answers(self) -> list[Json]:
        """Return what the bot answered to this user's callback queries, in order."""
        return [payload for kind, payload in self.log.events if kind == "answered"]

    @property
    def documents(self) -> list[StoredFile]:
        """Return the documents the bot sent to this user."""
        return [stored for stored in self.log.files if stored.kind == "document"]

    @property
    def photos(self) -> list[StoredFile]:
        """Return the photos the bot sent to this user."""
        return [stored for stored in self.log.files if stored.kind == "photo"]

    @property
    def reply_keyboard(self) -> Json | None:
        """Return the reply keyboard currently shown to the user, if any."""
        return self.log.reply_keyboard

    def mark(self) -> int:
        """Return a position in this chat's event log, for `after=`."""
        return len(self.log.events)

    async def wait_for_message(
        self,
        predicate: Predicate | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        after: int | None = None,
    ) -> Json:
        """Wait for a new bot message (matching `predicate`) and return it as it was sent."""
        return await self._wait_for("sent", predicate, timeout, after)

    async def wait_for_reply(self, timeout: float = 5.0) -> Json:  # noqa: ASYNC109
        """Wait for the next new bot message."""
        return await self._wait_for("sent", None, timeout, None)

    async def wait_for_edit(
        self,
        predicate: Predicate | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        after: int | None = None,
    ) -> Json:
        """Wait for the bot to edit one of its messages; return the edited message."""
        return await self._wait_for("edited", predicate, timeout, after)

    async def wait_for_callback_answer(self, timeout: float = 5.0) -> Json:  # noqa: ASYNC109
        """Wait for the bot's answer to a callback query of this user."""
        return await self._wait_for("answered", None, timeout, None)

    async def _wait_for(
        self, kind: str, predicate: Predicate | None, seconds: float, after: int | None
    ) -> Json:
        events = self.log.events
        position = self._cursors[kind] if after is None else after

        def probe() -> tuple[int, Json] | None:
            nonlocal position
            while position < len(events):
                event_kind, payload = events[position]
                position += 1
                if event_kind == kind and (predicate is None or predicate(payload)):
                    return position, payload
            return None

        try:
            self._cursors[kind], payload = await self.world.wait_for(probe, seconds)
        except TimeoutError:
            raise AssertionError(
                f"No {EVENT_NAMES[kind]} for user {self.user_id} within {seconds}s; "
                f"latest bot messages: {self._recent()}"
            ) from None
        return payload
