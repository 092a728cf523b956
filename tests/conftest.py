"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL server."""

import asyncio
import itertools
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.content.loader import load_content
from bot.content.schema import Content
from bot.db.engine import SessionFactory, create_engine, create_session_factory
from bot.db.migrate import upgrade_database
from bot.db.models import Base
from bot.services import Services
from tests.pg_server import find_pg_bin, throwaway_postgres

# As `backcoach` itself does (bot/cli.py): retry_after as a timedelta, without a warning per 429.
os.environ.setdefault("PTB_TIMEDELTA", "1")

_database_numbers = itertools.count(1)


class FakeClock:
    """A clock the test moves by hand; starts on a fixed, ordinary Wednesday."""

    def __init__(self, start: datetime = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    if find_pg_bin() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL binaries are required in CI (apt-get install postgresql)")
        pytest.skip("PostgreSQL binaries not installed")
    with throwaway_postgres() as url:
        yield url


async def _create_postgres_database(server_url: str) -> str:
    name = f"test_{os.getpid()}_{next(_database_numbers)}"
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


# One migrated database per engine, reused: migrating a fresh one per test costs ~0.5 s on
# PostgreSQL (mostly CREATE DATABASE). SQLite tests get a copy of a migrated file; PostgreSQL
# tests get the one migrated database, emptied.
_MIGRATED: dict[str, str] = {}


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """An empty database of each engine, migrated to head."""
    if request.param == "sqlite":
        if "sqlite" not in _MIGRATED:
            template = tmp_path_factory.mktemp("migrated") / "head.sqlite3"
            await asyncio.to_thread(upgrade_database, f"sqlite+aiosqlite:///{template}")
            _MIGRATED["sqlite"] = str(template)
        shutil.copyfile(_MIGRATED["sqlite"], tmp_path / "test.sqlite3")
        return f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}"
    server_url: str = request.getfixturevalue("postgres_server")
    if server_url not in _MIGRATED:
        url = await _create_postgres_database(server_url)
        await asyncio.to_thread(upgrade_database, url)
        _MIGRATED[server_url] = url
        return url
    engine = create_async_engine(_MIGRATED[server_url])
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()
    return _MIGRATED[server_url]


@pytest.fixture
async def session_factory(database_url: str) -> AsyncIterator[SessionFactory]:
    engine = create_engine(database_url)
    yield create_session_factory(engine)
    await engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def services(session_factory: SessionFactory, content: Content, clock: FakeClock) -> Services:
    return Services(session_factory=session_factory, content=content, clock=clock)
