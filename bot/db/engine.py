"""Engine and session factory, with SQLite set up for concurrent, safe use."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SessionFactory = async_sessionmaker[AsyncSession]


def _tune_sqlite(dbapi_connection: Any, foreign_keys: bool) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode, NORMAL syncs at checkpoints rather than at every commit: a crash of the
    # process loses nothing; only a power cut can lose the last moments (SQLite's documented
    # trade-off). Commits then take microseconds, so the sender's two commits per reminder
    # don't hold the single write lock against people's replies.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
    # Let SQLAlchemy, not the driver, decide when a transaction begins (see _begin_immediately).
    dbapi_connection.isolation_level = None


def _begin_immediately(connection: Any) -> None:
    # SQLite has one writer. A transaction that reads and then writes fails at once with
    # SQLITE_BUSY if another connection committed in between, busy_timeout or not; taking the
    # write lock at BEGIN makes it wait its turn instead. The tick, the sender and the
    # handlers all write at the same time.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine(database_url: str, *, for_migrations: bool = False) -> AsyncEngine:
    """An async engine; SQLite connections get foreign keys, WAL and a busy timeout.

    For migrations SQLite's foreign keys are off: Alembic's batch mode rebuilds a table by
    dropping it, and with foreign keys on that drop cascades and empties every table that
    refers to it (users -> all of a person's data).
    """
    engine = create_async_engine(database_url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":

        def tune(dbapi_connection: Any, _record: Any) -> None:
            _tune_sqlite(dbapi_connection, foreign_keys=not for_migrations)

        event.listen(engine.sync_engine, "connect", tune)
        event.listen(engine.sync_engine, "begin", _begin_immediately)
    return engine


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    """Sessions that keep loaded values readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)
