"""What every press during a routine needs: who pressed, an answer at once for the card last
shown, and a kind word for a press that came too late."""

from telegram import Update

from bot.flows import moves
from bot.flows import routine as flow
from bot.handlers import shown_steps
from bot.handlers.replies import pressed, say, telegram_ids
from bot.handlers.shown_steps import Card
from bot.services import CoachContext


async def presser_id(update: Update, context: CoachContext) -> int | None:
    """The internal id of the person who pressed; None if they are not known."""
    user = await flow.find_person(context.services, telegram_id=telegram_ids(update)[0])
    return None if user is None else user.id


async def answer_if_shown(update: Update, context: CoachContext, card: Card) -> bool:
    """Answer a press on the card last shown at once: the database will agree with it."""
    if not shown_steps.take(update, context, card):
        return False
    await pressed(update)[0].answer()
    return True


def stale_notice(context: CoachContext, stale: moves.Stale) -> str:
    common = context.services.content.texts.common
    return common.already_answered if stale.still_running else common.session_ended


async def answer_late(update: Update, answered: bool, notice: str | None = None) -> None:
    """Answer a press after the database work, unless done already; a stale press gets its
    notice as a toast, or as a message if the answer went already (should the database
    disagree with the card last shown)."""
    query = pressed(update)[0]
    if notice is None:
        if not answered:
            await query.answer()
    elif answered:
        await say(update, notice)
    else:
        await query.answer(notice)
