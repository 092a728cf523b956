"""What to do with a message that fell due: send it, skip it, or drop it."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from scheduler.plans import Occurrence, ReminderPlan, next_occurrence


class Fate(StrEnum):
    SEND = "send"
    SKIP_LATE = "skip_late"  # fell due too long ago (the bot was down): never sent at 3 a.m.
    SKIP_DONE = "skip_done"  # the person already did a session that day
    DROP = "drop"  # not wanted (paused, not active): nothing to send, nothing to log


@dataclass(frozen=True, slots=True)
class DueMessageFacts:
    """A due message and what is known of its person, as plain data."""

    due_at: datetime
    local_date: date
    # None when the person no longer gets reminders (not active, or no time and zone).
    plan: ReminderPlan | None
    # A daily reminder comes back; a snooze is sent once.
    recurring: bool
    # The person finished a session on the message's local date.
    done_that_day: bool


@dataclass(frozen=True, slots=True)
class Decision:
    fate: Fate
    # Where the row moves next; None deletes it.
    next: Occurrence | None


def decide(facts: DueMessageFacts, *, now: datetime, grace: timedelta) -> Decision:
    """Send within the grace window unless the day is done or paused; move the schedule on."""
    plan = facts.plan
    if plan is None:
        return Decision(Fate.DROP, None)
    # After downtime, carry on from the oldest occurrence still worth sending, rather than
    # walking through each missed day in turn.
    following = next_occurrence(plan, max(facts.due_at, now - grace)) if facts.recurring else None
    if is_paused_on(plan, facts.local_date):
        return Decision(Fate.DROP, following)
    if now - facts.due_at > grace:
        return Decision(Fate.SKIP_LATE, following)
    if facts.done_that_day:
        return Decision(Fate.SKIP_DONE, following)
    return Decision(Fate.SEND, following)


def is_paused_on(plan: ReminderPlan, day: date) -> bool:
    """Whether the person asked for no reminders on their local `day`."""
    return plan.paused and (plan.resume_on is None or day < plan.resume_on)
