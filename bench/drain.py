"""Shared machinery of benchmarks 1 and 2 (`bench.dispatch_fidelity`, `bench.interactive_latency`).

The set-up, in one process (this one, the "Telegram side"):
  * a database (a SQLite file in a temporary folder, or a throwaway PostgreSQL server from
    `tests.pg_server`) loaded by `bench.populate` with N active people whose daily reminder falls
    due at HOT_AT (every one of them: `--hot N`, and no finished sessions, so none is skipped);
    for benchmark 2 also the pressers, set up through the app's own onboarding flows;
  * `FakeBotApi(enforce_limits=True, limits=RateLimits(per_bot=30, per_chat=3))` on localhost,
    with every person's private chat registered;
  * a hook on the fake API's getUpdates handler that notes when each update is handed to the bot
    (the bot-side latency clock starts there), and a listener on every sent/edited/answered event.
The bot runs in a process of its own (`bench.drain_bot`: `bot.runner.run_bot`, `backcoach run`'s
code path) so that the fake API and the simulated people do not share its event loop or core.
Its clock stands 30 minutes before HOT_AT; SIGUSR1 moves it to HOT_AT + 1 s. Both processes
stamp events with time.monotonic() (CLOCK_MONOTONIC, one clock for the whole machine).
"""

import asyncio
import contextlib
import json
import math
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from bench.populate import populate
from bench.tick_scale import machine as machine
from bench.tick_scale import read_proc
from bot.content.loader import load_content
from bot.db.engine import create_engine, create_session_factory
from bot.db.enums import MessageKind
from bot.db.queries import send_log
from bot.emulator import FakeBotApi, RateLimits
from bot.emulator import server as emulator_server
from bot.emulator.params import Json
from bot.emulator.state import World
from bot.flows import onboarding
from bot.services import Services
from tests.pg_server import throwaway_postgres

ROOT = Path(__file__).resolve().parents[1]
HOT_AT = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
POPULATED_AT = HOT_AT - timedelta(hours=1)
BOT_STARTS_AT = HOT_AT - timedelta(minutes=30)
JUMP_TO = HOT_AT + timedelta(seconds=1)
HOT_BASE = 1_000_000_000  # bench.populate: telegram_id = chat_id = 1e9 + person id
PRESSER_BASE = 2_000_000_000
LIMITS = RateLimits(per_bot=30, per_chat=3, window=1.0)
TICK_SECONDS = 10.0  # bot.config.Settings.reminder_tick_seconds's default


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p99 of 1,000 values is the 990th smallest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def latency_ms(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "p50_ms": round(percentile(values, 50) * 1000, 2),
        "p95_ms": round(percentile(values, 95) * 1000, 2),
        "p99_ms": round(percentile(values, 99) * 1000, 2),
        "max_ms": round(max(values) * 1000, 2),
        "mean_ms": round(sum(values) / len(values) * 1000, 2),
    }


def code_version() -> dict[str, Any]:
    """The commit measured, and the files (outside bench/) that differ from it."""

    def git(*args: str) -> str:
        found = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return found.stdout

    paths = [line[3:] for line in git("status", "--short").splitlines()]
    changed = [path for path in paths if not path.startswith("bench/")]
    return {"commit": git("rev-parse", "--short", "HEAD").strip(), "uncommitted": changed}


def _process_cpu(pid: int, *, part: str = "both") -> float:
    fields = read_proc(f"/proc/{pid}/stat").rsplit(")", 1)[-1].split()
    if len(fields) < 13:
        return 0.0
    user, system = int(fields[11]), int(fields[12])
    ticks = {"user": user, "system": system}.get(part, user + system)
    return ticks / os.sysconf("SC_CLK_TCK")


def _machine_busy() -> float:
    fields = [int(x) for x in read_proc("/proc/stat").splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


@dataclass
class CpuSpan:
    """Cores used over a phase: the whole machine, the bot process, this process."""

    bot_pid: int
    started: float = field(default_factory=time.monotonic)
    machine0: float = field(default_factory=_machine_busy)
    own0: float = field(default_factory=lambda: sum(os.times()[:2]))
    bot0: float = 0.0
    bot_system0: float = 0.0

    def __post_init__(self) -> None:
        self.bot0 = _process_cpu(self.bot_pid)
        self.bot_system0 = _process_cpu(self.bot_pid, part="system")

    def read(self) -> dict[str, float]:
        span = max(time.monotonic() - self.started, 1e-9)
        bot = _process_cpu(self.bot_pid) - self.bot0
        return {
            "seconds": round(span, 2),
            "machine_busy_cores": round((_machine_busy() - self.machine0) / span, 2),
            "bot_process_cores": round(bot / span, 2),
            "bot_process_cpu_s": round(bot, 2),
            "bot_process_system_share": round(
                (_process_cpu(self.bot_pid, part="system") - self.bot_system0) / max(bot, 1e-9), 2
            ),
            "telegram_side_cores": round((sum(os.times()[:2]) - self.own0) / span, 2),
        }


# -- the database --


@contextmanager
def database(engine: str, workdir: Path) -> Iterator[str]:
    if engine == "sqlite":
        yield f"sqlite+aiosqlite:///{workdir / 'backcoach.sqlite3'}"
    else:
        with throwaway_postgres() as url:
            yield url


async def load_reminder_people(url: str, people: int) -> None:
    """`people` active people, every one due at HOT_AT (bench.populate, no done-today skips)."""
    report = await populate(
        url, people, now=POPULATED_AT, hot=people, hot_at=HOT_AT, session_fraction=0.0
    )
    log(f"loaded {report.people} people due at {HOT_AT:%H:%M} UTC in {report.seconds:.1f} s")


async def onboard_pressers(url: str, count: int) -> list[int]:
    """`count` people set up through the app's onboarding flows (all No, baseline 5, 08:00
    Europe/Berlin: their reminder is tomorrow, not in the hot minute); return their chat ids."""
    engine = create_engine(url)
    content = load_content()
    services = Services(
        create_session_factory(engine), content, clock=lambda: BOT_STARTS_AT - timedelta(minutes=5)
    )
    chat_ids = []
    try:
        for number in range(1, count + 1):
            telegram_id = PRESSER_BASE + number
            user, _ = await onboarding.greet(services, telegram_id=telegram_id, chat_id=telegram_id)
            await onboarding.consent(services, user_id=user.id)
            await onboarding.begin_screening(services, telegram_id=telegram_id)
            for question in content.texts.screening.questions:
                await onboarding.answer_screening(
                    services, telegram_id=telegram_id, question_key=question.key, answer_yes=False
                )
            await onboarding.record_baseline(services, user_id=user.id, score=5)
            await onboarding.choose_reminder_time(
                services, user_id=user.id, reminder_time=clock_time(8, 0)
            )
            occurrence = await onboarding.finish_setup(
                services, user_id=user.id, time_zone="Europe/Berlin"
            )
            assert occurrence is not None and occurrence.due_at > JUMP_TO + timedelta(hours=1)
            chat_ids.append(telegram_id)
    finally:
        await engine.dispose()
    return chat_ids


async def reminder_log_counts(url: str) -> dict[str, int]:
    """The send log's daily-reminder rows by status, as the bot left them."""
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            counts = await send_log.count_by_status(session, kind=MessageKind.DAILY_REMINDER)
    finally:
        await engine.dispose()
    return {status.value: number for status, number in sorted(counts.items())}


# -- the Telegram side: what reached the fake API, and when --


class Recorder:
    """Hand-over times of updates, and every event the bot caused, stamped with monotonic time."""

    def __init__(self, api: FakeBotApi, hot_chats: set[int], watched: set[int]) -> None:
        self.hot_chats = hot_chats
        self.watched = watched
        self.reminder_times: dict[int, list[float]] = {}
        self.reminder_count = 0
        self.all_reminded = asyncio.Event()
        self.first_reminder = asyncio.Event()
        self.handed_query: dict[str, float] = {}
        self.handed_message: dict[tuple[int, int], float] = {}
        self.answered: dict[str, float] = {}
        self.events: dict[int, list[tuple[float, str, Json]]] = {chat: [] for chat in watched}
        self.changed: dict[int, asyncio.Event] = {chat: asyncio.Event() for chat in watched}
        api.subscribe(self._on_event)
        self._original = emulator_server.HANDLERS["getupdates"]

    def install(self) -> None:
        """Wrap the fake API's getUpdates handler (restored by `uninstall`)."""
        original = self._original

        async def get_updates(world: World, params: Any) -> list[Json]:
            batch: list[Json] = await original(world, params)
            now = time.monotonic()
            for update in batch:
                query = update.get("callback_query")
                if query is not None:
                    self.handed_query.setdefault(query["id"], now)
                message = update.get("message")
                if message is not None:
                    key = (int(message["chat"]["id"]), int(message["message_id"]))
                    self.handed_message.setdefault(key, now)
            return batch

        emulator_server.HANDLERS["getupdates"] = get_updates

    def uninstall(self) -> None:
        emulator_server.HANDLERS["getupdates"] = self._original

    def _on_event(self, chat_id: int, kind: str, message: Json) -> None:
        now = time.monotonic()
        if kind == "answered":
            self.answered.setdefault(str(message["callback_query_id"]), now)
        if chat_id in self.hot_chats:
            if kind == "sent" and "remind:start" in str(message.get("reply_markup")):
                times = self.reminder_times.setdefault(chat_id, [])
                times.append(now)
                if len(times) == 1:
                    self.reminder_count += 1
                    self.first_reminder.set()
                    if self.reminder_count == len(self.hot_chats):
                        self.all_reminded.set()
            return
        if chat_id in self.watched:
            self.events[chat_id].append((now, kind, message))
            self.changed[chat_id].set()

    async def wait_first_reminder(self, *, within: float) -> None:
        await asyncio.wait_for(self.first_reminder.wait(), within)

    async def wait_reminded(self, *, within: float, stall: float) -> str:
        """Wait until every hot chat has its reminder; give up after `within` seconds, or after
        `stall` seconds without a new one. Returns "all", "timeout" or "stalled"."""
        deadline = time.monotonic() + within
        seen, last_change = -1, time.monotonic()
        while not self.all_reminded.is_set():
            now = time.monotonic()
            if self.reminder_count != seen:
                seen, last_change = self.reminder_count, now
            if now >= deadline:
                return "timeout"
            if now - last_change >= stall:
                return "stalled"
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.all_reminded.wait(), min(1.0, deadline - now))
        return "all"

    async def wait_for(
        self, chat_id: int, predicate: Callable[[str, Json], bool], after: int, *, within: float
    ) -> tuple[int, Json]:
        """The first event of `chat_id` at index >= `after` matching; (index, message)."""
        events, position = self.events[chat_id], after
        async with asyncio.timeout(within):
            while True:
                while position < len(events):
                    _, kind, message = events[position]
                    position += 1
                    if predicate(kind, message):
                        return position, message
                changed = self.changed[chat_id]
                changed.clear()
                await changed.wait()


# -- the bot process --


class BotProcess:
    """`bench.drain_bot` against the fake API; its log goes to `log_path`."""

    def __init__(self, process: asyncio.subprocess.Process, log_path: Path) -> None:
        self.process = process
        self.log_path = log_path

    @classmethod
    async def start(
        cls, api: FakeBotApi, url: str, workdir: Path, *, tick_seconds: float, trace: bool = False
    ) -> "BotProcess":
        log_path = workdir / "bot.log"
        extra = ["--trace", str(workdir / "trace.json")] if trace else []
        with log_path.open("wb") as log_file:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bench.drain_bot", "--api-url", api.base_url,
                "--token", api.token, "--database-url", url,
                "--start", BOT_STARTS_AT.isoformat(), "--jump-to", JUMP_TO.isoformat(),
                "--tick-seconds", str(tick_seconds), *extra,
                cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=log_file,
            )  # fmt: skip
        bot = cls(process, log_path)
        assert process.stdout is not None
        try:
            line = await asyncio.wait_for(process.stdout.readline(), timeout=120)
        except TimeoutError:
            line = b""
        if line.strip() != b"ready":
            await bot.stop()
            raise RuntimeError(f"the bot did not start; see {log_path}:\n{bot.log_tail()}")
        return bot

    @property
    def pid(self) -> int:
        return self.process.pid

    def jump(self) -> float:
        """Move the bot's clock past the hot minute; return when (monotonic)."""
        self.process.send_signal(signal.SIGUSR1)
        return time.monotonic()

    async def stop(self) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.process.wait(), timeout=60)
        except TimeoutError:
            self.process.kill()
            return await self.process.wait()

    def trace(self) -> dict[str, Any] | None:
        """What `--trace` found (after `stop()`), if it was asked for."""
        path = self.log_path.with_name("trace.json")
        return json.loads(path.read_text()) if path.exists() else None

    def log_tail(self, lines: int = 15) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def warnings(self) -> dict[str, int]:
        """WARNING/ERROR log lines, by their message with numbers masked."""
        found: dict[str, int] = {}
        for line in self.log_path.read_text(errors="replace").splitlines():
            match = re.search(r" (WARNING|ERROR|CRITICAL) (.*)", line)
            if match:
                key = re.sub(r"\d+(\.\d+)?", "N", match.group(0).strip())[:120]
                found[key] = found.get(key, 0) + 1
        return found


@contextmanager
def workspace(keep: bool) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="backcoach-drain-"))
    try:
        yield path
    finally:
        if keep:
            log(f"kept {path}")
        else:
            for child in sorted(path.rglob("*"), reverse=True):
                child.unlink() if child.is_file() else child.rmdir()
            path.rmdir()


def fake_api() -> FakeBotApi:
    return FakeBotApi(enforce_limits=True, limits=LIMITS)


# -- the figures --


def rate_figures(times: list[float]) -> dict[str, float]:
    """Sustained rate over all sends and over the middle 90%, and the per-second spread."""
    times = sorted(times)
    n = len(times)
    if n < 2:
        return {"sends": n}
    low, high = int(n * 0.05), math.ceil(n * 0.95) - 1
    seconds = [0] * (int(times[-1] - times[0]) + 1)
    for moment in times:
        seconds[int(moment - times[0])] += 1
    whole = seconds[1:-1]  # the first and last second are partial
    return {
        "sends": n,
        "span_s": round(times[-1] - times[0], 3),
        "sustained_per_s": round((n - 1) / (times[-1] - times[0]), 3),
        "middle_90_per_s": round((high - low) / (times[high] - times[low]), 3),
        "slowest_whole_second": min(whole) if whole else n,
        "fastest_whole_second": max(whole) if whole else n,
    }


def delivery_figures(recorder: Recorder) -> dict[str, Any]:
    counts = [len(recorder.reminder_times.get(chat, [])) for chat in recorder.hot_chats]
    return {
        "people": len(counts),
        "reminded": sum(1 for c in counts if c >= 1),
        "missed": sum(1 for c in counts if c == 0),
        "duplicated": sum(1 for c in counts if c > 1),
    }


def limit_figures(api: FakeBotApi, chats: set[int]) -> dict[str, int]:
    stats = api.stats
    return {
        "too_many_requests_429": stats.too_many_requests,
        "max_sends_in_any_1s_window": stats.max_in_window(1.0),
        "max_sends_to_one_chat_in_any_1s_window": max(
            (stats.max_in_window(1.0, chat) for chat in chats), default=0
        ),
        "counted_sends_total": len(stats.send_times),
    }


def reminder_times(recorder: Recorder) -> list[float]:
    return sorted(t for times in recorder.reminder_times.values() for t in times)


def random_source(seed: int) -> random.Random:
    return random.Random(seed)


def print_table(title: str, rows: dict[str, Any], indent: str = "  ") -> None:
    print(title)
    for key, value in rows.items():
        if isinstance(value, dict):
            print_table(f"{indent}{key}:", value, indent + "  ")
        else:
            print(f"{indent}{key}: {value}")
