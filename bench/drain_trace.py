"""Where the bot's time goes during a drain: `bench.drain_bot --trace FILE` wraps (in the bot's
process only, by monkeypatching; no app code changes) the update loop, the handlers' flows, the
send budget, every HTTP call, every SQL statement and the pool checkout, and measures the event
loop's lag. Counting restarts when the clock moves (SIGUSR1); the summary is written at exit.
"""

import asyncio
import functools
import json
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool
from telegram import Update
from telegram.ext import Application
from telegram.request import HTTPXRequest

from bot import delivery, persistence
from bot.flows import onboarding, routine, session_end
from bot.services import CoachApplication
from scheduler import budget, dispatch


def _percentile(ordered: list[float], pct: float) -> float:
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


class Trace:
    def __init__(self) -> None:
        self.spans: dict[str, list[float]] = {}
        self.started = time.monotonic()
        self.queued_at: dict[int, float] = {}
        self.in_flight = 0
        self._undo: list[Callable[[], None]] = []

    def reset(self) -> None:
        self.spans.clear()
        self.started = time.monotonic()

    def add(self, key: str, seconds: float) -> None:
        self.spans.setdefault(key, []).append(seconds)

    def wrap(self, owner: Any, name: str, key: str | Callable[..., str]) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        async def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.monotonic()
            try:
                return await original(*args, **kwargs)
            finally:
                label = key if isinstance(key, str) else key(*args, **kwargs)
                self.add(label, time.monotonic() - began)

        setattr(owner, name, timed)
        self._undo.append(lambda: setattr(owner, name, original))

    def install(self) -> None:
        original_process = Application.process_update

        async def process_update(app: Any, update: object) -> None:
            began = time.monotonic()
            kind = "other"
            if isinstance(update, Update):
                kind = "callback" if update.callback_query else "message"
                queued = self.queued_at.pop(update.update_id, None)
                if queued is not None:
                    self.add(f"update.queue_wait.{kind}", began - queued)
            self.in_flight += 1
            self.add("update.in_flight_at_start", self.in_flight)
            try:
                await original_process(app, update)
            finally:
                self.in_flight -= 1
                self.add(f"update.process.{kind}", time.monotonic() - began)

        Application.process_update = process_update  # type: ignore[method-assign]
        self.wrap(
            budget.SendBudget,
            "acquire",
            lambda *a, **k: f"budget.acquire.{'interactive' if k.get('interactive') else 'bulk'}",
        )

        def endpoint(_self: Any, url: str, *_a: Any, **_k: Any) -> str:
            return f"http.{url.rsplit('/', 1)[-1]}"

        self.wrap(HTTPXRequest, "do_request", endpoint)
        self.wrap(onboarding, "find_user", "flow.find_user")
        self.wrap(routine, "answer_step", "flow.answer_step")
        self.wrap(routine, "start_routine", "flow.start_routine")
        self.wrap(routine, "current_step", "flow.current_step")
        self.wrap(session_end, "rate_session", "flow.rate_session")
        self.wrap(delivery.ReminderDelivery, "begin", "sender.begin")
        self.wrap(delivery.ReminderDelivery, "delivered", "sender.delivered")
        self.wrap(dispatch.Dispatcher, "claim_batch", "tick.claim_batch")
        self.wrap(persistence.SqlPersistence, "update_conversation", "persistence.update_conv")

        def before(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
            conn.info.setdefault("trace_began", []).append(time.monotonic())

        def after(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
            began = conn.info["trace_began"].pop()
            words = statement.split(None, 2)
            verb = words[0].lower() if words else "?"
            if verb == "begin" and len(words) > 1:
                verb = f"begin_{words[1].lower()}"
            self.add(f"sql.{verb}", time.monotonic() - began)

        event.listen(Engine, "before_cursor_execute", before)
        event.listen(Engine, "after_cursor_execute", after)

        def commit(conn: Any) -> None:
            self.add("sql.commit_events", 0.0)

        event.listen(Engine, "commit", commit)
        original_do_get = QueuePool._do_get

        def do_get(pool: Any) -> Any:
            began = time.monotonic()
            try:
                return original_do_get(pool)
            finally:
                self.add("pool.checkout", time.monotonic() - began)

        QueuePool._do_get = do_get  # type: ignore[method-assign]

    def attach(self, application: CoachApplication) -> None:
        """Note when each update enters the application's queue (pass as on_built)."""
        queue = application.update_queue
        put = queue.put

        async def timed_put(item: Any) -> None:
            if isinstance(item, Update):
                self.queued_at[item.update_id] = time.monotonic()
            await put(item)

        queue.put = timed_put  # type: ignore[method-assign]

    async def watch_loop(self, interval: float = 0.005) -> None:
        while True:
            began = time.monotonic()
            await asyncio.sleep(interval)
            self.add("loop.lag", time.monotonic() - began - interval)

    def summary(self) -> dict[str, Any]:
        span = time.monotonic() - self.started
        found: dict[str, Any] = {"seconds": round(span, 2)}
        for key, values in sorted(self.spans.items()):
            ordered = sorted(values)
            found[key] = {
                "n": len(values),
                "per_s": round(len(values) / span, 2),
                "total_s": round(sum(values), 3),
                "mean_ms": round(sum(values) / len(values) * 1000, 3),
                "p50_ms": round(_percentile(ordered, 50) * 1000, 3),
                "p99_ms": round(_percentile(ordered, 99) * 1000, 3),
                "max_ms": round(ordered[-1] * 1000, 3),
            }
        return found

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.summary(), indent=1))
