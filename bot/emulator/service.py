"""Bot API methods about the bot itself: getMe, getUpdates, webhook, commands, callbacks."""

import re

from bot.emulator.errors import ApiError, bad_request
from bot.emulator.params import Json, Params
from bot.emulator.state import World

CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
})  # fmt: skip
MAX_UPDATES = 100
MAX_POLL_TIMEOUT = 50.0
STALE_QUERY = "query is too old and response timeout expired or query ID is invalid"
CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


async def get_me(world: World, params: Params) -> Json:
    """getMe."""
    return world.bot_user


async def log_out(world: World, params: Params) -> bool:
    """logOut and close: accepted and ignored."""
    return True


def _confirm(world: World, offset: int | None) -> None:
    if offset is None:
        return
    if offset < 0:
        world.updates = world.updates[offset:]
    else:
        world.updates = [update for update in world.updates if update["update_id"] >= offset]


async def get_updates(world: World, params: Params) -> list[Json]:
    """getUpdates: confirm by offset, then long-poll up to `timeout` seconds for updates."""
    _confirm(world, params.integer("offset"))
    allowed = params.json("allowed_updates")
    if allowed is not None:
        world.allowed_updates = frozenset(allowed) if allowed else None
    limit = min(max(params.integer("limit") or MAX_UPDATES, 1), MAX_UPDATES)
    timeout = min(max(params.number("timeout") or 0.0, 0.0), MAX_POLL_TIMEOUT)
    world.poll_generation += 1
    generation = world.poll_generation
    world.notify()

    def ready() -> bool | None:
        if world.poll_generation != generation:
            raise ApiError(409, CONFLICT)
        return True if world.updates or world.closing else None

    if timeout > 0:
        try:
            await world.wait_for(ready, timeout)
        except TimeoutError:
            return []
    batch = world.updates[:limit]
    if batch:
        world.delivered_update_id = max(world.delivered_update_id, batch[-1]["update_id"])
        world.notify()
    return batch


async def delete_webhook(world: World, params: Params) -> bool:
    """deleteWebhook, optionally dropping pending updates."""
    if params.flag("drop_pending_updates"):
        world.updates.clear()
        world.delivered_update_id = world.last_update_id
        world.notify()
    return True


async def get_webhook_info(world: World, params: Params) -> Json:
    """getWebhookInfo: there is never a webhook."""
    return {"url": "", "has_custom_certificate": False, "pending_update_count": len(world.updates)}


def _commands_key(params: Params) -> str:
    scope = params.json("scope") or {"type": "default"}
    return f"{scope.get('type')}:{scope.get('chat_id', '')}:{params.text('language_code') or ''}"


async def set_my_commands(world: World, params: Params) -> bool:
    """setMyCommands."""
    commands = params.json("commands")
    if not isinstance(commands, list) or len(commands) > MAX_UPDATES:
        raise bad_request("commands must be an array of at most 100 BotCommand")
    for command in commands:
        name = str(command.get("command", "")) if isinstance(command, dict) else ""
        if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    world.commands[_commands_key(params)] = commands
    return True


async def get_my_commands(world: World, params: Params) -> list[Json]:
    """getMyCommands."""
    return world.commands.get(_commands_key(params), [])


async def delete_my_commands(world: World, params: Params) -> bool:
    """deleteMyCommands."""
    world.commands.pop(_commands_key(params), None)
    return True


async def send_chat_action(world: World, params: Params) -> bool:
    """sendChatAction."""
    log = world.chat(params.chat_id())
    action = params.text("action")
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    world.ensure_reachable(log)
    log.chat_actions.append(action)
    return True


async def answer_callback_query(world: World, params: Params) -> bool:
    """answerCallbackQuery: each query can be answered once."""
    query_id = params.text("callback_query_id") or ""
    chat_id = world.callback_queries.pop(query_id, None)
    if chat_id is None:
        raise bad_request(STALE_QUERY)
    text = params.text("text")
    if text and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    answer = {"callback_query_id": query_id, "text": text, "show_alert": params.flag("show_alert")}
    answer["url"] = params.text("url")
    world.record(world.chats[chat_id], "answered", answer)
    return True


HANDLERS = {
    "getme": get_me,
    "logout": log_out,
    "close": log_out,
    "getupdates": get_updates,
    "deletewebhook": delete_webhook,
    "getwebhookinfo": get_webhook_info,
    "setmycommands": set_my_commands,
    "getmycommands": get_my_commands,
    "deletemycommands": delete_my_commands,
    "sendchataction": send_chat_action,
    "answercallbackquery": answer_callback_query,
}
