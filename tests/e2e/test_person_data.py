"""/history, /export and /delete over HTTP: three sessions on three days, then the data."""

import asyncio
import csv
import io
import json
from typing import Any

from sqlalchemy import select

from bot.content.schema import Content
from bot.db.engine import SessionFactory
from bot.db.models import Base, ConversationState, PainReport, RoutineSession, StepResult, User
from bot.emulator import FakeBotApi
from tests.conftest import FakeClock
from tests.e2e.conftest import PERSON_ID
from tests.e2e.harness import Chat, Progress, onboard
from tests.e2e.helpers import Snapshot, buttons, plain, rows, snapshot, texts_of

Json = dict[str, Any]
OTHER_ID = 5_000_000_002
SCHEDULED = ("remind:", "checkin:")
# PTB writes conversation states to the database once a second.
PERSISTENCE_TICK = 1.5


def _keyboard(replies: list[Json], label: str) -> Json:
    """The last of the bot's answers with a button labelled `label`, not a reminder's or a
    check-in's (one may arrive while the person is in a routine)."""
    return [
        message
        for message in replies
        if any(label in text for text in buttons(message))
        and not any(data.startswith(SCHEDULED) for data in buttons(message).values())
    ][-1]


async def _session(chat: Chat, taps: list[str], pain: str | None) -> None:
    """/routine, Morning mobility, the step buttons, then the pain rating (or /cancel)."""
    routines = await chat.say("/routine")
    replies = await chat.tap("Morning mobility", _keyboard(routines, "Morning mobility"))
    for label in taps:
        replies = await chat.tap(label, _keyboard(replies, label))
    if pain is None:
        await chat.say("/cancel")
    else:
        await chat.tap(pain, _keyboard(replies, pain))


async def _three_days(chat: Chat, clock: FakeClock) -> None:
    """Wed 4 Mar all done (pain 3), Thu 5 Mar all done (pain 5), Fri 6 Mar stopped early."""
    await onboard(chat, baseline="6")
    await _session(chat, ["Done", "Done", "Done"], "3")
    clock.advance(days=1)
    await _session(chat, ["Done", "Skip", "Done"], "5")
    clock.advance(days=1)
    await _session(chat, ["Done"], None)


def _answer(replies: list[Json], part: str) -> list[str]:
    """The bot's answers that contain `part` (a reminder may arrive in between)."""
    return [text for text in texts_of(replies) if part in text]


def _kept(found: Snapshot) -> Snapshot:
    """A snapshot without the scheduler's tables, which the reminder tick changes meanwhile."""
    return {table: rows for table, rows in found.items() if "messages" not in table}


def _csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


async def _states_of(session_factory: SessionFactory, telegram_id: int) -> int:
    """How many conversation states the person has in the database."""
    async with session_factory() as session:
        result = await session.execute(
            select(ConversationState).where(ConversationState.user_telegram_id == telegram_id)
        )
        return len(result.scalars().all())


async def _state_names(session_factory: SessionFactory, telegram_id: int) -> list[str]:
    """The conversations the person is in, as the database has them."""
    async with session_factory() as session:
        result = await session.execute(
            select(ConversationState.name).where(ConversationState.user_telegram_id == telegram_id)
        )
        return sorted(result.scalars())


async def _user(session_factory: SessionFactory, telegram_id: int) -> User | None:
    async with session_factory() as session:
        result = await session.execute(select(User).where(User.telegram_id == telegram_id))
        return result.scalar_one_or_none()


async def test_history_lists_the_sessions_in_local_dates(
    chat: Chat, running: None, clock: FakeClock
) -> None:
    assert _answer(await chat.say("/history"), "No sessions yet")
    await _three_days(chat, clock)
    [history] = _answer(await chat.say("/history"), "Your last sessions")
    assert history.splitlines() == [
        "Your last sessions",
        "Fri 6 Mar · Morning mobility · partly done · no rating",
        "Thu 5 Mar · Morning mobility · done ✅ · pain 5/10",
        "Wed 4 Mar · Morning mobility · done ✅ · pain 3/10",
    ]


async def test_export_documents_hold_exactly_the_persons_rows(
    api: FakeBotApi,
    chat: Chat,
    progress: Progress,
    running: None,
    clock: FakeClock,
    session_factory: SessionFactory,
) -> None:
    other = Chat(api, api.user(OTHER_ID, "Alex"), progress)
    await onboard(other, baseline="8")
    await _three_days(chat, clock)
    replies = await chat.say("/export")
    assert _answer(replies, "Times are ISO 8601 in UTC")
    files = {stored.file_name: stored.data for stored in chat.user.documents}
    assert sorted(files) == [
        "backcoach-everything.json",
        "backcoach-pain-reports.csv",
        "backcoach-sessions.csv",
        "backcoach-step-results.csv",
    ]
    sessions = await rows(session_factory, RoutineSession)
    steps = await rows(session_factory, StepResult)
    reports = [r for r in await rows(session_factory, PainReport) if r.score != 8]
    exported = _csv(files["backcoach-sessions.csv"])
    assert [int(r["session_id"]) for r in exported] == [s.id for s in sessions]
    assert [r["local_date"] for r in exported] == ["2026-03-04", "2026-03-05", "2026-03-06"]
    assert [r["status"] for r in exported] == ["completed", "completed", "partial"]
    assert [r["pain_after"] for r in exported] == ["3", "5", ""]
    assert exported[0]["started_at_utc"] == sessions[0].started_at.isoformat()
    exported_steps = _csv(files["backcoach-step-results.csv"])
    assert [(int(r["session_id"]), r["exercise"], r["outcome"]) for r in exported_steps] == [
        (s.session_id, s.exercise_key, s.outcome.value) for s in steps
    ]
    exported_pain = _csv(files["backcoach-pain-reports.csv"])
    assert [(r["context"], int(r["score"])) for r in exported_pain] == [
        (r.context.value, r.score) for r in reports
    ]
    everything = json.loads(files["backcoach-everything.json"])
    tables = everything["tables"]
    assert [u["telegram_id"] for u in tables["users"]] == [PERSON_ID]
    assert len(tables["routine_sessions"]) == 3 and len(tables["step_results"]) == len(steps)
    assert [p["score"] for p in tables["pain_reports"]] == [6, 3, 5]
    assert len(tables["screening_answers"]) == 6  # theirs, not Alex's
    assert set(tables) == {t.name for t in Base.metadata.sorted_tables} - {"conversation_states"}


async def test_delete_needs_the_word_then_erases_everything(
    api: FakeBotApi,
    chat: Chat,
    progress: Progress,
    running: None,
    clock: FakeClock,
    session_factory: SessionFactory,
    content: Content,
) -> None:
    other = Chat(api, api.user(OTHER_ID, "Alex"), progress)
    await onboard(other, baseline="8")
    await _three_days(chat, clock)
    before = await snapshot(session_factory)

    [explained] = _answer(await chat.say("/delete"), "Erase your data?")
    assert "type DELETE" in explained and "cannot be undone" in explained
    assert _answer(await chat.say("delete it all please"), content.texts.data.delete_cancelled)
    assert _kept(await snapshot(session_factory)) == _kept(before)

    # Mid-routine: the word is never read as anything else, and the routine is forgotten too.
    routines = await chat.say("/routine")
    replies = await chat.tap("Morning mobility", _keyboard(routines, "Morning mobility"))
    await chat.tap("Done", _keyboard(replies, "Done"))
    await chat.say("/delete")
    assert _answer(await chat.say("DELETE"), plain(content.texts.data.delete_done))
    await asyncio.sleep(PERSISTENCE_TICK)
    assert await _user(session_factory, PERSON_ID) is None
    assert await _states_of(session_factory, PERSON_ID) == 0
    after = await snapshot(session_factory)
    assert after["users"] == [row for row in before["users"] if row[1] == OTHER_ID]
    assert after["routine_sessions"] == [] and after["step_results"] == []
    assert len(after["screening_answers"]) == 6 and len(after["pain_reports"]) == 1

    assert _answer(await chat.say("/start"), plain(content.texts.onboarding.welcome))
    await asyncio.sleep(PERSISTENCE_TICK)
    assert await _state_names(session_factory, PERSON_ID) == ["onboarding"]  # no routine
    assert _answer(await chat.say("/history"), "No sessions yet")
