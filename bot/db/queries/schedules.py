"""Reading every active person's schedule settings with their pending message of one kind, page
by page."""

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import MessageKind, UserStatus
from bot.db.models import DueMessage, User


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    """A person's schedule settings and their pending message of one kind, if any."""

    user_id: int
    status: UserStatus
    time_zone: str | None
    reminder_time: time | None
    reminder_days: str
    reminders_paused: bool
    reminders_resume_on: date | None
    summary_weekday: int | None
    next_due_at: datetime | None
    local_date: date | None


async def list_schedules_page(
    session: AsyncSession, *, kind: MessageKind, after_user_id: int, limit: int
) -> list[ScheduleRow]:
    """Active people with an id above `after_user_id`, by id, with their pending `kind`."""
    pending = and_(DueMessage.user_id == User.id, DueMessage.kind == kind.value)
    statement = (
        select(
            User.id.label("user_id"),
            User.status,
            User.time_zone,
            User.reminder_time,
            User.reminder_days,
            User.reminders_paused,
            User.reminders_resume_on,
            User.summary_weekday,
            DueMessage.next_due_at,
            DueMessage.local_date,
        )
        .outerjoin(DueMessage, pending)
        .where(User.id > after_user_id, User.status == UserStatus.ACTIVE)
        .order_by(User.id)
        .limit(limit)
    )
    return [ScheduleRow(**row._asdict()) for row in (await session.execute(statement)).all()]
