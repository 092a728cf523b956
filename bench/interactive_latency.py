"""Benchmark 2 of the reminders issue: button answers while a reminder backlog drains.

    .venv/bin/python -m bench.interactive_latency --engine sqlite
    .venv/bin/python -m bench.interactive_latency --engine postgresql

Benchmark 1's drain (3,000 reminders due in one minute, the real bot in its own process,
FakeBotApi enforcing 30/s per bot and 3/s per chat), plus 200 people set up through the app's
onboarding flows, each in a routine (/routine, a routine picked) before the clock moves. From
the move, each person, every 5-15 s at random, presses the current card's Done (the pain
question's score after the last card; then /routine and a routine again), waiting for the bot's
reply before thinking again.

Bot-side latency of a press: from the fake API handing the callback update to the bot (in a
getUpdates response) to (a) the bot's answerCallbackQuery reaching the fake API, (b) the bot's
last reply for that press (the next card's sendMessage, or the edit) reaching it. Presses
handed over from the first reminder send until every person is reminded, or --duration later
(then the pressing stops and the rest drains), count. Target: p99 of (a) < 25 ms.
"""

import argparse
import asyncio
import contextlib
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import drain
from bot.content.loader import load_content
from bot.emulator.params import Json
from bot.emulator.user import FakeUser

REPLY_TIMEOUT = 60.0


def _buttons(message: Json) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [str(button.get("callback_data", "")) for row in rows for button in row]


def offers(prefix: str) -> Any:
    """A predicate: a new bot message with a button whose callback_data starts with `prefix`."""
    return lambda kind, message: (
        kind == "sent" and any(data.startswith(prefix) for data in _buttons(message))
    )


def plain_message(kind: str, message: Json) -> bool:
    return kind == "sent" and not _buttons(message)


@dataclass
class Action:
    """One thing a person did: a press (`query_id`) or a typed /routine."""

    chat_id: int
    what: str  # pick, done, pain, text
    enqueued: float
    query_id: str | None = None
    message_id: int | None = None


class Person:
    """Walks routines by pressing buttons, with think time between the bot's reply and a press."""

    def __init__(
        self,
        user: FakeUser,
        recorder: drain.Recorder,
        routines: list[str],
        rng: random.Random,
        actions: list[Action],
    ) -> None:
        self.user = user
        self.chat_id = user.user_id
        self.recorder = recorder
        self.routines = routines
        self.rng = rng
        self.actions = actions
        self.mark = 0
        self.current: Json | None = None  # the message with the buttons to press next

    async def _wait(self, predicate: Any) -> Json:
        self.mark, message = await self.recorder.wait_for(
            self.chat_id, predicate, self.mark, within=REPLY_TIMEOUT
        )
        return message

    async def _type_routine(self) -> None:
        self.mark = len(self.recorder.events[self.chat_id])
        sent = await self.user.send_text("/routine")
        typed = Action(self.chat_id, "text", time.monotonic(), None, sent["message_id"])
        self.actions.append(typed)
        self.current = await self._wait(offers("pick:"))

    async def _press(self, what: str, data: str, then: Any) -> Json:
        assert self.current is not None
        self.mark = len(self.recorder.events[self.chat_id])
        query = await self.user.press(data, self.current)
        self.actions.append(Action(self.chat_id, what, time.monotonic(), query["id"]))
        return await self._wait(then)

    async def _pick(self) -> None:
        self.current = await self._press(
            "pick", f"pick:{self.rng.choice(self.routines)}", offers("step:")
        )

    async def start_routine(self, pause: tuple[float, float] | None = None) -> None:
        """/routine, then (after `pause` seconds) a routine: a card with Done is showing."""
        await self._type_routine()
        if pause is not None:
            await asyncio.sleep(self.rng.uniform(*pause))
        await self._pick()

    async def step(self) -> None:
        """The next press: Done on a card, a score on the pain question, or a new routine."""
        if self.current is None:
            await self._type_routine()  # the routine is picked at the next step
            return
        buttons = _buttons(self.current)
        if any(data.startswith("pick:") for data in buttons):
            await self._pick()
            return
        done = [data for data in buttons if data.startswith("step:") and data.endswith(":done")]
        if done:
            self.current = await self._press("done", done[0], offers_next_card_or_pain)
            return
        scores = [data for data in buttons if data.startswith("pain:")]
        assert scores, f"nothing to press in {self.current.get('text', '')[:60]!r}"
        await self._press("pain", self.rng.choice(scores), plain_message)
        self.current = None  # the summary: next, /routine again

    async def run(self, stop: asyncio.Event, think: tuple[float, float]) -> None:
        delay = self.rng.uniform(0, think[1])  # spread the first presses over one think time
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            if stop.is_set():
                return
            await self.step()
            delay = self.rng.uniform(*think)


def offers_next_card_or_pain(kind: str, message: Json) -> bool:
    return offers("step:")(kind, message) or offers("pain:")(kind, message)


def press_latencies(
    recorder: drain.Recorder, actions: list[Action], window: tuple[float, float]
) -> dict[str, Any]:
    """Bot-side latencies of the presses handed over within `window` (monotonic seconds)."""
    by_chat: dict[int, list[Action]] = {}
    for action in actions:
        by_chat.setdefault(action.chat_id, []).append(action)
    to_answer: list[float] = []
    to_last_reply: list[float] = []
    end_to_end: list[float] = []
    by_kind: dict[str, list[float]] = {}
    unanswered = 0
    for chat_id, chat_actions in by_chat.items():
        chat_actions.sort(key=lambda a: a.enqueued)
        events = recorder.events[chat_id]
        for index, action in enumerate(chat_actions):
            if action.query_id is None:
                continue
            handed = recorder.handed_query.get(action.query_id)
            if handed is None or not window[0] <= handed <= window[1]:
                continue
            answered = recorder.answered.get(action.query_id)
            if answered is None:
                unanswered += 1
                continue
            until = (
                chat_actions[index + 1].enqueued if index + 1 < len(chat_actions) else float("inf")
            )
            replies = [t for t, kind, _ in events if kind in ("sent", "edited") and handed <= t]
            last = max((t for t in replies if t < until), default=answered)
            to_answer.append(answered - handed)
            to_last_reply.append(max(last, answered) - handed)
            end_to_end.append(answered - action.enqueued)
            by_kind.setdefault(action.what, []).append(answered - handed)
    return {
        "presses": len(to_answer),
        "unanswered": unanswered,
        "handed_to_answer": drain.latency_ms(to_answer),
        "handed_to_last_reply": drain.latency_ms(to_last_reply),
        "pressed_to_answer_incl_polling": drain.latency_ms(end_to_end),
        "handed_to_answer_by_press": {
            kind: drain.latency_ms(values) for kind, values in sorted(by_kind.items())
        },
    }


async def run(arguments: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {
        "machine": drain.machine(),
        "code": drain.code_version(),
        "engine": arguments.engine,
    }
    rng = random.Random(arguments.seed)
    routines = [routine.key for routine in load_content().routines]
    with (
        drain.workspace(arguments.keep) as workdir,
        drain.database(arguments.engine, workdir) as url,
    ):
        await drain.load_reminder_people(url, arguments.people)
        started = time.monotonic()
        presser_chats = await drain.onboard_pressers(url, arguments.pressers)
        drain.log(f"onboarded {len(presser_chats)} pressers in {time.monotonic() - started:.1f} s")
        hot = {drain.HOT_BASE + number for number in range(1, arguments.people + 1)}
        async with drain.fake_api() as api:
            for chat in hot:
                api.user(chat)
            recorder = drain.Recorder(api, hot, set(presser_chats))
            recorder.install()
            actions: list[Action] = []
            people = [
                Person(api.user(chat), recorder, routines, random.Random(rng.random()), actions)
                for chat in presser_chats
            ]
            try:
                bot = await drain.BotProcess.start(
                    api, url, workdir, tick_seconds=arguments.tick_seconds, trace=arguments.trace
                )
                try:
                    started = time.monotonic()
                    await asyncio.gather(*(person.start_routine((1.0, 3.0)) for person in people))
                    drain.log(
                        f"every presser is in a routine ({time.monotonic() - started:.1f} s); "
                        "moving the bot's clock past the minute"
                    )
                    await asyncio.sleep(arguments.settle)
                    before_drain = len(actions)
                    cpu = drain.CpuSpan(bot.pid)
                    stop = asyncio.Event()
                    think = (arguments.think_min, arguments.think_max)
                    pressing = [asyncio.create_task(p.run(stop, think)) for p in people]
                    refused_before = api.stats.too_many_requests
                    jumped_at = bot.jump()
                    # Press while the backlog drains, for at most --duration seconds after the
                    # first reminder; then let the rest drain without presses.
                    await recorder.wait_first_reminder(within=arguments.timeout)
                    ended = await recorder.wait_reminded(
                        within=arguments.duration, stall=arguments.stall
                    )
                    pressed_until = time.monotonic()
                    refused_pressing = api.stats.too_many_requests - refused_before
                    results["cpu_while_pressing"] = cpu.read()
                    stop.set()
                    outcomes = await asyncio.gather(*pressing, return_exceptions=True)
                    failures = [repr(o) for o in outcomes if isinstance(o, BaseException)]
                    if ended == "timeout":  # --duration is up: the rest, without presses
                        ended = await recorder.wait_reminded(
                            within=arguments.timeout, stall=arguments.stall
                        )
                    if ended != "all":
                        drain.log(f"stopped waiting: {ended}")
                    refused_during = api.stats.too_many_requests - refused_before
                    await asyncio.sleep(arguments.settle)
                finally:
                    results["bot_exit_code"] = await bot.stop()
            finally:
                recorder.uninstall()
            times = drain.reminder_times(recorder)
            window = (times[0] if times else jumped_at, pressed_until)
            results["presses"] = press_latencies(recorder, actions, window)
            during = [a for a in actions[before_drain:] if window[0] <= a.enqueued <= window[1]]
            span = max(window[1] - window[0], 1e-9)
            interactive_sends = [
                t
                for chat in presser_chats
                for t in api.stats.chat_send_times.get(chat, [])
                if window[0] <= t <= window[1]
            ]
            reminders_pressing = [t for t in times if window[0] <= t <= window[1]]
            results["while_pressing"] = {
                "seconds": round(span, 2),
                "pressers": len(people),
                "think_s": f"{arguments.think_min:g}-{arguments.think_max:g}",
                "presses_per_s": round(sum(a.query_id is not None for a in during) / span, 2),
                "typed_per_s": round(sum(a.query_id is None for a in during) / span, 2),
                "reply_sends_per_s": round(len(interactive_sends) / span, 2),
                "reminders_sent": len(reminders_pressing),
                "reminder_drain_per_s": round(len(reminders_pressing) / span, 2),
                "too_many_requests_429": refused_pressing,
                "person_failures": failures[:5],
                "person_failure_count": len(failures),
            }
            results["drain"] = drain.rate_figures(times)
            if times:
                results["drain"]["first_send_after_clock_move_s"] = round(times[0] - jumped_at, 3)
                results["drain"]["clock_move_to_last_send_s"] = round(times[-1] - jumped_at, 3)
            results["delivery"] = drain.delivery_figures(recorder)
            results["delivery"]["wait_ended"] = ended
            results["limits"] = drain.limit_figures(api, hot | set(presser_chats))
            results["limits"]["too_many_requests_429_after_clock_move"] = refused_during
            results["bot_log_warnings"] = bot.warnings()
            if arguments.trace:
                results["bot_trace"] = bot.trace()
        results["send_log"] = await drain.reminder_log_counts(url)
    return results


def verdict(results: dict[str, Any]) -> dict[str, str]:
    p99 = results["presses"]["handed_to_answer"].get("p99_ms", float("inf"))
    delivery, pressing = results["delivery"], results["while_pressing"]
    checks = {
        "bot-side p99 (handed -> answer) < 25 ms": p99 < 25,
        "every press answered": not results["presses"]["unanswered"]
        and not pressing["person_failure_count"],
        "zero reminders missed / duplicated": not delivery["missed"] and not delivery["duplicated"],
    }
    return {name: "met" if ok else "MISSED" for name, ok in checks.items()}


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.interactive_latency",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), required=True)
    parser.add_argument("--people", type=int, default=3000, help="people due in the minute")
    parser.add_argument("--pressers", type=int, default=200, help="people pressing buttons")
    parser.add_argument("--think-min", type=float, default=5.0, help="seconds between presses")
    parser.add_argument("--think-max", type=float, default=15.0)
    parser.add_argument(
        "--tick-seconds", type=float, default=drain.TICK_SECONDS, help="the bot's tick interval"
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=240.0,
        help="press for at most this long after the first reminder (s); the rest then drains",
    )
    parser.add_argument("--timeout", type=float, default=600.0, help="give up after (s)")
    parser.add_argument(
        "--stall", type=float, default=30.0, help="stop waiting after this long with no reminder"
    )
    parser.add_argument("--settle", type=float, default=3.0, help="pause before/after (s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write every figure here")
    parser.add_argument(
        "--trace", action="store_true", help="time the bot's inside (bench.drain_trace)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and bot log")
    arguments = parser.parse_args()
    results = asyncio.run(run(arguments))
    results["verdict"] = verdict(results)
    command = " ".join([".venv/bin/python -m bench.interactive_latency", *sys.argv[1:]])
    results["command"] = command
    drain.print_table("interactive latency during the drain", results)
    if arguments.json:
        arguments.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
