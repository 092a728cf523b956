"""When to recommend seeing a physical therapist, and when to ask the red-flag questions again.

Issue 4: "weekly average pain up by 2 or more points, two step-downs within two weeks, or no
improvement after six weeks -> recommend seeing a physical therapist". The articles: "see a
physical therapist" (004_ad866e7d2adc47d5). Definitions: docs/coaching-rules.md.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean

from bot.coaching.reasons import CoachingReason

WEEK_DAYS = 7
WEEKLY_RISE = 2  # points, last 7 days' average against the 7 days before
STEP_DOWN_WINDOW_DAYS = 14
STEP_DOWNS_TO_ESCALATE = 2  # on different days
NO_IMPROVEMENT_AFTER_DAYS = 42
RECHECK_EVERY = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class DatedPain:
    on: date  # local date
    score: int


def week_average(ratings: Iterable[DatedPain], *, first_day: date) -> float | None:
    """The average of the ratings in the seven days from `first_day`; None if there are none."""
    last_day = first_day + timedelta(days=WEEK_DAYS - 1)
    scores = [r.score for r in ratings if first_day <= r.on <= last_day]
    return fmean(scores) if scores else None


def _weekly_pain_up(ratings: list[DatedPain], today: date) -> bool:
    this_week = week_average(ratings, first_day=today - timedelta(days=WEEK_DAYS - 1))
    week_before = week_average(ratings, first_day=today - timedelta(days=2 * WEEK_DAYS - 1))
    if this_week is None or week_before is None:
        return False
    return this_week - week_before >= WEEKLY_RISE


def _repeated_step_downs(step_downs: Collection[date], today: date) -> bool:
    since = today - timedelta(days=STEP_DOWN_WINDOW_DAYS - 1)
    return len({day for day in step_downs if since <= day <= today}) >= STEP_DOWNS_TO_ESCALATE


def _no_improvement(
    ratings: list[DatedPain], first_session_on: date | None, baseline: int | None, today: date
) -> bool:
    if first_session_on is None or (today - first_session_on).days < NO_IMPROVEMENT_AFTER_DAYS:
        return False
    this_week = week_average(ratings, first_day=today - timedelta(days=WEEK_DAYS - 1))
    first_week = week_average(ratings, first_day=first_session_on)
    reference = first_week if first_week is not None else baseline
    return this_week is not None and reference is not None and this_week >= reference


def escalation_reasons(
    *,
    ratings: Iterable[DatedPain],
    step_downs: Collection[date],
    first_session_on: date | None,
    baseline: int | None,
    today: date,
) -> tuple[CoachingReason, ...]:
    """Every reason, as of `today`, to recommend a physical therapist; empty when none holds.
    `ratings`: after-session 0–10s; `step_downs`: dates of setback decisions."""
    known = [r for r in ratings if r.on <= today]
    reasons = []
    if _weekly_pain_up(known, today):
        reasons.append(CoachingReason.ESCALATE_WEEKLY_PAIN_UP)
    if _repeated_step_downs(step_downs, today):
        reasons.append(CoachingReason.ESCALATE_REPEATED_STEP_DOWNS)
    if _no_improvement(known, first_session_on, baseline, today):
        reasons.append(CoachingReason.ESCALATE_NO_IMPROVEMENT)
    return tuple(reasons)


def recheck_due(last_screened_at: datetime | None, now: datetime) -> bool:
    """The red-flag questions are asked again once a week (and whenever never asked)."""
    return last_screened_at is None or now - last_screened_at >= RECHECK_EVERY
