"""Benchmark 3 of the reminders issue: the scale of the tick, with 1,000,000 people.

    .venv/bin/python -m bench.tick_scale --engine sqlite --people 1000000
    .venv/bin/python -m bench.tick_scale --engine postgresql --people 1000000

Per engine (a SQLite file in a temporary folder, or a throwaway PostgreSQL server from
`tests.pg_server`): load the people (`bench.populate`, scheduled as of the real time now, with
`--hot` of them due at one instant about 2.5 hours later), then

  4. start to ready and memory: `backcoach run` as a subprocess against a FakeBotApi served by
     this process; seconds from spawn to the "is running as" log line; VmRSS/VmHWM every 0.5 s
     while the startup resync walks through everyone; then SIGTERM. (Run first, while every
     stored schedule is what the resync expects.)
  2. empty tick: nothing due; `--empty-ticks` ticks, each timed.
  1. typical minutes: the clock stepped one minute at a time from the earliest due row,
     one `tick()` per minute, each timed, with the rows it claimed; `--minute-gap` seconds of
     idle between two (a real minute has about 59 s of idle after its tick, in which the
     running bot's background work, such as SQLite's checkpoints, gets done).
  3. hot minute: one tick at the hot instant (after a catch-up tick that drains what fell due
     in between), timed to drained, while a task measures the event loop's stalls.

The tick is the real `scheduler.dispatch.Dispatcher` on the app's own engine and session
factory (`bot.db.engine`), batch size 2000 (the default setting), grace 180 minutes, an injected
clock, and `enqueue` = `put` of a real `scheduler.sender.BulkSender` that is never started (it
only queues; sending is not what is measured).
"""

import argparse
import asyncio
import gc
import json
import math
import os
import platform
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot

from bench.populate import LoadReport, populate
from bot.db.engine import SessionFactory, create_engine, create_session_factory
from bot.db.models import DueMessage
from bot.db.queries import batch_log, due_batches
from bot.db.wal import background_checkpoints
from bot.emulator import FakeBotApi
from scheduler.budget import SendBudget
from scheduler.dispatch import Dispatcher, TickReport
from scheduler.sender import BulkSender, Outgoing, Rendered
from tests.pg_server import find_pg_bin, throwaway_postgres

ROOT = Path(__file__).resolve().parents[1]
BACKCOACH = ROOT / ".venv" / "bin" / "backcoach"
BATCH_SIZE = 2000  # bot.config.Settings.reminder_batch_size's default
GRACE = timedelta(minutes=180)  # bot.config.Settings.reminder_grace_minutes's default
SUMMARY_AT = clock_time(19)  # content/plan.yaml's weekly_summary_time
HOT_AFTER = timedelta(minutes=150)
READY_LINE = "is running as"


# -- small helpers --


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p99 of 120 values is the second largest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def summary_ms(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": percentile(values, 50) * 1000,
        "p99_ms": percentile(values, 99) * 1000,
        "max_ms": max(values) * 1000,
        "mean_ms": sum(values) / len(values) * 1000,
    }


class Clock:
    """The dispatcher's clock, set by the benchmark."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class _NoDelivery:
    """The sender is never started, so nothing is delivered."""

    async def begin(self, item: Outgoing) -> Rendered | None:
        return None

    async def delivered(self, item: Outgoing, message_id: int) -> None: ...
    async def blocked(self, item: Outgoing) -> None: ...
    async def failed(self, item: Outgoing, reason: str) -> None: ...
    async def release(self, item: Outgoing) -> None: ...


def unstarted_sender() -> BulkSender:
    return BulkSender(Bot("123456:BENCHMARK"), SendBudget(), _NoDelivery())


class Timings:
    """Wall time of the dispatcher's query calls and of the SQL it runs, per call."""

    def __init__(self) -> None:
        self.calls: dict[str, list[float]] = defaultdict(list)
        self._undo: list[Callable[[], None]] = []

    def wrap(self, owner: ModuleType | object, name: str, label: str | None = None) -> None:
        original = getattr(owner, name)
        calls = self.calls[label or name]

        async def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                calls.append(time.perf_counter() - started)

        setattr(owner, name, timed)
        self._undo.append(lambda: setattr(owner, name, original))

    def watch_sql(self, engine: AsyncEngine) -> None:
        """Time each cursor execute (the driver's round trip, seen from the event loop)."""
        calls = self.calls["sql execute"]

        def before(conn: Any, *_: Any) -> None:
            conn.info["bench_started"] = time.perf_counter()

        def after(conn: Any, *_: Any) -> None:
            calls.append(time.perf_counter() - conn.info.pop("bench_started"))

        sync_engine = engine.sync_engine
        event.listen(sync_engine, "before_cursor_execute", before)
        event.listen(sync_engine, "after_cursor_execute", after)

        def undo() -> None:
            event.remove(sync_engine, "before_cursor_execute", before)
            event.remove(sync_engine, "after_cursor_execute", after)

        self._undo.append(undo)

    def reset(self) -> None:
        for calls in self.calls.values():
            calls.clear()

    def report(self) -> dict[str, dict[str, float]]:
        return {
            name: {"calls": len(v), "total_s": sum(v), "mean_ms": sum(v) / len(v) * 1000}
            for name, v in self.calls.items()
            if v
        }

    def undo(self) -> None:
        while self._undo:
            self._undo.pop()()


def instrument(dispatcher: Dispatcher, engine: AsyncEngine) -> Timings:
    timings = Timings()
    timings.wrap(dispatcher, "claim_batch", "claim_batch (one transaction)")
    timings.wrap(due_batches, "claim_due_groups", "claim_due_groups (incl. checkout, BEGIN)")
    timings.wrap(batch_log, "log_claimed")
    timings.wrap(due_batches, "advance_due")
    timings.wrap(due_batches, "delete_due_rows")
    timings.wrap(due_batches, "earliest_due")
    timings.watch_sql(engine)
    return timings


class StallMonitor:
    """Sleeps 1 ms in a loop and records the gap between wake-ups: the loop's stalls; and times
    the garbage collector's pauses, which stop the loop too."""

    def __init__(self, interval: float = 0.001) -> None:
        self.interval = interval
        self.gaps: list[float] = []
        self.gap_ends: list[float] = []
        self.gc_pauses: list[tuple[int, float, float]] = []  # generation, start, end
        self._gc_started = 0.0
        self._running = False
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        last = time.perf_counter()
        while self._running:
            await asyncio.sleep(self.interval)
            now = time.perf_counter()
            self.gaps.append(now - last)
            self.gap_ends.append(now)
            last = now

    def start(self) -> None:
        self._running = True
        self._task = asyncio.create_task(self._run())
        gc.callbacks.append(self._on_gc)

    async def stop(self) -> None:
        self._running = False
        gc.callbacks.remove(self._on_gc)
        assert self._task is not None
        await self._task

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            pause = (info["generation"], self._gc_started, time.perf_counter())
            self.gc_pauses.append(pause)

    def stalls_over(self, limit: float, since: int = 0) -> dict[str, int]:
        """Gaps over `limit` seconds, and how many of them hold a full (gen 2) collection."""
        full = [(start, end) for generation, start, end in self.gc_pauses if generation == 2]
        over = [
            (end - gap, end)
            for gap, end in zip(self.gaps[since:], self.gap_ends[since:], strict=True)
            if gap > limit
        ]
        with_gc = sum(any(s < end and e > start for s, e in full) for start, end in over)
        return {"count": len(over), "with_full_gc": with_gc}

    def gc_summary(self) -> dict[str, dict[str, float]]:
        summary = {}
        for generation in (0, 1, 2):
            pauses = [end - start for g, start, end in self.gc_pauses if g == generation]
            if pauses:
                summary[f"gen{generation}"] = {
                    "count": len(pauses),
                    "max_ms": max(pauses) * 1000,
                    "total_ms": sum(pauses) * 1000,
                }
        return summary


# -- the machine --


def read_proc(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def machine() -> dict[str, str]:
    cpu = re.search(r"model name\s*:\s*(.+)", read_proc("/proc/cpuinfo"))
    memory = re.search(r"MemTotal:\s*(\d+) kB", read_proc("/proc/meminfo"))
    pg_bin = find_pg_bin()
    pg_version = ""
    if pg_bin is not None:
        pg_version = subprocess.run(
            [str(pg_bin / "postgres"), "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu.group(1).strip() if cpu else "?",
        "ram_gib": f"{int(memory.group(1)) / 2**20:.1f}" if memory else "?",
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg_version,
    }


def _postgres_cpu_seconds(port: int) -> float:
    """CPU seconds used so far by the PostgreSQL server on `port` (postmaster and its children).

    Exited backends are not counted; the benchmark keeps its connections open throughout.
    """
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    postmaster = None
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        fields = read_proc(f"/proc/{pid}/stat").rsplit(")", 1)[-1].split()
        if len(fields) < 13:
            continue
        parents[pid] = int(fields[1])
        cpu[pid] = (int(fields[11]) + int(fields[12])) / tick
        command = read_proc(f"/proc/{pid}/cmdline").split("\0")
        if command and command[0].endswith("/postgres") and f"-p {port}" in " ".join(command):
            postmaster = pid
    if postmaster is None:
        return 0.0
    return cpu[postmaster] + sum(cpu[p] for p, parent in parents.items() if parent == postmaster)


class CpuMeter:
    """Cores busy on the whole machine, in this process (all its threads) and in the PostgreSQL
    server, over a phase: other jobs share these 2 cores, and a busy machine slows every figure.
    CPU seconds per tick are the contention-proof part of a tick's cost."""

    postgres_port: int | None = None

    def __init__(self) -> None:
        self._start = self._read()

    def _read(self) -> tuple[float, float, float, float]:
        fields = [int(x) for x in read_proc("/proc/stat").splitlines()[0].split()[1:]]
        idle = fields[3] + fields[4]  # idle + iowait
        busy = sum(fields[:8]) - idle
        times = os.times()
        server = _postgres_cpu_seconds(self.postgres_port) if self.postgres_port else 0.0
        own = times.user + times.system
        return busy / os.sysconf("SC_CLK_TCK"), own, server, time.perf_counter()

    def read(self) -> dict[str, float]:
        machine, own, server, wall = self._read()
        machine0, own0, server0, wall0 = self._start
        span = max(wall - wall0, 1e-9)
        found = {
            "wall_s": round(span, 2),
            "machine_busy_cores": round((machine - machine0) / span, 2),
            "bench_process_cores": round((own - own0) / span, 2),
            "bench_process_cpu_s": round(own - own0, 2),
            "loadavg_1m": float(read_proc("/proc/loadavg").split()[0]),
        }
        if self.postgres_port:
            found["postgres_cpu_s"] = round(server - server0, 2)
        return found


def git_state() -> dict[str, str]:
    """The commit, and which app files differ from it (other work in progress is measured too)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    changed = git("status", "--short", "--", "bot", "scheduler").splitlines()
    return {"commit": git("rev-parse", "--short", "HEAD"), "app_changes": " ".join(changed)}


# -- the engines --


@contextmanager
def database(engine: str, workdir: Path) -> Iterator[str]:
    if engine == "sqlite":
        yield f"sqlite+aiosqlite:///{workdir / 'backcoach.sqlite3'}"
    else:
        with throwaway_postgres() as url:
            CpuMeter.postgres_port = make_url(url).port
            try:
                yield url
            finally:
                CpuMeter.postgres_port = None


async def server_settings(url: str) -> dict[str, str]:
    """The settings that decide what a commit costs, read through the app's own engine (so
    whatever pragmas `bot.db.engine` sets on its connections are in force)."""
    if url.startswith("sqlite"):
        names = ("journal_mode", "synchronous", "cache_size", "wal_autocheckpoint")
        statements = [f"PRAGMA {name}" for name in names]
    else:
        names = ("fsync", "synchronous_commit", "shared_buffers", "server_version")
        statements = [f"SHOW {name}" for name in names]
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            values = [(await connection.exec_driver_sql(sql)).scalar() for sql in statements]
    finally:
        await engine.dispose()
    return {name: str(value) for name, value in zip(names, values, strict=True)}


# -- 4. start to ready, and memory --


@dataclass
class StartupReport:
    ready_s: float | None = None
    peak_rss_mb: float = 0.0
    peak_hwm_mb: float = 0.0
    rss_at_ready_mb: float = 0.0
    busy_until_s: float | None = None  # after ready: last 0.5 s with over 20 % of a core
    cpu_s_after_ready: float = 0.0
    sampled_s: float = 0.0
    stop_s: float | None = None
    exit_code: int | None = None
    warnings: int = 0
    log_tail: list[str] = field(default_factory=list)
    samples: list[tuple[float, float, float, float]] = field(default_factory=list)


def _proc_status(pid: int) -> tuple[float, float] | None:
    text = read_proc(f"/proc/{pid}/status")
    rss = re.search(r"VmRSS:\s*(\d+) kB", text)
    hwm = re.search(r"VmHWM:\s*(\d+) kB", text)
    if not rss or not hwm:
        return None
    return int(rss.group(1)) / 1024, int(hwm.group(1)) / 1024


def _cpu_seconds(pid: int) -> float:
    fields = read_proc(f"/proc/{pid}/stat").rsplit(")", 1)[-1].split()
    if len(fields) < 13:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def measure_startup(
    url: str, workdir: Path, *, min_sample_s: float, max_sample_s: float
) -> StartupReport:
    report = StartupReport()
    async with FakeBotApi() as api:
        environment = {
            **os.environ,
            "DATABASE_URL": url,
            "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "LOG_LEVEL": "INFO",
        }
        spawned = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            str(BACKCOACH), "run", cwd=workdir, env=environment,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        ready = asyncio.Event()
        lines: list[str] = []

        async def read_log() -> None:
            assert process.stderr is not None
            async for raw in process.stderr:
                line = raw.decode(errors="replace").rstrip()
                lines.append(line)
                if not ready.is_set() and READY_LINE in line:
                    report.ready_s = time.perf_counter() - spawned
                    ready.set()

        reader = asyncio.create_task(read_log())
        pid = process.pid
        cpu_at_ready = 0.0
        last_cpu, last_t = 0.0, 0.0
        idle_since: float | None = None
        try:
            while True:
                await asyncio.sleep(0.5)
                elapsed = time.perf_counter() - spawned
                status = _proc_status(pid)
                if status is None or process.returncode is not None:
                    break
                cpu = _cpu_seconds(pid)
                rss, hwm = status
                report.samples.append((round(elapsed, 2), rss, hwm, cpu))
                report.peak_rss_mb = max(report.peak_rss_mb, rss)
                report.peak_hwm_mb = max(report.peak_hwm_mb, hwm)
                if report.ready_s is None:
                    if elapsed > 120:
                        break
                    last_cpu, last_t = cpu, elapsed
                    continue
                if not cpu_at_ready:
                    cpu_at_ready, report.rss_at_ready_mb = cpu, rss
                busy = (cpu - last_cpu) / max(elapsed - last_t, 1e-9) > 0.2
                last_cpu, last_t = cpu, elapsed
                after_ready = elapsed - report.ready_s
                if busy:
                    report.busy_until_s, idle_since = after_ready, None
                elif idle_since is None:
                    idle_since = after_ready
                report.cpu_s_after_ready = cpu - cpu_at_ready
                report.sampled_s = after_ready
                quiet_for = 0.0 if idle_since is None else after_ready - idle_since
                if after_ready >= max_sample_s or (after_ready >= min_sample_s and quiet_for >= 3):
                    break
        finally:
            stopping = time.perf_counter()
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            try:
                report.exit_code = await asyncio.wait_for(process.wait(), timeout=60)
                report.stop_s = time.perf_counter() - stopping
            except TimeoutError:
                process.kill()
                report.exit_code = await process.wait()
            await reader
    report.warnings = sum(" WARNING " in line for line in lines)
    report.log_tail = lines[-15:]
    return report


# -- 2. empty ticks, 1. typical minutes, 3. the hot minute --


def _cpu_ms(cpu: dict[str, float], count: int) -> float:
    """CPU milliseconds (this process and the PostgreSQL server) per tick or row."""
    used = cpu["bench_process_cpu_s"] + cpu.get("postgres_cpu_s", 0.0)
    return used / max(count, 1) * 1000


async def earliest_due(session_factory: SessionFactory) -> datetime:
    async with session_factory() as session:
        found = (await session.execute(select(func.min(DueMessage.next_due_at)))).scalar_one()
    assert found is not None
    return found


def dispatcher_for(session_factory: SessionFactory, clock: Clock) -> tuple[Dispatcher, BulkSender]:
    sender = unstarted_sender()
    dispatcher = Dispatcher(
        session_factory,
        clock=clock,
        grace=GRACE,
        batch_size=BATCH_SIZE,
        enqueue=sender.put,
        summary_at=SUMMARY_AT,
    )
    return dispatcher, sender


async def timed(action: Callable[[], Awaitable[TickReport]]) -> tuple[float, TickReport]:
    started = time.perf_counter()
    report = await action()
    return time.perf_counter() - started, report


async def empty_ticks(
    session_factory: SessionFactory, engine: AsyncEngine, ticks: int
) -> dict[str, Any]:
    clock = Clock(await earliest_due(session_factory) - timedelta(seconds=30))
    dispatcher, _ = dispatcher_for(session_factory, clock)
    for _ in range(50):  # warm the pool and the statement caches
        await dispatcher.tick()
    timings = instrument(dispatcher, engine)
    durations = []
    meter = CpuMeter()
    try:
        for _ in range(ticks):
            seconds, report = await timed(dispatcher.tick)
            assert report.claimed == 0
            durations.append(seconds)
    finally:
        timings.undo()
    cpu = meter.read()
    return {
        "clock": clock.now.isoformat(),
        **summary_ms(durations),
        "cpu": cpu,
        "cpu_ms_per_tick": _cpu_ms(cpu, ticks),
        "calls": timings.report(),
    }


async def typical_minutes(
    session_factory: SessionFactory, engine: AsyncEngine, minutes: int, gap: float
) -> dict[str, Any]:
    first = await earliest_due(session_factory)
    clock = Clock(first - timedelta(seconds=59))  # just before the earliest due time
    dispatcher, sender = dispatcher_for(session_factory, clock)
    # One warm-up minute (the first claim compiles and caches the INSERT and UPDATE).
    clock.now += timedelta(minutes=1)
    warm_s, warm = await timed(dispatcher.tick)
    timings = instrument(dispatcher, engine)
    durations, rows = [], []
    meter = CpuMeter()
    try:
        for _ in range(minutes):
            await asyncio.sleep(gap)
            clock.now += timedelta(minutes=1)
            seconds, report = await timed(dispatcher.tick)
            durations.append(seconds)
            rows.append(report.claimed)
    finally:
        timings.undo()
    cpu = meter.read()
    per_row = [d / r for d, r in zip(durations, rows, strict=True) if r]
    return {
        "cpu": cpu,
        "cpu_ms_per_tick": _cpu_ms(cpu, minutes),
        "first_clock": (first + timedelta(seconds=1)).isoformat(),
        "warm_up": {"seconds": warm_s, "claimed": warm.claimed},
        **summary_ms(durations),
        "rows_per_minute": {
            "mean": sum(rows) / len(rows),
            "min": min(rows),
            "max": max(rows),
            "p50": percentile([float(r) for r in rows], 50),
        },
        "rows_at_max_ms": rows[durations.index(max(durations))],
        "per_row_us_p50": percentile(per_row, 50) * 1e6 if per_row else None,
        "queued": sender.pending,
        "calls": timings.report(),
        "ticks": [(round(d * 1000, 2), r) for d, r in zip(durations, rows, strict=True)],
    }


async def hot_minute(
    session_factory: SessionFactory, engine: AsyncEngine, hot_at: datetime
) -> dict[str, Any]:
    clock = Clock(hot_at - timedelta(seconds=1))
    dispatcher, sender = dispatcher_for(session_factory, clock)
    catch_up_s, catch_up = await timed(dispatcher.tick)  # what fell due before the hot instant
    dispatcher, sender = dispatcher_for(session_factory, clock)
    # The catch-up's sender, with its tens of thousands of queued items, is garbage in a cycle
    # now: freed here, not by a full collection inside the measured minute (a running bot keeps
    # one sender for good).
    gc.collect()
    clock.now = hot_at + timedelta(seconds=1)
    timings = instrument(dispatcher, engine)
    monitor = StallMonitor()
    meter = CpuMeter()
    monitor.start()
    await asyncio.sleep(0.2)
    idle_gaps = len(monitor.gaps)
    try:
        seconds, report = await timed(dispatcher.tick)
    finally:
        await monitor.stop()
        timings.undo()
    cpu = meter.read()
    gaps = monitor.gaps[idle_gaps:]
    return {
        "cpu": cpu,
        "cpu_us_per_row": _cpu_ms(cpu, report.claimed) * 1000,
        "hot_at": hot_at.isoformat(),
        "catch_up": {"seconds": catch_up_s, "claimed": catch_up.claimed},
        "seconds": seconds,
        "claimed": report.claimed,
        "queued": report.queued,
        "skipped_late": report.skipped_late,
        "rows_per_s": report.claimed / seconds,
        "sender_pending": sender.pending,
        "stall_max_ms": max(gaps) * 1000,
        "stall_p99_ms": percentile(gaps, 99) * 1000,
        "stall_p50_ms": percentile(gaps, 50) * 1000,
        "stalls_over_50ms": sum(g > 0.05 for g in gaps),
        "stalls_over_20ms": sum(g > 0.02 for g in gaps),
        "idle_gap_max_ms": max(monitor.gaps[:idle_gaps]) * 1000,
        "stalls_over_50ms_detail": monitor.stalls_over(0.05, since=idle_gaps),
        "gc_pauses": monitor.gc_summary(),
        "calls": timings.report(),
    }


@asynccontextmanager
async def app_engine(url: str) -> AsyncIterator[tuple[AsyncEngine, SessionFactory]]:
    """The app's engine, with the running bot's background checkpoints (bot/runner.py)."""
    engine = create_engine(url)
    try:
        async with background_checkpoints(url):
            yield engine, create_session_factory(engine)
    finally:
        await engine.dispose()


def _files_mb(folder: Path, pattern: str) -> float:
    return sum(path.stat().st_size for path in folder.glob(pattern)) / 2**20


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


async def run(arguments: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {
        "engine": arguments.engine,
        "people": arguments.people,
        "hot": arguments.hot,
        "command": " ".join([".venv/bin/python -m bench.tick_scale", *sys.argv[1:]]),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "git": git_state(),
    }
    workdir = Path(tempfile.mkdtemp(prefix="backcoach-bench-"))
    try:
        with database(arguments.engine, workdir) as url:
            now = datetime.now(UTC)
            hot_at = (now + HOT_AFTER).replace(second=0, microsecond=0)
            _log(f"populating {arguments.people} people ({arguments.hot} hot at {hot_at:%H:%M})")
            load: LoadReport = await populate(
                url, arguments.people, now=now, hot=arguments.hot,
                hot_at=hot_at if arguments.hot else None,
            )  # fmt: skip
            results["populate"] = {
                **asdict(load),
                "earliest_due": load.earliest_due.isoformat(),
                "latest_due": load.latest_due.isoformat(),
                "now": now.isoformat(),
            }
            results["settings"] = await server_settings(url)
            if url.startswith("sqlite"):
                results["populate"]["file_mb"] = _files_mb(workdir, "backcoach.sqlite3*")
            _log(f"populated in {load.seconds:.1f} s")
            if not arguments.skip_startup:
                _log("4. start to ready")
                meter = CpuMeter()
                startup = await measure_startup(
                    url, workdir, min_sample_s=arguments.sample_seconds,
                    max_sample_s=arguments.max_sample_seconds,
                )  # fmt: skip
                results["startup"] = {**asdict(startup), "cpu": meter.read()}
                _log(
                    f"ready in {startup.ready_s} s; peak RSS {startup.peak_rss_mb:.0f} MB, "
                    f"HWM {startup.peak_hwm_mb:.0f} MB"
                )
            async with app_engine(url) as (engine, session_factory):
                # As the bot does once ready (bot/runner.py): what is loaded by now is not
                # walked by every full collection.
                gc.collect()
                gc.freeze()
                _log("2. empty ticks")
                results["empty"] = await empty_ticks(session_factory, engine, arguments.empty_ticks)
                _log(f"   p50 {results['empty']['p50_ms']:.3f} ms")
                _log("1. typical minutes")
                results["typical"] = await typical_minutes(
                    session_factory, engine, arguments.minutes, arguments.minute_gap
                )
                _log(f"   p99 {results['typical']['p99_ms']:.1f} ms")
                if arguments.hot:
                    _log("3. hot minute")
                    results["hot_minute"] = await hot_minute(session_factory, engine, hot_at)
                    _log(f"   {results['hot_minute']['seconds']:.2f} s")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return results


def print_summary(results: dict[str, Any]) -> None:
    lines = [f"engine={results['engine']} people={results['people']} hot={results['hot']}"]
    lines.append(f"machine: {results['machine']}")
    lines.append(f"settings: {results.get('settings')}")
    load = results["populate"]
    lines.append(f"populate: {load['seconds']:.1f} s, {load['sessions']} sessions")
    if "startup" in results:
        s = results["startup"]
        lines.append(
            f"4. start->ready {s['ready_s']:.2f} s (target < 5 s); peak VmRSS "
            f"{s['peak_rss_mb']:.0f} MB, VmHWM {s['peak_hwm_mb']:.0f} MB (target < 200 MB); "
            f"busy until {s['busy_until_s']} s after ready; exit {s['exit_code']}"
        )
    e = results["empty"]
    lines.append(
        f"2. empty tick: p50 {e['p50_ms']:.3f} ms, p99 {e['p99_ms']:.3f} ms, "
        f"max {e['max_ms']:.2f} ms (target < 1 ms)"
    )
    t = results["typical"]
    rpm = t["rows_per_minute"]
    lines.append(
        f"1. typical minute: p50 {t['p50_ms']:.1f} ms, p99 {t['p99_ms']:.1f} ms, max "
        f"{t['max_ms']:.1f} ms (target p99 < 30 ms); rows/min mean {rpm['mean']:.0f} "
        f"(min {rpm['min']}, max {rpm['max']})"
    )
    if "hot_minute" in results:
        h = results["hot_minute"]
        lines.append(
            f"3. hot minute: {h['claimed']} claimed in {h['seconds']:.2f} s (target < 2 s), "
            f"{h['rows_per_s']:.0f} rows/s; stall max {h['stall_max_ms']:.1f} ms, p99 "
            f"{h['stall_p99_ms']:.1f} ms, {h['stalls_over_50ms']} over 50 ms (target none), "
            f"{h['stalls_over_50ms_detail']['with_full_gc']} of them during a full GC"
        )
        lines.append(f"   gc during the hot minute: {h['gc_pauses']}")
    for name in ("startup", "empty", "typical", "hot_minute"):
        if name in results:
            cpu = results[name]["cpu"]
            lines.append(f"   cpu during {name}: {cpu}")
            if "cpu_ms_per_tick" in results[name]:
                lines.append(f"      = {results[name]['cpu_ms_per_tick']:.2f} ms of CPU per tick")
            if "cpu_us_per_row" in results[name]:
                lines.append(f"      = {results[name]['cpu_us_per_row']:.1f} us of CPU per row")
    for name in ("empty", "typical", "hot_minute"):
        for call, c in results.get(name, {}).get("calls", {}).items():
            lines.append(
                f"   {name:>10} {call:<42} {c['calls']:>7} calls {c['mean_ms']:8.3f} ms mean"
            )
    print("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tick_scale", description=__doc__)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), required=True)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--hot", type=int, default=100_000, help="people due at one instant")
    parser.add_argument("--minutes", type=int, default=120, help="typical minutes to tick")
    parser.add_argument(
        "--minute-gap", type=float, default=1.0, help="seconds of idle between typical minutes"
    )
    parser.add_argument("--empty-ticks", type=int, default=2000)
    parser.add_argument("--sample-seconds", type=float, default=30.0)
    parser.add_argument("--max-sample-seconds", type=float, default=180.0)
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--json", type=Path, help="write every figure here as JSON")
    arguments = parser.parse_args()
    results = asyncio.run(run(arguments))
    if arguments.json:
        arguments.json.write_text(json.dumps(results, indent=2, default=str))
    print_summary(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
