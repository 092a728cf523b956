"""The fake Bot API, driven by the real python-telegram-bot client."""

import asyncio
import datetime as dtm
import ssl
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from bot.emulator import FakeBotApi, RateLimits
from scheduler.send_one import retry_after_seconds

TOKEN = "123456:TEST"
SSL_CONTEXT = ssl.create_default_context()  # built once: httpx would load certificates per client
IGNORE_RETRY_AFTER_DEPRECATION = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)


def local_bot(api: FakeBotApi, token: str = TOKEN) -> Bot:
    return Bot(
        token,
        base_url=api.base_url,
        base_file_url=api.base_file_url,
        request=HTTPXRequest(httpx_kwargs={"verify": SSL_CONTEXT}),
        get_updates_request=HTTPXRequest(httpx_kwargs={"verify": SSL_CONTEXT}),
    )


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(TOKEN) as server:
        yield server


@pytest.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    async with local_bot(api) as client:
        yield client


def keyboard(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=f"cb:{label}")] for label in labels]
    )


async def test_get_me_describes_the_bot(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.is_bot, me.username, me.id) == (True, "backcoach_bot", 123456)


async def test_wrong_token_is_unauthorized(api: FakeBotApi) -> None:
    with pytest.raises(InvalidToken):
        async with local_bot(api, "999:WRONG"):
            pass


async def test_unknown_method_is_404(api: FakeBotApi) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{api.base_url}{TOKEN}/sendTelepathy")
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_json_body_is_accepted(api: FakeBotApi) -> None:
    api.user(7)
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{api.base_url}{TOKEN}/sendMessage", json={"chat_id": 7, "text": "42"}
        )
    assert response.json()["result"]["text"] == "42"


async def test_send_message_returns_a_full_message(api: FakeBotApi, bot: Bot) -> None:
    user = api.user(42, first_name="Sam")
    await user.send_text("/start")
    sent = await bot.send_message(42, "Hello", reply_markup=keyboard("Go"))
    assert sent.message_id == 2
    assert sent.chat.first_name == "Sam"
    assert sent.from_user is not None and sent.from_user.is_bot
    assert user.last_message["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "cb:Go"


async def test_user_command_has_bot_command_entity(api: FakeBotApi, bot: Bot) -> None:
    await api.user(42).send_text("/start now")
    (update,) = await bot.get_updates()
    assert update.message is not None
    assert update.message.text == "/start now"
    assert update.message.entities[0].type == "bot_command"
    assert update.message.entities[0].length == len("/start")


async def test_press_enqueues_a_callback_query(api: FakeBotApi, bot: Bot) -> None:
    user = api.user(42)
    sent = await bot.send_message(42, "Ready?", reply_markup=keyboard("Yes", "No"))
    await user.press("no")
    (update,) = await bot.get_updates(timeout=1)
    query = update.callback_query
    assert query is not None
    assert (query.data, query.from_user.id) == ("cb:No", 42)
    assert query.chat_instance and query.message is not None
    assert query.message.message_id == sent.message_id


async def test_press_unknown_button_lists_the_buttons(api: FakeBotApi, bot: Bot) -> None:
    api.user(42)
    await bot.send_message(42, "Ready?", reply_markup=keyboard("Yes"))
    with pytest.raises(AssertionError, match="'Yes' -> 'cb:Yes'"):
        await api.user(42).press("Maybe")


async def test_long_poll_returns_as_soon_as_the_user_writes(api: FakeBotApi, bot: Bot) -> None:
    user = api.user(42)
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await api.world.wait_for(lambda: api.world.poll_generation or None, 1.0)
    await user.send_text("hi")
    updates = await poll
    assert [update.message.text for update in updates if update.message] == ["hi"]
    assert time.monotonic() - started < 1.0


async def test_long_poll_times_out_empty(bot: Bot) -> None:
    assert await bot.get_updates(timeout=dtm.timedelta(seconds=0.1)) == ()


async def test_offset_confirms_updates(api: FakeBotApi, bot: Bot) -> None:
    user = api.user(42)
    await user.send_text("one")
    await user.send_text("two")
    first, second = await bot.get_updates()
    assert second.update_id == first.update_id + 1
    remaining = await bot.get_updates(offset=second.update_id)
    assert [update.update_id for update in remaining] == [second.update_id]
    assert await bot.get_updates(offset=second.update_id + 1) == ()


async def test_edit_message_text_updates_the_stored_message(api: FakeBotApi, bot: Bot) -> None:
    user = api.user(42)
    sent = await bot.send_message(42, "Step 1", reply_markup=keyboard("Done"))
    edited = await bot.edit_message_text("Step 2", chat_id=42, message_id=sent.message_id)
    assert not isinstance(edited, bool) and edited.text == user.last_message["text"] == "Step 2"
    assert "reply_markup" not in user.last_message
    assert [version["text"] for version in user.history(sent.to_dict())] == ["Step 1", "Step 2"]
    assert (await user.wait_for_edit())["text"] == "Step 2"


async def test_edit_with_same_content_is_not_modified(api: FakeBotApi, bot: Bot) -> None:
    api.user(42)
    sent = await bot.send_message(42, "Same")
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Same", chat_id=42, message_id=sent.message_id)


async def test_edit_of_unknown_message_is_not_found(api: FakeBotApi, bot: Bot) -> None:
    api.user(42)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_reply_markup(chat_id=42, message_id=99)


async def test_message_too_long_is_rejected(api: FakeBotApi, bot: Bot) -> None:
    api.user(42)
    await bot.send_message(42, "x" * 4096)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(42, "x" * 4097)


async def test_long_callback_data_is_rejected(api: FakeBotApi, bot: Bot) -> None:
    api.user(42)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(42, "Pick", reply_markup=markup)


async def test_unknown_chat_is_not_found(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(555, "Anyone?")


async def test_html_is_stored_as_plain_text_and_entities(api: FakeBotApi, bot: Bot) -> None:
    user = api.user(42)
    sent = await bot.send_message(42, "<b>Breathe</b> &amp; relax", parse_mode="HTML")
    assert sent.text == "Breathe & relax"
    assert sent.entities[0].type == "bold" and sent.entities[0].length == 7
    source = user.source(user.last_message)
    assert source is not None and source.text == "<b>Breathe</b> &amp; relax"


async def test_malformed_html_is_rejected(api: FakeBotApi, bot: Bot) -> None:
    api.user(42)
    with pytest.raises(BadRequest, match=r"(?i)Unsupported start tag"):
        await bot.send_message(42, "Hold for <5 seconds", parse_mode="HTML")


async def test_markdown_v2_requires_escaping(api: FakeBotApi, bot: Bot) -> None:
    api.user(42)
    sent = await bot.send_message(42, r"*Well done*\!", parse_mode="MarkdownV2")
    assert sent.text == "Well done!"
    with pytest.raises(BadRequest, match=r"(?i)Character '!' is reserved"):
        await bot.send_message(42, "Well done!", parse_mode="MarkdownV2")


async def test_reply_keyboard_is_shown_to_the_user(api: FakeBotApi, bot: Bot) -> None:
    user = api.user(42)
    await bot.send_message(42, "How was it?", reply_markup=ReplyKeyboardMarkup([["Easy", "Hard"]]))
    assert user.reply_keyboard is not None
    assert "reply_markup" not in user.last_message


async def test_blocked_user_is_forbidden(api: FakeBotApi, bot: Bot) -> None:
    api.user(42)
    api.block_bot(42)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(42, "Reminder")
    (update,) = await bot.get_updates()
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"


@IGNORE_RETRY_AFTER_DEPRECATION
async def test_injected_429_raises_retry_after(api: FakeBotApi, bot: Bot) -> None:
    api.user(42)
    api.fail_next("sendMessage", 429, retry_after=7)
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(42, "Hi")
    assert retry_after_seconds(raised.value) == 7
    assert (await bot.send_message(42, "Hi")).text == "Hi"
    assert api.stats.too_many_requests == 1


async def test_injected_connection_drop_is_a_network_error(api: FakeBotApi, bot: Bot) -> None:
    api.user(42)
    api.fail_next("sendMessage", drop_connection=True)
    with pytest.raises(NetworkError):
        await bot.send_message(42, "Hi")


@pytest.fixture
async def limited_api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(TOKEN, enforce_limits=True, limits=RateLimits(per_chat=3)) as server:
        yield server


@IGNORE_RETRY_AFTER_DEPRECATION
async def test_flood_limit_answers_429_beyond_30_per_second(limited_api: FakeBotApi) -> None:
    rejected = 0
    async with local_bot(limited_api) as bot:
        for chat_id in range(1, 41):
            limited_api.user(chat_id)
            try:
                await bot.send_message(chat_id, "Time to move")
            except RetryAfter:
                rejected += 1
    assert rejected == 10
    assert limited_api.stats.max_in_window(1.0) == 30
    assert limited_api.stats.too_many_requests == 10


@IGNORE_RETRY_AFTER_DEPRECATION
async def test_per_chat_limit_allows_a_small_burst(limited_api: FakeBotApi) -> None:
    limited_api.user(42)
    async with local_bot(limited_api) as bot:
        for _ in range(3):
            await bot.send_message(42, "ok")
        with pytest.raises(RetryAfter):
            await bot.send_message(42, "one too many")


async def test_send_document_stores_the_upload(api: FakeBotApi, bot: Bot) -> None:
    user = api.user(42)
    sent = await bot.send_document(
        42, b"week,minutes\n1,10\n", filename="progress.csv", caption="Your week"
    )
    assert sent.document is not None and sent.document.file_name == "progress.csv"
    (stored,) = user.documents
    assert (stored.data, stored.caption) == (b"week,minutes\n1,10\n", "Your week")
    downloaded = await (await bot.get_file(sent.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == b"week,minutes\n1,10\n"


async def test_send_photo_returns_photo_sizes(api: FakeBotApi, bot: Bot) -> None:
    user = api.user(42)
    sent = await bot.send_photo(42, b"\x89PNG fake", caption="Cat-cow")
    assert len(sent.photo) == 3 and sent.caption == "Cat-cow"
    assert user.photos[0].data == b"\x89PNG fake"


async def test_callback_query_can_be_answered_once(api: FakeBotApi, bot: Bot) -> None:
    user = api.user(42)
    await bot.send_message(42, "Ready?", reply_markup=keyboard("Yes"))
    query = await user.press("Yes")
    assert await bot.answer_callback_query(query["id"], text="Great")
    assert user.callback_answers[0]["text"] == "Great"
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query["id"])


async def test_commands_are_stored(bot: Bot) -> None:
    await bot.set_my_commands([("start", "Begin"), ("today", "Today's routine")])
    assert [command.command for command in await bot.get_my_commands()] == ["start", "today"]


async def test_wait_for_reply_sees_the_next_bot_message(api: FakeBotApi, bot: Bot) -> None:
    user = api.user(42)

    async def echo() -> None:
        (update,) = await bot.get_updates(timeout=1)
        assert update.message is not None
        await bot.send_message(42, f"You said {update.message.text}")
        await bot.get_updates(offset=update.update_id + 1)

    await user.send_text("hello")
    task = asyncio.create_task(echo())
    assert (await user.wait_for_reply(timeout=2))["text"] == "You said hello"
    await api.wait_until_idle(quiet=0.05, timeout=2)
    await task


async def test_wait_for_reply_times_out_with_a_clear_message(api: FakeBotApi) -> None:
    with pytest.raises(AssertionError, match=r"(?i)No new bot message"):
        await api.user(42).wait_for_reply(timeout=0.05)


async def test_a_real_application_round_trip(api: FakeBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("Ready?", reply_markup=keyboard("Yes"))

    async def confirm(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer("Let's go")
        await update.callback_query.edit_message_text("Exercise 1 of 5")

    application = Application.builder().bot(local_bot(api)).build()
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(confirm))
    user = api.user(42)
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(timeout=5)
        await user.send_text("/start")
        assert (await user.wait_for_reply())["text"] == "Ready?"
        await user.press("Yes")
        assert (await user.wait_for_edit())["text"] == "Exercise 1 of 5"
        assert (await user.wait_for_callback_answer())["text"] == "Let's go"
        await api.wait_until_idle(quiet=0.05)
        await application.updater.stop()
        await application.stop()
    assert api.world.updates == []
