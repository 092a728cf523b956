"""When the tick next needs the database: the earliest due time this process knows of."""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import SessionFactory

# Other processes (more dispatchers, on PostgreSQL) schedule rows this one hears nothing of:
# it reads the earliest due time again at least this often, which bounds how late it sees them.
REREAD = timedelta(seconds=60)
_WATCH = "due_watch"
_PENDING = "due_watch_pending"


class DueWatch:
    """The earliest `next_due_at` known: the tick skips the database until the clock gets there.

    The tick reports what it read; code that schedules a row in this process lowers it, once
    the row is committed (`announce_due`), so a nearer reminder is not held back.
    """

    def __init__(self, *, reread: timedelta = REREAD) -> None:
        self._reread = reread
        # None: look at the next tick.
        self._look_at: datetime | None = None
        self._lowered: datetime | None = None

    def lower(self, due_at: datetime) -> None:
        """A row due at `due_at` was committed."""
        if self._lowered is None or due_at < self._lowered:
            self._lowered = due_at

    def needs_look(self, now: datetime) -> bool:
        """Whether the tick at `now` must look at the database."""
        return (
            self._look_at is None
            or now >= self._look_at
            or (self._lowered is not None and now >= self._lowered)
        )

    def looking(self) -> None:
        """A tick starts reading: rows committed before now are in what it will read."""
        self._look_at = None
        self._lowered = None

    def looked(self, *, earliest: datetime | None, now: datetime) -> None:
        """What the tick read: the earliest due row (None: none at all), as of `now`."""
        reread = now + self._reread
        self._look_at = reread if earliest is None else min(earliest, reread)


def share_watch(session_factory: SessionFactory, watch: DueWatch) -> None:
    """Let every session from `session_factory` tell `watch` of the rows it schedules."""
    info = dict(session_factory.kw.get("info") or {})
    info[_WATCH] = watch
    session_factory.configure(info=info)


def announce_due(session: AsyncSession, due_at: datetime) -> None:
    """Once `session` commits, tell this process's watch (if any) of a row due at `due_at`."""
    info = session.info
    if not isinstance(info.get(_WATCH), DueWatch):
        return
    pending = info.get(_PENDING)
    if pending is None or due_at < pending:
        info[_PENDING] = due_at
    target = session.sync_session
    if not event.contains(target, "after_commit", _tell_watch):
        event.listen(target, "after_commit", _tell_watch)


def _tell_watch(session: Any) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: the row is not committed yet
    due_at = session.info.pop(_PENDING, None)
    if due_at is not None:
        session.info[_WATCH].lower(due_at)
