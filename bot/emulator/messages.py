"""Bot API methods that send, edit and delete text messages."""

import time
from typing import Any

from bot.emulator.errors import bad_request
from bot.emulator.html_entities import parse_html
from bot.emulator.keyboards import validate_reply_markup
from bot.emulator.markdown_entities import parse_markdown
from bot.emulator.params import Json, Params
from bot.emulator.state import ChatLog, MessageSource, World

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def format_text(text: str, parse_mode: str | None, entities: Any = None) -> tuple[str, list[Json]]:
    """Return the plain text and entities Telegram stores for `text` sent with `parse_mode`."""
    if entities:
        return text, list(entities)
    mode = (parse_mode or "").lower()
    if mode == "html":
        return parse_html(text)
    if mode in ("markdown", "markdownv2"):
        return parse_markdown(text, v2=mode == "markdownv2")
    if mode:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    return text, []


def formatted_content(params: Params, field: str) -> tuple[Json, MessageSource | None]:
    """Return `{text, entities}` (or `{caption, caption_entities}`) and its source, validated."""
    source = params.text(field)
    entities_field = "entities" if field == "text" else "caption_entities"
    if source is None:
        if field == "text":
            raise bad_request("message text is empty")
        return {}, None
    plain, entities = format_text(source, params.text("parse_mode"), params.json(entities_field))
    if field == "text" and not plain.strip():
        raise bad_request("message text is empty")
    if field == "text" and len(plain) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")
    if field == "caption" and len(plain) > MAX_CAPTION_LENGTH:
        raise bad_request("message caption is too long")
    content: Json = {field: plain} if plain else {}
    if entities:
        content[entities_field] = entities
    return content, MessageSource(source, params.text("parse_mode"))


def deliver(
    world: World, log: ChatLog, params: Params, content: Json, source: MessageSource | None
) -> Json:
    """Validate markup, admit the send under flood limits, store the bot message and return it."""
    markup = validate_reply_markup(params.json("reply_markup"))
    world.ensure_reachable(log)
    world.limiter.admit(int(log.chat["id"]), time.monotonic())
    reply_to = _replied_message(log, params)
    message = world.new_message(log, world.message_sender, content)
    if reply_to:
        message["reply_to_message"] = reply_to
    if markup and "inline_keyboard" in markup:
        message["reply_markup"] = markup
    elif markup:
        log.reply_keyboard = None if markup.get("remove_keyboard") else markup
    log.bot_messages[message["message_id"]] = message
    if source:
        log.sources[message["message_id"]] = source
    world.record(log, "sent", message)
    return message


def _replied_message(log: ChatLog, params: Params) -> Json | None:
    reply_parameters = params.json("reply_parameters") or {}
    message_id = reply_parameters.get("message_id") or params.integer("reply_to_message_id")
    if message_id is None:
        return None
    found = log.user_messages.get(message_id) or log.bot_messages.get(message_id)
    if found is None and not reply_parameters.get("allow_sending_without_reply"):
        raise bad_request("message to be replied not found")
    return found


async def send_message(world: World, params: Params) -> Json:
    """sendMessage."""
    log = world.chat(params.chat_id())
    content, source = formatted_content(params, "text")
    return deliver(world, log, params, content, source)


def editable_message(world: World, params: Params) -> tuple[ChatLog, Json]:
    """Return the bot message addressed by chat_id + message_id, or Telegram's 400."""
    if params.has("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    log = world.chat(params.chat_id())
    message_id = params.integer("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    if message_id in log.user_messages:
        raise bad_request("message can't be edited")
    if message_id not in log.bot_messages:
        raise bad_request("message to edit not found")
    world.ensure_reachable(log)
    return log, log.bot_messages[message_id]


def apply_edit(world: World, log: ChatLog, old: Json, changes: Json, params: Params) -> Json:
    """Replace a message's content and inline keyboard (absent keyboard means removed)."""
    markup = validate_reply_markup(params.json("reply_markup"), inline_only=True)
    kept = {
        key: value for key, value in old.items() if key not in changes and key != "reply_markup"
    }
    new = {key: value for key, value in {**kept, **changes}.items() if value not in (None, [])}
    if markup:
        new["reply_markup"] = markup
    compared = ("text", "entities", "caption", "caption_entities", "reply_markup")
    if all(old.get(key) == new.get(key) for key in compared):
        raise bad_request(NOT_MODIFIED)
    new["edit_date"] = int(time.time())
    log.edit_history.setdefault(old["message_id"], []).append(old)
    log.bot_messages[old["message_id"]] = new
    world.record(log, "edited", new)
    return new


async def edit_message_text(world: World, params: Params) -> Json:
    """editMessageText."""
    log, old = editable_message(world, params)
    if "text" not in old:
        raise bad_request("there is no text in the message to edit")
    content, source = formatted_content(params, "text")
    if source:
        log.sources[old["message_id"]] = source
    return apply_edit(world, log, old, {"entities": [], **content}, params)


async def edit_message_caption(world: World, params: Params) -> Json:
    """editMessageCaption."""
    log, old = editable_message(world, params)
    if "text" in old:
        raise bad_request("there is no caption in the message to edit")
    content, _ = formatted_content(params, "caption")
    return apply_edit(world, log, old, {"caption": None, "caption_entities": [], **content}, params)


async def edit_message_reply_markup(world: World, params: Params) -> Json:
    """editMessageReplyMarkup."""
    log, old = editable_message(world, params)
    return apply_edit(world, log, old, {}, params)


async def delete_message(world: World, params: Params) -> bool:
    """deleteMessage."""
    log = world.chat(params.chat_id())
    message_id = params.integer("message_id") or 0
    message = log.bot_messages.pop(message_id, None) or log.user_messages.pop(message_id, None)
    if message is None:
        raise bad_request("message to delete not found")
    world.record(log, "deleted", message)
    return True


HANDLERS = {
    "sendmessage": send_message,
    "editmessagetext": edit_message_text,
    "editmessagecaption": edit_message_caption,
    "editmessagereplymarkup": edit_message_reply_markup,
    "deletemessage": delete_message,
}
