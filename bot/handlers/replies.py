"""Small helpers every handler uses to read who is talking and to answer them."""

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.handlers.views import with_mark


def telegram_ids(update: Update) -> tuple[int, int]:
    """(user id, chat id) of the person behind an update."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None  # every handler here is for people in chats
    return user.id, chat.id


def pressed(update: Update) -> tuple[CallbackQuery, str]:
    """The callback query and its data."""
    query = update.callback_query
    assert query is not None and query.data is not None
    return query, query.data


async def say(update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None) -> Message:
    """Send a message (HTML) to the chat the update came from."""
    chat = update.effective_chat
    assert chat is not None
    return await chat.send_message(
        text, parse_mode=ParseMode.HTML, reply_markup=keyboard, disable_web_page_preview=True
    )


async def mark_answered(query: CallbackQuery, mark: str) -> None:
    """Show the answer under the question and take its buttons away."""
    message = query.message
    if not isinstance(message, Message) or message.text is None:
        return
    try:
        await message.edit_text(
            with_mark(message.text_html, mark), parse_mode=ParseMode.HTML, reply_markup=None
        )
    except BadRequest as error:
        # A double press edits to the same text; Telegram calls that an error, it is not one.
        if "not modified" not in str(error).lower():
            raise
