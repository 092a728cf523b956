"""What happens to a message that fell due: sent, skipped (too late, or done), or dropped."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler.decisions import (
    Decision,
    DueMessageFacts,
    Fate,
    GroupDecision,
    GroupFacts,
    decide,
    decide_group,
    is_paused_on,
)
from scheduler.due_times import ALL_DAYS
from scheduler.plans import Occurrence, ReminderPlan

GRACE = timedelta(hours=3)
BERLIN_8 = ReminderPlan(at=time(8), zone="Europe/Berlin")
# Wednesday 2026-03-04, 08:00 in Berlin (CET, +01:00).
DUE = datetime(2026, 3, 4, 7, 0, tzinfo=UTC)
DAY = date(2026, 3, 4)


def utc(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def facts(
    plan: ReminderPlan | None = BERLIN_8,
    *,
    due_at: datetime = DUE,
    local_date: date = DAY,
    recurring: bool = True,
    done: bool = False,
) -> DueMessageFacts:
    return DueMessageFacts(
        due_at=due_at, local_date=local_date, plan=plan, recurring=recurring, done_that_day=done
    )


TOMORROW_8 = Occurrence(utc(3, 5, 7), date(2026, 3, 5))

DECISIONS = [
    pytest.param(facts(), DUE, Decision(Fate.SEND, TOMORROW_8), id="on time"),
    pytest.param(facts(), DUE + GRACE, Decision(Fate.SEND, TOMORROW_8), id="at the grace limit"),
    pytest.param(
        facts(),
        DUE + GRACE + timedelta(seconds=1),
        Decision(Fate.SKIP_LATE, TOMORROW_8),
        id="just past grace",
    ),
    pytest.param(facts(done=True), DUE, Decision(Fate.SKIP_DONE, TOMORROW_8), id="done that day"),
    pytest.param(
        facts(done=True),
        DUE + timedelta(hours=4),
        Decision(Fate.SKIP_LATE, TOMORROW_8),
        id="late wins over done",
    ),
    pytest.param(facts(recurring=False), DUE, Decision(Fate.SEND, None), id="snooze: sent once"),
    pytest.param(
        facts(recurring=False),
        DUE + timedelta(hours=4),
        Decision(Fate.SKIP_LATE, None),
        id="late snooze: gone",
    ),
    pytest.param(facts(None), DUE, Decision(Fate.DROP, None), id="no plan"),
    pytest.param(
        facts(ReminderPlan(at=time(8), zone="Europe/Berlin", paused=True)),
        DUE,
        Decision(Fate.DROP, None),
        id="paused until resumed",
    ),
    pytest.param(
        facts(ReminderPlan(time(8), "Europe/Berlin", paused=True, resume_on=date(2026, 3, 7))),
        DUE,
        Decision(Fate.DROP, Occurrence(utc(3, 7, 7), date(2026, 3, 7))),
        id="paused: comes back on resume_on",
    ),
    pytest.param(
        facts(ReminderPlan(time(8), "Europe/Berlin", paused=True, resume_on=DAY)),
        DUE,
        Decision(Fate.SEND, TOMORROW_8),
        id="pause ends that day",
    ),
    pytest.param(
        facts(),
        utc(3, 7, 2),  # Saturday 03:00 in Berlin, three days down
        Decision(Fate.SKIP_LATE, Occurrence(utc(3, 7, 7), date(2026, 3, 7))),
        id="days down: today's 08:00 next, not each missed day",
    ),
    pytest.param(
        facts(),
        utc(3, 7, 9),  # Saturday 10:00 in Berlin, today's 08:00 still within grace
        Decision(Fate.SKIP_LATE, Occurrence(utc(3, 7, 7), date(2026, 3, 7))),
        id="days down: today's reminder still due",
    ),
    pytest.param(
        facts(),
        utc(3, 7, 11),  # Saturday 12:00: today's 08:00 is too late as well
        Decision(Fate.SKIP_LATE, Occurrence(utc(3, 8, 7), date(2026, 3, 8))),
        id="days down: past today's grace",
    ),
    pytest.param(
        facts(ReminderPlan(time(8), "Europe/Berlin", weekdays=frozenset({0}))),
        DUE,
        Decision(Fate.SEND, Occurrence(utc(3, 9, 7), date(2026, 3, 9))),
        id="Mondays only: next Monday",
    ),
]


@pytest.mark.parametrize(("due", "now", "expected"), DECISIONS)
def test_decide(due: DueMessageFacts, now: datetime, expected: Decision) -> None:
    assert decide(due, now=now, grace=GRACE) == expected


def test_the_day_resume_on_names_is_no_longer_paused() -> None:
    plan = ReminderPlan(time(8), "Europe/Berlin", paused=True, resume_on=date(2026, 3, 7))
    assert [is_paused_on(plan, date(2026, 3, d)) for d in (6, 7, 8)] == [True, False, False]


ZONES = ["UTC", "Europe/Berlin", "America/Nuuk", "Australia/Lord_Howe", "Asia/Kathmandu"]

plans = st.builds(
    ReminderPlan,
    at=st.times(),
    zone=st.sampled_from(ZONES),
    weekdays=st.frozensets(st.sampled_from(sorted(ALL_DAYS)), min_size=1),
    paused=st.booleans(),
    resume_on=st.none() | st.dates(date(2025, 1, 1), date(2028, 12, 31)),
)
instants = st.datetimes(datetime(2025, 1, 1), datetime(2028, 12, 31), timezones=st.just(UTC))
offsets = st.timedeltas(timedelta(days=-1), timedelta(days=10))


@given(plan=plans, due_at=instants, after=offsets, recurring=st.booleans(), done=st.booleans())
def test_nothing_is_sent_beyond_the_grace_window(
    plan: ReminderPlan, due_at: datetime, after: timedelta, recurring: bool, done: bool
) -> None:
    due = facts(plan, due_at=due_at, local_date=due_at.date(), recurring=recurring, done=done)
    decision = decide(due, now=due_at + after, grace=GRACE)
    if after > GRACE:
        assert decision.fate is not Fate.SEND


@given(plan=plans, due_at=instants, after=offsets)
def test_a_daily_reminder_always_comes_back_later_unless_paused_for_good(
    plan: ReminderPlan, due_at: datetime, after: timedelta
) -> None:
    now = due_at + after
    decision = decide(facts(plan, due_at=due_at, local_date=due_at.date()), now=now, grace=GRACE)
    if plan.paused and plan.resume_on is None:
        assert decision.next is None
    else:
        # Strictly later than the message itself, and not a time already beyond grace.
        assert decision.next is not None
        assert decision.next.due_at > due_at and decision.next.due_at > now - GRACE


@given(due_at=instants, after=offsets, recurring=st.booleans(), done=st.booleans())
def test_without_a_plan_the_message_is_dropped(
    due_at: datetime, after: timedelta, recurring: bool, done: bool
) -> None:
    due = facts(None, due_at=due_at, local_date=due_at.date(), recurring=recurring, done=done)
    assert decide(due, now=due_at + after, grace=GRACE) == Decision(Fate.DROP, None)


@given(plan=plans, due_at=instants, after=offsets)
def test_a_snooze_never_comes_back(plan: ReminderPlan, due_at: datetime, after: timedelta) -> None:
    due = facts(plan, due_at=due_at, local_date=due_at.date(), recurring=False)
    assert decide(due, now=due_at + after, grace=GRACE).next is None


# ---- one decision per group; the done check left to each person


def group(plan: ReminderPlan | None = BERLIN_8, *, recurring: bool = True) -> GroupFacts:
    return GroupFacts(due_at=DUE, local_date=DAY, plan=plan, recurring=recurring)


def test_a_group_to_send_leaves_the_person_s_day_to_the_sender() -> None:
    decision = decide_group(group(), now=DUE, grace=GRACE)

    assert decision == GroupDecision(Fate.SEND, TOMORROW_8, skipped_if_done=True)
    assert decision.for_person(done_that_day=True) == Decision(Fate.SKIP_DONE, TOMORROW_8)
    assert decision.for_person(done_that_day=False) == Decision(Fate.SEND, TOMORROW_8)


@pytest.mark.parametrize(
    ("facts_", "now"),
    [
        pytest.param(group(), DUE + GRACE + timedelta(seconds=1), id="late"),
        pytest.param(group(None), DUE, id="no plan"),
        pytest.param(group(ReminderPlan(time(8), "Europe/Berlin", paused=True)), DUE, id="paused"),
    ],
)
def test_only_a_group_to_send_needs_the_done_check(facts_: GroupFacts, now: datetime) -> None:
    decision = decide_group(facts_, now=now, grace=GRACE)

    assert decision.fate is not Fate.SEND and not decision.skipped_if_done
    assert decision.for_person(done_that_day=True) == decision.for_person(done_that_day=False)


@given(plan=plans, due_at=instants, within=st.timedeltas(timedelta(0), GRACE))
def test_on_time_a_group_s_decision_is_the_same_whenever_the_tick_runs(
    plan: ReminderPlan, due_at: datetime, within: timedelta
) -> None:
    facts_ = GroupFacts(due_at, due_at.date(), plan, recurring=True)
    assert decide_group(facts_, now=due_at + within, grace=GRACE) == decide_group(
        facts_, now=due_at, grace=GRACE
    )
