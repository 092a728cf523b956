"""Progression as the flows decide it from the database: flare-up mode read from the audit
trail, rungs never practised, and a check-in answered after its session was settled; on
SQLite and PostgreSQL."""

from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.coaching.checkins import CheckIn, Morning, MorningAnswer
from bot.coaching.daily_plan import PlannedExercise
from bot.coaching.progression import SessionSignals
from bot.coaching.reasons import CoachingReason
from bot.db.coaching_models import CoachingDecision
from bot.db.engine import SessionFactory
from bot.db.enums import CoachingTopic, MessageKind, SendStatus, StepOutcome
from bot.db.models import SentMessage, User
from bot.db.queries import coaching_log, ladders, sessions, users
from bot.db.queries.coaching_log import DecisionRecord
from bot.flows import check_in, progression
from bot.services import Services
from tests.conftest import FakeClock
from tests.db.test_coaching_log import NOW, PLAN, _person, _session


async def _flare(
    session_factory: SessionFactory, user_id: int, reason: CoachingReason, at: datetime
) -> None:
    async with session_factory.begin() as session:
        await coaching_log.record_decisions(
            session,
            user_id=user_id,
            session_id=None,
            decisions=[DecisionRecord(CoachingTopic.FLARE, reason.value)],
            now=at,
        )


async def _was_in_flare(services: Services, user_id: int, instant: datetime) -> bool:
    async with services.session_factory() as session:
        person = await users.get_user_by_id(session, user_id=user_id)
        return await progression.was_in_flare(session, services, person=person, instant=instant)


async def test_flare_off_later_that_day_keeps_the_morning_in_flare(
    services: Services, session_factory: SessionFactory
) -> None:
    user_id = await _person(session_factory)
    await _flare(session_factory, user_id, CoachingReason.FLARE_REQUESTED, NOW)
    await _flare(
        session_factory, user_id, CoachingReason.FLARE_ENDED_BY_PERSON, NOW + timedelta(hours=3)
    )

    assert not await _was_in_flare(services, user_id, NOW - timedelta(hours=1))
    assert await _was_in_flare(services, user_id, NOW + timedelta(hours=1))
    assert not await _was_in_flare(services, user_id, NOW + timedelta(hours=4))


async def test_flare_ends_by_itself_after_its_days(
    services: Services, session_factory: SessionFactory
) -> None:
    user_id = await _person(session_factory)
    await _flare(session_factory, user_id, CoachingReason.FLARE_OFFER_ACCEPTED, NOW)

    assert await _was_in_flare(services, user_id, NOW + timedelta(days=2))  # Friday, the 3rd day
    assert not await _was_in_flare(services, user_id, NOW + timedelta(days=3))


async def test_a_rung_below_the_persons_is_not_practised_at_their_level(
    services: Services, session_factory: SessionFactory
) -> None:
    user_id = await _person(session_factory)
    lower = (PlannedExercise("lumbar_rotation", 0, "lumbar_rotation", 5, None, None), PLAN[1])
    async with session_factory.begin() as session:
        await ladders.save_positions(
            session,
            user_id=user_id,
            positions=[("lumbar_rotation", 2, 1), ("transverse_activation", 1, 1)],
            now=NOW,
        )
        started = await sessions.start_session(
            session,
            user_id=user_id,
            routine_key="a_content_routine",
            first_exercise_key="lumbar_rotation",
            now=NOW,
        )
        await ladders.add_session_exercises(session, session_id=started.id, exercises=lower)
        for position, planned in enumerate(lower):
            await sessions.record_step_result(
                session,
                session_id=started.id,
                position=position,
                exercise_key=planned.exercise,
                outcome=StepOutcome.DONE,
                now=NOW,
            )
        decided = await progression.decide_session_tracks(
            session,
            services,
            routine_session=started,
            signals=SessionSignals(2, Morning.SETTLED),
            now=NOW,
        )

    assert {d.track: d.reason for d in decided} == {
        "lumbar_rotation": CoachingReason.HOLD_NOT_PRACTISED,
        "transverse_activation": CoachingReason.STEP_UP_READY,
    }


async def test_an_answer_after_the_session_was_settled_is_only_noted(
    services: Services, session_factory: SessionFactory, clock: FakeClock
) -> None:
    user_id = await _person(session_factory)
    session_id = await _session(session_factory, user_id, at=NOW, rating=2)
    thursday_7am = NOW + timedelta(hours=22)
    async with session_factory.begin() as session:
        settled = await progression.settle_unanswered(
            session, services, user_id=user_id, now=thursday_7am
        )
        session.add(
            SentMessage(
                user_id=user_id,
                kind=MessageKind.CHECK_IN,
                local_date=date(2026, 3, 5),
                status=SendStatus.SENT,
                due_at=thursday_7am + timedelta(minutes=1),
                created_at=thursday_7am,
            )
        )
        telegram_id = (await session.execute(select(User.telegram_id))).scalar_one()
    clock.advance(hours=23)  # Thursday 09:00 in Berlin

    answered = await check_in.answer_check_in(
        services,
        telegram_id=telegram_id,
        session_id=session_id,
        answer=CheckIn(answer=MorningAnswer.BETTER),
    )

    assert {d.reason for d in settled} == {CoachingReason.HOLD_NO_CHECK_IN}
    assert isinstance(answered, check_in.Answered)
    assert (answered.decisions, answered.noted) == ([], True)
    async with session_factory() as session:
        rows = await session.execute(
            select(CoachingDecision.track_key).where(
                CoachingDecision.topic == CoachingTopic.PROGRESSION
            )
        )
        assert sorted(key or "" for key in rows.scalars()) == sorted(p.track for p in PLAN)
