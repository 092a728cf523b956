"""The tick's batches of due messages, set-based: claimed grouped by plan, moved on at once.

Each statement is built once per shape and reused, its id lists bound as one parameter each:
building and compiling a statement per batch cost more than running it.
"""

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, cast

from sqlalchemy import (
    Delete,
    Integer,
    Select,
    Table,
    Update,
    bindparam,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import MessageKind, UserStatus
from bot.db.models import DueMessage, User
from bot.db.queries.id_lists import (
    by_group,
    due_id_in,
    due_table,
    group_ends,
    in_order,
    listed,
    padded,
)


@dataclass(frozen=True, slots=True)
class DueGroup:
    """Claimed rows due at one instant under one plan: one decision holds for all of them."""

    # The claimed rows, their people and those people's chats, in one order.
    due_ids: list[int]
    user_ids: list[int]
    chat_ids: list[int]
    kind: MessageKind
    due_at: datetime
    local_date: date
    status: UserStatus
    time_zone: str | None
    reminder_time: time | None
    reminder_days: str
    reminders_paused: bool
    reminders_resume_on: date | None
    summary_weekday: int | None


@dataclass(frozen=True, slots=True)
class Advance:
    """Move claimed rows to one next occurrence."""

    due_ids: Sequence[int]
    due_at: datetime
    local_date: date


async def claim_due_groups(session: AsyncSession, *, now: datetime, limit: int) -> list[DueGroup]:
    """Lock up to `limit` due rows, earliest first, until the transaction ends; grouped by plan.

    On PostgreSQL rows another dispatcher holds are skipped (`FOR UPDATE SKIP LOCKED`); once it
    commits they are advanced and no longer due. SQLite has one writer at a time anyway.
    """
    postgres = _dialect(session) == "postgresql"
    rows = await session.execute(_claim(postgres), {"now": now, "limit": limit})
    listed = list if postgres else json.loads
    return [
        DueGroup(
            due_ids=listed(row[0]),
            user_ids=listed(row[1]),
            chat_ids=listed(row[2]),
            kind=MessageKind(row.kind),
            due_at=row.next_due_at,
            local_date=row.local_date,
            status=row.status,
            time_zone=row.time_zone,
            reminder_time=row.reminder_time,
            reminder_days=row.reminder_days,
            reminders_paused=row.reminders_paused,
            reminders_resume_on=row.reminders_resume_on,
            summary_weekday=row.summary_weekday,
        )
        for row in rows
    ]


async def advance_due(session: AsyncSession, *, advances: Sequence[Advance]) -> None:
    """Move claimed rows to their next occurrences: one statement, the rows listed destination
    after destination."""
    if not advances:
        return
    ids, ends = in_order([advance.due_ids for advance in advances])
    slots = padded(len(advances))
    params: dict[str, object] = {"ids": ids, **group_ends(ends, slots)}
    for n in range(slots):
        advance = advances[min(n, len(advances) - 1)]
        params |= {f"at_{n}": advance.due_at, f"date_{n}": advance.local_date}
    await session.execute(_advance(_dialect(session), slots), params)


async def delete_due_rows(session: AsyncSession, *, due_ids: Sequence[int]) -> None:
    """Drop claimed rows that have no next occurrence."""
    if due_ids:
        await session.execute(_delete(_dialect(session)), {"ids": due_ids})


async def earliest_due(session: AsyncSession) -> datetime | None:
    """When the next row falls due (None when nothing is scheduled)."""
    return (await session.execute(select(func.min(DueMessage.next_due_at)))).scalar_one()


@functools.cache
def _claim(postgres: bool) -> Select[Any]:
    due = due_table()
    claim = (
        select(due.c.id, due.c.user_id, due.c.kind, due.c.next_due_at, due.c.local_date)
        .where(due.c.next_due_at <= bindparam("now", type_=due.c.next_due_at.type))
        .order_by(due.c.next_due_at, due.c.id)
        .limit(bindparam("limit", type_=Integer()))
    )
    if postgres:
        claim = claim.with_for_update(skip_locked=True)
    claimed = claim.cte("claimed")
    person = cast(Table, User.__table__)
    shared = (
        claimed.c.kind,
        claimed.c.next_due_at,
        claimed.c.local_date,
        person.c.status,
        person.c.time_zone,
        person.c.reminder_time,
        person.c.reminder_days,
        person.c.reminders_paused,
        person.c.reminders_resume_on,
        person.c.summary_weekday,
    )
    # Aggregates of one group see its rows in one order: the three lists line up.
    aggregate = func.array_agg if postgres else func.json_group_array
    lists = (aggregate(claimed.c.id), aggregate(claimed.c.user_id), aggregate(person.c.chat_id))
    return (
        select(*lists, *shared)
        .join_from(claimed, person, person.c.id == claimed.c.user_id)
        .group_by(*shared)
    )


@functools.lru_cache(maxsize=256)
def _advance(dialect: str, destinations: int) -> Update:
    due = due_table()
    rows = listed("ids", dialect=dialect)
    at_type, date_type = due.c.next_due_at.type, due.c.local_date.type
    moves = select(
        rows.c.id,
        by_group(rows.c.pos, destinations, "at", at_type).label("due_at"),
        by_group(rows.c.pos, destinations, "date", date_type).label("local_date"),
    ).subquery("moves")
    return (
        update(due)
        .where(due.c.id == moves.c.id)
        .values(next_due_at=moves.c.due_at, local_date=moves.c.local_date)
    )


@functools.cache
def _delete(dialect: str) -> Delete:
    return delete(due_table()).where(due_id_in("ids", dialect=dialect))


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name
