"""The short education items a person has been shown."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.coaching_models import EducationShown


async def list_shown(session: AsyncSession, *, user_id: int) -> dict[str, date]:
    """Each item shown to the person, with the local date it was shown."""
    result = await session.execute(
        select(EducationShown.item_key, EducationShown.shown_on).where(
            EducationShown.user_id == user_id
        )
    )
    return {key: shown_on for key, shown_on in result.all()}


async def record_shown(
    session: AsyncSession, *, user_id: int, item_key: str, shown_on: date
) -> bool:
    """Keep that an item was shown; False if it already had been."""
    try:
        async with session.begin_nested():
            session.add(EducationShown(user_id=user_id, item_key=item_key, shown_on=shown_on))
    except IntegrityError:
        return False
    return True
