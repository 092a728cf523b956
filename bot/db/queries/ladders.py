"""Ladder positions (where a person stands on each track), a session's planned exercises, and
the quick 0–10 given during an exercise."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.coaching.daily_plan import PlannedExercise
from bot.db.coaching_models import LadderPosition, SessionExercise
from bot.db.models import StepResult


async def get_positions(session: AsyncSession, *, user_id: int) -> dict[str, tuple[int, int]]:
    """The person's stored positions: track key → (rung, good sessions in a row)."""
    result = await session.execute(
        select(LadderPosition.track_key, LadderPosition.rung, LadderPosition.good_sessions).where(
            LadderPosition.user_id == user_id
        )
    )
    return {track: (rung, good) for track, rung, good in result.all()}


async def save_positions(
    session: AsyncSession,
    *,
    user_id: int,
    positions: Sequence[tuple[str, int, int]],
    now: datetime,
) -> None:
    """Store (track, rung, good sessions) for each track given, replacing what was there."""
    if not positions:
        return
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(LadderPosition).values(
        [
            {
                "user_id": user_id,
                "track_key": track,
                "rung": rung,
                "good_sessions": good,
                "updated_at": now,
            }
            for track, rung, good in positions
        ]
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[LadderPosition.user_id, LadderPosition.track_key],
            set_={
                "rung": statement.excluded.rung,
                "good_sessions": statement.excluded.good_sessions,
                "updated_at": statement.excluded.updated_at,
            },
        )
    )


async def add_session_exercises(
    session: AsyncSession, *, session_id: int, exercises: Sequence[PlannedExercise]
) -> None:
    """The exercises a session is planned with, in order (positions 0, 1, …), with their dose."""
    session.add_all(
        SessionExercise(
            session_id=session_id,
            position=position,
            exercise_key=planned.exercise,
            track_key=planned.track,
            rung=planned.rung,
            reps=planned.reps,
            hold_seconds=planned.hold_seconds,
            sets=planned.sets,
        )
        for position, planned in enumerate(exercises)
    )
    await session.flush()


async def list_session_exercises(
    session: AsyncSession, *, session_id: int
) -> list[SessionExercise]:
    """A session's planned exercises in order; empty for sessions started before plans."""
    result = await session.execute(
        select(SessionExercise)
        .where(SessionExercise.session_id == session_id)
        .order_by(SessionExercise.position)
    )
    return list(result.scalars().all())


async def set_step_pain(
    session: AsyncSession, *, session_id: int, position: int, exercise_key: str, score: int
) -> None:
    """The quick 0–10 given during an exercise, on its recorded answer."""
    await session.execute(
        update(StepResult)
        .where(
            StepResult.session_id == session_id,
            StepResult.position == position,
            StepResult.exercise_key == exercise_key,
        )
        .values(pain_score=score)
    )
