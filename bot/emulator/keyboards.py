"""Reply markup validation and button lookup."""

from typing import Any

from bot.emulator.errors import bad_request
from bot.emulator.params import Json

INLINE_ACTIONS = (
    "callback_data", "url", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat", "copy_text", "web_app", "callback_game", "pay",
)  # fmt: skip
MAX_CALLBACK_DATA_BYTES = 64


def validate_reply_markup(markup: Any, *, inline_only: bool = False) -> Json | None:
    """Check `reply_markup` as Telegram does and return it, or None when absent."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        return {"inline_keyboard": _inline_rows(markup["inline_keyboard"])}
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        _reply_rows(markup["keyboard"])
        return markup
    if markup.get("remove_keyboard") or markup.get("force_reply"):
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def _inline_rows(rows: Any) -> list[list[Json]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" must be an Array of Arrays')
    for row in rows:
        for button in row:
            _check_inline_button(button)
    return rows


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request('can\'t find field "text"')
    if not any(action in button for action in INLINE_ACTIONS):
        raise bad_request("text buttons are unallowed in the inline keyboard")
    data = button.get("callback_data")
    if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
        raise bad_request("BUTTON_DATA_INVALID")


def _reply_rows(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "keyboard" must be an Array of Arrays')
    for row in rows:
        for button in row:
            if not isinstance(button, str | dict):
                raise bad_request("can't parse keyboard button")


def inline_buttons(message: Json) -> list[Json]:
    """Return the inline buttons of a message, row by row."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


def find_inline_button(message: Json, wanted: str) -> Json | None:
    """Find a button by exact text, then callback_data, then case-insensitive text prefix."""
    buttons = inline_buttons(message)
    prefix = wanted.casefold()
    return (
        next((button for button in buttons if button["text"] == wanted), None)
        or next((button for button in buttons if button.get("callback_data") == wanted), None)
        or next((b for b in buttons if b["text"].casefold().startswith(prefix)), None)
    )


def describe_buttons(message: Json) -> str:
    """Describe a message's inline buttons for an assertion message."""
    buttons = inline_buttons(message)
    if not buttons:
        return "(no inline buttons)"
    return ", ".join(f"{b['text']!r} -> {b.get('callback_data', b.get('url'))!r}" for b in buttons)
