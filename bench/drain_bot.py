"""The bot side of the reminder-drain benchmarks: the real bot (`run_bot`) in a process of its own.

    .venv/bin/python -m bench.drain_bot --api-url URL --token T --database-url URL \
        --start 2026-11-21T11:30:00+00:00 --jump-to 2026-11-21T12:00:01+00:00

Started by `bench.drain` (not meant to be run by hand). Its clock runs at real speed from
`--start`; SIGUSR1 moves it to `--jump-to` (then on at real speed), as a test moves a FakeClock.
Prints `ready` on stdout once polling and ticking; SIGTERM stops it cleanly. Logs to stderr.
"""

import argparse
import asyncio
import signal
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import SecretStr

from bot.config import Settings
from bot.logging_setup import configure_logging
from bot.runner import run_bot


class JumpClock:
    """Real-speed time from `start`; `jump()` sets it to `jump_to`, real-speed from there."""

    def __init__(self, start: datetime, jump_to: datetime) -> None:
        self._base, self._since = start, time.monotonic()
        self._jump_to = jump_to

    def __call__(self) -> datetime:
        return self._base + timedelta(seconds=time.monotonic() - self._since)

    def jump(self) -> None:
        self._base, self._since = self._jump_to, time.monotonic()


async def serve(arguments: argparse.Namespace) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=SecretStr(arguments.token),
        telegram_api_base_url=arguments.api_url,
        reminder_tick_seconds=arguments.tick_seconds,
        reminder_grace_minutes=arguments.grace_minutes,
        reminder_batch_size=arguments.batch_size,
    )
    clock = JumpClock(arguments.start, arguments.jump_to)
    stop, ready = asyncio.Event(), asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    trace = None
    if arguments.trace is not None:
        from bench.drain_trace import Trace  # only when asked: it monkeypatches the app

        trace = Trace()
        trace.install()
        watcher = asyncio.create_task(trace.watch_loop())

    def jump() -> None:
        clock.jump()
        if trace is not None:
            trace.reset()

    loop.add_signal_handler(signal.SIGUSR1, jump)

    async def announce() -> None:
        await ready.wait()
        print("ready", flush=True)

    announcer = asyncio.create_task(announce())
    await run_bot(
        settings,
        database_url=arguments.database_url,
        stop=stop,
        ready=ready,
        clock=clock,
        poll_timeout=arguments.poll_timeout,
        on_built=trace.attach if trace is not None else None,
    )
    announcer.cancel()
    if trace is not None:
        watcher.cancel()
        trace.write(arguments.trace)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.drain_bot", description=__doc__)
    parser.add_argument("--api-url", required=True, help="the fake Bot API's base_url")
    parser.add_argument("--token", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--start", type=datetime.fromisoformat, required=True)
    parser.add_argument("--jump-to", type=datetime.fromisoformat, required=True)
    parser.add_argument("--tick-seconds", type=float, default=1.0)
    parser.add_argument("--grace-minutes", type=int, default=180)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--poll-timeout", type=float, default=10.0)
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--trace", type=Path, help="write where the time went here (JSON)")
    arguments = parser.parse_args()
    configure_logging(arguments.log_level, sys.stderr)
    asyncio.run(serve(arguments))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
