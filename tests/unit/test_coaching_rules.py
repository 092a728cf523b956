"""The pain-monitoring coach's rules, one table per rule (docs/coaching-rules.md)."""

import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.coaching.checkins import CheckIn, Morning, MorningAnswer, judge_morning
from bot.coaching.daily_plan import daily_plan
from bot.coaching.education import next_education
from bot.coaching.escalation import DatedPain, escalation_reasons, recheck_due
from bot.coaching.feedback import ExerciseAdvice, advise_during_exercise, session_feedback
from bot.coaching.flare import (
    ended_by_itself,
    flare_dates,
    flare_end,
    is_in_flare,
    start_flare,
    stop_flare,
    streak_with_flare,
)
from bot.coaching.ladders import LadderPosition, Track, build_tracks, start_position, track_of
from bot.coaching.pain import Trend
from bot.coaching.progression import (
    Answer,
    Move,
    SessionSignals,
    TrackOutcome,
    decide_progression,
    decide_session,
    track_outcome,
)
from bot.coaching.reasons import CoachingReason as R
from bot.content import DEFAULT_CONTENT_DIR, find_problems, load_content
from scheduler.due_times import ALL_DAYS

CONTENT = load_content()
TRACKS = build_tracks(CONTENT)
DAILY = [TRACKS[key] for key in CONTENT.plan.daily_tracks]
TRANSVERSE = TRACKS["transverse_activation"]
DAY = date(2026, 3, 4)  # a Wednesday


def at(rung: int, good: int = 0, track: Track = TRANSVERSE) -> LadderPosition:
    return LadderPosition(track.key, rung, good)


def days(n: int) -> date:
    return DAY + timedelta(days=n)


# Rule 1: pain during an exercise.


@pytest.mark.parametrize(
    ("score", "too_painful", "advice", "reason"),
    [
        (0, False, ExerciseAdvice.FINE, R.EXERCISE_PAIN_FINE),
        (2, False, ExerciseAdvice.FINE, R.EXERCISE_PAIN_FINE),
        (3, False, ExerciseAdvice.SLOWER_SMALLER, R.EXERCISE_PAIN_ACCEPTABLE),
        (5, False, ExerciseAdvice.SLOWER_SMALLER, R.EXERCISE_PAIN_ACCEPTABLE),
        (6, False, ExerciseAdvice.STOP_OFFER_EASIER, R.EXERCISE_PAIN_TOO_MUCH),
        (10, False, ExerciseAdvice.STOP_OFFER_EASIER, R.EXERCISE_PAIN_TOO_MUCH),
        (None, True, ExerciseAdvice.STOP_OFFER_EASIER, R.EXERCISE_TOO_PAINFUL),
        (1, True, ExerciseAdvice.STOP_OFFER_EASIER, R.EXERCISE_TOO_PAINFUL),
    ],
)
def test_pain_during_an_exercise(
    score: int | None, too_painful: bool, advice: ExerciseAdvice, reason: R
) -> None:
    found = advise_during_exercise(score, too_painful=too_painful)
    assert (found.advice, found.reason) == (advice, reason)


def test_advice_needs_a_score_or_the_button() -> None:
    with pytest.raises(ValueError, match="score"):
        advise_during_exercise()


# Rule 2: after a session.


@pytest.mark.parametrize(
    ("score", "baseline", "earlier", "offered"),
    [
        (5, 2, [], True),  # no earlier rating: against the baseline
        (4, 2, [], False),
        (5, 6, [2], True),  # against the previous rating, even below the baseline
        (4, 6, [2], False),
        (8, 3, [6, 5], True),
        (8, 3, [5, 6], False),  # only the previous rating counts, not the lowest
        (9, None, [], False),  # nothing to compare with
        (9, None, [1], True),
    ],
)
def test_flare_offer_when_pain_jumps_by_three(
    score: int, baseline: int | None, earlier: list[int], offered: bool
) -> None:
    feedback = session_feedback(score, baseline=baseline, earlier=earlier)
    assert feedback.offer_flare is offered
    assert feedback.flare_offer == (R.FLARE_OFFER_PAIN_JUMP if offered else None)


def test_no_flare_offer_while_in_flare() -> None:
    assert not session_feedback(9, baseline=2, earlier=[2], in_flare=True).offer_flare


@pytest.mark.parametrize(
    ("score", "earlier", "average", "trend"),
    [
        (3, [4, 5], 4.5, Trend.BETTER),
        (4, [4, 5], 4.5, Trend.SAME),
        (5, [4, 5], 4.5, Trend.SAME),
        (6, [4, 5], 4.5, Trend.WORSE),
        (2, [9, 3, 3, 3, 3, 3], 3.0, Trend.BETTER),  # only the last five count
        (2, [], None, None),
    ],
)
def test_rating_against_the_recent_average(
    score: int, earlier: list[int], average: float | None, trend: Trend | None
) -> None:
    feedback = session_feedback(score, baseline=4, earlier=earlier)
    assert (feedback.recent_average, feedback.versus_recent) == (average, trend)


def test_rating_against_the_baseline_and_its_band() -> None:
    feedback = session_feedback(7, baseline=4, earlier=[])
    assert feedback.versus_baseline is not None and feedback.versus_baseline.delta == 3
    assert feedback.versus_baseline.trend is Trend.WORSE
    assert feedback.reason is R.SESSION_PAIN_HIGH
    assert session_feedback(1, baseline=None, earlier=[]).versus_baseline is None


# Rule 3: the next-morning check-in.


@pytest.mark.parametrize(
    ("check_in", "after_session", "morning"),
    [
        (CheckIn(answer=MorningAnswer.BETTER), 4, Morning.SETTLED),
        (CheckIn(answer=MorningAnswer.SAME), 4, Morning.SETTLED),
        (CheckIn(answer=MorningAnswer.WORSE), 4, Morning.NOT_SETTLED),
        # Against that session's own rating: no higher than right after it is settled.
        (CheckIn(score=4), 4, Morning.SETTLED),
        (CheckIn(score=3), 4, Morning.SETTLED),
        (CheckIn(score=5), 4, Morning.NOT_SETTLED),
        (CheckIn(score=2), 2, Morning.SETTLED),
        (CheckIn(score=3), 2, Morning.NOT_SETTLED),
        (CheckIn(score=5), None, Morning.SETTLED),  # no rating: above 5 is not settled
        (CheckIn(score=6), None, Morning.NOT_SETTLED),
        (None, 4, Morning.UNANSWERED),
    ],
)
def test_morning_settled_or_not(
    check_in: CheckIn | None, after_session: int | None, morning: Morning
) -> None:
    verdict = judge_morning(check_in, after_session=after_session)
    assert verdict.morning is morning
    assert verdict.lighter_next_session is (morning is Morning.NOT_SETTLED)


@pytest.mark.parametrize("kwargs", [{}, {"answer": MorningAnswer.SAME, "score": 2}, {"score": 11}])
def test_a_check_in_is_one_valid_answer(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"check-in|score"):
        CheckIn(**kwargs)


# Rule 4: tracks and progression.


def test_every_exercise_is_on_exactly_one_track() -> None:
    on_tracks = [rung.exercise for track in TRACKS.values() for rung in track.rungs]
    assert sorted(set(on_tracks)) == sorted(CONTENT.exercises)
    for key in CONTENT.exercises:
        owners = [t.key for t in TRACKS.values() if key in {r.exercise for r in t.rungs}]
        assert len(owners) == 1, key


def test_the_transverse_track_climbs_through_its_variants() -> None:
    chain = ["transverse_activation", "transverse_bridge", "bridge_leg_lift"]
    exercises = [rung.exercise for rung in TRANSVERSE.rungs]
    assert exercises == sorted(exercises, key=chain.index)
    sizes = [len(CONTENT.exercise(key).ladder) for key in chain]
    assert [exercises.count(key) for key in chain] == sizes
    assert [r.step for r in TRANSVERSE.rungs[: sizes[0] + 1]] == [*range(sizes[0]), 0]
    assert track_of(TRACKS, "bridge_leg_lift") is TRANSVERSE


def test_a_track_starts_at_the_shipped_dosage() -> None:
    first = CONTENT.exercise("transverse_activation")
    rung = TRANSVERSE.rungs[start_position(TRANSVERSE).rung]
    assert (rung.exercise, (rung.reps, rung.hold_seconds, rung.sets)) == (
        first.key,
        first.dosage.load(),
    )


def signals(pain: int | None, morning: Morning = Morning.SETTLED) -> SessionSignals:
    return SessionSignals(pain, morning)


TOP = TRANSVERSE.top
DONE = TrackOutcome.DONE
S, N, U = Morning.SETTLED, Morning.NOT_SETTLED, Morning.UNANSWERED


@pytest.mark.parametrize(
    ("position", "outcome", "pain", "morning", "move", "reason", "after"),
    [
        (at(3), DONE, 3, S, Move.HOLD, R.HOLD_ONE_GOOD_SESSION, at(3, 1)),
        (at(3, 1), DONE, 0, S, Move.UP, R.STEP_UP_READY, at(4)),
        (at(TOP, 1), DONE, 2, S, Move.HOLD, R.HOLD_AT_TOP, at(TOP, 2)),
        (at(3, 1), DONE, 4, S, Move.HOLD, R.HOLD_MODERATE_PAIN, at(3)),
        (at(3, 1), DONE, 5, S, Move.HOLD, R.HOLD_MODERATE_PAIN, at(3)),
        (at(3, 1), DONE, 2, U, Move.HOLD, R.HOLD_NO_CHECK_IN, at(3)),
        (at(3, 1), DONE, None, S, Move.HOLD, R.HOLD_NO_RATING, at(3)),
        (at(3, 1), TrackOutcome.SKIPPED, 1, S, Move.HOLD, R.HOLD_NOT_PRACTISED, at(3)),
        (at(3, 1), TrackOutcome.NOT_REACHED, 1, S, Move.HOLD, R.HOLD_NOT_PRACTISED, at(3)),
        (at(3, 1), DONE, 6, S, Move.DOWN, R.STEP_DOWN_PAIN_HIGH, at(2)),
        (at(3, 1), DONE, 2, N, Move.DOWN, R.STEP_DOWN_MORNING_WORSE, at(2)),
        (at(3), TrackOutcome.TOO_PAINFUL, 2, S, Move.DOWN, R.STEP_DOWN_TOO_PAINFUL, at(2)),
        (at(3), TrackOutcome.ABANDONED, None, U, Move.DOWN, R.STEP_DOWN_ABANDONED, at(2)),
        (at(3), DONE, 7, N, Move.DOWN, R.STEP_DOWN_PAIN_HIGH, at(2)),  # one step, not two
        (at(3), TrackOutcome.SKIPPED, 7, S, Move.DOWN, R.STEP_DOWN_PAIN_HIGH, at(2)),
        (at(0), DONE, 8, N, Move.HOLD, R.HOLD_AT_BOTTOM, at(0)),
        (at(TOP + 5, 1), DONE, 1, S, Move.HOLD, R.HOLD_AT_TOP, at(TOP, 2)),  # kept on the track
    ],
)
def test_progression_by_the_pain_model(
    position: LadderPosition,
    outcome: TrackOutcome,
    pain: int | None,
    morning: Morning,
    move: Move,
    reason: R,
    after: LadderPosition,
) -> None:
    decision = decide_progression(
        TRANSVERSE, position, outcome, signals(pain, morning), in_flare=False
    )
    assert (decision.move, decision.reason, decision.position) == (move, reason, after)
    assert decision.setback is (reason.name.startswith("STEP_DOWN") or reason is R.HOLD_AT_BOTTOM)


def test_progression_is_paused_in_flare() -> None:
    for pain in (0, 4):
        decision = decide_progression(TRANSVERSE, at(3, 1), DONE, signals(pain), in_flare=True)
        assert (decision.move, decision.reason, decision.position) == (
            Move.HOLD,
            R.HOLD_FLARE,
            at(3),
        )
        assert not decision.setback


def test_in_flare_a_step_up_is_held_and_setbacks_still_apply() -> None:
    ready = decide_progression(TRANSVERSE, at(3, 1), DONE, signals(1), in_flare=True)
    painful = decide_progression(TRANSVERSE, at(3, 1), DONE, signals(9), in_flare=True)
    assert (ready.move, ready.reason) == (Move.HOLD, R.HOLD_FLARE)
    assert (painful.move, painful.reason, painful.position) == (
        Move.DOWN,
        R.STEP_DOWN_PAIN_HIGH,
        at(2),
    )
    assert painful.setback


@pytest.mark.parametrize("planned", [{2}, {0}, set()])
def test_a_rung_never_practised_does_not_count_towards_a_step_up(planned: set[int]) -> None:
    decision = decide_progression(
        TRANSVERSE, at(3, 1), DONE, signals(1), in_flare=False, planned_rungs=planned
    )
    assert (decision.move, decision.reason, decision.position) == (
        Move.HOLD,
        R.HOLD_NOT_PRACTISED,
        at(3),
    )


def test_a_rung_never_practised_still_steps_down_on_a_setback() -> None:
    decision = decide_progression(
        TRANSVERSE, at(3, 1), DONE, signals(7), in_flare=False, planned_rungs={0}
    )
    assert (decision.move, decision.reason) == (Move.DOWN, R.STEP_DOWN_PAIN_HIGH)


def test_the_rung_practised_counts_towards_a_step_up() -> None:
    decision = decide_progression(
        TRANSVERSE, at(3, 1), DONE, signals(1), in_flare=False, planned_rungs={3}
    )
    assert (decision.move, decision.reason) == (Move.UP, R.STEP_UP_READY)


def test_no_position_yet_means_the_start_rung() -> None:
    decision = decide_progression(TRANSVERSE, None, DONE, signals(9), in_flare=False)
    assert decision.position == at(TRANSVERSE.start - 1)


def test_one_decision_per_track_in_the_session() -> None:
    outcomes = {"windmills": DONE, "transverse_activation": TrackOutcome.TOO_PAINFUL}
    decisions = decide_session(TRACKS, {}, outcomes, signals(7, N), in_flare=False)
    assert [(d.track, d.move) for d in decisions] == [
        ("windmills", Move.DOWN),
        ("transverse_activation", Move.DOWN),
    ]


@pytest.mark.parametrize(
    ("answers", "stopped_here", "outcome"),
    [
        ([Answer.DONE], False, TrackOutcome.DONE),
        ([Answer.SKIPPED], False, TrackOutcome.SKIPPED),
        ([Answer.TOO_PAINFUL, Answer.DONE], False, TrackOutcome.TOO_PAINFUL),
        ([Answer.TOO_PAINFUL, Answer.SKIPPED], False, TrackOutcome.TOO_PAINFUL),
        ([], True, TrackOutcome.ABANDONED),
        ([], False, TrackOutcome.NOT_REACHED),
    ],
)
def test_a_tracks_outcome_in_a_session(
    answers: list[Answer], stopped_here: bool, outcome: TrackOutcome
) -> None:
    assert track_outcome(answers, stopped_here=stopped_here) is outcome


# Rule 5: the daily plan.


def test_the_plan_follows_the_ladder_positions() -> None:
    plan = daily_plan(DAILY, {"transverse_activation": at(6)}, in_flare=False)
    assert plan.reason is R.PLAN_FROM_LADDERS
    assert [p.track for p in plan.exercises] == CONTENT.plan.daily_tracks
    transverse = plan.exercises[CONTENT.plan.daily_tracks.index("transverse_activation")]
    rung = TRANSVERSE.rungs[6]
    assert (transverse.exercise, transverse.reps, transverse.hold_seconds) == (
        rung.exercise,
        rung.reps,
        rung.hold_seconds,
    )
    windmills = plan.exercises[CONTENT.plan.daily_tracks.index("windmills")]
    assert windmills.rung == TRACKS["windmills"].start


def test_a_flare_plan_is_gentle_mobility_only() -> None:
    positions = {t.key: at(t.top, track=t) for t in DAILY}
    plan = daily_plan(DAILY, positions, in_flare=True)
    assert plan.reason is R.PLAN_FLARE_MOBILITY
    assert plan.exercises and {p.rung for p in plan.exercises} == {0}
    assert {CONTENT.exercise(p.exercise).category for p in plan.exercises} == {"mobility"}


# Rule 6: flare-up mode.


def test_flare_lasts_the_set_days() -> None:
    state = start_flare(today=DAY, days=3, accepted_offer=False)
    assert (state.ends_on, state.reason) == (flare_end(DAY, 3), R.FLARE_REQUESTED)
    assert [is_in_flare(state, days(n)) for n in range(-1, 4)] == [False, True, True, True, False]
    assert ended_by_itself(state, days(2)) is None
    assert ended_by_itself(state, days(3)) is R.FLARE_TIME_UP
    assert flare_dates([state]) == {DAY, days(1), days(2)}
    assert not is_in_flare(None, DAY)


def test_flare_off_ends_it_today() -> None:
    state = start_flare(today=DAY, days=3, accepted_offer=True)
    assert state.reason is R.FLARE_OFFER_ACCEPTED
    stopped = stop_flare(state, today=days(1))
    assert (is_in_flare(stopped, DAY), is_in_flare(stopped, days(1))) == (True, False)
    assert stopped.reason is R.FLARE_ENDED_BY_PERSON and ended_by_itself(stopped, days(5)) is None
    assert stop_flare(stopped, today=days(2)) is stopped


def test_flare_days_never_break_a_streak() -> None:
    # Sessions on the 4 days before the flare, none in its 3 days, so a streak of 4.
    flare = flare_dates([start_flare(today=days(-3), days=3, accepted_offer=False)])
    sessions = {days(n) for n in range(-7, -3)}
    assert streak_with_flare(sessions, today=DAY, weekdays=ALL_DAYS, flare_days=flare) == 4
    assert streak_with_flare(sessions, today=DAY, weekdays=ALL_DAYS, flare_days=set()) == 0


# Rule 7: escalation.


def ratings(first: date, scores: list[int]) -> list[DatedPain]:
    return [DatedPain(first + timedelta(days=n), s) for n, s in enumerate(scores)]


@pytest.mark.parametrize(
    ("scores", "up"),
    [
        ([3] * 7 + [5] * 7, True),
        ([3] * 7 + [5] * 6 + [4], False),  # up by 1.86
        ([3] * 7 + [9] * 6, True),  # a rating-free day is fine
        ([3] * 7 + [None] * 7, False),  # no ratings in the last week
    ],
)
def test_weekly_average_up_by_two(scores: list[int | None], up: bool) -> None:
    first = DAY - timedelta(days=13)
    dated = [DatedPain(first + timedelta(days=n), s) for n, s in enumerate(scores) if s is not None]
    found = escalation_reasons(
        ratings=dated, step_downs=[], first_session_on=first, baseline=3, today=DAY
    )
    assert (R.ESCALATE_WEEKLY_PAIN_UP in found) is up


@pytest.mark.parametrize(
    ("step_downs", "escalates"),
    [
        ([days(-13), DAY], True),
        ([days(-14), DAY], False),  # more than two weeks apart
        ([DAY, DAY], False),  # the same day (several tracks) counts once
        ([days(-20), days(-15)], False),  # two, but not recently
        ([days(-3), days(-2), days(-1)], True),
    ],
)
def test_two_step_downs_within_two_weeks(step_downs: list[date], escalates: bool) -> None:
    found = escalation_reasons(
        ratings=[], step_downs=step_downs, first_session_on=days(-30), baseline=4, today=DAY
    )
    assert found == ((R.ESCALATE_REPEATED_STEP_DOWNS,) if escalates else ())


@pytest.mark.parametrize(
    ("since_first", "first_week", "last_week", "baseline", "escalates"),
    [
        (42, [4, 4], [4, 4], 6, True),  # not below the first week
        (41, [4, 4], [4, 4], 6, False),  # not yet six weeks
        (42, [4, 4], [3, 4], 6, False),  # 3.5 is below 4
        (42, [], [5, 5], 5, True),  # no first-week rating: the baseline
        (42, [], [4, 5], 5, False),
        (42, [4], [], 6, False),  # no rating in the last week: nothing to judge
    ],
)
def test_no_improvement_after_six_weeks(
    since_first: int, first_week: list[int], last_week: list[int], baseline: int, escalates: bool
) -> None:
    first = DAY - timedelta(days=since_first)
    dated = ratings(first, first_week) + ratings(
        DAY - timedelta(days=len(last_week) - 1), last_week
    )
    found = escalation_reasons(
        ratings=dated, step_downs=[], first_session_on=first, baseline=baseline, today=DAY
    )
    assert found == ((R.ESCALATE_NO_IMPROVEMENT,) if escalates else ())


def test_red_flags_are_asked_again_weekly() -> None:
    now = datetime(2026, 3, 4, 9, tzinfo=UTC)
    assert recheck_due(None, now)
    assert not recheck_due(now - timedelta(days=6, hours=23), now)
    assert recheck_due(now - timedelta(days=7), now)


# Rule 8: education.

ITEMS = [item.key for item in CONTENT.education]


@pytest.mark.parametrize(
    ("shown", "last_shown_on", "expected"),
    [
        ([], None, ITEMS[0]),
        (ITEMS[:1], days(-1), ITEMS[1]),
        (ITEMS[:1], DAY, None),  # never more than one a day
        ([ITEMS[1]], days(-2), ITEMS[0]),  # content order, whatever was shown
        (ITEMS, days(-1), None),
    ],
)
def test_education_one_at_a_time(
    shown: list[str], last_shown_on: date | None, expected: str | None
) -> None:
    assert next_education(ITEMS, shown, last_shown_on=last_shown_on, today=DAY) == expected


# The content behind the rules: plan.yaml and the coaching texts.


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, root)
    return root


def edit(root: Path, name: str, change: Any) -> None:
    path = root / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    ("tracks", "problem"),
    [
        (["windmills", "plank"], "plan.yaml: daily_tracks.1: unknown exercise 'plank'"),
        (
            ["windmills", "transverse_bridge"],
            "plan.yaml: daily_tracks.1: 'transverse_bridge' is on the 'transverse_activation'"
            " track; list the track's first exercise",
        ),
        (["windmills", "windmills"], "plan.yaml: daily_tracks: 'windmills' is listed twice"),
        (
            ["transverse_activation"],
            "plan.yaml: daily_tracks: needs at least one mobility track for flare-up mode",
        ),
    ],
)
def test_plan_problems_are_reported(copy: Path, tracks: list[str], problem: str) -> None:
    edit(copy, "plan.yaml", lambda d: d.update(daily_tracks=tracks))
    assert problem in find_problems(copy)


def test_flare_days_are_checked(copy: Path) -> None:
    edit(copy, "plan.yaml", lambda d: d.update(flare_days=0))
    assert any(p.startswith("plan.yaml: flare_days: ") for p in find_problems(copy))


def test_a_missing_reason_text_is_reported(copy: Path) -> None:
    edit(copy, "texts.yaml", lambda d: d["coaching"]["reasons"].pop("hold_flare"))
    problems = find_problems(copy)
    assert any(
        p.startswith("texts.yaml: coaching.reasons: ") and "hold_flare" in p for p in problems
    )


def test_every_coaching_template_fills_in() -> None:
    texts = CONTENT.texts.coaching
    assert set(texts.reasons) == set(R)
    texts.versus_recent[Trend.SAME].format(average=3.4)
    texts.progression.up.format(exercise="Windmills", dose="5 reps")
    texts.flare.offer.format(delta=3, days=CONTENT.plan.flare_days)
    texts.flare.on.format(date="Sat 7 Mar")
    clinic = texts.escalation.clinic_line.format(contact="+1 555 0100")
    advice = texts.escalation.advice.format(
        reasons=texts.escalation.reason_line.format(
            reason=texts.reasons[R.ESCALATE_NO_IMPROVEMENT]
        ),
        clinic=clinic,
    )
    assert "+1 555 0100" in advice
    assert "medic" not in " ".join(texts.reasons.values()).lower()
