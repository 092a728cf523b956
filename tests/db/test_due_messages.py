"""Due messages are claimed in due order and moved on; a day's message is logged only once."""

import asyncio
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from bot.db.engine import SessionFactory
from bot.db.enums import MessageKind, SendStatus, UserStatus
from bot.db.models import DueMessage, SentMessage
from bot.db.queries import due_batches, due_messages, send_log, users
from bot.db.queries.due_batches import Advance, DueGroup
from scheduler.dispatch import Dispatcher
from scheduler.sender import Outgoing

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
SUMMARY_AT = time(19)
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
) -> list[DueGroup]:
    async with session_factory.begin() as session:
        return await due_batches.claim_due_groups(session, now=now, limit=limit)


async def _claimed_people(
    session_factory: SessionFactory, *, now: datetime = NOW, limit: int = 100
) -> set[int]:
    """Whose rows a claim takes (and lets go again: the claim's transaction advances nothing)."""
    due_ids = [
        due_id
        for group in await _claim(session_factory, now=now, limit=limit)
        for due_id in group.due_ids
    ]
    async with session_factory() as session:
        rows = await session.execute(select(DueMessage.user_id).where(DueMessage.id.in_(due_ids)))
    return set(rows.scalars())


async def _log(
    session_factory: SessionFactory,
    user_id: int,
    status: SendStatus,
    *,
    local_date: date = TODAY,
    kind: MessageKind = REMINDER,
) -> None:
    """A send log row, as the tick would have written it."""
    async with session_factory.begin() as session:
        session.add(
            SentMessage(
                user_id=user_id,
                kind=kind,
                local_date=local_date,
                due_at=NOW,
                status=status,
                created_at=NOW,
            )
        )


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

    first_two = await _claimed_people(session_factory, limit=2)
    every_due = await _claimed_people(session_factory)

    assert first_two == {user_ids[1], user_ids[0]}
    assert every_due == {user_ids[1], user_ids[0], user_ids[2]}


async def test_a_claim_carries_what_deciding_needs(session_factory: SessionFactory) -> None:
    [user_id] = await _make_users(session_factory, 1)
    await _schedule(session_factory, user_id, NOW - timedelta(minutes=5))

    [group] = await _claim(session_factory)

    assert (group.kind, group.due_at, group.local_date) == (
        REMINDER,
        NOW - timedelta(minutes=5),
        TODAY,
    )
    assert (group.status, group.time_zone, group.reminder_time, group.reminder_days) == (
        UserStatus.ACTIVE,
        "Europe/Berlin",
        time(10),
        "0123456",
    )
    assert (group.reminders_paused, group.reminders_resume_on) == (False, None)


async def test_rows_due_together_under_one_plan_come_as_one_group(
    session_factory: SessionFactory,
) -> None:
    user_ids = await _make_users(session_factory, 5)
    for user_id in user_ids:
        await _schedule(session_factory, user_id, NOW)
    async with session_factory.begin() as session:
        await users.update_reminder_settings(session, user_id=user_ids[0], reminders_paused=True)
    await _schedule(session_factory, user_ids[1], NOW, kind=SNOOZE)
    await _schedule(session_factory, user_ids[2], NOW - timedelta(minutes=1))

    groups = await _claim(session_factory)

    shapes = sorted((len(g.due_ids), g.kind, g.due_at, g.reminders_paused) for g in groups)
    assert shapes == [
        (1, REMINDER, NOW - timedelta(minutes=1), False),
        (1, REMINDER, NOW, True),
        (1, SNOOZE, NOW, False),
        (3, REMINDER, NOW, False),
    ]


async def test_advancing_moves_each_row_to_its_own_next_occurrence(
    session_factory: SessionFactory,
) -> None:
    first, second, third = await _make_users(session_factory, 3)
    for user_id in (first, second, third):
        await _schedule(session_factory, user_id, NOW)
    tomorrow, monday = NOW + timedelta(days=1), NOW + timedelta(days=5)
    async with session_factory.begin() as session:
        [group] = await due_batches.claim_due_groups(session, now=NOW, limit=10)
        ids = sorted(group.due_ids)
        await due_batches.advance_due(
            session,
            advances=[
                Advance(ids[:2], tomorrow, TOMORROW),
                Advance(ids[2:], monday, monday.date()),
            ],
        )

    assert await _claim(session_factory, now=tomorrow - timedelta(seconds=1)) == []
    assert await _claimed_people(session_factory, now=tomorrow) == {first, second}
    async with session_factory() as session:
        due = await due_messages.get_due(session, user_id=third, kind=REMINDER)
        assert due is not None and (due.next_due_at, due.local_date) == (monday, monday.date())
        assert await due_batches.earliest_due(session) == tomorrow


async def test_nothing_scheduled_has_no_earliest_due_time(session_factory: SessionFactory) -> None:
    async with session_factory() as session:
        assert await due_batches.earliest_due(session) is None


async def test_a_claimed_row_is_skipped_by_other_claimers_until_released(
    session_factory: SessionFactory, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer: a second claimer waits instead of skipping")
    user_ids = await _make_users(session_factory, 2)
    for user_id in user_ids:
        await _schedule(session_factory, user_id, NOW)

    async with session_factory.begin() as holder:
        [held] = await due_batches.claim_due_groups(holder, now=NOW, limit=1)
        others = await _claim(session_factory)
        assert [len(group.due_ids) for group in others] == [1]
        assert others[0].due_ids != held.due_ids
    assert await _claimed_people(session_factory) == set(user_ids)


async def test_deleting_stops_only_the_kinds_named(session_factory: SessionFactory) -> None:
    [user_id] = await _make_users(session_factory, 1)
    await _schedule(session_factory, user_id, NOW)
    await _schedule(session_factory, user_id, NOW, kind=SNOOZE)
    async with session_factory.begin() as session:
        await due_messages.delete_due(session, user_id=user_id, kinds=[REMINDER])

    assert [group.kind for group in await _claim(session_factory)] == [SNOOZE]


async def test_a_claimed_row_with_no_next_occurrence_is_deleted(
    session_factory: SessionFactory,
) -> None:
    [user_id] = await _make_users(session_factory, 1)
    await _schedule(session_factory, user_id, NOW, kind=SNOOZE)
    async with session_factory.begin() as session:
        [group] = await due_batches.claim_due_groups(session, now=NOW, limit=10)
        await due_batches.delete_due_rows(session, due_ids=group.due_ids)

    assert await _claim(session_factory, now=NOW + timedelta(days=30)) == []


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
            summary_at=SUMMARY_AT,
        )
        for queue in queues
    ]

    await asyncio.gather(*(dispatcher.tick() for dispatcher in dispatchers))

    keys = [item.key for queue in queues for item in queue]
    assert sorted(keys) == sorted((user_id, REMINDER.value, TODAY) for user_id in user_ids)
    assert sum(1 for queue in queues if queue) > 1  # the work really was shared
    async with session_factory() as session:
        counts = await send_log.count_by_status(session, kind=REMINDER)
        assert await due_batches.claim_due_groups(session, now=NOW, limit=1) == []
    assert counts == {SendStatus.QUEUED: 200}


async def test_each_of_many_rows_moves_to_its_own_destination(
    session_factory: SessionFactory,
) -> None:
    # 40 destinations: more than one statement shape's 32 cases.
    people = await _make_users(session_factory, 40)
    for user_id in people:
        await _schedule(session_factory, user_id, NOW)
    async with session_factory.begin() as session:
        [group] = await due_batches.claim_due_groups(session, now=NOW, limit=50)
        rows = await session.execute(select(DueMessage.user_id, DueMessage.id))
        by_user = {user_id: due_id for user_id, due_id in rows}
        assert sorted(by_user.values()) == sorted(group.due_ids)
        destinations = [NOW + timedelta(hours=k + 1) for k in range(40)]
        await due_batches.advance_due(
            session,
            advances=[
                Advance([by_user[user_id]], to, to.date())
                for user_id, to in zip(people, destinations, strict=True)
            ],
        )

    async with session_factory() as session:
        for user_id, to in zip(people, destinations, strict=True):
            due = await due_messages.get_due(session, user_id=user_id, kind=REMINDER)
            assert due is not None and (due.next_due_at, due.local_date) == (to, to.date())
