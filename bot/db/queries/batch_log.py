"""The send log, written for a whole claimed batch of due messages in one statement."""

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Integer,
    String,
    Table,
    and_,
    bindparam,
    case,
    literal_column,
    null,
    select,
    true,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert
from sqlalchemy.sql.elements import BindParameter

from bot.db.enums import SendStatus
from bot.db.models import DueMessage, SentMessage, User
from bot.db.queries.id_lists import by_group, group_ends, in_order, listed, padded
from bot.db.queries.session_history import LONGEST_SESSION, finished_within


@dataclass(frozen=True, slots=True)
class SendGroup:
    """Claimed rows to queue, but where the person finished a session in [done_from, done_until)
    their message is logged as skipped."""

    due_ids: Sequence[int]
    done_from: datetime
    done_until: datetime


# A message just queued, as the sender needs it: user_id, kind, local_date, due_at, chat_id.
QueuedRow = tuple[int, str, date, datetime, int]


@dataclass(frozen=True, slots=True)
class LoggedBatch:
    """What a batch's log insert wrote (a key already logged keeps its first fate)."""

    queued: Sequence[QueuedRow]
    skipped_done: int


async def log_claimed(
    session: AsyncSession,
    *,
    sends: Sequence[SendGroup],
    late_ids: Sequence[int],
    now: datetime,
    always_ids: Sequence[int] = (),
) -> LoggedBatch:
    """Log the fates of claimed due rows in one statement, before they move on. Rows in
    `always_ids` (check-ins) are queued whatever the day held."""
    if not sends and not late_ids and not always_ids:
        return LoggedBatch([], 0)
    # One list: the send groups, then the rows sent always, then the late ones (in no group).
    ids, ends = in_order([*(group.due_ids for group in sends), always_ids, late_ids])
    slots = padded(len(sends))
    params: dict[str, object] = {"now": now, "ids": ids, **group_ends(ends[: len(sends)], slots)}
    params |= {"sends_end": ends[len(sends) - 1] if sends else 0, "always_end": ends[len(sends)]}
    for n in range(slots):
        group = sends[min(n, len(sends) - 1)]
        params |= {f"from_{n}": group.done_from, f"until_{n}": group.done_until}
        params[f"started_{n}"] = group.done_from - LONGEST_SESSION
    statement = _log(session.get_bind().dialect.name, slots, always=bool(always_ids))
    rows = (await session.execute(statement, params)).all()
    # A batch has a few due times: each is made aware once, not once per row.
    instants: dict[datetime, datetime] = {}
    queued = [
        (user_id, kind, day, instants.get(at) or instants.setdefault(at, _utc(at)), chat_id)
        for user_id, kind, day, at, chat_id, status in rows
        if status == SendStatus.QUEUED
    ]
    skipped_done = sum(1 for row in rows if row[5] == SendStatus.SKIPPED_DONE)
    return LoggedBatch(queued, skipped_done)


@functools.lru_cache(maxsize=64)
def _log(dialect: str, sends: int, *, always: bool) -> ReturningInsert[Any]:
    due = cast(Table, DueMessage.__table__)
    at = due.c.next_due_at.type

    rows = listed("ids", dialect=dialect)

    def of_send_group(name: str) -> ColumnElement[datetime]:
        """The row's send group's `name` (a bound of its local day); NULL for another row."""
        return by_group(rows.c.pos, sends, name, at) if sends else null().cast(at)

    sent_always = and_(
        rows.c.pos >= bindparam("sends_end", type_=Integer()),
        rows.c.pos < bindparam("always_end", type_=Integer()),
    )
    claimed = (
        select(
            due.c.user_id,
            due.c.kind,
            due.c.local_date,
            due.c.next_due_at,
            of_send_group("from").label("done_from"),
            of_send_group("until").label("done_until"),
            of_send_group("started").label("started_after"),
            # Only batches with a check-in or summary carry this column: reminders' statement
            # is unchanged.
            *([sent_always.label("always")] if always else []),
        )
        .select_from(rows.join(due, due.c.id == rows.c.id))
        .subquery("claimed")
    )
    # One EXISTS for every row, its bounds per row: on PostgreSQL a subplan per send group made
    # the plan look dear enough to be JIT-compiled at each execution (~200 ms).
    done = finished_within(
        claimed.c.user_id,
        start=claimed.c.done_from,
        end=claimed.c.done_until,
        started_after=claimed.c.started_after,
    )
    status = case(
        *([(claimed.c.always, _status(SendStatus.QUEUED))] if always else []),
        (claimed.c.done_from.is_(None), _status(SendStatus.SKIPPED_LATE)),
        (done, _status(SendStatus.SKIPPED_DONE)),
        else_=_status(SendStatus.QUEUED),
    )
    chosen = select(
        claimed.c.user_id,
        claimed.c.kind,
        claimed.c.local_date,
        claimed.c.next_due_at,
        status,
        bindparam("now", type_=at),
    ).where(true())  # SQLite reads an upsert's ON CONFLICT as a join's ON without a WHERE
    logged = cast(Table, SentMessage.__table__)
    person = cast(Table, User.__table__)
    # Spelled out: in RETURNING, SQLAlchemy would neither qualify nor correlate the column.
    chat_id = (
        select(person.c.chat_id)
        .where(person.c.id == literal_column("sent_messages.user_id"))
        .scalar_subquery()
    )
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert(logged)
        .from_select(["user_id", "kind", "local_date", "due_at", "status", "created_at"], chosen)
        .on_conflict_do_nothing(index_elements=["user_id", "kind", "local_date"])
        .returning(
            logged.c.user_id,
            logged.c.kind,
            logged.c.local_date,
            # As the driver reads it, made aware per distinct value above.
            type_coerce(logged.c.due_at, DateTime(timezone=True)),
            chat_id,
            type_coerce(logged.c.status, String),
        )
    )


def _utc(instant: datetime) -> datetime:
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


def _status(status: SendStatus) -> BindParameter[str]:
    return bindparam(None, status.value, type_=String())
