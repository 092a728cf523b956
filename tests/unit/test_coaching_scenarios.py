"""Four weeks with the coach, played day by day through the pure rules: a person who improves,
one who is stuck, one who flares up, and one who gets worse."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.coaching.checkins import CheckIn, MorningAnswer, judge_morning
from bot.coaching.daily_plan import DailyPlan, daily_plan
from bot.coaching.education import next_education
from bot.coaching.escalation import DatedPain, escalation_reasons
from bot.coaching.feedback import session_feedback
from bot.coaching.flare import (
    FlareState,
    ended_by_itself,
    flare_dates,
    is_in_flare,
    start_flare,
    streak_with_flare,
)
from bot.coaching.ladders import LadderPosition, build_tracks
from bot.coaching.progression import (
    Move,
    ProgressionDecision,
    SessionSignals,
    TrackOutcome,
    decide_session,
)
from bot.coaching.reasons import CoachingReason as R
from bot.content import load_content
from scheduler.due_times import ALL_DAYS

CONTENT = load_content()
TRACKS = build_tracks(CONTENT)
DAILY = [TRACKS[key] for key in CONTENT.plan.daily_tracks]
FIRST_DAY = date(2026, 3, 2)  # a Monday
BETTER, SAME, WORSE = (CheckIn(answer=a) for a in MorningAnswer)


@dataclass
class Journey:
    """One person's days: sessions, ratings, check-ins and the coach's decisions."""

    baseline: int
    positions: dict[str, LadderPosition] = field(default_factory=dict)
    ratings: list[DatedPain] = field(default_factory=list)
    decisions: dict[date, tuple[ProgressionDecision, ...]] = field(default_factory=dict)
    plans: dict[date, DailyPlan] = field(default_factory=dict)
    offers: list[date] = field(default_factory=list)
    flares: list[FlareState] = field(default_factory=list)
    education: dict[date, str] = field(default_factory=dict)

    def session(
        self,
        day: date,
        pain: int,
        morning: CheckIn | None,
        *,
        outcomes: dict[str, TrackOutcome] | None = None,
        accept_offer: bool = False,
    ) -> None:
        """A session on `day`, rated `pain`, and the next morning's check-in about it."""
        in_flare = is_in_flare(self.flare, day)
        plan = self.plans[day] = daily_plan(DAILY, self.positions, in_flare=in_flare)
        earlier = [r.score for r in self.ratings]
        feedback = session_feedback(
            pain, baseline=self.baseline, earlier=earlier, in_flare=in_flare
        )
        if feedback.offer_flare:
            self.offers.append(day)
            if accept_offer:
                self.flares.append(
                    start_flare(today=day, days=CONTENT.plan.flare_days, accepted_offer=True)
                )
        self.ratings.append(DatedPain(day, pain))
        verdict = judge_morning(morning, after_session=pain)
        done = {p.track: TrackOutcome.DONE for p in plan.exercises}
        decisions = decide_session(
            TRACKS,
            self.positions,
            done | (outcomes or {}),
            SessionSignals(pain, verdict.morning),
            in_flare=in_flare,
        )
        self.decisions[day] = decisions
        self.positions |= {d.track: d.position for d in decisions}

    def show_education(self, day: date) -> None:
        items = [item.key for item in CONTENT.education]
        last = max(self.education, default=None)
        key = next_education(items, set(self.education.values()), last_shown_on=last, today=day)
        if key is not None:
            self.education[day] = key

    @property
    def flare(self) -> FlareState | None:
        return self.flares[-1] if self.flares else None

    def rung(self, track: str) -> int:
        position = self.positions.get(track)
        return TRACKS[track].start if position is None else position.rung

    def setback_days(self) -> list[date]:
        return [day for day, ds in self.decisions.items() if any(d.setback for d in ds)]

    def escalation(self, today: date) -> tuple[R, ...]:
        return escalation_reasons(
            ratings=self.ratings,
            step_downs=self.setback_days(),
            first_session_on=FIRST_DAY,
            baseline=self.baseline,
            today=today,
        )

    def moves(self, track: str) -> list[Move]:
        return [d.move for ds in self.decisions.values() for d in ds if d.track == track]


def day(n: int) -> date:
    """Day n of the journey, from 1."""
    return FIRST_DAY + timedelta(days=n - 1)


def test_improving_climbs_every_ladder_without_escalation() -> None:
    person = Journey(baseline=6)
    for n in range(1, 29):
        person.show_education(day(n))
        unanswered = n == 5  # one forgotten check-in delays a step, never speeds it
        person.session(day(n), pain=3 if n <= 7 else 1, morning=None if unanswered else BETTER)
    moves = person.moves("transverse_activation")
    assert Move.DOWN not in moves
    assert moves[:7] == [Move.HOLD, Move.UP, Move.HOLD, Move.UP, Move.HOLD, Move.HOLD, Move.UP]
    assert [d.reason for d in person.decisions[day(5)]] == [R.HOLD_NO_CHECK_IN] * len(DAILY)
    transverse = TRACKS["transverse_activation"]
    assert person.rung("transverse_activation") == transverse.top
    assert {r.exercise for r in transverse.rungs[: person.rung("transverse_activation")]} >= {
        "transverse_bridge"
    }
    assert all(person.rung(t.key) == t.top for t in DAILY)
    assert person.escalation(day(28)) == ()
    assert list(person.education.values()) == [item.key for item in CONTENT.education]
    assert list(person.education) == [day(n) for n in range(1, 6)]  # one a day


def test_stuck_holds_every_ladder_and_escalates_after_six_weeks() -> None:
    person = Journey(baseline=5)
    for n in range(1, 44):
        person.session(day(n), pain=4 + n % 2, morning=SAME)
    for ds in person.decisions.values():
        assert {(d.move, d.reason) for d in ds} == {(Move.HOLD, R.HOLD_MODERATE_PAIN)}
    assert all(person.rung(t.key) == t.start for t in DAILY)
    assert person.escalation(day(28)) == ()
    assert person.escalation(day(42)) == ()  # 41 days since the first session
    assert person.escalation(day(43)) == (R.ESCALATE_NO_IMPROVEMENT,)


def test_a_flare_up_goes_gentle_pauses_and_resumes() -> None:
    person = Journey(baseline=4)
    for n in range(1, 8):
        person.session(day(n), pain=2, morning=BETTER)
    before = {t.key: person.rung(t.key) for t in DAILY}
    # Day 8: pain jumps from 2 to 7 and the morning is worse: one step down, and flare-up mode.
    person.session(day(8), pain=7, morning=WORSE, accept_offer=True)
    assert person.offers == [day(8)]
    assert {(d.move, d.reason) for d in person.decisions[day(8)]} <= {
        (Move.DOWN, R.STEP_DOWN_PAIN_HIGH),
        (Move.HOLD, R.HOLD_AT_BOTTOM),
    }
    after_setback = {t.key: person.rung(t.key) for t in DAILY}
    assert all(after_setback[k] == max(0, before[k] - 1) for k in before)
    # Day 9 in flare-up mode: gentle mobility only, progression paused. Day 10: no session.
    person.session(day(9), pain=4, morning=SAME)
    plan = person.plans[day(9)]
    assert plan.reason is R.PLAN_FLARE_MOBILITY
    assert {CONTENT.exercise(p.exercise).category for p in plan.exercises} == {"mobility"}
    assert {d.reason for d in person.decisions[day(9)]} == {R.HOLD_FLARE}
    assert {t.key: person.rung(t.key) for t in DAILY} == after_setback
    # Day 11: the flare-up days are over by themselves; the full plan is back where it was.
    assert ended_by_itself(person.flare, day(11)) is R.FLARE_TIME_UP
    for n in range(11, 29):
        person.session(day(n), pain=2, morning=BETTER)
    assert person.plans[day(11)].reason is R.PLAN_FROM_LADDERS
    assert [p.rung for p in person.plans[day(11)].exercises] == list(after_setback.values())
    assert Move.UP in person.moves("transverse_activation")[10:]
    # The missed day in flare-up mode never breaks the streak.
    sessions = set(person.decisions)
    streak = streak_with_flare(
        sessions, today=day(29), weekdays=ALL_DAYS, flare_days=flare_dates(person.flares)
    )
    assert streak == 27
    assert person.escalation(day(28)) == ()


def test_worsening_steps_down_to_the_bottom_and_escalates() -> None:
    person = Journey(baseline=3)
    week_pain = [3, 5, 6, 7]
    escalated: dict[R, date] = {}
    for n in range(1, 29):
        pain = week_pain[(n - 1) // 7]
        # Day 2: Too painful on the transverse exercise, in an otherwise fine session.
        outcomes = {"transverse_activation": TrackOutcome.TOO_PAINFUL} if n == 2 else {}
        person.session(day(n), pain=pain, morning=WORSE if pain > 3 else SAME, outcomes=outcomes)
        for reason in person.escalation(day(n)):
            escalated.setdefault(reason, day(n))
    assert person.offers == []  # a steady rise, never a jump of 3 in one session
    day_two = {d.track: (d.move, d.reason) for d in person.decisions[day(2)]}
    assert day_two.pop("transverse_activation") == (Move.DOWN, R.STEP_DOWN_TOO_PAINFUL)
    assert all(move is not Move.DOWN for move, _ in day_two.values())
    assert set(person.moves("windmills")[7:]) <= {Move.DOWN, Move.HOLD}
    assert all(person.rung(t.key) == 0 for t in DAILY)
    assert {d.reason for d in person.decisions[day(28)]} == {R.HOLD_AT_BOTTOM}
    # The second setback day (day 8) and the first full week averaging 2 more (day 14).
    assert escalated == {
        R.ESCALATE_REPEATED_STEP_DOWNS: day(8),
        R.ESCALATE_WEEKLY_PAIN_UP: day(14),
    }
