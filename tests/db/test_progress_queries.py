"""/progress queries on SQLite and PostgreSQL: local dates across DST changes, in the zone in
force now for the whole history, the best status per day, daily pain averages."""

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.coaching.adherence import DayDone
from bot.db.engine import SessionFactory
from bot.db.enums import PainContext, SessionStatus
from bot.db.models import PainReport, RoutineSession
from bot.db.queries import progress, users
from scheduler.due_times import local_date_of

SINCE = datetime(2026, 1, 1, tzinfo=UTC)
UNTIL = datetime(2026, 12, 31, tzinfo=UTC)
# Around the spring and autumn changes in Berlin, New York and Adelaide (+10:30 / +9:30).
INSTANTS = [
    datetime(2026, month, day, hour, minute, tzinfo=UTC)
    for month, day in ((3, 28), (3, 29), (4, 4), (4, 5), (10, 3), (10, 4), (10, 24), (10, 25))
    for hour, minute in ((0, 10), (13, 25), (14, 35), (22, 30), (23, 45))
]


async def _person(session_factory: SessionFactory) -> int:
    async with session_factory.begin() as session:
        user = await users.ensure_user(session, telegram_id=21, chat_id=1, now=SINCE)
    return user.id


async def _add_sessions(
    session_factory: SessionFactory, user_id: int, done: list[tuple[datetime, SessionStatus]]
) -> None:
    async with session_factory.begin() as session:
        session.add_all(
            RoutineSession(
                user_id=user_id, routine_key="r", status=status, started_at=at, finished_at=at
            )
            for at, status in done
        )


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Australia/Adelaide"])
async def test_sessions_fall_on_the_local_date_of_the_zone_in_force(
    session_factory: SessionFactory, zone: str
) -> None:
    user_id = await _person(session_factory)
    await _add_sessions(session_factory, user_id, [(at, SessionStatus.PARTIAL) for at in INSTANTS])
    async with session_factory() as session:
        found = await progress.list_day_statuses(
            session, user_id=user_id, zone=zone, since=SINCE, until=UNTIL
        )
    assert found == {local_date_of(at, zone): DayDone.PARTIAL for at in INSTANTS}


async def test_a_change_of_zone_moves_every_past_session_to_the_new_zones_dates(
    session_factory: SessionFactory,
) -> None:
    user_id = await _person(session_factory)
    late_evening_in_berlin = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)  # 00:30 on the 11th
    await _add_sessions(
        session_factory, user_id, [(late_evening_in_berlin, SessionStatus.COMPLETED)]
    )
    async with session_factory() as session:
        for zone, day in (("Europe/Berlin", 11), ("America/Chicago", 10)):
            found = await progress.list_day_statuses(
                session, user_id=user_id, zone=zone, since=SINCE, until=UNTIL
            )
            assert found == {date(2026, 3, day): DayDone.COMPLETED}


async def test_the_best_session_of_a_day_counts_and_unfinished_ones_do_not(
    session_factory: SessionFactory,
) -> None:
    user_id = await _person(session_factory)
    morning = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
    await _add_sessions(
        session_factory,
        user_id,
        [
            (morning, SessionStatus.PARTIAL),
            (morning + timedelta(hours=5), SessionStatus.COMPLETED),
            (morning + timedelta(days=1), SessionStatus.PARTIAL),
            (morning + timedelta(days=2), SessionStatus.ABANDONED),
            (morning + timedelta(days=3), SessionStatus.IN_PROGRESS),
        ],
    )
    async with session_factory() as session:
        found = await progress.list_day_statuses(
            session, user_id=user_id, zone="Europe/Berlin", since=SINCE, until=UNTIL
        )
    assert found == {date(2026, 3, 10): DayDone.COMPLETED, date(2026, 3, 11): DayDone.PARTIAL}


async def test_daily_pain_averages_leave_the_starting_point_out(
    session_factory: SessionFactory,
) -> None:
    user_id = await _person(session_factory)
    noon = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    reports = [
        (noon, 8, PainContext.BASELINE),
        (noon, 3, PainContext.AFTER_SESSION),
        (noon + timedelta(hours=2), 4, PainContext.AFTER_SESSION),
        (noon + timedelta(days=1), 5, PainContext.AFTER_SESSION),
    ]
    async with session_factory.begin() as session:
        session.add_all(
            PainReport(user_id=user_id, score=score, context=context, reported_at=at)
            for at, score, context in reports
        )
    async with session_factory() as session:
        daily = await progress.list_daily_pain(
            session, user_id=user_id, zone="Europe/Berlin", since=SINCE, until=UNTIL
        )
        average = await progress.average_pain(session, user_id=user_id, since=SINCE, until=UNTIL)
    assert daily == [(date(2026, 3, 10), 3.5), (date(2026, 3, 11), 5.0)]
    assert average == 4.0
