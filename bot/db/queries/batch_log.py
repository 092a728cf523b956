"""The send log, written for a whole claimed batch of due messages in one statement."""

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Integer, String, Table, bindparam, case, select, true, type_coerce
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert
from sqlalchemy.sql.elements import BindParameter

from bot.db.enums import SendStatus
from bot.db.models import DueMessage, SentMessage
from bot.db.queries.id_lists import in_order, listed


async def log_claimed(
    session: AsyncSession, *, queued_ids: Sequence[int], late_ids: Sequence[int], now: datetime
) -> list[tuple[int, str]]:
    """Log claimed due rows in one statement, before they move on: `queued_ids` as queued,
    `late_ids` as skipped for lateness. Returns (user_id, kind) of each row queued; a key
    already logged keeps its first fate. Whether the day is done is for the sender to decide,
    when each message's turn comes."""
    if not queued_ids and not late_ids:
        return []
    ids, ends = in_order([queued_ids, late_ids])
    params = {"now": now, "ids": ids, "queued_end": ends[0]}
    rows = (await session.execute(_log(session.get_bind().dialect.name), params)).all()
    return [(user_id, kind) for user_id, kind, status in rows if status == SendStatus.QUEUED]


@functools.cache
def _log(dialect: str) -> ReturningInsert[Any]:
    due = cast(Table, DueMessage.__table__)
    rows = listed("ids", dialect=dialect)
    status = case(
        (rows.c.pos < bindparam("queued_end", type_=Integer()), _status(SendStatus.QUEUED)),
        else_=_status(SendStatus.SKIPPED_LATE),
    )
    chosen = (
        select(
            due.c.user_id,
            due.c.kind,
            due.c.local_date,
            due.c.next_due_at,
            status,
            bindparam("now", type_=due.c.next_due_at.type),
        )
        .select_from(rows.join(due, due.c.id == rows.c.id))
        .where(true())  # SQLite reads an upsert's ON CONFLICT as a join's ON without a WHERE
    )
    logged = cast(Table, SentMessage.__table__)
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert(logged)
        .from_select(["user_id", "kind", "local_date", "due_at", "status", "created_at"], chosen)
        .on_conflict_do_nothing(index_elements=["user_id", "kind", "local_date"])
        # The rest of each row the tick knows from its claim: no dates to read back.
        .returning(logged.c.user_id, logged.c.kind, type_coerce(logged.c.status, String))
    )


def _status(status: SendStatus) -> BindParameter[str]:
    return bindparam(None, status.value, type_=String())
