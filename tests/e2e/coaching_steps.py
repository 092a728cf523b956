"""Steps the coaching tests share: a whole rated session, days passing, the audit trail.

Taps name the message they press on: reminders and morning check-ins may arrive at any time
while the clock moves, so "the latest keyboard" is not always the routine's.
"""

import asyncio
from typing import Any

from sqlalchemy import select

from bot.db.coaching_models import CoachingDecision
from bot.db.engine import SessionFactory
from bot.db.enums import CoachingTopic
from tests.conftest import FakeClock
from tests.e2e.harness import Chat
from tests.e2e.helpers import buttons, start_routine

Json = dict[str, Any]


def _with_button(messages: list[Json], wanted: str, prefix: str) -> Json | None:
    """The latest of `messages` with a button labelled `wanted` whose data starts `prefix`."""
    for message in reversed(messages):
        found = buttons(message)
        if any(wanted in label and data.startswith(prefix) for label, data in found.items()):
            return message
    return None


async def rated_session(chat: Chat, score: int) -> list[Json]:
    """Today's routine, every exercise done, rated `score`: the bot's answers to the rating."""
    replies = await start_routine(chat, "⭐")
    for _ in range(40):
        card = _with_button(replies, "Done", "step:")
        if card is None:
            break
        replies = await chat.tap("Done", card)
    question = _with_button(replies, "10", "pain:")
    assert question is not None, "no rating question after the last exercise"
    return await chat.tap(str(score), question)


async def next_day(chat: Chat, clock: FakeClock, days: int = 1) -> None:
    """The clock moves on by whole days; whatever falls due meanwhile is handled."""
    clock.advance(days=days)
    await asyncio.sleep(0.3)  # a few reminder ticks: what fell due is on its way
    await chat.api.wait_until_idle(quiet=0.3)
    await chat.settle()


async def decisions(
    session_factory: SessionFactory, topic: CoachingTopic
) -> list[tuple[str, int | None]]:
    """The audit trail on one topic: (reason, session id), in the order made."""
    async with session_factory() as session:
        found = await session.execute(
            select(CoachingDecision)
            .where(CoachingDecision.topic == topic)
            .order_by(CoachingDecision.id)
        )
        return [(d.reason, d.session_id) for d in found.scalars()]


async def reminder_after(chat: Chat, clock: FakeClock, **delta: float) -> Json:
    """The clock moves on by `delta`; the daily reminder that falls due arrives."""
    mark = chat.user.mark()
    clock.advance(**delta)
    message = await chat.user.wait_for_message(
        lambda m: "Start now" in str(m.get("reply_markup")), after=mark, timeout=15
    )
    await chat.settle()
    return message
