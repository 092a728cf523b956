"""Progression over HTTP: a session's rating and the next morning's check-in change the next
routine's doses, the person is told why, and every decision is in the audit trail."""

from typing import Any

from sqlalchemy import select

from bot.db.coaching_models import CheckIn, CoachingDecision
from bot.db.engine import SessionFactory
from bot.db.enums import CheckInFeeling, CoachingTopic
from tests.conftest import FakeClock
from tests.e2e.harness import Chat, onboard
from tests.e2e.helpers import buttons, cards, plain, start_routine, texts_of

Json = dict[str, Any]
TRACKS = [
    "lumbar_rotation",
    "windmills",
    "thread_the_needle",
    "transverse_activation",
    "long_bridge_multifidus",
]
# The day's tracks start on these rungs (content/exercises.yaml's shipped dosages).
START = {
    "lumbar_rotation": 2,
    "windmills": 1,
    "thread_the_needle": 1,
    "transverse_activation": 1,
    "long_bridge_multifidus": 2,
}
QUESTION = "compared with before your last session"


def _keyboard(chat: Chat) -> Json:
    return next(m for m in reversed(chat.user.messages) if m.get("reply_markup"))


async def todays_session(chat: Chat, rating: int, *, typed: bool = False) -> tuple[str, str]:
    """Today's routine, every exercise done, then rated by a button (or typed): the first
    card, and the summary as read."""
    first = cards(await start_routine(chat, "⭐"))[0]["text"]
    while any("Done" in label for label in buttons(_keyboard(chat))):
        await chat.tap("Done")
    replies = await (chat.say(str(rating)) if typed else chat.tap(str(rating)))
    [summary] = [text for text in texts_of(replies) if f"{rating}/10" in text]
    return first, plain(summary)


async def next_morning_check_in(chat: Chat, clock: FakeClock) -> Json:
    """The clock moves to 08:00 in Berlin the next day; the check-in arrives."""
    mark = chat.user.mark()
    clock.advance(hours=22)  # from Wednesday 10:00 in Berlin
    message = await chat.user.wait_for_message(
        lambda m: QUESTION in str(m.get("text")), after=mark, timeout=15
    )
    await chat.settle()
    return message


async def audit(session_factory: SessionFactory) -> list[tuple[Any, ...]]:
    """The progression and check-in decisions, in the order made."""
    async with session_factory() as session:
        rows = await session.execute(
            select(CoachingDecision)
            .where(CoachingDecision.topic.in_([CoachingTopic.PROGRESSION, CoachingTopic.CHECK_IN]))
            .order_by(CoachingDecision.id)
        )
        return [(d.topic, d.reason, d.track_key, d.from_rung, d.to_rung) for d in rows.scalars()]


def progression(reason: str, change: int) -> list[tuple[Any, ...]]:
    return [
        (CoachingTopic.PROGRESSION, reason, track, START[track], START[track] + change)
        for track in TRACKS
    ]


async def test_a_painful_session_and_a_worse_morning_make_the_next_routine_lighter(
    chat: Chat, running: None, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await onboard(chat)
    first, summary = await todays_session(chat, 7)
    assert "10 slow dips to each side" in first  # lumbar rotation at its shipped dose
    assert "Lumbar rotation: one step lighter, next time 8 reps, each side." in summary
    assert "Your pain went above 5, so one step lighter next time." in summary

    check_in = await next_morning_check_in(chat, clock)
    replies = await chat.tap("Worse", check_in)

    [reply] = texts_of(replies)
    assert "had not settled by the next morning" in plain(reply)
    # Last night's step down is not told again: only what this answer decided.
    assert "one step lighter" not in plain(reply)
    assert "→ 😣 Worse" in chat.user.history(check_in)[-1]["text"]
    lighter = cards(await start_routine(chat, "⭐"))[0]["text"]
    assert "8 reps, each side" in lighter and "10 slow dips" not in lighter
    assert await audit(session_factory) == [
        *progression("step_down_pain_high", -1),
        (CoachingTopic.CHECK_IN, "morning_not_settled", None, None, None),
    ]
    async with session_factory() as session:
        [answer] = (await session.execute(select(CheckIn))).scalars()
    assert (answer.feeling, answer.score) == (CheckInFeeling.WORSE, None)


async def test_a_worse_morning_alone_makes_the_next_routine_lighter(
    chat: Chat, running: None, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await onboard(chat)
    _, summary = await todays_session(chat, 4)
    assert "How your back feels tomorrow morning decides the next step." in summary
    assert "I'll ask you at 08:00." in summary

    check_in = await next_morning_check_in(chat, clock)
    [reply] = texts_of(await chat.tap("Worse", check_in))

    assert "Your next session" in reply
    assert "Your back felt worse the next morning" in reply
    lighter = cards(await start_routine(chat, "⭐"))[0]["text"]
    assert "8 reps" in lighter
    assert await audit(session_factory) == [
        (CoachingTopic.CHECK_IN, "morning_not_settled", None, None, None),
        *progression("step_down_morning_worse", -1),
    ]


async def test_two_good_sessions_with_settled_mornings_step_up_once(
    chat: Chat, running: None, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await onboard(chat)
    await todays_session(chat, 2)
    [one_good] = texts_of(await chat.tap("Better", await next_morning_check_in(chat, clock)))
    assert "One more like it, and we'll take a small step up." in one_good

    clock.advance(hours=2)  # Thursday 10:00 in Berlin
    first, _ = await todays_session(chat, 2)
    assert "10 slow dips to each side" in first  # still the same dose
    [stepped] = texts_of(await chat.tap("The same", await next_morning_check_in(chat, clock)))

    assert "Lumbar rotation: one small step up, next time 15 reps, each side." in stepped
    assert "Two sessions in a row with low pain and a settled next morning." in stepped
    harder = cards(await start_routine(chat, "⭐"))[0]["text"]
    assert "15 reps" in harder
    decisions = await audit(session_factory)
    ups = [d for d in decisions if d[1] == "step_up_ready"]
    assert [d[2] for d in ups] == TRACKS[:4]
    assert all(d[4] == d[3] + 1 for d in ups)
    # The multifidus bridge starts on its top rung: it stays there, and says so by name.
    assert "Long-bridge multifidus: staying at" in plain(stepped)
    assert "That's the top of its ladder." in plain(stepped)
    assert (CoachingTopic.PROGRESSION, "hold_at_top", "long_bridge_multifidus", 2, 2) in decisions
    assert [d[1] for d in decisions if d[0] is CoachingTopic.CHECK_IN] == [
        "morning_settled",
        "morning_settled",
    ]


async def test_no_step_up_while_in_flare_up_mode(
    chat: Chat, running: None, clock: FakeClock, session_factory: SessionFactory
) -> None:
    await onboard(chat)
    await todays_session(chat, 2)
    await chat.tap("Better", await next_morning_check_in(chat, clock))
    clock.advance(hours=2)
    await todays_session(chat, 2)  # an ordinary good session
    await chat.say("/flare")  # then a bad day: flare-up mode before the morning's answer

    [reply] = texts_of(await chat.tap("Better", await next_morning_check_in(chat, clock)))

    assert "While you're in flare-up mode, progression is paused." in reply
    assert "step up" not in reply
    decisions = await audit(session_factory)
    assert "step_up_ready" not in [d[1] for d in decisions]
    assert [d[2] for d in decisions if d[1] == "hold_flare"] == TRACKS
