"""A `BaseRequest` that records every Bot API call and answers it in-process, like Telegram."""

import json
from typing import Any

from telegram.request import BaseRequest, RequestData

from bot.emulator.errors import ApiError
from bot.emulator.params import Params
from bot.emulator.server import HANDLERS
from bot.emulator.state import World


class RecordingRequest(BaseRequest):
    """No HTTP: calls go straight to the fake Bot API's method handlers, and are recorded."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.calls: list[tuple[str, dict[str, Any]]] = []

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        values: dict[str, Any] = dict(request_data.json_parameters) if request_data else {}
        self.calls.append((name, values))
        try:
            result = await HANDLERS[name.lower()](self.world, Params(values))
        except ApiError as error:
            return error.code, json.dumps(error.to_json()).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def sent_texts(self) -> list[str]:
        """The raw text of every sendMessage, in order."""
        return [str(values["text"]) for name, values in self.calls if name == "sendMessage"]
