"""A person's reminder plan (time, weekdays, zone, pause) and when it next falls due."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from scheduler.due_times import ALL_DAYS, local_date_of, local_to_utc, next_due


@dataclass(frozen=True, slots=True)
class ReminderPlan:
    """When a person wants their daily reminder."""

    at: time
    zone: str
    weekdays: frozenset[int] = ALL_DAYS
    paused: bool = False
    # While paused: the first local date reminders come back; None means until they resume.
    resume_on: date | None = None


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One reminder: the instant it falls due and the person's local date it belongs to."""

    due_at: datetime
    local_date: date


def next_occurrence(plan: ReminderPlan, after: datetime) -> Occurrence | None:
    """The plan's first reminder strictly after `after`; None while paused with no end."""
    if plan.paused:
        if plan.resume_on is None:
            return None
        # The last instant of the day before resume_on, so a reminder on that day still counts.
        start_of_resume_day = local_to_utc(plan.resume_on, time(0, 0), plan.zone)
        after = max(after, start_of_resume_day - timedelta(microseconds=1))
    due_at = next_due(after, plan.at, plan.zone, plan.weekdays)
    return Occurrence(due_at, scheduled_local_date(due_at, plan))


def scheduled_local_date(due_at: datetime, plan: ReminderPlan) -> date:
    """The local date a reminder at `due_at` was planned for.

    Usually the local date of `due_at`; but a time in a spring-forward gap just before midnight
    (America/Nuuk, 23:30) is pushed into the next day, and it still belongs to the day before.
    """
    day = local_date_of(due_at, plan.zone)
    previous = day - timedelta(days=1)
    if local_to_utc(day, plan.at, plan.zone) != due_at and (
        local_to_utc(previous, plan.at, plan.zone) == due_at
    ):
        return previous
    return day


def weekdays_from_digits(digits: str) -> frozenset[int]:
    """Stored weekdays ("0123456", Monday is 0) as a set."""
    return frozenset(int(digit) for digit in digits)


def digits_from_weekdays(weekdays: frozenset[int]) -> str:
    """Weekdays as stored: sorted digits, Monday is 0."""
    return "".join(str(day) for day in sorted(weekdays))
