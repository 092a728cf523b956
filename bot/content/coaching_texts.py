"""The schema of the `coaching:` texts: why the coach decided something, and what it says
around check-ins, flare-up mode, the daily plan and escalation."""

from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from bot.coaching.feedback import ExerciseAdvice
from bot.coaching.pain import Trend
from bot.coaching.reasons import CoachingReason

E = TypeVar("E", bound=StrEnum)

Sentence = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]


def _every(members: type[E]) -> Callable[[dict[E, str]], dict[E, str]]:
    def complete(found: dict[E, str]) -> dict[E, str]:
        missing = [m.value for m in members if m not in found]
        if missing:
            raise ValueError(f"missing {', '.join(missing)}")
        return found

    return complete


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InExerciseTexts(_Strict):
    rating_question: str  # the optional quick 0–10 after an exercise
    skip_rating_button: str
    pain_now_button: str  # on an exercise card: opens the quick 0–10
    advice: Annotated[dict[ExerciseAdvice, str], AfterValidator(_every(ExerciseAdvice))]


class CheckInTexts(_Strict):
    question: str
    better_button: str
    same_button: str
    worse_button: str
    answered: str  # {answer}: the button's label or "{score}/10"
    invalid: str
    already_answered: str  # a second press
    passed: str  # a press after another session started
    noted: str  # an answer after the session was decided without it
    next_session: str  # heading of the decisions in the answer
    waiting: str  # {time}: in the session summary, when the next step waits for the morning
    waiting_unscheduled: str
    time_shown: str  # /checkin; {time}
    time_changed: str  # /checkin 7:30; {time}
    time_invalid: str
    not_set_up: str


class ProgressionTexts(_Strict):
    up: str  # {exercise}, {dose}
    hold: str
    down: str


class DoseTexts(_Strict):
    reps: str  # {reps}
    hold: str  # {seconds}
    sets: str  # {sets}
    per_side: str
    separator: str


class PlanTexts(_Strict):
    name: str  # today's plan, in the routine list
    heading: str  # {count}
    flare_heading: str  # {count}


class FlareTexts(_Strict):
    offer: str  # {delta}, {days}
    offer_since_baseline: str  # the same, when the jump is on the starting point (no rating yet)
    offer_expired: str  # a toast: Yes on an offer from another day or an earlier session
    accept_button: str
    decline_button: str
    declined: str
    on: str  # {date}
    already_on: str  # {date}
    off: str
    not_on: str
    ended_by_itself: str
    reminders: list[str] = Field(min_length=1)  # softened daily reminders while in flare-up
    date: str  # {weekday} {day} {month}: the last day of flare-up mode in on/already_on


class EscalationTexts(_Strict):
    advice: str  # {reasons}: the reason lines; {clinic}: clinic_line, or empty
    reason_line: str  # {reason}
    clinic_line: str  # {contact}
    clinic_name_line: str  # {name}
    recheck_intro: str  # before the weekly red-flag questions


class TimerTexts(_Strict):
    running: str  # {time}, like 0:25
    stop_button: str
    stopped: str  # {time} left when stopped
    finished: str  # the countdown message at the end: the "done" cue, in the same message
    not_current: str  # a toast: Start timer on a card that is not the current step


class EducationTexts(_Strict):
    message: str  # {title}, {text}


class CoachingTexts(_Strict):
    reasons: Annotated[dict[CoachingReason, Sentence], AfterValidator(_every(CoachingReason))]
    in_exercise: InExerciseTexts
    versus_recent: Annotated[dict[Trend, str], AfterValidator(_every(Trend))]  # {average}
    check_in: CheckInTexts
    progression: ProgressionTexts
    dose: DoseTexts
    plan: PlanTexts
    flare: FlareTexts
    escalation: EscalationTexts
    education: EducationTexts
    timer: TimerTexts
