"""/history, /export and /delete: the data a person owns, to see, take away or erase.

/delete asks for a typed word. That question runs in its own handler group, before every
other, and what it answers is claimed (`claims.py`), so a typed pain score is never read as
the word and the word is never read as a pain score. Anything else cancels it.
"""

from typing import Any

from telegram import InputFile, Update
from telegram.ext import Application, ConversationHandler

from bot.flows import person_data as flow
from bot.handlers import data_views
from bot.handlers.replies import say, telegram_ids
from bot.handlers.states import CONFIRMING_DELETE
from bot.services import CoachContext

State = str | int | None
AnyApplication = Application[Any, Any, Any, Any, Any, Any]


async def show_history(update: Update, context: CoachContext) -> None:
    """/history: the last sessions, one line each."""
    content = context.services.content
    past = await flow.recent_sessions(context.services, telegram_id=telegram_ids(update)[0])
    await say(update, data_views.history(content.texts, content, past))


async def export_data(update: Update, context: CoachContext) -> None:
    """/export: the person's data as CSV files and one JSON file."""
    texts = context.services.content.texts.data
    telegram_id = telegram_ids(update)[0]
    export = await flow.export(context.services, telegram_id=telegram_id)
    if export is None:
        await say(update, texts.export_nothing)
        return
    await say(update, texts.export_intro)
    chat = update.effective_chat
    assert chat is not None
    for file in export.files:
        await chat.send_document(InputFile(file.data, filename=file.filename))
    await say(update, texts.export_columns.format(zone=export.zone))


async def ask_delete(update: Update, context: CoachContext) -> State:
    """/delete: say what will be erased and ask for the word."""
    texts = context.services.content.texts.data
    await say(update, texts.delete_explain.format(word=texts.delete_word))
    return CONFIRMING_DELETE


async def confirm_delete(update: Update, context: CoachContext) -> State:
    """The answer to /delete: the word erases everything; anything else changes nothing."""
    texts = context.services.content.texts.data
    message = update.effective_message
    typed = "" if message is None or message.text is None else message.text.strip()
    if typed.casefold() != texts.delete_word.casefold():
        await say(update, texts.delete_cancelled)
        return ConversationHandler.END
    telegram_id, chat_id = telegram_ids(update)
    # First, so that no later persistence tick writes a remembered state back.
    forget_in_memory(context.application, telegram_id=telegram_id, chat_id=chat_id)
    erased = await flow.erase(context.services, telegram_id=telegram_id)
    await say(update, texts.delete_done if erased else texts.delete_nothing)
    return ConversationHandler.END


async def cancel_delete(update: Update, context: CoachContext) -> State:
    """/cancel while asked for the word: nothing is deleted."""
    await say(update, context.services.content.texts.data.delete_cancelled)
    return ConversationHandler.END


async def step_aside(update: Update, context: CoachContext) -> State:
    """Another command or a button: drop the question; the update goes on to the others."""
    return ConversationHandler.END


def forget_in_memory(application: AnyApplication, *, telegram_id: int, chat_id: int) -> None:
    """Drop what the Application remembers of the person: conversation states (keyed by chat
    and user, the user last), user_data and chat_data. The next /start is then truly new."""
    for handlers in application.handlers.values():
        for handler in handlers:
            if not isinstance(handler, ConversationHandler):
                continue
            # PTB has no public way to end someone's conversation from outside it.
            states = handler._conversations
            for key in [key for key in states if key and key[-1] == telegram_id]:
                del states[key]
    application.drop_user_data(telegram_id)
    application.drop_chat_data(chat_id)
