"""What to do with a message that fell due: send it, skip it, or drop it.

The tick decides once per group of messages due at the same instant under the same plan; the
one fact that differs between people, a session finished that day, is for the sender to check
when each message's turn comes (`decide`).
"""

import functools
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
class GroupFacts:
    """Messages due at one instant under one plan: everything deciding needs but sessions."""

    due_at: datetime
    local_date: date
    # None when the person no longer gets reminders (not active, or no time and zone).
    plan: ReminderPlan | None
    # A daily reminder comes back; a snooze or a check-in is sent once.
    recurring: bool
    # A reminder (daily or snoozed) is dropped while paused, and skipped on a day with a
    # session; a check-in, asked the morning after a session, is neither.
    reminder: bool = True


@dataclass(frozen=True, slots=True)
class DueMessageFacts:
    """A due message and what is known of its person, as plain data."""

    due_at: datetime
    local_date: date
    plan: ReminderPlan | None
    recurring: bool
    # The person finished a session on the message's local date.
    done_that_day: bool
    reminder: bool = True


@dataclass(frozen=True, slots=True)
class Decision:
    fate: Fate
    # Where the row moves next; None deletes it.
    next: Occurrence | None


@dataclass(frozen=True, slots=True)
class GroupDecision:
    """A group's fate for people with no session finished that day, and where its rows move."""

    fate: Fate
    next: Occurrence | None
    # A reminder's SEND: a session finished that day turns it into SKIP_DONE for that person.
    skipped_if_done: bool = False

    def for_person(self, *, done_that_day: bool) -> Decision:
        if self.fate is Fate.SEND and self.skipped_if_done and done_that_day:
            return Decision(Fate.SKIP_DONE, self.next)
        return Decision(self.fate, self.next)


def decide(facts: DueMessageFacts, *, now: datetime, grace: timedelta) -> Decision:
    """Send within the grace window unless the day is done or paused; move the schedule on."""
    group = GroupFacts(
        facts.due_at, facts.local_date, facts.plan, facts.recurring, reminder=facts.reminder
    )
    decision = decide_group(group, now=now, grace=grace)
    return decision.for_person(done_that_day=facts.done_that_day)


def decide_group(facts: GroupFacts, *, now: datetime, grace: timedelta) -> GroupDecision:
    """`decide` for every message of a group at once, the finished session left open."""
    plan = facts.plan
    if plan is None:
        return GroupDecision(Fate.DROP, None)
    if now - facts.due_at <= grace:
        return _on_time(facts)
    # After downtime, carry on from the oldest occurrence still worth sending, rather than
    # walking through each missed day in turn.
    following = next_occurrence(plan, now - grace) if facts.recurring else None
    paused = facts.reminder and is_paused_on(plan, facts.local_date)
    fate = Fate.DROP if paused else Fate.SKIP_LATE
    return GroupDecision(fate, following)


# On time, the decision does not depend on `now`: a hot minute's batches share it.
@functools.lru_cache(maxsize=4096)
def _on_time(facts: GroupFacts) -> GroupDecision:
    plan = facts.plan
    assert plan is not None
    following = next_occurrence(plan, facts.due_at) if facts.recurring else None
    if not facts.reminder:
        return GroupDecision(Fate.SEND, following)
    if is_paused_on(plan, facts.local_date):
        return GroupDecision(Fate.DROP, following)
    return GroupDecision(Fate.SEND, following, skipped_if_done=True)


def is_paused_on(plan: ReminderPlan, day: date) -> bool:
    """Whether the person asked for no reminders on their local `day`."""
    return plan.paused and (plan.resume_on is None or day < plan.resume_on)
