"""Engine and session factory, with SQLite set up for concurrent, safe use."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.util import await_only

from bot.db.wal import FALLBACK_PAGES

SessionFactory = async_sessionmaker[AsyncSession]

_READ_ONLY = "backcoach_read_only"
# PostgreSQL refuses writes in a read-only session itself (BEGIN READ ONLY); SQLite: below.
_READ_ONLY_OPTIONS = {_READ_ONLY: True, "postgresql_readonly": True}
_READS = ("SELECT", "BEGIN")


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
    # The running bot checkpoints in a thread of its own (bot/db/wal.py); commits only past this.
    cursor.execute(f"PRAGMA wal_autocheckpoint={FALLBACK_PAGES}")
    cursor.close()
    # Let SQLAlchemy, not the driver, decide when a transaction begins (see _WriteTurns).
    dbapi_connection.isolation_level = None


def _is_read_only(connection: Connection) -> bool:
    return bool(connection.get_execution_options().get(_READ_ONLY))


def _refuse_writes(connection: Connection, _cursor: Any, statement: str, *_: Any) -> None:
    if _is_read_only(connection) and not statement.lstrip().upper().startswith(_READS):
        raise InvalidRequestError("a read-only session may not write")


class _WriteTurns:
    """SQLite's one write lock, handed to transactions in the order they ask for it.

    SQLite has one writer. A transaction that reads and then writes fails at once with
    SQLITE_BUSY if another connection committed in between, busy_timeout or not; taking the
    write lock at BEGIN IMMEDIATE makes it wait its turn instead. Left to SQLite, waiters poll
    (sleeping up to 100 ms, unfairly) and give up after busy_timeout; queueing them on a FIFO
    asyncio.Lock first means the write lock is free when they ask. Read-only sessions take a
    plain deferred BEGIN: in WAL mode they read a snapshot and never wait for a writer.
    """

    def __init__(self) -> None:
        # Made in the loop that uses it: an engine can outlive a loop (tests, migrations).
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._holder: tuple[object, object] | None = None  # (Connection, DBAPI connection)

    def begin(self, connection: Connection) -> None:
        """The `begin` hook: wait for the turn, then BEGIN IMMEDIATE (plain BEGIN to read)."""
        if _is_read_only(connection):
            connection.exec_driver_sql("BEGIN")
            return
        loop = asyncio.get_running_loop()
        if self._lock is None or self._loop is not loop:
            self._lock, self._loop, self._holder = asyncio.Lock(), loop, None
        await_only(self._lock.acquire())
        self._holder = (connection, connection.connection.dbapi_connection)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            self.end(connection)
            raise

    def end(self, owner: object, *_: Any) -> None:
        """The transaction of `owner` (a Connection or its DBAPI connection) is over."""
        if self._holder is None or not any(owner is held for held in self._holder):
            return
        self._holder = None
        assert self._lock is not None and self._loop is not None
        try:
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._lock.release()
        elif not self._loop.is_closed():  # garbage collection, in another thread
            self._loop.call_soon_threadsafe(self._lock.release)

    def listen(self, engine: AsyncEngine) -> None:
        """Hand the turn back however the transaction ends: commit, rollback (also the one
        after a failed commit), return to the pool, or invalidation of a lost connection."""
        sync_engine = engine.sync_engine
        event.listen(sync_engine, "begin", self.begin)
        for name in ("commit", "rollback", "reset", "invalidate"):
            event.listen(sync_engine, name, self.end)


def create_engine(database_url: str, *, for_migrations: bool = False) -> AsyncEngine:
    """An async engine; SQLite connections get foreign keys, WAL and a busy timeout.

    For migrations SQLite's foreign keys are off: Alembic's batch mode rebuilds a table by
    dropping it, and with foreign keys on that drop cascades and empties every table that
    refers to it (users -> all of a person's data).
    """
    if make_url(database_url).get_backend_name() != "sqlite":
        # A round trip per checkout, worth it only where a server restart can drop connections.
        return create_async_engine(database_url, pool_pre_ping=True)
    engine = create_async_engine(database_url)

    def tune(dbapi_connection: Any, _record: Any) -> None:
        _tune_sqlite(dbapi_connection, foreign_keys=not for_migrations)

    event.listen(engine.sync_engine, "connect", tune)
    event.listen(engine.sync_engine, "before_cursor_execute", _refuse_writes)
    _WriteTurns().listen(engine)
    return engine


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    """Sessions that keep loaded values readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def read_only(session_factory: SessionFactory) -> AsyncIterator[AsyncSession]:
    """A session for lookups only: it never waits for a writer, and any write is refused."""
    async with session_factory() as session:
        await session.connection(execution_options=_READ_ONLY_OPTIONS)
        yield session
