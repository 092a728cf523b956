"""Due messages are claimed once, in due order, and a day's message is recorded only once."""

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.db.engine import SessionFactory
from bot.db.enums import SendStatus
from bot.db.models import DueMessage, SentMessage
from bot.db.queries import due_messages, users
from bot.db.queries.due_messages import ClaimedDue

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 4)
LEASE = timedelta(minutes=5)
REMINDER = "daily_reminder"


async def _make_users(session_factory: SessionFactory, count: int) -> list[int]:
    async with session_factory.begin() as session:
        return [
            (await users.ensure_user(session, telegram_id=1000 + n, chat_id=1000 + n, now=NOW)).id
            for n in range(count)
        ]


async def _schedule(
    session_factory: SessionFactory, user_id: int, due_at: datetime, kind: str = REMINDER
) -> None:
    async with session_factory.begin() as session:
        await due_messages.schedule_due(
            session, user_id=user_id, kind=kind, due_at=due_at, local_date=TODAY
        )


async def _claim(
    session_factory: SessionFactory, *, now: datetime = NOW, limit: int = 100
) -> list[ClaimedDue]:
    async with session_factory.begin() as session:
        return await due_messages.claim_due(session, now=now, limit=limit, lease=LEASE)


async def _count(session_factory: SessionFactory, model: type[DueMessage | SentMessage]) -> int:
    async with session_factory() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_scheduling_again_replaces_the_pending_row(session_factory: SessionFactory) -> None:
    [user_id] = await _make_users(session_factory, 1)
    await _schedule(session_factory, user_id, NOW - timedelta(hours=1))
    await _claim(session_factory)
    await _schedule(session_factory, user_id, NOW + timedelta(hours=1))
    await _schedule(session_factory, user_id, NOW, kind="snooze")

    async with session_factory() as session:
        rows = list((await session.execute(select(DueMessage).order_by(DueMessage.kind))).scalars())
    assert [(row.kind, row.next_due_at) for row in rows] == [
        (REMINDER, NOW + timedelta(hours=1)),
        ("snooze", NOW),
    ]
    assert rows[0].claimed_until is None and rows[0].attempts == 0


async def test_claim_takes_only_due_rows_earliest_first_up_to_the_limit(
    session_factory: SessionFactory,
) -> None:
    user_ids = await _make_users(session_factory, 4)
    offsets = [-1, -30, 0, 1]  # minutes from NOW; the last one is not due yet
    for user_id, minutes in zip(user_ids, offsets, strict=True):
        await _schedule(session_factory, user_id, NOW + timedelta(minutes=minutes))

    first = await _claim(session_factory, limit=2)
    rest = await _claim(session_factory, limit=2)

    assert [due.user_id for due in first] == [user_ids[1], user_ids[0]]
    assert [due.user_id for due in rest] == [user_ids[2]]
    assert first[0].next_due_at == NOW - timedelta(minutes=30)
    assert first[0].local_date == TODAY and first[0].attempts == 1


async def test_a_claim_holds_until_its_lease_ends(session_factory: SessionFactory) -> None:
    [user_id] = await _make_users(session_factory, 1)
    await _schedule(session_factory, user_id, NOW)

    assert len(await _claim(session_factory)) == 1
    assert await _claim(session_factory, now=NOW + LEASE - timedelta(seconds=1)) == []
    assert await _claim(session_factory, now=NOW + LEASE) == []
    again = await _claim(session_factory, now=NOW + LEASE + timedelta(seconds=1))
    assert [(due.user_id, due.attempts) for due in again] == [(user_id, 2)]


async def test_advancing_releases_the_row_for_its_next_occurrence(
    session_factory: SessionFactory,
) -> None:
    [user_id] = await _make_users(session_factory, 1)
    await _schedule(session_factory, user_id, NOW)
    [claimed] = await _claim(session_factory)
    tomorrow = NOW + timedelta(days=1)
    async with session_factory.begin() as session:
        await due_messages.advance_due(
            session, due_id=claimed.id, next_due_at=tomorrow, local_date=TODAY + timedelta(days=1)
        )

    assert await _claim(session_factory, now=tomorrow - timedelta(seconds=1)) == []
    [next_one] = await _claim(session_factory, now=tomorrow)
    assert next_one.local_date == TODAY + timedelta(days=1) and next_one.attempts == 1


async def test_deleting_the_due_row_stops_it(session_factory: SessionFactory) -> None:
    [user_id] = await _make_users(session_factory, 1)
    await _schedule(session_factory, user_id, NOW)
    async with session_factory.begin() as session:
        await due_messages.delete_due(session, user_id=user_id, kind=REMINDER)
    assert await _claim(session_factory) == []


async def test_a_send_is_recorded_once_per_local_date(session_factory: SessionFactory) -> None:
    [user_id] = await _make_users(session_factory, 1)
    results = []
    for local_date in (TODAY, TODAY, TODAY + timedelta(days=1)):
        async with session_factory.begin() as session:
            results.append(
                await due_messages.record_send_intent(
                    session, user_id=user_id, kind=REMINDER, local_date=local_date, now=NOW
                )
            )
    assert results == [True, False, True]


async def test_send_status_is_updated_in_place(session_factory: SessionFactory) -> None:
    [user_id] = await _make_users(session_factory, 1)
    tomorrow = TODAY + timedelta(days=1)
    async with session_factory.begin() as session:
        for local_date in (TODAY, tomorrow):
            await due_messages.record_send_intent(
                session, user_id=user_id, kind=REMINDER, local_date=local_date, now=NOW
            )
        await due_messages.mark_sent(
            session, user_id=user_id, kind=REMINDER, local_date=TODAY, now=NOW
        )
        await due_messages.mark_skipped_late(
            session, user_id=user_id, kind=REMINDER, local_date=tomorrow
        )
    async with session_factory() as session:
        rows = (
            await session.execute(
                select(SentMessage.status, SentMessage.sent_at).order_by(SentMessage.local_date)
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        (SendStatus.SENT, NOW),
        (SendStatus.SKIPPED_LATE, None),
    ]


async def test_deleting_a_person_deletes_their_messages(session_factory: SessionFactory) -> None:
    [user_id] = await _make_users(session_factory, 1)
    await _schedule(session_factory, user_id, NOW)
    async with session_factory.begin() as session:
        await due_messages.record_send_intent(
            session, user_id=user_id, kind=REMINDER, local_date=TODAY, now=NOW
        )
        user = await users.get_user(session, telegram_id=1000)
        await session.delete(user)

    assert await _count(session_factory, DueMessage) == 0
    assert await _count(session_factory, SentMessage) == 0


async def test_concurrent_claimers_claim_every_row_exactly_once(
    session_factory: SessionFactory, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has a single writer; concurrent claims need PostgreSQL row locks")
    user_ids = await _make_users(session_factory, 200)
    async with session_factory.begin() as session:
        for n, user_id in enumerate(user_ids):
            await due_messages.schedule_due(
                session,
                user_id=user_id,
                kind=REMINDER,
                due_at=NOW - timedelta(seconds=n),
                local_date=TODAY,
            )

    async def claimer() -> list[int]:
        taken: list[int] = []
        while batch := await _claim(session_factory, limit=7):
            taken.extend(due.id for due in batch)
        return taken

    claimed = [
        due_id for taken in await asyncio.gather(*(claimer() for _ in range(4))) for due_id in taken
    ]

    assert len(claimed) == 200 and len(set(claimed)) == 200
    assert await _claim(session_factory) == []
