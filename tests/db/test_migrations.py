"""Migrations keep people's data, go down and up again, and match the models exactly."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Boolean, Connection, Date, Time, bindparam, column, text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.sql import Executable
from sqlalchemy.sql.elements import BindParameter

from bot.db.due_placement import id_block
from bot.db.engine import create_engine
from bot.db.migrate import alembic_config
from bot.db.models import Base
from bot.db.types import UTCDateTime

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
DUE_AT = datetime(2026, 3, 5, 7, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
async def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database of each engine with no tables at all (not even Alembic's)."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}"
    server_url: str = request.getfixturevalue("postgres_server")
    name = f"migrations_{uuid.uuid4().hex[:12]}"
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


async def _migrate(url: str, revision: str, *, down: bool = False) -> None:
    # Alembic's env.py runs its own event loop, so it needs a thread of its own.
    step = command.downgrade if down else command.upgrade
    await asyncio.to_thread(step, alembic_config(url), revision)


@asynccontextmanager
async def _connected(url: str) -> AsyncIterator[AsyncConnection]:
    """A connection as the bot makes them (SQLite foreign keys on), closed afterwards."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            yield connection
    finally:
        await engine.dispose()


def _typed(name: str, value: object) -> BindParameter[Any]:
    if isinstance(value, datetime):
        return bindparam(name, value, type_=UTCDateTime())
    if isinstance(value, bool):
        return bindparam(name, value, type_=Boolean())
    if isinstance(value, date):
        return bindparam(name, value, type_=Date())
    if isinstance(value, time):
        return bindparam(name, value, type_=Time())
    return bindparam(name, value)


async def _insert(connection: AsyncConnection, table: str, **values: object) -> int:
    columns = ", ".join(values)
    placeholders = ", ".join(f":{name}" for name in values)
    statement = text(f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) RETURNING id")
    statement = statement.bindparams(*(_typed(name, value) for name, value in values.items()))
    return int((await connection.execute(statement)).scalar_one())


async def _a_person_at_revision_0002(url: str) -> None:
    """Someone mid-programme, written with the 0002 schema's own columns."""
    async with _connected(url) as connection:
        await _insert_a_person(connection)


async def _insert_a_person(connection: AsyncConnection) -> None:
    user_id = await _insert(
        connection,
        "users",
        telegram_id=4242,
        chat_id=4242,
        status="active",
        time_zone="Europe/Berlin",
        reminder_time=time(8),
        consented_at=NOW,
        screened_at=NOW,
        screening_pass=1,
        created_at=NOW,
    )
    await _insert(
        connection,
        "screening_answers",
        user_id=user_id,
        screening_pass=1,
        question_key="numbness",
        answer_yes=False,
        answered_at=NOW,
    )
    await _insert(
        connection,
        "routine_sessions",
        user_id=user_id,
        routine_key="gentle",
        status="completed",
        current_position=3,
        started_at=NOW,
        finished_at=NOW,
    )
    await _insert(
        connection,
        "due_messages",
        user_id=user_id,
        kind="daily_reminder",
        next_due_at=DUE_AT,
        local_date=date(2026, 3, 5),
        attempts=0,
    )
    await connection.commit()


async def _what_is_kept(url: str) -> dict[str, list[tuple[Any, ...]]]:
    # SQLite hands dates back as text; read those columns as the models do.
    due = text("SELECT kind, next_due_at, local_date FROM due_messages").columns(
        column("kind"), column("next_due_at", UTCDateTime()), column("local_date", Date())
    )
    queries: dict[str, Executable] = {
        "users": text("SELECT telegram_id, status, time_zone FROM users"),
        "screening_answers": text("SELECT question_key, screening_pass FROM screening_answers"),
        "routine_sessions": text("SELECT routine_key, status FROM routine_sessions"),
        "due_messages": due,
    }
    async with _connected(url) as connection:
        return {
            table: [tuple(row) for row in await connection.execute(query)]
            for table, query in queries.items()
        }


EVERYTHING = {
    "users": [(4242, "active", "Europe/Berlin")],
    "screening_answers": [("numbness", 1)],
    "routine_sessions": [("gentle", "completed")],
    "due_messages": [("daily_reminder", DUE_AT, date(2026, 3, 5))],
}


async def test_upgrading_to_head_keeps_every_person_s_data(empty_database_url: str) -> None:
    await _migrate(empty_database_url, "0002")
    await _a_person_at_revision_0002(empty_database_url)

    await _migrate(empty_database_url, "head")

    assert await _what_is_kept(empty_database_url) == EVERYTHING
    async with _connected(empty_database_url) as connection:
        settings = await connection.execute(
            text("SELECT reminder_days, reminders_paused, reminders_resume_on FROM users")
        )
        assert [tuple(row) for row in settings] == [("0123456", False, None)]


async def test_downgrading_to_0002_and_upgrading_again_keeps_the_data(
    empty_database_url: str,
) -> None:
    await _migrate(empty_database_url, "0002")
    await _a_person_at_revision_0002(empty_database_url)
    await _migrate(empty_database_url, "head")

    await _migrate(empty_database_url, "0002", down=True)
    after_downgrade = await _what_is_kept(empty_database_url)
    await _migrate(empty_database_url, "head")

    assert after_downgrade == EVERYTHING
    assert await _what_is_kept(empty_database_url) == EVERYTHING


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_the_models_match_the_migrations(database_url: str) -> None:
    async with _connected(database_url) as connection:
        differences = await connection.run_sync(_differences)
    assert differences == []


async def _due_row_id(url: str) -> int:
    async with _connected(url) as connection:
        return int((await connection.execute(text("SELECT id FROM due_messages"))).scalar_one())


async def test_upgrading_places_a_due_row_by_its_time_of_day_on_sqlite_only(
    empty_database_url: str,
) -> None:
    await _migrate(empty_database_url, "0002")
    await _a_person_at_revision_0002(empty_database_url)
    serial_id = await _due_row_id(empty_database_url)

    await _migrate(empty_database_url, "head")
    upgraded = await _due_row_id(empty_database_url)
    await _migrate(empty_database_url, "0006", down=True)
    await _migrate(empty_database_url, "head")

    if empty_database_url.startswith("sqlite"):
        assert upgraded in id_block(DUE_AT)
    else:
        assert upgraded == serial_id
    assert await _due_row_id(empty_database_url) == upgraded
    assert await _what_is_kept(empty_database_url) == EVERYTHING
