"""The audit trail, check-ins and ratings the coach decides from, and settling sessions whose
morning went unanswered: on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import update

from bot.coaching.daily_plan import PlannedExercise
from bot.coaching.progression import Move
from bot.coaching.reasons import CoachingReason
from bot.db.engine import SessionFactory
from bot.db.enums import (
    CheckInFeeling,
    CoachingTopic,
    MessageKind,
    PainContext,
    SendStatus,
    SessionStatus,
    StepOutcome,
)
from bot.db.models import SentMessage
from bot.db.queries import check_ins, coaching_log, ladders, pain, sessions, users
from bot.db.queries.coaching_log import DecisionRecord
from bot.flows.progression import settle_unanswered
from bot.services import Services

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
# Two daily tracks, each at its start rung.
PLAN = (
    PlannedExercise("lumbar_rotation", 2, "lumbar_rotation", 10, None, None),
    PlannedExercise("transverse_activation", 1, "transverse_activation", 5, 5, None),
)


async def _person(session_factory: SessionFactory, telegram_id: int = 1) -> int:
    async with session_factory.begin() as session:
        user = await users.ensure_user(session, telegram_id=telegram_id, chat_id=9, now=NOW)
        await users.set_reminder_time(session, user_id=user.id, reminder_time=time(8))
        await users.activate_user(session, user_id=user.id, time_zone="Europe/Berlin")
        return user.id


async def _session(
    session_factory: SessionFactory,
    user_id: int,
    *,
    at: datetime,
    status: SessionStatus = SessionStatus.COMPLETED,
    rating: int | None = None,
    answers: tuple[StepOutcome, ...] = (StepOutcome.DONE, StepOutcome.DONE),
) -> int:
    """A session planned with PLAN, answered with `answers` in order, finished at `at`."""
    async with session_factory.begin() as session:
        started = await sessions.start_session(
            session,
            user_id=user_id,
            routine_key="todays_plan",
            first_exercise_key=PLAN[0].exercise,
            now=at - timedelta(minutes=15),
        )
        await ladders.add_session_exercises(session, session_id=started.id, exercises=PLAN)
        for position, outcome in enumerate(answers):
            await sessions.record_step_result(
                session,
                session_id=started.id,
                position=position,
                exercise_key=PLAN[position].exercise,
                outcome=outcome,
                now=at,
            )
        await sessions.move_session_to(
            session, session_id=started.id, position=len(answers), exercise_key=None
        )
        if status is not SessionStatus.IN_PROGRESS:
            await sessions.finish_session(session, session_id=started.id, status=status, now=at)
        if rating is not None:
            await pain.record_pain(
                session,
                user_id=user_id,
                score=rating,
                context=PainContext.AFTER_SESSION,
                now=at,
                session_id=started.id,
            )
        return started.id


def _progression(track: str, reason: CoachingReason) -> DecisionRecord:
    return DecisionRecord(CoachingTopic.PROGRESSION, reason.value, track, 2, 2)


async def test_decisions_are_kept_with_their_topic_reason_and_rungs(
    session_factory: SessionFactory,
) -> None:
    user_id = await _person(session_factory)
    session_id = await _session(session_factory, user_id, at=NOW)
    async with session_factory.begin() as session:
        await coaching_log.record_decisions(
            session,
            user_id=user_id,
            session_id=session_id,
            decisions=[
                DecisionRecord(CoachingTopic.CHECK_IN, "morning_settled"),
                DecisionRecord(CoachingTopic.PROGRESSION, "step_down_pain_high", "windmills", 1, 0),
            ],
            now=NOW,
        )
    async with session_factory() as session:
        [row] = await coaching_log.list_session_decisions(
            session, user_id=user_id, session_id=session_id, topic=CoachingTopic.PROGRESSION
        )
    assert (row.reason, row.track_key, row.from_rung, row.to_rung, row.made_at) == (
        "step_down_pain_high",
        "windmills",
        1,
        0,
        NOW,
    )


async def test_a_session_is_undecided_until_every_planned_track_has_a_decision(
    session_factory: SessionFactory,
) -> None:
    user_id = await _person(session_factory)
    session_id = await _session(session_factory, user_id, at=NOW)

    async def undecided() -> list[int]:
        async with session_factory() as session:
            found = await coaching_log.list_undecided_sessions(
                session, user_id=user_id, since=NOW - timedelta(days=1)
            )
        return [s.id for s in found]

    assert await undecided() == [session_id]
    for track in ("lumbar_rotation", "transverse_activation"):
        async with session_factory.begin() as session:
            decision = _progression(track, CoachingReason.HOLD_NO_CHECK_IN)
            await coaching_log.record_decisions(
                session, user_id=user_id, session_id=session_id, decisions=[decision], now=NOW
            )
        remaining = [] if track == "transverse_activation" else [session_id]
        assert await undecided() == remaining


async def test_running_old_and_other_people_s_sessions_are_not_undecided(
    session_factory: SessionFactory,
) -> None:
    user_id = await _person(session_factory)
    someone_else = await _person(session_factory, telegram_id=2)
    await _session(session_factory, user_id, at=NOW - timedelta(days=40))
    await _session(session_factory, user_id, at=NOW, status=SessionStatus.IN_PROGRESS)
    await _session(session_factory, someone_else, at=NOW)

    async with session_factory() as session:
        found = await coaching_log.list_undecided_sessions(
            session, user_id=user_id, since=NOW - timedelta(days=28)
        )

    assert found == []


async def test_ratings_before_a_time_come_oldest_first(session_factory: SessionFactory) -> None:
    user_id = await _person(session_factory)
    for days_ago, score in ((3, 6), (2, 4), (1, 2)):
        at = NOW - timedelta(days=days_ago)
        await _session(session_factory, user_id, at=at, rating=score)

    async with session_factory() as session:
        before = NOW - timedelta(hours=12)
        two = await coaching_log.list_ratings_before(
            session, user_id=user_id, before=before, limit=2
        )
        earlier = await coaching_log.list_ratings_before(
            session, user_id=user_id, before=NOW - timedelta(days=2), limit=5
        )

    assert (two, earlier) == ([4, 2], [6])


async def test_a_check_in_is_kept_once(session_factory: SessionFactory) -> None:
    user_id = await _person(session_factory)
    session_id = await _session(session_factory, user_id, at=NOW, rating=3)

    async with session_factory.begin() as session:
        first = await check_ins.record_check_in(
            session,
            user_id=user_id,
            session_id=session_id,
            feeling=CheckInFeeling.WORSE,
            score=None,
            now=NOW,
        )
        second = await check_ins.record_check_in(
            session, user_id=user_id, session_id=session_id, feeling=None, score=2, now=NOW
        )
    async with session_factory() as session:
        kept = await check_ins.get_check_in(session, session_id=session_id)

    assert (first, second) == (True, False)
    assert kept is not None and (kept.feeling, kept.score) == (CheckInFeeling.WORSE, None)


async def test_a_check_in_counts_as_sent_once_it_went_to_telegram(
    session_factory: SessionFactory,
) -> None:
    user_id = await _person(session_factory)
    morning = date(2026, 3, 5)
    async with session_factory.begin() as session:
        session.add(
            SentMessage(
                user_id=user_id,
                kind=MessageKind.CHECK_IN,
                local_date=morning,
                status=SendStatus.QUEUED,
                due_at=NOW + timedelta(days=1),
                created_at=NOW,
            )
        )

    async def sent() -> bool:
        async with session_factory() as session:
            return await check_ins.was_check_in_sent(
                session, user_id=user_id, local_date=morning, after=NOW
            )

    assert not await sent()
    async with session_factory.begin() as session:
        await session.execute(update(SentMessage).values(status=SendStatus.SENT))
    assert await sent()


async def test_settling_decides_what_an_unanswered_morning_left_open(
    services: Services, session_factory: SessionFactory
) -> None:
    user_id = await _person(session_factory)
    stopped = await _session(
        session_factory,
        user_id,
        at=NOW,
        status=SessionStatus.PARTIAL,
        answers=(StepOutcome.DONE,),
    )

    async with session_factory.begin() as session:
        decided = await settle_unanswered(session, services, user_id=user_id, now=NOW)
    async with session_factory.begin() as session:
        again = await settle_unanswered(session, services, user_id=user_id, now=NOW)
        positions = await ladders.get_positions(session, user_id=user_id)
        rows = await coaching_log.list_session_decisions(
            session, user_id=user_id, session_id=stopped, topic=CoachingTopic.PROGRESSION
        )

    moves = {d.track: (d.move, d.reason) for d in decided}
    assert moves == {
        # Done, but no rating: nothing to step up on.
        "lumbar_rotation": (Move.HOLD, CoachingReason.HOLD_NO_RATING),
        # Stopped while on it.
        "transverse_activation": (Move.DOWN, CoachingReason.STEP_DOWN_ABANDONED),
    }
    assert again == []  # never twice
    assert positions == {"lumbar_rotation": (2, 0), "transverse_activation": (0, 0)}
    assert {(r.track_key, r.from_rung, r.to_rung, r.reason) for r in rows} == {
        ("lumbar_rotation", 2, 2, "hold_no_rating"),
        ("transverse_activation", 1, 0, "step_down_abandoned"),
    }
