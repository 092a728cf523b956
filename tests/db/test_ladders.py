"""Ladder positions and a session's planned exercises, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.coaching.daily_plan import PlannedExercise
from bot.db.coaching_models import LadderPosition
from bot.db.engine import SessionFactory
from bot.db.enums import StepOutcome
from bot.db.models import StepResult
from bot.db.queries import ladders, sessions, users

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


async def _person(session_factory: SessionFactory, telegram_id: int = 11) -> int:
    async with session_factory.begin() as session:
        user = await users.ensure_user(session, telegram_id=telegram_id, chat_id=1, now=NOW)
    return user.id


async def test_a_person_without_positions_has_none(session_factory: SessionFactory) -> None:
    user_id = await _person(session_factory)
    async with session_factory() as session:
        assert await ladders.get_positions(session, user_id=user_id) == {}


async def test_saving_positions_adds_and_replaces_them(session_factory: SessionFactory) -> None:
    user_id = await _person(session_factory)
    other = await _person(session_factory, telegram_id=12)
    async with session_factory.begin() as session:
        await ladders.save_positions(
            session, user_id=user_id, positions=[("a", 2, 1), ("b", 0, 0)], now=NOW
        )
        await ladders.save_positions(session, user_id=other, positions=[("a", 5, 0)], now=NOW)
    later = NOW + timedelta(days=1)
    async with session_factory.begin() as session:
        await ladders.save_positions(
            session, user_id=user_id, positions=[("a", 3, 0), ("c", 1, 1)], now=later
        )
    async with session_factory() as session:
        assert await ladders.get_positions(session, user_id=user_id) == {
            "a": (3, 0),
            "b": (0, 0),
            "c": (1, 1),
        }
        assert await ladders.get_positions(session, user_id=other) == {"a": (5, 0)}
        stored = await session.get(LadderPosition, (user_id, "a"))
    assert stored is not None and stored.updated_at == later


async def test_saving_no_positions_changes_nothing(session_factory: SessionFactory) -> None:
    user_id = await _person(session_factory)
    async with session_factory.begin() as session:
        await ladders.save_positions(session, user_id=user_id, positions=[], now=NOW)
    async with session_factory() as session:
        assert await ladders.get_positions(session, user_id=user_id) == {}


async def test_planned_exercises_come_back_in_order_with_their_doses(
    session_factory: SessionFactory,
) -> None:
    user_id = await _person(session_factory)
    planned = [
        PlannedExercise("t1", 2, "e1", 10, None, None),
        PlannedExercise("t2", 6, "e3", 8, 5, 2),
    ]
    async with session_factory.begin() as session:
        started = await sessions.start_session(
            session, user_id=user_id, routine_key="todays_plan", first_exercise_key="e1", now=NOW
        )
        empty = await sessions.start_session(
            session, user_id=user_id, routine_key="r", first_exercise_key="e1", now=NOW
        )
        await ladders.add_session_exercises(session, session_id=started.id, exercises=planned)
    async with session_factory() as session:
        rows = await ladders.list_session_exercises(session, session_id=started.id)
        assert await ladders.list_session_exercises(session, session_id=empty.id) == []
    assert [
        (r.position, r.exercise_key, r.track_key, r.rung, r.reps, r.hold_seconds, r.sets)
        for r in rows
    ] == [(0, "e1", "t1", 2, 10, None, None), (1, "e3", "t2", 6, 8, 5, 2)]


async def test_the_quick_score_is_kept_on_the_step_answer(session_factory: SessionFactory) -> None:
    user_id = await _person(session_factory)
    async with session_factory.begin() as session:
        started = await sessions.start_session(
            session, user_id=user_id, routine_key="r", first_exercise_key="e1", now=NOW
        )
        await sessions.record_step_result(
            session,
            session_id=started.id,
            position=0,
            exercise_key="e1",
            outcome=StepOutcome.DONE,
            now=NOW,
        )
        await ladders.set_step_pain(
            session, session_id=started.id, position=0, exercise_key="e1", score=4
        )
    async with session_factory() as session:
        [result] = (await session.execute(select(StepResult))).scalars().all()
    assert (result.outcome, result.pain_score) == (StepOutcome.DONE, 4)
