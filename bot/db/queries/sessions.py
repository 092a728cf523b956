"""Routine sessions and the result of each exercise step."""

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SessionStatus, StepOutcome
from bot.db.models import RoutineSession, StepResult


async def get_session(
    session: AsyncSession, *, session_id: int, for_update: bool = False
) -> RoutineSession | None:
    """One routine session by id; locked until the transaction ends if asked (one press at a
    time per session on PostgreSQL)."""
    return await session.get(
        RoutineSession, session_id, with_for_update=for_update, populate_existing=True
    )


async def get_active_session(session: AsyncSession, *, user_id: int) -> RoutineSession | None:
    """The person's routine in progress, if any."""
    result = await session.execute(
        select(RoutineSession)
        .where(
            RoutineSession.user_id == user_id,
            RoutineSession.status == SessionStatus.IN_PROGRESS,
        )
        .order_by(RoutineSession.started_at.desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def count_sessions(session: AsyncSession, *, user_id: int) -> int:
    """How many routines this person has ever started."""
    result = await session.execute(
        select(func.count()).select_from(RoutineSession).where(RoutineSession.user_id == user_id)
    )
    return int(result.scalar_one())


async def start_session(
    session: AsyncSession, *, user_id: int, routine_key: str, first_exercise_key: str, now: datetime
) -> RoutineSession:
    """A new routine session at its first exercise."""
    routine_session = RoutineSession(
        user_id=user_id,
        routine_key=routine_key,
        status=SessionStatus.IN_PROGRESS,
        current_position=0,
        current_exercise_key=first_exercise_key,
        started_at=now,
    )
    session.add(routine_session)
    await session.flush()
    return routine_session


async def record_step_result(
    session: AsyncSession,
    *,
    session_id: int,
    position: int,
    exercise_key: str,
    outcome: StepOutcome,
    now: datetime,
) -> bool:
    """Keep one exercise's outcome; False if that step was already answered."""
    try:
        async with session.begin_nested():
            session.add(
                StepResult(
                    session_id=session_id,
                    position=position,
                    exercise_key=exercise_key,
                    outcome=outcome,
                    recorded_at=now,
                )
            )
    except IntegrityError:
        return False
    return True


async def list_step_results(
    session: AsyncSession, *, session_id: int
) -> list[tuple[int, StepOutcome]]:
    """(position, outcome) of a session's steps, in the order they were answered."""
    result = await session.execute(
        select(StepResult.position, StepResult.outcome)
        .where(StepResult.session_id == session_id)
        .order_by(StepResult.position, StepResult.id)
    )
    return [(position, outcome) for position, outcome in result.all()]


async def get_step_outcome(
    session: AsyncSession, *, session_id: int, position: int, exercise_key: str
) -> StepOutcome | None:
    """How one exercise at one position was answered, if it was."""
    result = await session.execute(
        select(StepResult.outcome).where(
            StepResult.session_id == session_id,
            StepResult.position == position,
            StepResult.exercise_key == exercise_key,
        )
    )
    return result.scalar_one_or_none()


async def move_session_to(
    session: AsyncSession, *, session_id: int, position: int, exercise_key: str | None
) -> None:
    """Point the session at its next exercise (None: waiting for the pain rating)."""
    await session.execute(
        update(RoutineSession)
        .where(RoutineSession.id == session_id)
        .values(current_position=position, current_exercise_key=exercise_key)
    )


async def finish_session(
    session: AsyncSession, *, session_id: int, status: SessionStatus, now: datetime
) -> None:
    """Close a session as completed, partial or abandoned."""
    await session.execute(
        update(RoutineSession)
        .where(RoutineSession.id == session_id)
        .values(status=status, finished_at=now, current_exercise_key=None)
    )
