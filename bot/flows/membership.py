"""A person blocking the bot, and coming back."""

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import MessageKind, UserStatus
from bot.db.queries import due_messages, users
from bot.flows.schedule import reschedule_all
from bot.services import Services

_ALL_KINDS = list(MessageKind)


async def mark_blocked(session: AsyncSession, *, user_id: int) -> None:
    """No more scheduled messages for someone who blocked the bot."""
    await users.change_status(
        session, user_id=user_id, was=UserStatus.ACTIVE, becomes=UserStatus.INACTIVE
    )
    await due_messages.delete_due(session, user_id=user_id, kinds=_ALL_KINDS)


async def person_left(services: Services, *, telegram_id: int) -> None:
    """Telegram says the person blocked the bot."""
    async with services.session_factory.begin() as session:
        person = await users.get_user(session, telegram_id=telegram_id, for_update=True)
        if person is not None:
            await mark_blocked(session, user_id=person.id)


async def person_returned(services: Services, *, telegram_id: int) -> None:
    """The person unblocked the bot: an inactive programme picks up again."""
    async with services.session_factory.begin() as session:
        person = await users.get_user(session, telegram_id=telegram_id, for_update=True)
        if person is not None:
            await reactivate(session, user_id=person.id, services=services)


async def reactivate(session: AsyncSession, *, user_id: int, services: Services) -> None:
    """Someone who had blocked the bot is back: their reminders and summaries start again."""
    if await users.change_status(
        session, user_id=user_id, was=UserStatus.INACTIVE, becomes=UserStatus.ACTIVE
    ):
        person = await users.get_user_by_id(session, user_id=user_id)
        await reschedule_all(
            session,
            user_id=user_id,
            person=person,
            now=services.clock(),
            at=services.content.plan.weekly_summary_at,
        )
