"""Everything the database holds of one person: their history, an export, and erasure.

Which rows are a person's is decided per table from its columns (`owned_rows`): `users.id`,
a `user_id`, a `session_id` of one of their sessions, or the Telegram id of a conversation
state. A table with none of these is refused, so a new table cannot be silently left out.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import PainContext
from bot.db.models import Base, PainReport, RoutineSession, StepResult


def owned_rows(table: Table, *, user_id: int, telegram_id: int) -> ColumnElement[bool]:
    """SQL: the rows of `table` that belong to the person."""
    columns = table.c
    if table.name == "users":
        return columns.id == user_id
    if "user_id" in columns:
        return columns.user_id == user_id
    if "session_id" in columns:
        theirs = select(RoutineSession.id).where(RoutineSession.user_id == user_id)
        return columns.session_id.in_(theirs.scalar_subquery())
    if "user_telegram_id" in columns:
        return columns.user_telegram_id == telegram_id
    raise LookupError(f"no way to tell whose rows {table.name} holds")


async def list_owned_rows(
    session: AsyncSession, *, user_id: int, telegram_id: int
) -> dict[str, list[dict[str, Any]]]:
    """Every row of the person in every table (not the bot's conversation states), by table."""
    found: dict[str, list[dict[str, Any]]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name == "conversation_states":
            continue
        statement = (
            select(table)
            .where(owned_rows(table, user_id=user_id, telegram_id=telegram_id))
            .order_by(*table.primary_key.columns)
        )
        result = await session.execute(statement)
        found[table.name] = [dict(row) for row in result.mappings()]
    return found


async def delete_person(session: AsyncSession, *, user_id: int, telegram_id: int) -> None:
    """Delete every row of the person, dependent tables first (no trust in cascades)."""
    for table in reversed(Base.metadata.sorted_tables):
        await session.execute(
            delete(table).where(owned_rows(table, user_id=user_id, telegram_id=telegram_id))
        )


async def delete_conversation_states(session: AsyncSession, *, telegram_id: int) -> None:
    """Forget the conversation states of someone with no user row (yet)."""
    table = Base.metadata.tables["conversation_states"]
    await session.execute(delete(table).where(table.c.user_telegram_id == telegram_id))


async def list_sessions(
    session: AsyncSession, *, user_id: int, limit: int | None = None
) -> list[tuple[RoutineSession, int | None]]:
    """The person's sessions with their after-session pain score, newest first."""
    statement = (
        select(RoutineSession, PainReport.score)
        .outerjoin(
            PainReport,
            (PainReport.session_id == RoutineSession.id)
            & (PainReport.context == PainContext.AFTER_SESSION),
        )
        .where(RoutineSession.user_id == user_id)
        .order_by(RoutineSession.started_at.desc(), RoutineSession.id.desc())
        .limit(limit)
    )
    result = await session.execute(statement)
    return [(routine_session, score) for routine_session, score in result.all()]


async def list_step_results(session: AsyncSession, *, user_id: int) -> Sequence[StepResult]:
    """The person's step results, in the order they were recorded."""
    result = await session.execute(
        select(StepResult)
        .join(RoutineSession, StepResult.session_id == RoutineSession.id)
        .where(RoutineSession.user_id == user_id)
        .order_by(StepResult.recorded_at, StepResult.id)
    )
    return result.scalars().all()


async def list_pain_reports(session: AsyncSession, *, user_id: int) -> Sequence[PainReport]:
    """The person's pain reports (baseline and after sessions), oldest first."""
    result = await session.execute(
        select(PainReport)
        .where(PainReport.user_id == user_id)
        .order_by(PainReport.reported_at, PainReport.id)
    )
    return result.scalars().all()
