"""What /progress needs, aggregated in SQL by the person's local date.

Local dates use one zone for the whole history: the person's current one. PostgreSQL converts
with `AT TIME ZONE`; SQLite knows no zones, so the zone's UTC offsets over the window are worked
out here and applied per row by a CASE over the instants where they change.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Date, case, cast, func, or_, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.coaching.adherence import DayDone
from bot.db.enums import MessageKind, PainContext, SessionStatus
from bot.db.models import PainReport, RoutineSession, SentMessage


def _offset(zone: ZoneInfo, at: datetime) -> timedelta:
    offset = at.astimezone(zone).utcoffset()
    assert offset is not None
    return offset


def offset_changes(zone: str, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """[(from this UTC instant, the zone's offset in seconds)] over [start, end]."""
    tz = ZoneInfo(zone)
    changes = [(start, int(_offset(tz, start).total_seconds()))]
    day = start
    while day < end:
        following = min(day + timedelta(days=1), end)
        if _offset(tz, following) != _offset(tz, day):
            low, high = day, following  # the change is in (low, high]: narrow it to the second
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                moved = _offset(tz, middle) != _offset(tz, low)
                low, high = (low, middle) if moved else (middle, high)
            changes.append((high, int(_offset(tz, high).total_seconds())))
        day = following
    return changes


def local_date(
    column: InstrumentedAttribute[datetime],
    *,
    zone: str,
    start: datetime,
    end: datetime,
    dialect: str,
) -> ColumnElement[date]:
    """SQL: the local date in `zone` of the UTC instant `column`, which lies in [start, end]."""
    if dialect == "postgresql":
        return cast(func.timezone(zone, column), Date)
    changes = offset_changes(zone, start, end)
    modifiers = [f"{seconds:+d} seconds" for _, seconds in changes]
    if len(changes) == 1:
        return type_coerce(func.date(column, modifiers[0]), Date)
    # Before each change the offset in force is the previous one.
    shift = case(
        *(
            (column < at, modifier)
            for (at, _), modifier in zip(changes[1:], modifiers, strict=False)
        ),
        else_=modifiers[-1],
    )
    return type_coerce(func.date(column, shift), Date)


async def list_day_statuses(
    session: AsyncSession, *, user_id: int, zone: str, since: datetime, until: datetime
) -> dict[date, DayDone]:
    """The best session (completed, else partial) of each local day with one in [since, until)."""
    day = local_date(
        RoutineSession.started_at,
        zone=zone,
        start=since,
        end=until,
        dialect=session.get_bind().dialect.name,
    )
    best = func.max(case((RoutineSession.status == SessionStatus.COMPLETED, 2), else_=1))
    result = await session.execute(
        select(day, best)
        .where(
            RoutineSession.user_id == user_id,
            RoutineSession.started_at >= since,
            RoutineSession.started_at < until,
            or_(
                RoutineSession.status == SessionStatus.COMPLETED,
                RoutineSession.status == SessionStatus.PARTIAL,
            ),
        )
        .group_by(day)
    )
    return {
        local: DayDone.COMPLETED if rank == 2 else DayDone.PARTIAL for local, rank in result.all()
    }


async def list_daily_pain(
    session: AsyncSession, *, user_id: int, zone: str, since: datetime, until: datetime
) -> list[tuple[date, float]]:
    """The average pain score (starting points left out) of each local day in [since, until),
    oldest first."""
    day = local_date(
        PainReport.reported_at,
        zone=zone,
        start=since,
        end=until,
        dialect=session.get_bind().dialect.name,
    )
    result = await session.execute(
        select(day, func.avg(PainReport.score))
        .where(
            PainReport.user_id == user_id,
            PainReport.reported_at >= since,
            PainReport.reported_at < until,
            PainReport.context != PainContext.BASELINE,
        )
        .group_by(day)
        .order_by(day)
    )
    return [(local, float(average)) for local, average in result.all()]


async def average_pain(
    session: AsyncSession, *, user_id: int, since: datetime, until: datetime
) -> float | None:
    """The average of the person's pain scores (starting points left out) in [since, until)."""
    result = await session.execute(
        select(func.avg(PainReport.score)).where(
            PainReport.user_id == user_id,
            PainReport.reported_at >= since,
            PainReport.reported_at < until,
            PainReport.context != PainContext.BASELINE,
        )
    )
    average = result.scalar_one_or_none()
    return None if average is None else float(average)


async def last_reminder_date(session: AsyncSession, *, user_id: int) -> date | None:
    """The local date of the latest daily reminder written for the person, if any."""
    result = await session.execute(
        select(func.max(SentMessage.local_date)).where(
            SentMessage.user_id == user_id, SentMessage.kind == MessageKind.DAILY_REMINDER
        )
    )
    return result.scalar_one_or_none()
