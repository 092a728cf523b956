"""Issue 5: /progress (text and chart) for a person with two years of daily sessions.

    .venv/bin/python -m bench.progress_speed --engine sqlite
    .venv/bin/python -m bench.progress_speed --engine postgresql

A fresh database at head holds the person (Europe/Berlin, every day planned, a flare-up mode
in the last weeks) with a completed session every day for two years (every fifth one partial)
and a pain rating after each, plus `--others` people with the same history so the indexes
matter. Each run does what the /progress handler does between the update and the send: the flow
(`load_progress`: the SQL aggregates), the text, and the chart rendered in a worker thread
(`asyncio.to_thread(render_chart, ...)`). The first run (imports matplotlib) is reported apart;
the SQL flow and text alone, and the process's CPU time per run, are reported too.
Target: p95 < 300 ms.
"""

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, update

from bot.content.loader import load_content
from bot.db.engine import create_engine, create_session_factory
from bot.db.enums import PainContext, SessionStatus, UserStatus
from bot.db.migrate import upgrade_database
from bot.db.models import PainReport, RoutineSession, User
from bot.db.queries import users
from bot.flows.progress import load_progress
from bot.handlers.progress import progress_text
from bot.handlers.progress_chart import render_chart
from bot.services import Services
from tests.pg_server import throwaway_postgres

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
DAYS = 730


def _history(user_id: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    sessions, reports = [], []
    for n in range(DAYS, 0, -1):
        at = NOW - timedelta(days=n, hours=2)
        status = SessionStatus.PARTIAL if n % 5 == 0 else SessionStatus.COMPLETED
        sessions.append(
            {"user_id": user_id, "routine_key": "morning", "status": status, "started_at": at}
            | {"finished_at": at + timedelta(minutes=15), "current_position": 0}
        )
        reports.append(
            {"user_id": user_id, "score": 2 + n % 5, "context": PainContext.AFTER_SESSION}
            | {"reported_at": at + timedelta(minutes=16)}
        )
    return sessions, reports


async def _load(url: str, people: int) -> int:
    engine = create_engine(url)
    factory = create_session_factory(engine)
    created = NOW - timedelta(days=DAYS + 1)
    ids = []
    async with factory.begin() as session:
        for telegram_id in range(1, people + 1):
            person = await users.ensure_user(
                session, telegram_id=telegram_id, chat_id=telegram_id, now=created
            )
            ids.append(person.id)
        await session.execute(
            update(User).values(
                status=UserStatus.ACTIVE,
                time_zone="Europe/Berlin",
                flare_started_on=(NOW - timedelta(days=20)).date(),
                flare_until=(NOW - timedelta(days=17)).date(),
            )
        )
        for user_id in ids:
            sessions, reports = _history(user_id)
            await session.execute(insert(RoutineSession), sessions)
            await session.execute(insert(PainReport), reports)
        baseline = {"user_id": ids[0], "score": 6, "context": PainContext.BASELINE}
        await session.execute(insert(PainReport), [baseline | {"reported_at": created}])
    await engine.dispose()
    return ids[0]


async def _measure(url: str, user_id: int, runs: int) -> dict[str, Any]:
    engine = create_engine(url)
    content = load_content()
    factory = create_session_factory(engine)
    services = Services(session_factory=factory, content=content, clock=lambda: NOW)
    texts = content.texts.progress
    timings, flow_timings, cpu, size = [], [], [], 0
    for _ in range(runs + 1):
        start, cpu_start = time.perf_counter(), time.process_time()
        progress = await load_progress(services, user_id=user_id)
        assert progress is not None and progress.has_data
        progress_text(texts, progress)
        flow_timings.append((time.perf_counter() - start) * 1000)
        png = await asyncio.to_thread(
            render_chart,
            progress.pain_days,
            progress.chart_sessions,
            baseline=progress.baseline,
            texts=texts.chart,
        )
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - cpu_start) * 1000)
        size = len(png)
    await engine.dispose()
    first, rest = timings[0], sorted(timings[1:])
    return {
        "runs": runs,
        "first_ms": round(first, 1),
        "p50_ms": round(statistics.median(rest), 1),
        "p95_ms": round(rest[int(0.95 * (len(rest) - 1))], 1),
        "max_ms": round(rest[-1], 1),
        "flow_and_text_p50_ms": round(statistics.median(flow_timings[1:]), 1),
        # This process's CPU (all threads) per run: what the run costs, whatever else runs.
        "cpu_p50_ms": round(statistics.median(cpu[1:]), 1),
        "png_bytes": size,
        "streak": [progress.streaks.current, progress.streaks.longest],
    }


def _database(engine: str, stack: ExitStack) -> str:
    if engine == "postgresql":
        return stack.enter_context(throwaway_postgres())
    folder = stack.enter_context(tempfile.TemporaryDirectory())
    return f"sqlite+aiosqlite:///{Path(folder) / 'progress.sqlite3'}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--others", type=int, default=50, help="more people with the same history")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with ExitStack() as stack:
        url = _database(args.engine, stack)
        upgrade_database(url)
        user_id = asyncio.run(_load(url, args.others + 1))
        figures = {"engine": args.engine, "days": DAYS, "people": args.others + 1}
        figures |= asyncio.run(_measure(url, user_id, args.runs))
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
