"""Scheduled messages: each person's pending row per kind (the tick's batches: due_batches)."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, case, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.due_placement import id_block
from bot.db.enums import MessageKind
from bot.db.models import DueMessage


async def schedule_due(
    session: AsyncSession, *, user_id: int, kind: MessageKind, due_at: datetime, local_date: date
) -> None:
    """Set the person's next message of this kind, replacing any pending one."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    insert = sqlite_insert if sqlite else pg_insert
    values: dict[str, object] = {
        "user_id": user_id,
        "kind": kind,
        "next_due_at": due_at,
        "local_date": local_date,
    }
    block = id_block(due_at)
    if sqlite:
        values["id"] = _next_id_in(block)
    statement = insert(DueMessage).values(values)
    changes: dict[str, ColumnElement[Any]] = {
        "next_due_at": statement.excluded.next_due_at,
        "local_date": statement.excluded.local_date,
    }
    if sqlite:
        # A row already among the rows due at this time of day stays where it is.
        stays = DueMessage.id.between(block[0], block[-1])
        changes["id"] = case((stays, DueMessage.id), else_=statement.excluded.id)
    statement = statement.on_conflict_do_update(
        index_elements=[DueMessage.user_id, DueMessage.kind], set_=changes
    )
    await session.execute(statement)


def _next_id_in(block: range) -> ColumnElement[int]:
    """SQL: the id after the highest one taken in `block` (SQLite, one writer at a time)."""
    taken = select(func.max(DueMessage.id)).where(DueMessage.id.between(block[0], block[-1]))
    return func.coalesce(taken.scalar_subquery(), block[0] - 1) + 1


async def get_due(session: AsyncSession, *, user_id: int, kind: MessageKind) -> DueMessage | None:
    """The person's pending message of this kind, if any."""
    statement = select(DueMessage).where(DueMessage.user_id == user_id, DueMessage.kind == kind)
    return (await session.execute(statement)).scalar_one_or_none()


async def delete_due(session: AsyncSession, *, user_id: int, kinds: Sequence[MessageKind]) -> None:
    """Stop the person's pending messages of these kinds."""
    await session.execute(
        delete(DueMessage).where(DueMessage.user_id == user_id, DueMessage.kind.in_(kinds))
    )
