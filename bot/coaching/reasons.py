"""Why the coach decided something: one member per cause, each explained to the person.

The plain sentence for every member lives in `content/texts.yaml` under `coaching.reasons`;
the content check fails if one is missing. Rules and sources: docs/coaching-rules.md.
"""

from enum import StrEnum


class CoachingReason(StrEnum):
    # During an exercise (the Too painful button, or a quick 0–10 after it).
    EXERCISE_PAIN_FINE = "exercise_pain_fine"  # 0–2
    EXERCISE_PAIN_ACCEPTABLE = "exercise_pain_acceptable"  # 3–5
    EXERCISE_PAIN_TOO_MUCH = "exercise_pain_too_much"  # above 5
    EXERCISE_TOO_PAINFUL = "exercise_too_painful"  # the button

    # After a session: the 0–10 rating, and the flare-up offer.
    SESSION_PAIN_LOW = "session_pain_low"
    SESSION_PAIN_MODERATE = "session_pain_moderate"
    SESSION_PAIN_HIGH = "session_pain_high"
    FLARE_OFFER_PAIN_JUMP = "flare_offer_pain_jump"

    # The next-morning check-in.
    MORNING_SETTLED = "morning_settled"
    MORNING_NOT_SETTLED = "morning_not_settled"
    MORNING_UNANSWERED = "morning_unanswered"

    # Progression on a ladder: up, hold, down.
    STEP_UP_READY = "step_up_ready"
    HOLD_ONE_GOOD_SESSION = "hold_one_good_session"
    HOLD_MODERATE_PAIN = "hold_moderate_pain"
    HOLD_NO_RATING = "hold_no_rating"
    HOLD_NO_CHECK_IN = "hold_no_check_in"
    HOLD_NOT_PRACTISED = "hold_not_practised"
    HOLD_AT_TOP = "hold_at_top"
    HOLD_AT_BOTTOM = "hold_at_bottom"  # a step down was called for; already the gentlest
    HOLD_FLARE = "hold_flare"
    STEP_DOWN_PAIN_HIGH = "step_down_pain_high"
    STEP_DOWN_TOO_PAINFUL = "step_down_too_painful"
    STEP_DOWN_ABANDONED = "step_down_abandoned"
    STEP_DOWN_MORNING_WORSE = "step_down_morning_worse"

    # The day's plan.
    PLAN_FROM_LADDERS = "plan_from_ladders"
    PLAN_FLARE_MOBILITY = "plan_flare_mobility"

    # Flare-up mode.
    FLARE_REQUESTED = "flare_requested"
    FLARE_OFFER_ACCEPTED = "flare_offer_accepted"
    FLARE_ENDED_BY_PERSON = "flare_ended_by_person"
    FLARE_TIME_UP = "flare_time_up"

    # Escalation: see a physical therapist.
    ESCALATE_WEEKLY_PAIN_UP = "escalate_weekly_pain_up"
    ESCALATE_REPEATED_STEP_DOWNS = "escalate_repeated_step_downs"
    ESCALATE_NO_IMPROVEMENT = "escalate_no_improvement"
