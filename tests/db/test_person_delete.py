"""/delete erases every row of one person, in every table, and nothing of anyone else."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, select

from bot.db.coaching_models import (
    CheckIn,
    CoachingDecision,
    EducationShown,
    LadderPosition,
    SessionExercise,
)
from bot.db.engine import SessionFactory
from bot.db.enums import (
    CheckInFeeling,
    CoachingTopic,
    PainContext,
    SendStatus,
    SessionStatus,
    StepOutcome,
    UserStatus,
)
from bot.db.models import (
    Base,
    DueMessage,
    PainReport,
    RoutineSession,
    ScreeningAnswer,
    SentMessage,
    StepResult,
    User,
)
from bot.db.queries.conversations import save_conversation_state
from bot.db.queries.person_data import owned_rows
from bot.flows import person_data
from bot.services import Services

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
LEAVING, STAYING = 7001, 7002
Owners = dict[str, list[tuple[int, tuple[Any, ...]]]]


async def _person_with_everything(session_factory: SessionFactory, telegram_id: int) -> None:
    """One person with at least one row in every table."""
    async with session_factory.begin() as session:
        user = User(
            telegram_id=telegram_id,
            chat_id=telegram_id,
            status=UserStatus.ACTIVE,
            time_zone="Europe/Berlin",
            reminder_time=time(8),
            created_at=NOW,
        )
        session.add(user)
        await session.flush()
        routine = RoutineSession(
            user_id=user.id,
            routine_key="todays_plan",
            status=SessionStatus.COMPLETED,
            started_at=NOW,
            finished_at=NOW + timedelta(minutes=20),
        )
        session.add(routine)
        await session.flush()
        session.add_all(
            [
                ScreeningAnswer(
                    user_id=user.id,
                    screening_pass=1,
                    question_key="saddle",
                    answer_yes=False,
                    answered_at=NOW,
                ),
                StepResult(
                    session_id=routine.id,
                    position=0,
                    exercise_key="windmills",
                    outcome=StepOutcome.DONE,
                    recorded_at=NOW,
                ),
                PainReport(
                    user_id=user.id,
                    session_id=routine.id,
                    score=3,
                    context=PainContext.AFTER_SESSION,
                    reported_at=NOW,
                ),
                SessionExercise(
                    session_id=routine.id,
                    position=0,
                    exercise_key="windmills",
                    track_key="mobility",
                    rung=0,
                ),
                CheckIn(
                    user_id=user.id,
                    session_id=routine.id,
                    feeling=CheckInFeeling.SAME,
                    answered_at=NOW,
                ),
                CoachingDecision(
                    user_id=user.id,
                    session_id=routine.id,
                    topic=CoachingTopic.PROGRESSION,
                    reason="held",
                    made_at=NOW,
                ),
                DueMessage(
                    user_id=user.id, kind="daily_reminder", next_due_at=NOW, local_date=NOW.date()
                ),
                SentMessage(
                    user_id=user.id,
                    kind="daily_reminder",
                    local_date=date(2026, 3, 3),
                    status=SendStatus.SENT,
                    due_at=NOW,
                    created_at=NOW,
                ),
                LadderPosition(user_id=user.id, track_key="mobility", rung=1, updated_at=NOW),
                EducationShown(user_id=user.id, item_key="pain_is_safe", shown_on=NOW.date()),
            ]
        )
        await save_conversation_state(
            session, name="routine", key=(telegram_id, telegram_id), state="rating_pain"
        )


async def _rows_by_owner(session_factory: SessionFactory) -> Owners:
    """Every row of every table, with the Telegram id of the person it belongs to, found by
    following the table's own references (to users, to sessions, or the Telegram id)."""
    owners: Owners = {}
    async with session_factory() as session:
        people = dict((await session.execute(select(User.id, User.telegram_id))).all())
        sessions = (await session.execute(select(RoutineSession.id, RoutineSession.user_id))).all()
        session_owner = {session_id: people[user_id] for session_id, user_id in sessions}
        for table in Base.metadata.sorted_tables:
            result = await session.execute(select(table).order_by(*table.primary_key.columns))
            owners[table.name] = [
                (_owner_of(table, row._mapping, people, session_owner), tuple(row))
                for row in result.all()
            ]
    return owners


def _owner_of(table: Table, row: Any, people: dict[int, int], session_owner: dict[int, int]) -> int:
    if table.name == "users":
        return int(row["telegram_id"])
    if table.name == "conversation_states":
        return int(row["user_telegram_id"])
    for column in table.columns:
        for key in column.foreign_keys:
            if key.column.table.name == "users":
                return people[row[column.name]]
            if key.column.table.name == "routine_sessions":
                return session_owner[row[column.name]]
    raise AssertionError(f"{table.name} has no reference to a person")


async def test_delete_leaves_nothing_of_the_person_and_everything_of_others(
    services: Services, session_factory: SessionFactory
) -> None:
    await _person_with_everything(session_factory, LEAVING)
    await _person_with_everything(session_factory, STAYING)
    before = await _rows_by_owner(session_factory)
    for table, rows in before.items():  # the fixture really fills every table, for both
        assert {owner for owner, _ in rows} == {LEAVING, STAYING}, table

    assert await person_data.erase(services, telegram_id=LEAVING) is True

    after = await _rows_by_owner(session_factory)
    for table, rows in before.items():
        assert [owner for owner, _ in after[table]] == [STAYING] * len(after[table]), table
        assert after[table] == [(o, row) for o, row in rows if o == STAYING], table


async def test_delete_of_someone_unknown_changes_nothing(
    services: Services, session_factory: SessionFactory
) -> None:
    await _person_with_everything(session_factory, STAYING)
    before = await _rows_by_owner(session_factory)
    assert await person_data.erase(services, telegram_id=LEAVING) is False
    assert await _rows_by_owner(session_factory) == before


def test_a_table_with_no_way_to_its_person_is_refused() -> None:
    notes = Table("notes", MetaData(), Column("id", Integer, primary_key=True))
    with pytest.raises(LookupError):
        owned_rows(notes, user_id=1, telegram_id=1)
