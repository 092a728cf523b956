"""Scheduled messages: each person's pending row per kind, and claiming the due ones."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import MessageKind, UserStatus
from bot.db.models import DueMessage, User


@dataclass(frozen=True, slots=True)
class DueRow:
    """A claimed due message with what deciding about it needs to know of its person."""

    id: int
    user_id: int
    kind: MessageKind
    due_at: datetime
    local_date: date
    chat_id: int
    status: UserStatus
    time_zone: str | None
    reminder_time: time | None
    reminder_days: str
    reminders_paused: bool
    reminders_resume_on: date | None


@dataclass(frozen=True, slots=True)
class Advance:
    """Move a claimed row to its next occurrence."""

    due_id: int
    due_at: datetime
    local_date: date


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


async def claim_due(session: AsyncSession, *, now: datetime, limit: int) -> list[DueRow]:
    """Lock up to `limit` due rows, earliest first, until the transaction ends.

    On PostgreSQL rows another dispatcher holds are skipped (`FOR UPDATE SKIP LOCKED`); once it
    commits they are advanced and no longer due. SQLite has one writer at a time anyway.
    """
    statement = (
        select(
            DueMessage.id,
            DueMessage.user_id,
            DueMessage.kind,
            DueMessage.next_due_at,
            DueMessage.local_date,
            User.chat_id,
            User.status,
            User.time_zone,
            User.reminder_time,
            User.reminder_days,
            User.reminders_paused,
            User.reminders_resume_on,
        )
        .join(User, User.id == DueMessage.user_id)
        .where(DueMessage.next_due_at <= now)
        .order_by(DueMessage.next_due_at, DueMessage.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True, of=DueMessage)
    rows = (await session.execute(statement)).all()
    return [
        DueRow(
            id=row.id,
            user_id=row.user_id,
            kind=MessageKind(row.kind),
            due_at=row.next_due_at,
            local_date=row.local_date,
            chat_id=row.chat_id,
            status=row.status,
            time_zone=row.time_zone,
            reminder_time=row.reminder_time,
            reminder_days=row.reminder_days,
            reminders_paused=row.reminders_paused,
            reminders_resume_on=row.reminders_resume_on,
        )
        for row in rows
    ]


async def advance_due(session: AsyncSession, *, advances: Sequence[Advance]) -> None:
    """Move claimed rows to their next occurrences."""
    if not advances:
        return
    statement = (
        update(DueMessage.__table__)  # type: ignore[arg-type]
        .where(DueMessage.__table__.c.id == bindparam("due_id"))
        .values(next_due_at=bindparam("new_due_at"), local_date=bindparam("new_local_date"))
    )
    params = [
        {"due_id": a.due_id, "new_due_at": a.due_at, "new_local_date": a.local_date}
        for a in advances
    ]
    await session.execute(statement, params)


async def delete_due_rows(session: AsyncSession, *, due_ids: Sequence[int]) -> None:
    """Drop claimed rows that have no next occurrence."""
    if due_ids:
        await session.execute(delete(DueMessage).where(DueMessage.id.in_(due_ids)))


async def delete_due(session: AsyncSession, *, user_id: int, kinds: Sequence[MessageKind]) -> None:
    """Stop the person's pending messages of these kinds."""
    await session.execute(
        delete(DueMessage).where(DueMessage.user_id == user_id, DueMessage.kind.in_(kinds))
    )
