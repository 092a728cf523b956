"""At startup every active person's next reminder is recomputed; overdue ones are left alone."""

from datetime import UTC, date, datetime, time, timedelta

from bot.db.engine import SessionFactory
from bot.db.enums import MessageKind, UserStatus
from bot.db.queries import due_messages, users
from bot.flows.resync import resync_reminders, resync_schedules
from scheduler.plans import Occurrence

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
TOMORROW_AT_EIGHT = Occurrence(datetime(2026, 3, 5, 7, 0, tzinfo=UTC), date(2026, 3, 5))


async def make_person(session_factory: SessionFactory, telegram_id: int, **settings: object) -> int:
    async with session_factory.begin() as session:
        person = await users.ensure_user(
            session, telegram_id=telegram_id, chat_id=telegram_id, now=NOW
        )
        await users.update_reminder_settings(
            session,
            user_id=person.id,
            **{"reminder_time": time(8, 0), "time_zone": "Europe/Berlin", **settings},
        )
        await users.activate_user(session, user_id=person.id, time_zone="Europe/Berlin")
        return person.id


async def set_due(session_factory: SessionFactory, user_id: int, due: Occurrence) -> None:
    async with session_factory.begin() as session:
        await due_messages.schedule_due(
            session,
            user_id=user_id,
            kind=MessageKind.DAILY_REMINDER,
            due_at=due.due_at,
            local_date=due.local_date,
        )


async def due_of(session_factory: SessionFactory, user_id: int) -> Occurrence | None:
    async with session_factory() as session:
        row = await due_messages.get_due(session, user_id=user_id, kind=MessageKind.DAILY_REMINDER)
    return Occurrence(row.next_due_at, row.local_date) if row else None


async def test_a_wrong_future_reminder_is_corrected(session_factory: SessionFactory) -> None:
    user_id = await make_person(session_factory, 1)
    # As if the time-zone rules changed since it was planned: an hour off.
    await set_due(
        session_factory,
        user_id,
        Occurrence(TOMORROW_AT_EIGHT.due_at + timedelta(hours=1), TOMORROW_AT_EIGHT.local_date),
    )

    changed = await resync_reminders(session_factory, now=NOW)

    assert changed == 1
    assert await due_of(session_factory, user_id) == TOMORROW_AT_EIGHT


async def test_a_missing_reminder_is_planned(session_factory: SessionFactory) -> None:
    user_id = await make_person(session_factory, 1)

    await resync_reminders(session_factory, now=NOW)

    assert await due_of(session_factory, user_id) == TOMORROW_AT_EIGHT


async def test_an_overdue_reminder_is_left_to_the_tick(session_factory: SessionFactory) -> None:
    user_id = await make_person(session_factory, 1)
    overdue = Occurrence(NOW - timedelta(hours=2), date(2026, 3, 4))
    await set_due(session_factory, user_id, overdue)

    assert await resync_reminders(session_factory, now=NOW) == 0
    assert await due_of(session_factory, user_id) == overdue


async def test_correct_reminders_are_not_rewritten(session_factory: SessionFactory) -> None:
    for telegram_id in range(1, 6):
        user_id = await make_person(session_factory, telegram_id)
        await set_due(session_factory, user_id, TOMORROW_AT_EIGHT)

    assert await resync_reminders(session_factory, now=NOW, page_size=2) == 0


async def test_paused_and_inactive_people_get_no_reminder(session_factory: SessionFactory) -> None:
    paused = await make_person(session_factory, 1, reminders_paused=True)
    await set_due(session_factory, paused, TOMORROW_AT_EIGHT)
    inactive = await make_person(session_factory, 2)
    async with session_factory.begin() as session:
        await users.change_status(
            session, user_id=inactive, was=UserStatus.ACTIVE, becomes=UserStatus.INACTIVE
        )

    await resync_reminders(session_factory, now=NOW)

    assert await due_of(session_factory, paused) is None
    assert await due_of(session_factory, inactive) is None


async def summary_of(session_factory: SessionFactory, user_id: int) -> Occurrence | None:
    async with session_factory() as session:
        row = await due_messages.get_due(session, user_id=user_id, kind=MessageKind.WEEKLY_SUMMARY)
    return Occurrence(row.next_due_at, row.local_date) if row else None


async def test_startup_puts_each_weekly_summary_in_the_schedule_once(
    session_factory: SessionFactory,
) -> None:
    on_sunday = await make_person(session_factory, 1)
    on_friday = await make_person(session_factory, 2, summary_weekday=4)
    without = await make_person(session_factory, 3, summary_weekday=None)

    await resync_schedules(session_factory, now=NOW, summary_at=time(19, 0))

    # 19:00 in Berlin is 18:00 UTC in March.
    sunday = Occurrence(datetime(2026, 3, 8, 18, 0, tzinfo=UTC), date(2026, 3, 8))
    friday = Occurrence(datetime(2026, 3, 6, 18, 0, tzinfo=UTC), date(2026, 3, 6))
    assert await summary_of(session_factory, on_sunday) == sunday
    assert await summary_of(session_factory, on_friday) == friday
    assert await summary_of(session_factory, without) is None
    assert await resync_schedules(session_factory, now=NOW, summary_at=time(19, 0)) == 0
