"""A claimed batch is logged in one statement: each day once, skipped if that day is done."""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.db.engine import SessionFactory
from bot.db.enums import MessageKind, SendStatus, SessionStatus
from bot.db.models import DueMessage, SentMessage
from bot.db.queries import batch_log, due_messages, sessions, users
from bot.db.queries.batch_log import LoggedBatch, SendGroup

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 4)
# Wednesday in Berlin (CET, +01:00), as UTC instants: what the tick's group decision passes.
BERLIN_WEDNESDAY = (
    datetime(2026, 3, 3, 23, 0, tzinfo=UTC),
    datetime(2026, 3, 4, 23, 0, tzinfo=UTC),
)
REMINDER = MessageKind.DAILY_REMINDER


async def _due_people(session_factory: SessionFactory, count: int) -> dict[int, int]:
    """People with today's reminder due now: their due row id -> user id."""
    async with session_factory.begin() as session:
        for n in range(count):
            user = await users.ensure_user(session, telegram_id=1000 + n, chat_id=5000 + n, now=NOW)
            await users.set_reminder_time(session, user_id=user.id, reminder_time=time(10))
            await users.activate_user(session, user_id=user.id, time_zone="Europe/Berlin")
            await due_messages.schedule_due(
                session, user_id=user.id, kind=REMINDER, due_at=NOW, local_date=TODAY
            )
        rows = await session.execute(select(DueMessage.id, DueMessage.user_id))
        return {due_id: user_id for due_id, user_id in rows}


async def _finished(
    session_factory: SessionFactory,
    user_id: int,
    at: datetime,
    status: SessionStatus = SessionStatus.COMPLETED,
) -> None:
    async with session_factory.begin() as session:
        started = await sessions.start_session(
            session,
            user_id=user_id,
            routine_key="gentle",
            first_exercise_key="pelvic_tilt",
            now=at - timedelta(minutes=20),
        )
        await sessions.finish_session(session, session_id=started.id, status=status, now=at)


async def _log(
    session_factory: SessionFactory, *, sends: Sequence[int] = (), late: Sequence[int] = ()
) -> LoggedBatch:
    async with session_factory.begin() as session:
        return await batch_log.log_claimed(
            session, sends=[SendGroup(sends, *BERLIN_WEDNESDAY)], late_ids=late, now=NOW
        )


async def _statuses(session_factory: SessionFactory) -> dict[int, SendStatus]:
    async with session_factory() as session:
        rows = await session.execute(select(SentMessage.user_id, SentMessage.status))
    return {user_id: status for user_id, status in rows}


async def test_a_batch_is_queued_with_what_the_sender_needs(
    session_factory: SessionFactory,
) -> None:
    people = await _due_people(session_factory, 3)

    logged = await _log(session_factory, sends=list(people))

    assert sorted(row[:5] for row in logged.queued) == [
        (user_id, REMINDER.value, TODAY, NOW, 5000 + n)
        for n, user_id in enumerate(sorted(people.values()))
    ]
    assert logged.skipped_done == 0
    assert set((await _statuses(session_factory)).values()) == {SendStatus.QUEUED}


async def test_a_day_keeps_the_first_fate_logged_for_it(session_factory: SessionFactory) -> None:
    people = await _due_people(session_factory, 2)
    first_due, second_due = sorted(people)
    await _log(session_factory, sends=[first_due])

    again = await _log(session_factory, sends=[second_due], late=[first_due])

    assert [row[0] for row in again.queued] == [people[second_due]]
    assert await _statuses(session_factory) == {
        people[first_due]: SendStatus.QUEUED,
        people[second_due]: SendStatus.QUEUED,
    }


async def test_late_rows_are_logged_as_skipped_and_not_handed_over(
    session_factory: SessionFactory,
) -> None:
    people = await _due_people(session_factory, 1)

    logged = await _log(session_factory, late=list(people))

    assert logged.queued == []
    assert await _statuses(session_factory) == {people[min(people)]: SendStatus.SKIPPED_LATE}


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


COMPLETED, PARTIAL, ABANDONED = (
    SessionStatus.COMPLETED,
    SessionStatus.PARTIAL,
    SessionStatus.ABANDONED,
)


@pytest.mark.parametrize(
    ("finished_at", "status", "done"),
    [
        pytest.param(utc(3, 23), COMPLETED, True, id="at local midnight"),
        pytest.param(utc(4, 6), PARTIAL, True, id="partial, that morning"),
        pytest.param(utc(4, 22, 59), COMPLETED, True, id="23:59 that day"),
        pytest.param(utc(3, 22, 59), COMPLETED, False, id="23:59 the day before"),
        pytest.param(utc(4, 23), COMPLETED, False, id="the next day"),
        pytest.param(utc(4, 6), ABANDONED, False, id="abandoned"),
    ],
)
async def test_a_session_finished_on_the_local_day_skips_that_person_only(
    session_factory: SessionFactory, finished_at: datetime, status: SessionStatus, done: bool
) -> None:
    people = await _due_people(session_factory, 2)
    trained, other = sorted(people.values())
    await _finished(session_factory, trained, finished_at, status)

    logged = await _log(session_factory, sends=list(people))

    expected = SendStatus.SKIPPED_DONE if done else SendStatus.QUEUED
    assert await _statuses(session_factory) == {trained: expected, other: SendStatus.QUEUED}
    assert logged.skipped_done == int(done)
    assert len(logged.queued) == 2 - int(done)


async def test_each_of_many_groups_is_judged_by_its_own_day(
    session_factory: SessionFactory,
) -> None:
    # 40 send groups (more than one statement shape's 32 cases), each with its own hour as
    # "the day"; then a row sent always and a late one.
    due_to_user = await _due_people(session_factory, 42)
    due_ids = sorted(due_to_user)
    hours = [NOW - timedelta(days=2) + timedelta(hours=k) for k in range(40)]
    done_in_own_hour = {5: hours[5], 39: hours[39]}
    done_in_previous_hour = {6: hours[5]}  # not in group 6's hour: still queued
    for k, hour in {**done_in_own_hour, **done_in_previous_hour}.items():
        await _finished(session_factory, due_to_user[due_ids[k]], hour + timedelta(minutes=30))

    async with session_factory.begin() as session:
        logged = await batch_log.log_claimed(
            session,
            sends=[SendGroup([due_ids[k]], h, h + timedelta(hours=1)) for k, h in enumerate(hours)],
            always_ids=[due_ids[40]],
            late_ids=[due_ids[41]],
            now=NOW,
        )

    statuses = await _statuses(session_factory)
    by_position = [statuses[due_to_user[due_id]] for due_id in due_ids]
    skipped = {k for k, status in enumerate(by_position) if status is SendStatus.SKIPPED_DONE}
    assert skipped == {5, 39}
    assert by_position[40] is SendStatus.QUEUED  # sent always, whatever the day held
    assert by_position[41] is SendStatus.SKIPPED_LATE
    assert len(logged.queued) == 39 and logged.skipped_done == 2
