"""Due messages are claimed in due order and moved on; a day's message is logged only once."""

import asyncio
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from bot.db.engine import SessionFactory
from bot.db.enums import MessageKind, SendStatus
from bot.db.models import DueMessage, SentMessage
from bot.db.queries import due_messages, send_log, users
from bot.db.queries.due_messages import Advance, DueRow
from bot.db.queries.send_log import LogEntry
from scheduler.dispatch import Dispatcher
from scheduler.sender import Outgoing

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 4)
TOMORROW = TODAY + timedelta(days=1)
REMINDER, SNOOZE = MessageKind.DAILY_REMINDER, MessageKind.SNOOZE


async def _make_users(session_factory: SessionFactory, count: int) -> list[int]:
    """Active people with a daily reminder at 10:00 in Berlin (09:00 UTC in March)."""
    async with session_factory.begin() as session:
        ids = []
        for n in range(count):
            user = await users.ensure_user(session, telegram_id=1000 + n, chat_id=5000 + n, now=NOW)
            await users.set_reminder_time(session, user_id=user.id, reminder_time=time(10))
            await users.activate_user(session, user_id=user.id, time_zone="Europe/Berlin")
            ids.append(user.id)
        return ids


async def _schedule(
    session_factory: SessionFactory,
    user_id: int,
    due_at: datetime,
    *,
    kind: MessageKind = REMINDER,
    local_date: date = TODAY,
) -> None:
    async with session_factory.begin() as session:
        await due_messages.schedule_due(
            session, user_id=user_id, kind=kind, due_at=due_at, local_date=local_date
        )


async def _claim(
    session_factory: SessionFactory, *, now: datetime = NOW, limit: int = 100
) -> list[DueRow]:
    async with session_factory.begin() as session:
        return await due_messages.claim_due(session, now=now, limit=limit)


async def _log(
    session_factory: SessionFactory,
    user_id: int,
    status: SendStatus,
    *,
    local_date: date = TODAY,
    kind: MessageKind = REMINDER,
) -> None:
    entry = LogEntry(user_id, kind, local_date, NOW, status)
    async with session_factory.begin() as session:
        await send_log.log_sends(session, entries=[entry], now=NOW)


async def _statuses(session_factory: SessionFactory) -> list[tuple[date, SendStatus]]:
    async with session_factory() as session:
        rows = await session.execute(
            select(SentMessage.local_date, SentMessage.status).order_by(SentMessage.local_date)
        )
    return [(row.local_date, row.status) for row in rows]


async def _count(session_factory: SessionFactory, model: type[DueMessage | SentMessage]) -> int:
    async with session_factory() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_scheduling_again_replaces_the_pending_row(session_factory: SessionFactory) -> None:
    [user_id] = await _make_users(session_factory, 1)
    await _schedule(session_factory, user_id, NOW - timedelta(hours=1))
    await _schedule(session_factory, user_id, NOW + timedelta(days=1), local_date=TOMORROW)
    await _schedule(session_factory, user_id, NOW, kind=SNOOZE)

    async with session_factory() as session:
        rows = list((await session.execute(select(DueMessage).order_by(DueMessage.kind))).scalars())
    assert [(row.kind, row.next_due_at, row.local_date) for row in rows] == [
        (REMINDER, NOW + timedelta(days=1), TOMORROW),
        (SNOOZE, NOW, TODAY),
    ]


async def test_claim_takes_only_due_rows_earliest_first_up_to_the_limit(
    session_factory: SessionFactory,
) -> None:
    user_ids = await _make_users(session_factory, 4)
    offsets = [-1, -30, 0, 1]  # minutes from NOW; the last one is not due yet
    for user_id, minutes in zip(user_ids, offsets, strict=True):
        await _schedule(session_factory, user_id, NOW + timedelta(minutes=minutes))

    first_two = await _claim(session_factory, limit=2)
    every_due = await _claim(session_factory)

    assert [due.user_id for due in first_two] == [user_ids[1], user_ids[0]]
    assert [due.user_id for due in every_due] == [user_ids[1], user_ids[0], user_ids[2]]


async def test_a_claim_carries_what_deciding_needs(session_factory: SessionFactory) -> None:
    [user_id] = await _make_users(session_factory, 1)
    await _schedule(session_factory, user_id, NOW - timedelta(minutes=5))

    [due] = await _claim(session_factory)

    assert (due.user_id, due.kind, due.due_at, due.local_date) == (
        user_id,
        REMINDER,
        NOW - timedelta(minutes=5),
        TODAY,
    )
    assert (due.chat_id, due.time_zone, due.reminder_time, due.reminder_days) == (
        5000,
        "Europe/Berlin",
        time(10),
        "0123456",
    )
    assert (due.reminders_paused, due.reminders_resume_on) == (False, None)


async def test_advancing_releases_the_row_until_its_next_occurrence(
    session_factory: SessionFactory,
) -> None:
    [user_id] = await _make_users(session_factory, 1)
    await _schedule(session_factory, user_id, NOW)
    tomorrow = NOW + timedelta(days=1)
    async with session_factory.begin() as session:
        [claimed] = await due_messages.claim_due(session, now=NOW, limit=10)
        await due_messages.advance_due(session, advances=[Advance(claimed.id, tomorrow, TOMORROW)])

    assert await _claim(session_factory, now=tomorrow - timedelta(seconds=1)) == []
    [next_one] = await _claim(session_factory, now=tomorrow)
    assert (next_one.due_at, next_one.local_date) == (tomorrow, TOMORROW)


async def test_a_claimed_row_is_skipped_by_other_claimers_until_released(
    session_factory: SessionFactory, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer: a second claimer waits instead of skipping")
    user_ids = await _make_users(session_factory, 2)
    for user_id in user_ids:
        await _schedule(session_factory, user_id, NOW)

    async with session_factory.begin() as holder:
        [held] = await due_messages.claim_due(holder, now=NOW, limit=1)
        others = await _claim(session_factory)
        assert [due.user_id for due in others] == [
            user_id for user_id in user_ids if user_id != held.user_id
        ]
    assert len(await _claim(session_factory)) == 2


async def test_deleting_stops_only_the_kinds_named(session_factory: SessionFactory) -> None:
    [user_id] = await _make_users(session_factory, 1)
    await _schedule(session_factory, user_id, NOW)
    await _schedule(session_factory, user_id, NOW, kind=SNOOZE)
    async with session_factory.begin() as session:
        await due_messages.delete_due(session, user_id=user_id, kinds=[REMINDER])

    assert [due.kind for due in await _claim(session_factory)] == [SNOOZE]


async def test_a_claimed_row_with_no_next_occurrence_is_deleted(
    session_factory: SessionFactory,
) -> None:
    [user_id] = await _make_users(session_factory, 1)
    await _schedule(session_factory, user_id, NOW, kind=SNOOZE)
    async with session_factory.begin() as session:
        claimed = await due_messages.claim_due(session, now=NOW, limit=10)
        await due_messages.delete_due_rows(session, due_ids=[due.id for due in claimed])

    assert await _claim(session_factory, now=NOW + timedelta(days=30)) == []


async def test_a_day_keeps_the_first_fate_logged_for_it(session_factory: SessionFactory) -> None:
    [user_id] = await _make_users(session_factory, 1)
    await _log(session_factory, user_id, SendStatus.QUEUED)
    await _log(session_factory, user_id, SendStatus.SKIPPED_LATE)
    await _log(session_factory, user_id, SendStatus.SKIPPED_DONE, local_date=TOMORROW)

    assert await _statuses(session_factory) == [
        (TODAY, SendStatus.QUEUED),
        (TOMORROW, SendStatus.SKIPPED_DONE),
    ]


async def test_only_one_sender_gets_to_send_a_queued_message(
    session_factory: SessionFactory,
) -> None:
    [user_id] = await _make_users(session_factory, 1)
    await _log(session_factory, user_id, SendStatus.QUEUED)

    results = []
    for _ in range(2):
        async with session_factory.begin() as session:
            moved = await send_log.settle_queued(
                session, user_id=user_id, kind=REMINDER, local_date=TODAY, to=SendStatus.SENDING
            )
            results.append(moved)

    assert results == [True, False]
    assert await _statuses(session_factory) == [(TODAY, SendStatus.SENDING)]


async def test_a_skipped_message_cannot_be_sent(session_factory: SessionFactory) -> None:
    [user_id] = await _make_users(session_factory, 1)
    await _log(session_factory, user_id, SendStatus.SKIPPED_LATE)
    async with session_factory.begin() as session:
        moved = await send_log.settle_queued(
            session, user_id=user_id, kind=REMINDER, local_date=TODAY, to=SendStatus.SENDING
        )
    assert moved is False


async def test_a_finished_send_records_when_it_was_sent(session_factory: SessionFactory) -> None:
    [user_id] = await _make_users(session_factory, 1)
    await _log(session_factory, user_id, SendStatus.QUEUED)
    sent_at = NOW + timedelta(seconds=3)
    async with session_factory.begin() as session:
        await send_log.settle_queued(
            session, user_id=user_id, kind=REMINDER, local_date=TODAY, to=SendStatus.SENDING
        )
        await send_log.finish_send(
            session,
            user_id=user_id,
            kind=REMINDER,
            local_date=TODAY,
            status=SendStatus.SENT,
            now=sent_at,
        )
    async with session_factory() as session:
        row = (await session.execute(select(SentMessage))).scalar_one()
    assert (row.status, row.sent_at, row.due_at) == (SendStatus.SENT, sent_at, NOW)


async def test_only_queued_messages_are_listed_for_the_sender(
    session_factory: SessionFactory,
) -> None:
    first, second, third = await _make_users(session_factory, 3)
    await _log(session_factory, first, SendStatus.QUEUED)
    await _log(session_factory, second, SendStatus.SKIPPED_LATE)
    await _log(session_factory, third, SendStatus.QUEUED, kind=SNOOZE)
    async with session_factory() as session:
        queued = await send_log.list_queued(session, limit=10)
    assert [(item.user_id, item.kind, item.chat_id) for item in queued] == [
        (first, REMINDER, 5000),
        (third, SNOOZE, 5002),
    ]


async def test_deleting_a_person_deletes_their_messages(session_factory: SessionFactory) -> None:
    [user_id] = await _make_users(session_factory, 1)
    await _schedule(session_factory, user_id, NOW)
    await _log(session_factory, user_id, SendStatus.QUEUED)
    async with session_factory.begin() as session:
        await session.delete(await users.get_user_by_id(session, user_id=user_id))

    assert await _count(session_factory, DueMessage) == 0
    assert await _count(session_factory, SentMessage) == 0


async def test_concurrent_dispatchers_queue_every_reminder_exactly_once(
    session_factory: SessionFactory, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has a single writer; concurrent claims need PostgreSQL row locks")
    user_ids = await _make_users(session_factory, 200)
    # Everyone's 10:00 reminder in Berlin falls due in the same minute.
    async with session_factory.begin() as session:
        for user_id in user_ids:
            await due_messages.schedule_due(
                session, user_id=user_id, kind=REMINDER, due_at=NOW, local_date=TODAY
            )
    queues: list[list[Outgoing]] = [[] for _ in range(4)]
    dispatchers = [
        Dispatcher(
            session_factory,
            clock=lambda: NOW,
            grace=timedelta(hours=3),
            batch_size=7,
            enqueue=queue.append,
        )
        for queue in queues
    ]

    await asyncio.gather(*(dispatcher.tick() for dispatcher in dispatchers))

    keys = [item.key for queue in queues for item in queue]
    assert sorted(keys) == sorted((user_id, REMINDER.value, TODAY) for user_id in user_ids)
    assert sum(1 for queue in queues if queue) > 1  # the work really was shared
    async with session_factory() as session:
        counts = await send_log.count_by_status(session, kind=REMINDER)
        assert await due_messages.claim_due(session, now=NOW, limit=1) == []
    assert counts == {SendStatus.QUEUED: 200}
