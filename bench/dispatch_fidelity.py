"""Benchmark 1 of the reminders issue: dispatch fidelity of a hot minute.

    .venv/bin/python -m bench.dispatch_fidelity --engine sqlite
    .venv/bin/python -m bench.dispatch_fidelity --engine postgresql

3,000 active people whose daily reminder falls due in the same minute (`bench.populate`); the
real bot (`run_bot`, in a process of its own) against FakeBotApi enforcing 30 sends/s per bot
and 3/s per chat, answering 429 beyond; its clock moved past the minute; wait until every
person has their reminder. Target: >= 28.5 sends/s sustained, zero 429s, never more than 30 in
any 1-second window, zero missed, zero duplicated. See `bench.drain` for the set-up.
"""

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

from bench import drain


async def run(arguments: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {
        "machine": drain.machine(),
        "code": drain.code_version(),
        "engine": arguments.engine,
    }
    with (
        drain.workspace(arguments.keep) as workdir,
        drain.database(arguments.engine, workdir) as url,
    ):
        await drain.load_reminder_people(url, arguments.people)
        hot = {drain.HOT_BASE + number for number in range(1, arguments.people + 1)}
        async with drain.fake_api() as api:
            for chat in hot:
                api.user(chat)
            recorder = drain.Recorder(api, hot, set())
            recorder.install()
            try:
                bot = await drain.BotProcess.start(
                    api, url, workdir, tick_seconds=arguments.tick_seconds, trace=arguments.trace
                )
                try:
                    await asyncio.sleep(arguments.settle)  # the startup resync and first tick
                    drain.log(f"bot ready (pid {bot.pid}); moving its clock past the minute")
                    cpu = drain.CpuSpan(bot.pid)
                    refused_before = api.stats.too_many_requests
                    jumped_at = bot.jump()
                    ended = await recorder.wait_reminded(
                        within=arguments.timeout, stall=arguments.stall
                    )
                    if ended != "all":
                        drain.log(f"stopped waiting: {ended}")
                    drained_at = time.monotonic()
                    refused_during = api.stats.too_many_requests - refused_before
                    results["cpu_during_drain"] = cpu.read()
                    await asyncio.sleep(arguments.settle)  # would a duplicate follow?
                finally:
                    results["bot_exit_code"] = await bot.stop()
            finally:
                recorder.uninstall()
            times = drain.reminder_times(recorder)
            results["drain"] = drain.rate_figures(times)
            if times:
                results["drain"]["first_send_after_clock_move_s"] = round(times[0] - jumped_at, 3)
                results["drain"]["clock_move_to_last_send_s"] = round(times[-1] - jumped_at, 3)
            results["drain"]["waited_s"] = round(drained_at - jumped_at, 3)
            results["delivery"] = drain.delivery_figures(recorder)
            results["delivery"]["wait_ended"] = ended
            results["limits"] = drain.limit_figures(api, hot)
            results["limits"]["too_many_requests_429_after_clock_move"] = refused_during
            results["bot_log_warnings"] = bot.warnings()
            if arguments.trace:
                results["bot_trace"] = bot.trace()
        results["send_log"] = await drain.reminder_log_counts(url)
    return results


def verdict(results: dict[str, Any]) -> dict[str, str]:
    drained, limits, delivery = results["drain"], results["limits"], results["delivery"]
    checks = {
        ">= 28.5 sends/s sustained": drained.get("sustained_per_s", 0) >= 28.5,
        "zero 429s": limits["too_many_requests_429"] == 0,
        "<= 30 in any 1-s window": limits["max_sends_in_any_1s_window"] <= 30,
        "zero missed": delivery["missed"] == 0,
        "zero duplicated": delivery["duplicated"] == 0,
    }
    return {name: "met" if ok else "MISSED" for name, ok in checks.items()}


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.dispatch_fidelity",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), required=True)
    parser.add_argument("--people", type=int, default=3000, help="people due in the minute")
    parser.add_argument(
        "--tick-seconds", type=float, default=drain.TICK_SECONDS, help="the bot's tick interval"
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="give up after (s)")
    parser.add_argument(
        "--stall", type=float, default=30.0, help="stop waiting after this long with no reminder"
    )
    parser.add_argument("--settle", type=float, default=3.0, help="pause before/after (s)")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    parser.add_argument(
        "--trace", action="store_true", help="time the bot's inside (bench.drain_trace)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and bot log")
    arguments = parser.parse_args()
    results = asyncio.run(run(arguments))
    results["verdict"] = verdict(results)
    results["command"] = " ".join([".venv/bin/python -m bench.dispatch_fidelity", *sys.argv[1:]])
    drain.print_table("dispatch fidelity", results)
    if arguments.json:
        arguments.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
