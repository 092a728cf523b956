"""Telegram telling us a person blocked the bot, or came back."""

from telegram import ChatMember, Update

from bot.flows import membership
from bot.services import CoachContext


async def member_changed(update: Update, context: CoachContext) -> None:
    """Blocked: stop their reminders. Unblocked: pick their programme up again."""
    change = update.my_chat_member
    if change is None or change.from_user is None:
        return
    telegram_id = change.from_user.id
    if change.new_chat_member.status == ChatMember.BANNED:
        await membership.person_left(context.services, telegram_id=telegram_id)
    elif change.new_chat_member.status == ChatMember.MEMBER:
        await membership.person_returned(context.services, telegram_id=telegram_id)
