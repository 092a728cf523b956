"""SQLite's write-ahead log, copied back into the database file beside the work, not inside it.

Left to itself, SQLite copies the log back (a checkpoint) in whichever commit finds it past
1,000 pages: that commit then writes and syncs megabytes, and the reminder tick's commits, which
touch pages all over the file, are the ones that find it. Measured with 1,000,000 people, those
checkpoints were a third of a typical minute's tick. So the running bot checkpoints in a thread
of its own every second, and commits only do it past `FALLBACK_PAGES`, should that thread fall
behind or not run (a one-off command, a test).
"""

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing

from sqlalchemy.engine import make_url

logger = logging.getLogger(__name__)

# Pages (4 KiB each) a commit lets the log grow to before it checkpoints itself: 64 MiB.
FALLBACK_PAGES = 16_384
CHECKPOINT_SECONDS = 1.0


def database_file(database_url: str) -> str | None:
    """The SQLite file behind `database_url`; None for PostgreSQL or an in-memory database."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return url.database


@asynccontextmanager
async def background_checkpoints(
    database_url: str, *, every: float = CHECKPOINT_SECONDS
) -> AsyncIterator[None]:
    """While open, checkpoint the SQLite log every `every` seconds in a worker thread (nothing
    for PostgreSQL). A passive checkpoint: it never waits for, or blocks, a reader or writer."""
    path = database_file(database_url)
    if path is None:
        yield
        return
    stop = asyncio.Event()
    # Used by one worker thread at a time, never two at once.
    connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    task = asyncio.create_task(_checkpoint_until(stop, connection, every))
    try:
        yield
    finally:
        stop.set()
        await task  # a checkpoint under way finishes before its connection closes
        connection.close()


async def _checkpoint_until(
    stop: asyncio.Event, connection: sqlite3.Connection, every: float
) -> None:
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), timeout=every)
        except TimeoutError:
            try:
                await asyncio.to_thread(checkpoint, connection)
            except sqlite3.Error as error:  # e.g. the file went away; the commits' fallback stays
                logger.warning("Background checkpoint failed: %s", type(error).__name__)


def checkpoint(connection: sqlite3.Connection) -> None:
    """Copy what the log holds back into the database file, as far as readers allow."""
    with closing(connection.execute("PRAGMA wal_checkpoint(PASSIVE)")) as cursor:
        cursor.fetchone()
