"""Properties of the coaching rules that must hold for any person and any history."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coaching.checkins import CheckIn, Morning, MorningAnswer, judge_morning
from bot.coaching.daily_plan import daily_plan
from bot.coaching.escalation import DatedPain, escalation_reasons
from bot.coaching.feedback import advise_during_exercise, session_feedback
from bot.coaching.flare import start_flare, stop_flare, streak_with_flare
from bot.coaching.ladders import LadderPosition, Track, build_tracks
from bot.coaching.progression import (
    Move,
    SessionSignals,
    TrackOutcome,
    decide_progression,
    restored_position,
)
from bot.coaching.reasons import CoachingReason
from bot.coaching.reminder_facts import reminder_facts
from bot.content import load_content

CONTENT = load_content()
REASONS = CONTENT.texts.coaching.reasons
TRACKS = build_tracks(CONTENT)
TODAY = date(2026, 3, 4)
properties = settings(max_examples=300, deadline=None)

pains = st.none() | st.integers(0, 10)
tracks = st.sampled_from(list(TRACKS.values()))
signals = st.builds(SessionSignals, pain=pains, morning=st.sampled_from(Morning))
sessions = st.tuples(st.sampled_from(TrackOutcome), signals, st.booleans())
recent_days = st.sets(st.integers(1, 40).map(lambda n: TODAY - timedelta(days=n)), max_size=40)


def explained(reason: CoachingReason | None) -> bool:
    return reason is None or bool(REASONS.get(reason, "").strip())


@st.composite
def positions(draw: st.DrawFn, track: Track) -> LadderPosition | None:
    if draw(st.booleans()):
        return None
    rung = draw(st.integers(-3, track.top + 3))  # stored rungs may be off a changed ladder
    return LadderPosition(track.key, rung, draw(st.integers(0, 3)))


@properties
@given(st.data(), tracks, sessions)
def test_never_a_step_up_after_pain_above_five(
    data: st.DataObject, track: Track, session: tuple[TrackOutcome, SessionSignals, bool]
) -> None:
    outcome, signal, in_flare = session
    decision = decide_progression(
        track, data.draw(positions(track)), outcome, signal, in_flare=in_flare
    )
    if decision.move is Move.UP:
        assert signal.pain is not None and signal.pain <= 3
        assert (outcome, signal.morning, in_flare) == (TrackOutcome.DONE, Morning.SETTLED, False)
    if signal.pain is not None and signal.pain > 5:
        assert decision.move is not Move.UP


@properties
@given(st.data(), tracks, st.lists(sessions, max_size=40))
def test_never_off_the_ladder_one_rung_at_a_time_and_restorable(
    data: st.DataObject, track: Track, history: list[tuple[TrackOutcome, SessionSignals, bool]]
) -> None:
    position = data.draw(positions(track))
    for outcome, signal, in_flare in history:
        decision = decide_progression(track, position, outcome, signal, in_flare=in_flare)
        rung = decision.position.rung
        assert 0 <= rung <= track.top
        if position is not None and 0 <= position.rung <= track.top:
            assert abs(rung - position.rung) <= 1
        position = decision.position
        assert restored_position(track.key, rung, decision.reason) == position


@properties
@given(recent_days, st.frozensets(st.integers(0, 6), min_size=1), recent_days)
def test_flare_never_lowers_a_streak(
    session_days: set[date], weekdays: frozenset[int], flare_days: set[date]
) -> None:
    plain = reminder_facts(session_days, today=TODAY, weekdays=weekdays).streak

    def streak(flare: set[date]) -> int:
        return streak_with_flare(session_days, today=TODAY, weekdays=weekdays, flare_days=flare)

    assert streak(flare_days) >= plain
    assert streak(set()) == plain


@properties
@given(st.data(), tracks, sessions)
def test_every_progression_decision_is_explained(
    data: st.DataObject, track: Track, session: tuple[TrackOutcome, SessionSignals, bool]
) -> None:
    outcome, signal, in_flare = session
    decision = decide_progression(
        track, data.draw(positions(track)), outcome, signal, in_flare=in_flare
    )
    assert explained(decision.reason)


@properties
@given(
    st.integers(0, 10),
    st.booleans(),
    st.none() | st.integers(0, 10),
    st.lists(st.integers(0, 10), max_size=8),
    st.none() | st.sampled_from(MorningAnswer) | st.integers(0, 10),
)
def test_every_pain_and_morning_decision_is_explained(
    score: int,
    too_painful: bool,
    baseline: int | None,
    earlier: list[int],
    answer: MorningAnswer | int | None,
) -> None:
    assert explained(advise_during_exercise(score, too_painful=too_painful).reason)
    feedback = session_feedback(score, baseline=baseline, earlier=earlier)
    assert explained(feedback.reason) and explained(feedback.flare_offer)
    if isinstance(answer, MorningAnswer):
        check_in: CheckIn | None = CheckIn(answer=answer)
    else:
        check_in = None if answer is None else CheckIn(score=answer)
    assert explained(judge_morning(check_in, after_session=baseline).reason)


@properties
@given(
    st.booleans(),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 10)), max_size=30),
    st.lists(st.integers(0, 60), max_size=5),
    st.integers(0, 10),
    st.integers(1, 14),
)
def test_every_plan_flare_and_escalation_decision_is_explained(
    in_flare: bool,
    ratings: list[tuple[int, int]],
    step_downs: list[int],
    baseline: int,
    flare_days: int,
) -> None:
    daily = [TRACKS[key] for key in CONTENT.plan.daily_tracks]
    assert explained(daily_plan(daily, {}, in_flare=in_flare).reason)
    flare = start_flare(today=TODAY, days=flare_days, accepted_offer=in_flare)
    assert explained(flare.reason)
    assert explained(stop_flare(flare, today=TODAY).reason)
    found = escalation_reasons(
        ratings=[DatedPain(TODAY - timedelta(days=n), s) for n, s in ratings],
        step_downs=[TODAY - timedelta(days=n) for n in step_downs],
        first_session_on=TODAY - timedelta(days=60),
        baseline=baseline,
        today=TODAY,
    )
    assert all(explained(reason) for reason in found)


def test_every_reason_has_its_sentence() -> None:
    assert all(explained(reason) for reason in CoachingReason)
