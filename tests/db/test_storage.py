"""The database keeps what people do, exactly, on SQLite and PostgreSQL."""

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError, InvalidRequestError, StatementError

from bot.db.engine import SessionFactory, read_only
from bot.db.enums import PainContext, StepOutcome
from bot.db.models import PainReport
from bot.db.queries import pain, sessions, users
from bot.db.queries.conversations import load_conversation_states, save_conversation_state

NOW = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


async def test_timestamps_come_back_aware_and_in_utc(session_factory: SessionFactory) -> None:
    berlin_summer = timezone(timedelta(hours=2))
    async with session_factory.begin() as session:
        user = await users.ensure_user(
            session, telegram_id=2**40, chat_id=2**40, now=NOW.astimezone(berlin_summer)
        )
    async with session_factory() as session:
        found = await users.get_user(session, telegram_id=2**40)
    assert found is not None and found.created_at == NOW and found.created_at.tzinfo == UTC
    assert user.telegram_id == 2**40  # BigInteger: ids beyond 32 bits survive


async def test_naive_timestamps_are_refused(session_factory: SessionFactory) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        async with session_factory.begin() as session:
            await users.ensure_user(session, telegram_id=1, chat_id=1, now=datetime(2026, 1, 1))


async def test_a_known_person_is_never_overwritten(session_factory: SessionFactory) -> None:
    async with session_factory.begin() as session:
        first = await users.ensure_user(session, telegram_id=7, chat_id=7, now=NOW)
        await users.record_consent(session, user_id=first.id, now=NOW)
    async with session_factory.begin() as session:
        again = await users.ensure_user(
            session, telegram_id=7, chat_id=7, now=NOW + timedelta(days=3)
        )
    assert again.id == first.id and again.consented_at == NOW and again.created_at == NOW


async def test_a_step_is_recorded_once_however_often_it_is_pressed(
    session_factory: SessionFactory,
) -> None:
    async with session_factory.begin() as session:
        user = await users.ensure_user(session, telegram_id=8, chat_id=8, now=NOW)
        started = await sessions.start_session(
            session, user_id=user.id, routine_key="r", first_exercise_key="e", now=NOW
        )
    results = []
    for _ in range(2):
        async with session_factory.begin() as session:
            results.append(
                await sessions.record_step_result(
                    session,
                    session_id=started.id,
                    position=0,
                    exercise_key="e",
                    outcome=StepOutcome.DONE,
                    now=NOW,
                )
            )
    async with session_factory() as session:
        outcomes = await sessions.list_step_results(session, session_id=started.id)
    assert results == [True, False] and outcomes == [(0, StepOutcome.DONE)]


async def test_pain_outside_zero_to_ten_cannot_be_stored(session_factory: SessionFactory) -> None:
    async with session_factory.begin() as session:
        user = await users.ensure_user(session, telegram_id=9, chat_id=9, now=NOW)
    with pytest.raises(IntegrityError):
        async with session_factory.begin() as session:
            session.add(
                PainReport(user_id=user.id, score=11, context=PainContext.BASELINE, reported_at=NOW)
            )


async def test_latest_baseline_is_the_newest(session_factory: SessionFactory) -> None:
    async with session_factory.begin() as session:
        user = await users.ensure_user(session, telegram_id=10, chat_id=10, now=NOW)
        for score, days in ((6, 0), (4, 1)):
            await pain.record_pain(
                session,
                user_id=user.id,
                score=score,
                context=PainContext.BASELINE,
                now=NOW + timedelta(days=days),
            )
    async with session_factory() as session:
        assert await pain.latest_baseline(session, user_id=user.id) == 4


async def test_conversation_states_round_trip_and_end(session_factory: SessionFactory) -> None:
    key = (123456789012, 123456789012)
    async with session_factory.begin() as session:
        await save_conversation_state(session, name="routine", key=key, state="rating_pain")
        await save_conversation_state(session, name="routine", key=key, state="doing_exercise")
    async with session_factory() as session:
        assert await load_conversation_states(session, name="routine") == {key: "doing_exercise"}
    async with session_factory.begin() as session:
        await save_conversation_state(session, name="routine", key=key, state=None)
    async with session_factory() as session:
        assert await load_conversation_states(session, name="routine") == {}


async def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(
    session_factory: SessionFactory, database_url: str
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite connection settings")
    async with session_factory() as session:
        pragmas = [
            (await session.execute(text(f"PRAGMA {name}"))).scalar_one()
            for name in ("journal_mode", "foreign_keys", "busy_timeout")
        ]
    assert pragmas == ["wal", 1, 5000]


async def test_a_read_only_session_cannot_write(session_factory: SessionFactory) -> None:
    with pytest.raises((InvalidRequestError, DBAPIError), match="read-only"):
        async with read_only(session_factory) as session:
            await users.ensure_user(session, telegram_id=11, chat_id=11, now=NOW)
            await session.commit()
    async with session_factory() as session:
        assert await users.get_user(session, telegram_id=11) is None


async def test_a_read_only_session_never_waits_for_a_writer(
    session_factory: SessionFactory,
) -> None:
    async with session_factory.begin() as session:
        user = await users.ensure_user(session, telegram_id=12, chat_id=12, now=NOW)
    async with session_factory.begin() as writer:
        await users.record_consent(writer, user_id=user.id, now=NOW)
        async with asyncio.timeout(2), read_only(session_factory) as reader:
            found = await users.get_user(reader, telegram_id=12)
    assert found is not None and found.consented_at is None  # as it was before the write


async def test_sqlite_writers_take_turns_in_the_order_they_asked(
    session_factory: SessionFactory, database_url: str
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL writers wait on row locks only")

    async def look() -> None:
        async with read_only(session_factory) as session:
            await session.execute(text("SELECT 1"))
            await asyncio.sleep(0.01)

    await asyncio.gather(*(look() for _ in range(5)))  # no writer waits on a new connection
    order: list[int] = []

    async def write(n: int) -> None:
        async with session_factory.begin() as session:
            await users.ensure_user(session, telegram_id=100 + n, chat_id=100 + n, now=NOW)
            order.append(n)

    async with session_factory.begin() as first:
        await users.ensure_user(first, telegram_id=99, chat_id=99, now=NOW)
        writers = []
        for n in range(4):
            writers.append(asyncio.create_task(write(n)))
            await asyncio.sleep(0.05)
    await asyncio.wait_for(asyncio.gather(*writers), timeout=5)
    assert order == [0, 1, 2, 3]


async def test_the_write_turn_comes_back_however_a_transaction_ends(
    session_factory: SessionFactory,
) -> None:
    async with session_factory.begin() as session:
        user = await users.ensure_user(session, telegram_id=13, chat_id=13, now=NOW)
    with pytest.raises(IntegrityError):
        async with session_factory.begin() as session:
            session.add(
                PainReport(user_id=user.id, score=11, context=PainContext.BASELINE, reported_at=NOW)
            )
    async with session_factory() as session:  # the connection is lost mid-transaction
        await users.record_consent(session, user_id=user.id, now=NOW)
        await (await session.connection()).invalidate()
    async with asyncio.timeout(2), session_factory.begin() as session:
        await users.record_consent(session, user_id=user.id, now=NOW)
