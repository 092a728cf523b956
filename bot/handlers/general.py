"""Commands that work anywhere, and the kind answers to anything unexpected."""

import logging
import traceback

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ConversationHandler

from bot.flows import onboarding
from bot.flows import routine as flow
from bot.handlers import callback_data as cd
from bot.handlers.replies import pressed, say, telegram_ids
from bot.services import CoachContext

logger = logging.getLogger(__name__)


async def show_help(update: Update, context: CoachContext) -> None:
    """/help lists what the coach can do."""
    await say(update, context.services.content.texts.common.help)


async def pause_setup(update: Update, context: CoachContext) -> int:
    """/cancel during set-up: stop asking; /start carries on later."""
    await say(update, context.services.content.texts.common.setup_paused)
    return ConversationHandler.END


async def use_buttons(update: Update, context: CoachContext) -> None:
    """Text or a sticker where a button is expected: re-prompt, change nothing."""
    await say(update, context.services.content.texts.common.use_buttons)


async def answer_old_button(update: Update, context: CoachContext) -> None:
    """A press on a keyboard from an old or finished conversation."""
    query, data = pressed(update)
    common = context.services.content.texts.common
    session_id = cd.session_id_of(data)
    if session_id is None:
        await query.answer(common.button_expired)
        return
    user = await onboarding.find_user(context.services, telegram_id=telegram_ids(update)[0])
    running = user is not None and await flow.is_running(
        context.services, user_id=user.id, session_id=session_id
    )
    await query.answer(common.already_answered if running else common.session_ended)


async def not_understood(update: Update, context: CoachContext) -> None:
    """Anything else, outside any conversation."""
    await say(update, context.services.content.texts.common.not_understood)


async def report_error(update: object, context: CoachContext) -> None:
    """Log the fault (never the person's data) and tell the person, if there is one."""
    error = context.error
    where = "unknown place"
    if error is not None and error.__traceback__ is not None:
        frame = traceback.extract_tb(error.__traceback__)[-1]
        where = f"{frame.filename}:{frame.lineno} in {frame.name}"
    # The message of a database error can carry a person's answers: only the type at ERROR.
    logger.error("Error while handling an update: %s at %s", type(error).__name__, where)
    logger.debug("Details", exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await say(update, context.services.content.texts.common.error)
        except TelegramError:
            logger.warning("Could not tell the person about the error")
