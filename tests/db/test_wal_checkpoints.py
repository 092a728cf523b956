"""The running bot copies SQLite's log back into the database file beside the work."""

import asyncio
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.db.engine import SessionFactory
from bot.db.queries import users
from bot.db.wal import FALLBACK_PAGES, background_checkpoints, database_file

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


def _people_in_the_file_itself(path: str) -> int:
    """People as the database file holds them, the log ignored (what a checkpoint copied)."""
    uri = f"{Path(path).as_uri()}?immutable=1"
    with closing(sqlite3.connect(uri, uri=True)) as connection:
        return int(connection.execute("SELECT count(*) FROM users").fetchone()[0])


async def _add_people(session_factory: SessionFactory, count: int) -> None:
    async with session_factory.begin() as session:
        for n in range(count):
            await users.ensure_user(session, telegram_id=n + 1, chat_id=n + 1, now=NOW)


async def test_commits_leave_the_log_to_the_background_checkpoints(
    session_factory: SessionFactory, database_url: str
) -> None:
    path = database_file(database_url)
    if path is None:
        pytest.skip("SQLite's log")
    async with session_factory() as session:
        fallback = (await session.execute(text("PRAGMA wal_autocheckpoint"))).scalar_one()
    await _add_people(session_factory, 3)
    assert fallback == FALLBACK_PAGES
    assert _people_in_the_file_itself(path) == 0  # still only in the log

    async with background_checkpoints(database_url, every=0.01):
        for _ in range(500):
            if _people_in_the_file_itself(path) == 3:
                break
            await asyncio.sleep(0.01)

    assert _people_in_the_file_itself(path) == 3


async def test_a_failing_checkpoint_is_logged_and_tried_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    not_a_database = tmp_path / "not-a-database.sqlite3"
    not_a_database.write_text("plain text, not SQLite")

    async with background_checkpoints(f"sqlite+aiosqlite:///{not_a_database}", every=0.01):
        for _ in range(500):
            if len(caplog.records) >= 2:
                break
            await asyncio.sleep(0.01)

    failures = [r.getMessage() for r in caplog.records if "checkpoint failed" in r.getMessage()]
    assert len(failures) >= 2
    assert str(not_a_database) not in " ".join(failures)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+asyncpg://coach@127.0.0.1:5432/backcoach",
        "sqlite+aiosqlite:///:memory:",
        "sqlite+aiosqlite://",
    ],
)
async def test_nothing_to_checkpoint_without_a_sqlite_file(url: str) -> None:
    assert database_file(url) is None
    async with background_checkpoints(url, every=0.01):
        await asyncio.sleep(0.03)
