"""Request parameters decoded the way Telegram decodes them."""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.emulator.errors import bad_request

Json = dict[str, Any]
JSON_TYPES = ("application/json",)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass(frozen=True)
class Upload:
    """A file uploaded as one part of a multipart request."""

    filename: str
    content_type: str
    data: bytes


class Params:
    """Typed access to one request's parameters.

    Form fields arrive as strings: string values raw, every other value JSON-encoded
    (`chat_id=123`, `reply_markup={"inline_keyboard": ...}`, `show_alert=true`), so each
    field is decoded by the type the method expects, as Telegram does. JSON bodies
    arrive already typed and are accepted as they are.
    """

    def __init__(self, values: Mapping[str, object]) -> None:
        self.values = dict(values)

    def has(self, name: str) -> bool:
        """Tell whether the parameter was sent."""
        return self.values.get(name) is not None

    def text(self, name: str) -> str | None:
        """Return a string parameter."""
        value = self.values.get(name)
        if value is None or isinstance(value, Upload):
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def integer(self, name: str) -> int | None:
        """Return an integer parameter, or 400 if it is not one."""
        value = self.values.get(name)
        if value is None:
            return None
        try:
            return int(value) if isinstance(value, str | int) else int(str(value))
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None

    def number(self, name: str) -> float | None:
        """Return a numeric parameter, or 400 if it is not one."""
        value = self.values.get(name)
        if value is None:
            return None
        try:
            return float(value) if isinstance(value, str | int | float) else float(str(value))
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        """Return a Boolean parameter (absent means false)."""
        value = self.values.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1")
        return bool(value)

    def json(self, name: str) -> Any:
        """Return a JSON-serialised parameter (an object or array), decoded."""
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name.replace('_', ' ')} JSON object") from None

    def file(self, name: str) -> Upload | str | None:
        """Return an uploaded file, or a file_id / URL string; resolves `attach://` names."""
        value = self.values.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            value = self.values.get(value.removeprefix("attach://"))
        if value is None or isinstance(value, Upload | str):
            return value
        raise bad_request(f"invalid {name} specified")

    def chat_id(self) -> int:
        """Return the required `chat_id`; usernames never match a private chat."""
        if not self.has("chat_id"):
            raise bad_request("chat_id is empty")
        try:
            return int(str(self.values["chat_id"]))
        except ValueError:
            raise bad_request("chat not found") from None


async def read_params(request: web.Request) -> Params:
    """Collect query, form, multipart or JSON parameters of a Bot API request."""
    values: dict[str, object] = dict(request.query)
    if request.content_type in JSON_TYPES and request.body_exists:
        body = await request.json()
        if not isinstance(body, dict):
            raise bad_request("parameters must be a JSON object")
        values.update(body)
    elif request.content_type in FORM_TYPES:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                values[key] = Upload(value.filename, value.content_type, value.file.read())
            else:
                values[key] = value if isinstance(value, str) else bytes(value).decode()
    return Params(values)
