"""FakeBotApi: an aiohttp server speaking the Telegram Bot API over HTTP on localhost."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from bot.emulator import files, messages, service
from bot.emulator.errors import ApiError
from bot.emulator.limits import FailureInjector, RateLimits, SendStats
from bot.emulator.params import Params, read_params
from bot.emulator.state import Listener, World
from bot.emulator.user import FakeUser

Handler = Callable[[World, Params], Awaitable[Any]]
HANDLERS: dict[str, Handler] = {**service.HANDLERS, **messages.HANDLERS, **files.HANDLERS}
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def _error_response(error: ApiError) -> web.Response:
    return web.json_response(error.to_json(), status=error.code)


class FakeBotApi:
    """A fake Telegram Bot API on 127.0.0.1; point `telegram.Bot(base_url=api.base_url)` at it."""

    def __init__(
        self,
        token: str = "123456:TEST",
        *,
        bot_username: str = "backcoach_bot",
        bot_first_name: str = "Backcoach",
        enforce_limits: bool = False,
        limits: RateLimits | None = None,
        port: int = 0,
    ) -> None:
        self.token = token
        bot_user = {
            "id": int(token.split(":")[0]), "is_bot": True, "first_name": bot_first_name,
            "username": bot_username, "can_join_groups": True,
            "can_read_all_group_messages": False, "supports_inline_queries": False,
            "can_connect_to_business": False, "has_main_web_app": False,
        }  # fmt: skip
        self.world = World(bot_user, (limits or RateLimits()) if enforce_limits else None)
        self.failures = FailureInjector()
        self.calls: list[tuple[str, dict[str, object]]] = []
        self._users: dict[int, FakeUser] = {}
        self._port = port
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        """Return the `base_url` for python-telegram-bot (it appends the token)."""
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        """Return the `base_file_url` for python-telegram-bot (it appends the token)."""
        return f"http://127.0.0.1:{self._port}/file/bot"

    @property
    def stats(self) -> SendStats:
        """Return send timestamps and the count of 429 answers."""
        return self.world.stats

    async def start(self) -> None:
        """Start serving on a free port of 127.0.0.1 (or the port given)."""
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self._port).start()
        self._port = int(self._runner.addresses[0][1])
        self.world.closing = False

    async def stop(self) -> None:
        """Finish pending long polls and stop serving."""
        self.world.closing = True
        self.world.notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    def user(self, user_id: int, first_name: str = "Alex", **profile: str) -> FakeUser:
        """Return the simulated person with this id, creating their private chat on first use."""
        if user_id not in self._users:
            self._users[user_id] = FakeUser(self.world, user_id, first_name, **profile)
        return self._users[user_id]

    def block_bot(self, user_id: int) -> None:
        """Make the user block the bot: sends fail with 403 and a my_chat_member update arrives."""
        self._set_blocked(user_id, blocked=True)

    def unblock_bot(self, user_id: int) -> None:
        """Make the user unblock (restart) the bot."""
        self._set_blocked(user_id, blocked=False)

    def _set_blocked(self, user_id: int, *, blocked: bool) -> None:
        self.world.set_blocked(self.user(user_id).log, blocked=blocked)

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        count: int = 1,
        drop_connection: bool = False,
    ) -> None:
        """Fail the next `count` calls of `method` (or `*`): an error, or a dropped connection."""
        self.failures.add(
            method,
            error_code,
            retry_after=retry_after,
            description=description,
            count=count,
            drop_connection=drop_connection,
        )

    def subscribe(self, listener: Listener) -> None:
        """Call `listener(chat_id, kind, message)` on every sent/edited/deleted/answered event."""
        self.world.listeners.append(listener)

    async def wait_until_idle(self, quiet: float = 0.2, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until every update was fetched and no bot request came for `quiet` seconds."""
        world = self.world

        def settled() -> bool | None:
            return True if world.all_updates_delivered and world.requests_in_flight == 0 else None

        async with asyncio.timeout(timeout):
            while True:
                await world.wait_for(settled, timeout)
                remaining = quiet - (time.monotonic() - world.last_request_at)
                if remaining <= 0 and settled():
                    return
                await asyncio.sleep(max(remaining, 0.0))

    async def _handle_method(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return _error_response(ApiError(401, "Unauthorized"))
        handler = HANDLERS.get(method.lower())
        if handler is None:
            return _error_response(ApiError(404, "Not Found"))
        tracked = method.lower() != "getupdates"
        self.world.requests_in_flight += tracked
        try:
            return await self._call(request, method, handler)
        finally:
            if tracked:
                self.world.requests_in_flight -= 1
                self.world.last_request_at = time.monotonic()
                self.world.notify()

    async def _call(
        self, request: web.Request, method: str, handler: Handler
    ) -> web.StreamResponse:
        try:
            params = await read_params(request)
            self.calls.append((method, params.values))
            failure = self.failures.take(method)
            if failure and failure.drop_connection:
                if request.transport is not None:
                    request.transport.abort()
                return web.Response(status=500)
            if failure:
                raise failure.error
            result = await handler(self.world, params)
        except ApiError as error:
            self.world.stats.too_many_requests += error.code == 429
            return _error_response(error)
        return web.json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _error_response(ApiError(401, "Unauthorized"))
        path = request.match_info["path"]
        for stored in self.world.files.values():
            if stored.file_path == path:
                return web.Response(body=stored.data, content_type="application/octet-stream")
        return _error_response(ApiError(404, "Not Found"))
