"""Scheduled messages: each person's pending row per kind (the tick's batches: due_batches)."""

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import MessageKind
from bot.db.models import DueMessage


async def schedule_due(
    session: AsyncSession, *, user_id: int, kind: MessageKind, due_at: datetime, local_date: date
) -> None:
    """Set the person's next message of this kind, replacing any pending one."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(DueMessage).values(
        user_id=user_id, kind=kind, next_due_at=due_at, local_date=local_date
    )
    statement = statement.on_conflict_do_update(
        index_elements=[DueMessage.user_id, DueMessage.kind],
        set_={
            "next_due_at": statement.excluded.next_due_at,
            "local_date": statement.excluded.local_date,
        },
    )
    await session.execute(statement)


async def get_due(session: AsyncSession, *, user_id: int, kind: MessageKind) -> DueMessage | None:
    """The person's pending message of this kind, if any."""
    statement = select(DueMessage).where(DueMessage.user_id == user_id, DueMessage.kind == kind)
    return (await session.execute(statement)).scalar_one_or_none()


async def delete_due(session: AsyncSession, *, user_id: int, kinds: Sequence[MessageKind]) -> None:
    """Stop the person's pending messages of these kinds."""
    await session.execute(
        delete(DueMessage).where(DueMessage.user_id == user_id, DueMessage.kind.in_(kinds))
    )
