"""People: creation, consent, screening answers and schedule settings."""

from datetime import datetime, time

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import UserStatus
from bot.db.models import ScreeningAnswer, User


async def get_user(
    session: AsyncSession, *, telegram_id: int, for_update: bool = False
) -> User | None:
    """The person with this Telegram id, if we know them (locked for the transaction if asked)."""
    statement = select(User).where(User.telegram_id == telegram_id)
    if for_update:
        statement = statement.with_for_update()
    result = await session.execute(statement.execution_options(populate_existing=True))
    return result.scalar_one_or_none()


async def ensure_user(
    session: AsyncSession, *, telegram_id: int, chat_id: int, now: datetime
) -> User:
    """The person with this Telegram id, created on first contact; never overwritten."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(User)
        .values(
            telegram_id=telegram_id,
            chat_id=chat_id,
            status=UserStatus.ONBOARDING,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=[User.telegram_id])
    )
    await session.execute(statement)
    user = await get_user(session, telegram_id=telegram_id)
    assert user is not None  # inserted or already there
    return user


async def record_consent(session: AsyncSession, *, user_id: int, now: datetime) -> None:
    """The person accepted what the coach is and is not."""
    await session.execute(update(User).where(User.id == user_id).values(consented_at=now))


async def begin_screening_pass(session: AsyncSession, *, user_id: int) -> None:
    """Start a new run through the red-flag questions; older buttons stop counting."""
    await session.execute(
        update(User).where(User.id == user_id).values(screening_pass=User.screening_pass + 1)
    )


async def list_pass_answers(session: AsyncSession, *, user: User) -> list[ScreeningAnswer]:
    """The answers given in the person's current screening pass, in order."""
    result = await session.execute(
        select(ScreeningAnswer)
        .where(
            ScreeningAnswer.user_id == user.id,
            ScreeningAnswer.screening_pass == user.screening_pass,
        )
        .order_by(ScreeningAnswer.id)
    )
    return list(result.scalars())


async def record_screening_answer(
    session: AsyncSession, *, user: User, question_key: str, answer_yes: bool, now: datetime
) -> None:
    """One red-flag answer, kept as given, in the current pass."""
    session.add(
        ScreeningAnswer(
            user_id=user.id,
            screening_pass=user.screening_pass,
            question_key=question_key,
            answer_yes=answer_yes,
            answered_at=now,
        )
    )
    await session.flush()


async def mark_screened(
    session: AsyncSession, *, user_id: int, now: datetime, status: UserStatus
) -> None:
    """Screening finished: `referred` after any Yes, otherwise onboarding continues."""
    await session.execute(
        update(User).where(User.id == user_id).values(screened_at=now, status=status)
    )


async def set_reminder_time(session: AsyncSession, *, user_id: int, reminder_time: time) -> None:
    """The local time of the daily reminder."""
    await session.execute(
        update(User).where(User.id == user_id).values(reminder_time=reminder_time)
    )


async def activate_user(session: AsyncSession, *, user_id: int, time_zone: str) -> None:
    """Set-up finished: the programme starts."""
    await session.execute(
        update(User).where(User.id == user_id).values(time_zone=time_zone, status=UserStatus.ACTIVE)
    )


async def update_reminder_settings(
    session: AsyncSession, *, user_id: int, **settings: object
) -> None:
    """Change any of reminder_time, reminder_days, time_zone, reminders_paused,
    reminders_resume_on and summary_weekday."""
    allowed = {
        "reminder_time",
        "reminder_days",
        "time_zone",
        "reminders_paused",
        "reminders_resume_on",
        "summary_weekday",
    }
    unknown = set(settings) - allowed
    if unknown:
        raise ValueError(f"not reminder settings: {sorted(unknown)}")
    await session.execute(update(User).where(User.id == user_id).values(**settings))


async def get_user_by_id(session: AsyncSession, *, user_id: int) -> User:
    """The person with this internal id (who must exist)."""
    result = await session.execute(
        select(User).where(User.id == user_id).execution_options(populate_existing=True)
    )
    return result.scalar_one()


async def find_user_by_id(session: AsyncSession, *, user_id: int) -> User | None:
    """The person with this internal id, or None if they have been erased (/delete)."""
    result = await session.execute(
        select(User).where(User.id == user_id).execution_options(populate_existing=True)
    )
    return result.scalar_one_or_none()


async def change_status(
    session: AsyncSession, *, user_id: int, was: UserStatus, becomes: UserStatus
) -> bool:
    """Move the person from one status to another; False if they were not in `was`."""
    result = await session.execute(
        update(User).where(User.id == user_id, User.status == was).values(status=becomes)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
