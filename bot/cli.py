"""The `backcoach` command: run, demo, db upgrade, content check."""

import argparse
import asyncio
import os
import signal
import sys
from collections.abc import Sequence

from bot.config import Settings
from bot.content.loader import DEFAULT_CONTENT_DIR, find_problems
from bot.db.migrate import upgrade_database
from bot.logging_setup import configure_logging
from bot.runner import run_bot

EXIT_USAGE = 2
NO_TOKEN_MESSAGE = (
    "backcoach: TELEGRAM_BOT_TOKEN is not set. Create a bot with @BotFather in Telegram "
    "(send /newbot), then put the token it gives you in .env as TELEGRAM_BOT_TOKEN=... "
    "(or try the coach without one: backcoach demo)."
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="backcoach", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the bot against Telegram (long polling)")
    demo = commands.add_parser("demo", help="chat with the coach in this terminal, no token needed")
    demo.add_argument("--fresh", action="store_true", help="start with an empty demo database")
    db = commands.add_parser("db", help="database maintenance")
    db.add_subparsers(dest="db_command", required=True).add_parser(
        "upgrade", help="create or upgrade the schema (Alembic, to head)"
    )
    content = commands.add_parser("content", help="content maintenance")
    content.add_subparsers(dest="content_command", required=True).add_parser(
        "check", help="validate content/ and list every problem"
    )
    return parser


async def _run_until_signalled(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await run_bot(settings, database_url=settings.database_url, stop=stop)


def _content_check(settings: Settings) -> int:
    problems = find_problems(settings.content_path or DEFAULT_CONTENT_DIR)
    for problem in problems:
        print(problem)
    print("content check: ok" if not problems else f"content check: {len(problems)} problem(s)")
    return 1 if problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `backcoach` command."""
    # python-telegram-bot 22 warns on every 429 unless retry_after is opted in as a timedelta,
    # which is what its next major version does anyway; scheduler.send_one reads both.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    arguments = _parser().parse_args(argv)
    settings = Settings()
    # In the demo the terminal is the chat: only warnings and errors interrupt it.
    configure_logging("WARNING" if arguments.command == "demo" else settings.log_level)
    if arguments.command == "content":
        return _content_check(settings)
    if arguments.command == "db":
        upgrade_database(settings.database_url)
        print("database schema is up to date")
        return 0
    if arguments.command == "demo":
        from bot.demo import run_demo  # only the demo needs the fake Bot API and its server

        return asyncio.run(run_demo(settings, fresh=arguments.fresh))
    if settings.telegram_bot_token is None:
        print(NO_TOKEN_MESSAGE, file=sys.stderr)
        return EXIT_USAGE
    asyncio.run(_run_until_signalled(settings))
    return 0
