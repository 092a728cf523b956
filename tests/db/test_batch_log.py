"""A claimed batch is logged in one statement: each day once, queued or skipped as late."""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from sqlalchemy import select

from bot.db.engine import SessionFactory
from bot.db.enums import MessageKind, SendStatus
from bot.db.models import DueMessage, SentMessage
from bot.db.queries import batch_log, due_messages, users

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 4)
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


async def _log(
    session_factory: SessionFactory, *, sends: Sequence[int] = (), late: Sequence[int] = ()
) -> list[tuple[int, str]]:
    async with session_factory.begin() as session:
        return await batch_log.log_claimed(session, queued_ids=sends, late_ids=late, now=NOW)


async def _statuses(session_factory: SessionFactory) -> dict[int, SendStatus]:
    async with session_factory() as session:
        rows = await session.execute(select(SentMessage.user_id, SentMessage.status))
    return {user_id: status for user_id, status in rows}


async def test_a_batch_is_queued_and_each_queued_row_named(
    session_factory: SessionFactory,
) -> None:
    people = await _due_people(session_factory, 3)

    queued = await _log(session_factory, sends=list(people))

    assert sorted(queued) == [(user_id, REMINDER.value) for user_id in sorted(people.values())]
    assert set((await _statuses(session_factory)).values()) == {SendStatus.QUEUED}


async def test_a_day_keeps_the_first_fate_logged_for_it(session_factory: SessionFactory) -> None:
    people = await _due_people(session_factory, 2)
    first_due, second_due = sorted(people)
    await _log(session_factory, sends=[first_due])

    again = await _log(session_factory, sends=[second_due], late=[first_due])

    assert [row[0] for row in again] == [people[second_due]]
    assert await _statuses(session_factory) == {
        people[first_due]: SendStatus.QUEUED,
        people[second_due]: SendStatus.QUEUED,
    }


async def test_late_rows_are_logged_as_skipped_and_not_handed_over(
    session_factory: SessionFactory,
) -> None:
    people = await _due_people(session_factory, 1)

    queued = await _log(session_factory, late=list(people))

    assert queued == []
    assert await _statuses(session_factory) == {people[min(people)]: SendStatus.SKIPPED_LATE}


async def test_each_row_gets_the_fate_of_its_own_list(session_factory: SessionFactory) -> None:
    due_to_user = await _due_people(session_factory, 41)
    due_ids = sorted(due_to_user)
    # Interleaved, so a fate by position in the table (rather than in the lists) would fail.
    sends, late = due_ids[0::2], due_ids[1::2]

    queued = await _log(session_factory, sends=sends, late=late)

    statuses = await _statuses(session_factory)
    assert {statuses[due_to_user[due_id]] for due_id in sends} == {SendStatus.QUEUED}
    assert {statuses[due_to_user[due_id]] for due_id in late} == {SendStatus.SKIPPED_LATE}
    assert sorted(row[0] for row in queued) == sorted(due_to_user[due_id] for due_id in sends)
