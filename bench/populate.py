"""Bulk-load people with daily reminders into a database at head, scheduled as the app would.

Every person is ACTIVE (consented, screened) with a time zone, a reminder time in whole minutes
between 06:00 and 21:30, every day or Monday to Friday, and their `daily_reminder` due row set to
`scheduler.plans.next_occurrence(plan, now)`, exactly what `reschedule_reminder` would store;
and their `weekly_summary` due row, Sunday at 19:00 local, as `reschedule_summary` would.
Optionally `--hot N` of them are due at one instant (`--hot-at`), and a fraction have one finished
session (yesterday, or earlier on the reminder's own day)
so the sender's done-that-day lookup has rows. On SQLite the due rows get ids in the block of
their time of day, as `schedule_due` gives them (`bot/db/due_placement.py`).

    .venv/bin/python -m bench.populate --url sqlite+aiosqlite:////tmp/bc.sqlite3 --people 1000000
    .venv/bin/python -m bench.populate --url postgresql+asyncpg://u@127.0.0.1:5432/db --hot 100000

SQLite is loaded with the stdlib sqlite3 module (executemany, one transaction per table chunk,
synchronous=OFF while loading); PostgreSQL with asyncpg's COPY, then VACUUM ANALYZE.
"""

import argparse
import asyncio
import random
import sqlite3
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

from bot.db.due_placement import id_block
from bot.db.migrate import upgrade_database
from scheduler.plans import Occurrence, ReminderPlan, next_occurrence, weekdays_from_digits

# (zone, relative share of people): whole-hour, half-hour and 45-minute offsets, both
# hemispheres' daylight saving, and zones without it.
ZONES: tuple[tuple[str, int], ...] = (
    ("Europe/London", 8),
    ("Europe/Berlin", 10),
    ("Europe/Madrid", 6),
    ("Europe/Moscow", 5),
    ("Europe/Istanbul", 3),
    ("Africa/Lagos", 3),
    ("Africa/Johannesburg", 2),
    ("Asia/Dubai", 2),
    ("Asia/Kolkata", 10),
    ("Asia/Kathmandu", 1),
    ("Asia/Shanghai", 6),
    ("Asia/Tokyo", 4),
    ("Australia/Adelaide", 2),
    ("Australia/Sydney", 3),
    ("Pacific/Auckland", 1),
    ("America/St_Johns", 1),
    ("America/Sao_Paulo", 6),
    ("America/New_York", 10),
    ("America/Chicago", 6),
    ("America/Denver", 3),
    ("America/Los_Angeles", 7),
    ("America/Mexico_City", 3),
)
EVERY_DAY = "0123456"
MONDAY_TO_FRIDAY = "01234"
WEEKDAYS_ONLY_SHARE = 0.25
FIRST_MINUTE = 6 * 60  # 06:00
LAST_MINUTE = 21 * 60 + 30  # 21:30
# Of the people with a session: the share whose latest one was earlier on the reminder's own day.
DONE_TODAY_SHARE = 0.2
CHUNK = 50_000
KIND = "daily_reminder"
# Everyone's weekly summary, as the app schedules it: Sunday (users.summary_weekday's default)
# at content/plan.yaml's 19:00. Its rows take ids from here, after the daily reminders'.
SUMMARY_KIND = "weekly_summary"
SUMMARY_AT = clock_time(19, 0)
SUMMARY_ID_OFFSET = 1_000_000_000

USER_COLUMNS = (
    "id", "telegram_id", "chat_id", "status", "time_zone", "reminder_time", "consented_at",
    "screened_at", "screening_pass", "created_at", "reminder_days", "reminders_paused",
    "reminders_resume_on",
)  # fmt: skip
DUE_COLUMNS = ("id", "user_id", "kind", "next_due_at", "local_date")
SESSION_COLUMNS = (
    "user_id", "routine_key", "status", "current_position", "current_exercise_key",
    "started_at", "finished_at",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Person:
    """One generated person: their plan's settings, their due row, their latest session."""

    id: int
    zone: str
    at: clock_time
    days: str
    due: Occurrence
    summary: Occurrence
    enrolled_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True, slots=True)
class LoadReport:
    people: int
    hot: int
    sessions: int
    distinct_plans: int
    seconds: float
    earliest_due: datetime
    latest_due: datetime


def hot_zones(hot_at: datetime) -> list[tuple[str, clock_time, int]]:
    """The zones where `hot_at` falls between 06:00 and 21:30: (zone, local time, share)."""
    found = []
    for zone, share in ZONES:
        local = hot_at.astimezone(ZoneInfo(zone))
        minute = local.hour * 60 + local.minute
        if FIRST_MINUTE <= minute <= LAST_MINUTE and local.second == 0:
            found.append((zone, clock_time(local.hour, local.minute), share))
    return found


def generate(
    people: int,
    now: datetime,
    *,
    hot: int = 0,
    hot_at: datetime | None = None,
    seed: int = 1,
    session_fraction: float = 0.5,
    plans: dict[ReminderPlan, Occurrence] | None = None,
) -> Iterator[list[Person]]:
    """People 1..`people` in chunks; `plans` (if given) collects the memoised occurrences."""
    rng = random.Random(seed)
    memo: dict[ReminderPlan, Occurrence] = {} if plans is None else plans
    zone_names = [zone for zone, _ in ZONES]
    zone_weights = [share for _, share in ZONES]
    times = [clock_time(m // 60, m % 60) for m in range(FIRST_MINUTE, LAST_MINUTE + 1)]
    hot_ids: set[int] = set()
    hot_choices: list[tuple[str, clock_time, int]] = []
    if hot:
        if hot_at is None or hot_at.second or hot_at.microsecond:
            raise ValueError("--hot needs --hot-at on a whole minute")
        if not now < hot_at <= now + timedelta(hours=23):
            raise ValueError("the hot instant must fall within 23 hours after now")
        hot_choices = hot_zones(hot_at)
        hot_ids = set(rng.sample(range(1, people + 1), hot))
    latest_allowed = now - timedelta(minutes=1)
    chunk: list[Person] = []
    for person_id in range(1, people + 1):
        if person_id in hot_ids:
            zone, at, _ = rng.choices(hot_choices, weights=[c[2] for c in hot_choices])[0]
            days = EVERY_DAY
        else:
            zone = rng.choices(zone_names, weights=zone_weights)[0]
            at = rng.choice(times)
            days = MONDAY_TO_FRIDAY if rng.random() < WEEKDAYS_ONLY_SHARE else EVERY_DAY
        plan = ReminderPlan(at=at, zone=zone, weekdays=weekdays_from_digits(days))
        due = memo.get(plan)
        if due is None:
            found = next_occurrence(plan, now)
            assert found is not None  # never paused here
            due = memo[plan] = found
        if person_id in hot_ids and due.due_at != hot_at:
            raise AssertionError(f"hot person {person_id}: {plan} falls due at {due.due_at}")
        finished_at = None
        if rng.random() < session_fraction:
            if rng.random() < DONE_TODAY_SHARE:
                finished_at = due.due_at - timedelta(hours=2)
            else:
                finished_at = due.due_at - timedelta(days=1) + timedelta(minutes=25)
            finished_at = min(finished_at, latest_allowed)
        enrolled_at = now - timedelta(days=1 + person_id % 300, minutes=person_id % 1440)
        summary_plan = ReminderPlan(at=SUMMARY_AT, zone=zone, weekdays=frozenset({6}))
        summary = memo.get(summary_plan)
        if summary is None:
            found = next_occurrence(summary_plan, now)
            assert found is not None
            summary = memo[summary_plan] = found
        chunk.append(Person(person_id, zone, at, days, due, summary, enrolled_at, finished_at))
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# -- SQLite: the exact text SQLAlchemy's SQLite dialect writes (UTCDateTime stores naive UTC) --


def sqlite_datetime(value: datetime) -> str:
    """'YYYY-MM-DD HH:MM:SS.ffffff' in UTC, as SQLAlchemy stores a DateTime on SQLite."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def sqlite_time(value: clock_time) -> str:
    """'HH:MM:SS.ffffff', as SQLAlchemy stores a Time on SQLite."""
    return value.strftime("%H:%M:%S.%f")


def _insert(table: str, columns: Sequence[str]) -> str:
    marks = ", ".join("?" for _ in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"


def _load_sqlite(path: str, chunks: Iterator[list[Person]]) -> tuple[int, int]:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=MEMORY")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("PRAGMA cache_size=-1000000")  # 1 GB of page cache while loading
        (existing,) = connection.execute("SELECT count(*) FROM users").fetchone()
        if existing:
            raise SystemExit(f"{path} already has {existing} users: load into an empty database")
        text: dict[object, str] = {}

        def cached(value: datetime | clock_time) -> str:
            found = text.get(value)
            if found is None:
                if isinstance(value, clock_time):
                    found = text[value] = sqlite_time(value)
                else:
                    found = text[value] = sqlite_datetime(value)
            return found

        next_free: dict[int, int] = {}

        def placed(due_at: datetime) -> int:
            """The next id in the block of `due_at`'s time of day, as `schedule_due` places it."""
            start = id_block(due_at)[0]
            next_free[start] = next_free.get(start, start - 1) + 1
            return next_free[start]

        people = sessions = 0
        for chunk in chunks:
            users, dues, finished = [], [], []
            for p in chunk:
                enrolled = sqlite_datetime(p.enrolled_at)
                consented = sqlite_datetime(p.enrolled_at + timedelta(minutes=2))
                screened = sqlite_datetime(p.enrolled_at + timedelta(minutes=5))
                telegram_id = 1_000_000_000 + p.id
                users.append(
                    (p.id, telegram_id, telegram_id, "active", p.zone, cached(p.at), consented,
                     screened, 1, enrolled, p.days, 0, None)
                )  # fmt: skip
                dues.append(
                    (placed(p.due.due_at), p.id, KIND, cached(p.due.due_at),
                     p.due.local_date.isoformat())
                )  # fmt: skip
                dues.append(
                    (placed(p.summary.due_at), p.id, SUMMARY_KIND, cached(p.summary.due_at),
                     p.summary.local_date.isoformat())
                )  # fmt: skip
                if p.finished_at is not None:
                    started = p.finished_at - timedelta(minutes=15)
                    finished.append(
                        (p.id, "core-basics", "completed", 0, None, sqlite_datetime(started),
                         sqlite_datetime(p.finished_at))
                    )  # fmt: skip
            connection.execute("BEGIN")
            connection.executemany(_insert("users", USER_COLUMNS), users)
            connection.executemany(_insert("due_messages", DUE_COLUMNS), dues)
            connection.executemany(_insert("routine_sessions", SESSION_COLUMNS), finished)
            connection.execute("COMMIT")
            people += len(users)
            sessions += len(finished)
        connection.execute("PRAGMA journal_mode=WAL")
        return people, sessions
    finally:
        connection.close()


# -- PostgreSQL: COPY --


def asyncpg_dsn(url: str) -> str:
    """A SQLAlchemy `postgresql+asyncpg://` URL as a plain libpq DSN for asyncpg."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _load_postgres(url: str, chunks: Iterator[list[Person]]) -> tuple[int, int]:
    connection = await asyncpg.connect(asyncpg_dsn(url))
    try:
        if await connection.fetchval("SELECT count(*) FROM users"):
            raise SystemExit("users is not empty: load into an empty database")
        # The rows are consistent by construction: skip the per-row foreign-key triggers.
        await connection.execute("SET session_replication_role = replica")
        people = sessions = 0
        for chunk in chunks:
            users, dues, finished = [], [], []
            for p in chunk:
                telegram_id = 1_000_000_000 + p.id
                users.append(
                    (p.id, telegram_id, telegram_id, "active", p.zone, p.at,
                     p.enrolled_at + timedelta(minutes=2), p.enrolled_at + timedelta(minutes=5),
                     1, p.enrolled_at, p.days, False, None)
                )  # fmt: skip
                dues.append((p.id, p.id, KIND, p.due.due_at, p.due.local_date))
                weekly = p.summary
                summary_id = SUMMARY_ID_OFFSET + p.id
                dues.append((summary_id, p.id, SUMMARY_KIND, weekly.due_at, weekly.local_date))
                if p.finished_at is not None:
                    started = p.finished_at - timedelta(minutes=15)
                    finished.append(
                        (p.id, "core-basics", "completed", 0, None, started, p.finished_at)
                    )
            async with connection.transaction():
                await connection.copy_records_to_table("users", records=users, columns=USER_COLUMNS)
                await connection.copy_records_to_table(
                    "due_messages", records=dues, columns=DUE_COLUMNS
                )
                await connection.copy_records_to_table(
                    "routine_sessions", records=finished, columns=SESSION_COLUMNS
                )
            people += len(users)
            sessions += len(finished)
        await connection.execute("SET session_replication_role = DEFAULT")
        for table in ("users", "due_messages"):
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        # What autovacuum would have done by the time a real database held this many rows.
        for table in ("users", "due_messages", "routine_sessions", "sent_messages"):
            await connection.execute(f"VACUUM ANALYZE {table}")
        return people, sessions
    finally:
        await connection.close()


async def populate(
    url: str,
    people: int,
    *,
    now: datetime,
    hot: int = 0,
    hot_at: datetime | None = None,
    seed: int = 1,
    session_fraction: float = 0.5,
) -> LoadReport:
    """Create the schema at head (Alembic) and load `people` people into it."""
    started = time.perf_counter()
    await asyncio.to_thread(upgrade_database, url)
    memo: dict[ReminderPlan, Occurrence] = {}
    chunks = generate(
        people, now, hot=hot, hot_at=hot_at, seed=seed, session_fraction=session_fraction,
        plans=memo,
    )  # fmt: skip
    if make_url(url).get_backend_name() == "sqlite":
        database = make_url(url).database
        assert database, "a file database is needed"
        loaded, sessions = await asyncio.to_thread(_load_sqlite, database, chunks)
    else:
        loaded, sessions = await _load_postgres(url, chunks)
    dues = [occurrence.due_at for occurrence in memo.values()]
    return LoadReport(
        people=loaded,
        hot=hot,
        sessions=sessions,
        distinct_plans=len(memo),
        seconds=time.perf_counter() - started,
        earliest_due=min(dues),
        latest_due=max(dues),
    )


def _instant(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError("give an offset, e.g. 2026-11-21T03:00:00+00:00")
    return value.astimezone(UTC)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.populate", description=__doc__)
    parser.add_argument("--url", required=True, help="SQLAlchemy URL of an empty database")
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--hot", type=int, default=0, help="people due at the --hot-at instant")
    parser.add_argument("--hot-at", type=_instant, help="a whole-minute instant within 23 h")
    parser.add_argument("--now", type=_instant, help="schedule as of this instant (default: now)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--session-fraction", type=float, default=0.5)
    arguments = parser.parse_args(argv)
    now = arguments.now or datetime.now(UTC)
    report = asyncio.run(
        populate(
            arguments.url, arguments.people, now=now, hot=arguments.hot,
            hot_at=arguments.hot_at, seed=arguments.seed,
            session_fraction=arguments.session_fraction,
        )
    )  # fmt: skip
    print(report, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
