"""On SQLite a due row lies among the rows due at the same time of day, and stays there as the
tick moves it from day to day; PostgreSQL keeps plain serial ids."""

from datetime import UTC, date, datetime, timedelta

from bot.db.due_placement import FIRST_PLACED_ID, id_block
from bot.db.engine import SessionFactory
from bot.db.enums import MessageKind
from bot.db.queries import due_batches, due_messages, users
from bot.db.queries.due_batches import Advance

TEN_IN_BERLIN = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
HALF_SIX_IN_BERLIN = datetime(2026, 3, 4, 17, 30, tzinfo=UTC)
TODAY = date(2026, 3, 4)
REMINDER = MessageKind.DAILY_REMINDER


def _on_sqlite(session_factory: SessionFactory) -> bool:
    return bool(session_factory.kw["bind"].dialect.name == "sqlite")


async def _person(session_factory: SessionFactory, n: int) -> int:
    async with session_factory.begin() as session:
        user = await users.ensure_user(
            session, telegram_id=1000 + n, chat_id=5000 + n, now=TEN_IN_BERLIN
        )
        return user.id


async def _schedule(session_factory: SessionFactory, user_id: int, due_at: datetime) -> None:
    async with session_factory.begin() as session:
        await due_messages.schedule_due(
            session, user_id=user_id, kind=REMINDER, due_at=due_at, local_date=TODAY
        )


async def _due_id(session_factory: SessionFactory, user_id: int) -> int:
    async with session_factory() as session:
        row = await due_messages.get_due(session, user_id=user_id, kind=REMINDER)
    assert row is not None
    return row.id


async def test_people_due_at_one_time_of_day_get_neighbouring_rows(
    session_factory: SessionFactory,
) -> None:
    people = [await _person(session_factory, n) for n in range(6)]
    # They sign up in turn, and choose 10:00 and 18:30 in turn.
    for n, user_id in enumerate(people):
        await _schedule(session_factory, user_id, (TEN_IN_BERLIN, HALF_SIX_IN_BERLIN)[n % 2])

    ids = [await _due_id(session_factory, user_id) for user_id in people]

    at_ten, at_half_six = ids[0::2], ids[1::2]
    if _on_sqlite(session_factory):
        assert at_ten == list(range(at_ten[0], at_ten[0] + 3))
        assert at_half_six == list(range(at_half_six[0], at_half_six[0] + 3))
        assert all(row_id in id_block(TEN_IN_BERLIN) for row_id in at_ten)
        assert all(row_id in id_block(HALF_SIX_IN_BERLIN) for row_id in at_half_six)
    else:
        assert ids == sorted(ids) and max(ids) < FIRST_PLACED_ID


async def test_a_row_keeps_its_place_from_day_to_day_and_moves_only_with_a_new_time(
    session_factory: SessionFactory,
) -> None:
    user_id = await _person(session_factory, 1)
    await _schedule(session_factory, user_id, TEN_IN_BERLIN)
    placed = await _due_id(session_factory, user_id)
    tomorrow = TEN_IN_BERLIN + timedelta(days=1)

    async with session_factory.begin() as session:
        await due_batches.advance_due(
            session, advances=[Advance([placed], tomorrow, TODAY + timedelta(days=1))]
        )
    after_a_day = await _due_id(session_factory, user_id)
    await _schedule(session_factory, user_id, tomorrow)  # the same time again (a /resume)
    after_the_same_time = await _due_id(session_factory, user_id)
    await _schedule(session_factory, user_id, HALF_SIX_IN_BERLIN + timedelta(days=1))
    after_a_new_time = await _due_id(session_factory, user_id)

    assert after_a_day == after_the_same_time == placed
    if _on_sqlite(session_factory):
        assert after_a_new_time in id_block(HALF_SIX_IN_BERLIN)
    else:
        assert after_a_new_time == placed
