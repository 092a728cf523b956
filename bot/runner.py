"""The life of the running bot: schema, content, polling, clean stop. Shared by run and demo."""

import asyncio
import gc
import logging
from collections.abc import Callable

from telegram import BotCommand, Update

from bot.app import build_application
from bot.config import Settings
from bot.content.loader import DEFAULT_CONTENT_DIR, load_content
from bot.db.engine import create_engine, create_session_factory
from bot.db.migrate import upgrade_database
from bot.db.wal import background_checkpoints
from bot.reminders import Reminders
from bot.services import Clock, CoachApplication, Services, system_clock
from scheduler.budget import SendBudget

logger = logging.getLogger(__name__)
# What the coach reacts to; my_chat_member tells us when a person blocks the bot.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]


async def run_bot(
    settings: Settings,
    *,
    database_url: str,
    stop: asyncio.Event,
    ready: asyncio.Event | None = None,
    clock: Clock = system_clock,
    poll_timeout: float = 10.0,
    on_built: Callable[[CoachApplication], None] | None = None,
) -> None:
    """Upgrade the schema, then long-poll Telegram until `stop` is set."""
    assert settings.telegram_bot_token is not None
    content = load_content(settings.content_path or DEFAULT_CONTENT_DIR)
    # Alembic runs its own event loop, so it gets a thread of its own.
    await asyncio.to_thread(upgrade_database, database_url)
    engine = create_engine(database_url)
    services = Services(create_session_factory(engine), content, clock, clinic=settings.clinic)
    budget = SendBudget()
    application = build_application(
        services,
        token=settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_api_base_url,
        budget=budget,
    )
    reminders = Reminders(application, services, settings, budget)
    if on_built is not None:
        on_built(application)
    try:
        async with background_checkpoints(database_url), application:
            commands = [BotCommand(name, text) for name, text in content.texts.commands.items()]
            await application.bot.set_my_commands(commands)
            assert application.updater is not None
            await application.updater.start_polling(
                timeout=int(poll_timeout), allowed_updates=ALLOWED_UPDATES
            )
            await application.start()
            await reminders.start()
            # Startup's objects live until the stop: frozen, full GCs skip them (110-350 ms stalls).
            gc.freeze()
            logger.info("backcoach is running as @%s", application.bot.username)
            if ready is not None:
                ready.set()
            await stop.wait()
            logger.info("Stopping")
            await reminders.stop()
            await application.updater.stop()
            await application.stop()
    finally:
        gc.unfreeze()
        await engine.dispose()
