"""Sessions planned from ladder positions: today's plan, content routines, the easier variant's
dose, and the quick 0–10 during an exercise (flows over a real database)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from bot.coaching.daily_plan import PlannedExercise
from bot.coaching.feedback import ExerciseAdvice
from bot.db.coaching_models import CoachingDecision
from bot.db.enums import CoachingTopic, SessionStatus, StepOutcome
from bot.db.models import StepResult, User
from bot.db.queries import ladders, sessions, users
from bot.flows import exercise_pain, session_plan
from bot.flows import routine as flow
from bot.flows.moves import Dose, OfferEasier, StepView
from bot.services import Services

CORE = "transverse_activation"  # its track climbs into the bridge, then the leg lift


async def _person(services: Services, positions: list[tuple[str, int, int]] | None = None) -> int:
    async with services.session_factory.begin() as session:
        user = await users.ensure_user(session, telegram_id=77, chat_id=77, now=services.clock())
        await users.activate_user(session, user_id=user.id, time_zone="Europe/Berlin")
        await ladders.save_positions(
            session, user_id=user.id, positions=positions or [], now=services.clock()
        )
    return user.id


def _rows(plan: session_plan.SessionPlan) -> list[tuple[str, int, str]]:
    return [(p.track, p.rung, p.exercise) for p in plan.exercises]


async def _plan(services: Services, user_id: int, routine: str | None) -> session_plan.SessionPlan:
    chosen = None if routine is None else services.content.routine(routine)
    async with services.session_factory.begin() as session:
        plan, _ = await session_plan.plan_session(
            session, services, user_id=user_id, routine=chosen, now=services.clock()
        )
    return plan


def test_a_routine_exercise_is_at_the_persons_rung_only_when_they_are_on_it(
    services: Services,
) -> None:
    track = services.tracks[CORE]
    assert session_plan.routine_rung(track, "transverse_bridge", 7, 1) == 7
    assert session_plan.routine_rung(track, "transverse_bridge", 2, 1) == 6  # its starting step
    assert session_plan.routine_rung(track, "transverse_activation", 12, 1) == 1


def test_the_easier_variant_is_the_persons_rung_kept_within_its_steps(
    services: Services,
) -> None:
    track = services.tracks[CORE]
    assert session_plan.easier_rung(track, "transverse_activation", 5) == 4  # just below
    assert session_plan.easier_rung(track, "transverse_activation", 2) == 2
    assert session_plan.easier_rung(track, "transverse_bridge", 1) == 5  # its first step


async def test_todays_plan_has_each_daily_track_at_the_persons_rung(services: Services) -> None:
    user_id = await _person(services, [("lumbar_rotation", 3, 1), (CORE, 6, 0)])
    plan = await _plan(services, user_id, None)
    assert plan.routine_key == session_plan.TODAYS_PLAN and not plan.in_flare
    assert _rows(plan) == [
        ("lumbar_rotation", 3, "lumbar_rotation"),
        ("windmills", 1, "windmills"),
        ("thread_the_needle", 1, "thread_the_needle"),
        (CORE, 6, "transverse_bridge"),
        ("long_bridge_multifidus", 2, "long_bridge_multifidus"),
    ]
    assert plan.exercises[0] == PlannedExercise(
        "lumbar_rotation", 3, "lumbar_rotation", 15, None, None
    )


async def test_in_flare_up_mode_the_plan_is_gentle_mobility_only(services: Services) -> None:
    user_id = await _person(services, [("lumbar_rotation", 3, 1)])
    today = date(2026, 3, 4)  # the test clock's date in Berlin
    async with services.session_factory.begin() as session:
        await session.execute(
            update(User)
            .where(User.id == user_id)
            .values(flare_started_on=today, flare_until=today + timedelta(days=3))
        )
    plan = await _plan(services, user_id, None)
    assert plan.in_flare
    assert _rows(plan) == [
        ("lumbar_rotation", 0, "lumbar_rotation"),
        ("windmills", 0, "windmills"),
        ("thread_the_needle", 0, "thread_the_needle"),
    ]


async def test_a_content_routine_keeps_its_exercises_at_the_persons_doses(
    services: Services,
) -> None:
    user_id = await _person(services, [(CORE, 3, 0)])
    plan = await _plan(services, user_id, "core_foundations")
    assert plan.routine_key == "core_foundations" and plan.reason is None
    assert _rows(plan) == [
        (CORE, 3, "transverse_activation"),
        (CORE, 6, "transverse_bridge"),
        ("bird_dog_crunch", 0, "bird_dog_crunch"),
    ]


async def test_starting_writes_the_plan_and_the_card_has_its_dose(services: Services) -> None:
    user_id = await _person(services, [("lumbar_rotation", 3, 0)])
    started = await flow.start_routine(services, user_id=user_id, routine=None)
    assert started.first_time
    view = started.where
    assert isinstance(view, StepView) and view.total == 5
    assert view.dose == Dose(15, None, None)
    async with services.session_factory() as session:
        rows = await ladders.list_session_exercises(session, session_id=view.session_id)
    assert [r.exercise_key for r in rows] == [
        "lumbar_rotation",
        "windmills",
        "thread_the_needle",
        "transverse_activation",
        "long_bridge_multifidus",
    ]


async def test_a_session_started_before_plans_walks_its_content_routine(
    services: Services,
) -> None:
    user_id = await _person(services)
    async with services.session_factory.begin() as session:
        await sessions.start_session(
            session,
            user_id=user_id,
            routine_key="morning_mobility",
            first_exercise_key="lumbar_rotation",
            now=services.clock(),
        )
    view = await flow.current_step(services, user_id=user_id)
    assert isinstance(view, StepView) and (view.total, view.dose) == (3, None)
    for expected in ("windmills", "thread_the_needle"):
        moved = await flow.answer_step(
            services,
            user_id=user_id,
            session_id=view.session_id,
            position=view.position,
            outcome=StepOutcome.DONE,
        )
        assert isinstance(moved, StepView) and moved.exercise.key == expected
        view = moved


async def _at_the_bridge(services: Services) -> tuple[int, StepView]:
    """Today's plan on the bridge's second step, walked to it."""
    user_id = await _person(services, [(CORE, 6, 0)])
    view = (await flow.start_routine(services, user_id=user_id, routine=None)).where
    for _ in range(3):
        assert isinstance(view, StepView)
        view = await flow.answer_step(
            services,
            user_id=user_id,
            session_id=view.session_id,
            position=view.position,
            outcome=StepOutcome.DONE,
        )
    assert isinstance(view, StepView) and view.exercise.key == "transverse_bridge"
    assert view.dose == Dose(5, 5, None)
    return user_id, view


async def test_the_easier_variant_comes_at_the_rung_below_the_bridge(services: Services) -> None:
    user_id, view = await _at_the_bridge(services)
    offer = await flow.answer_step(
        services,
        user_id=user_id,
        session_id=view.session_id,
        position=view.position,
        outcome=StepOutcome.TOO_PAINFUL,
    )
    assert isinstance(offer, OfferEasier)
    easier = await flow.choose_after_pain(
        services,
        user_id=user_id,
        session_id=view.session_id,
        position=view.position,
        try_easier=True,
    )
    assert isinstance(easier, StepView) and easier.exercise.key == "transverse_activation"
    assert easier.dose == Dose(10, 10, None)  # the activation's top step


@pytest.mark.parametrize(
    ("score", "advice"), [(1, ExerciseAdvice.FINE), (4, ExerciseAdvice.SLOWER_SMALLER)]
)
async def test_a_quick_score_up_to_5_gives_advice_and_keeps_the_exercise(
    services: Services, score: int, advice: ExerciseAdvice
) -> None:
    user_id, view = await _at_the_bridge(services)
    rated = await exercise_pain.rate_exercise(
        services,
        user_id=user_id,
        session_id=view.session_id,
        position=view.position,
        score=score,
    )
    assert isinstance(rated, exercise_pain.CarryOn) and rated.advice.advice is advice
    assert rated.view == view
    await flow.answer_step(
        services,
        user_id=user_id,
        session_id=view.session_id,
        position=view.position,
        outcome=StepOutcome.DONE,
        pain_score=score,
    )
    async with services.session_factory() as session:
        results = (await session.execute(select(StepResult))).scalars().all()
        decisions = (await session.execute(select(CoachingDecision))).scalars().all()
    assert [(r.exercise_key, r.pain_score) for r in results][-1] == ("transverse_bridge", score)
    assert [(d.topic, d.reason) for d in decisions] == [
        (CoachingTopic.IN_EXERCISE, rated.advice.reason.value)
    ]


async def test_a_quick_score_above_5_stops_the_exercise_as_too_painful(
    services: Services,
) -> None:
    user_id, view = await _at_the_bridge(services)
    rated = await exercise_pain.rate_exercise(
        services, user_id=user_id, session_id=view.session_id, position=view.position, score=7
    )
    assert isinstance(rated, exercise_pain.StopHere)
    assert rated.advice.advice is ExerciseAdvice.STOP_OFFER_EASIER
    assert isinstance(rated.move, OfferEasier)
    async with services.session_factory() as session:
        last = (
            await session.execute(select(StepResult).order_by(StepResult.id.desc()).limit(1))
        ).scalar_one()
        decisions = (await session.execute(select(CoachingDecision.reason))).scalars().all()
        active = await sessions.get_active_session(session, user_id=user_id)
    assert (last.outcome, last.pain_score) == (StepOutcome.TOO_PAINFUL, 7)
    assert decisions == ["exercise_pain_too_much"]
    assert active is not None and active.status is SessionStatus.IN_PROGRESS
