"""The small closed vocabularies stored in the database."""

from enum import StrEnum


class UserStatus(StrEnum):
    ONBOARDING = "onboarding"
    ACTIVE = "active"
    REFERRED = "referred"  # a red flag was answered Yes: programme not started
    INACTIVE = "inactive"  # blocked the bot


class SessionStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    PARTIAL = "partial"
    ABANDONED = "abandoned"


class StepOutcome(StrEnum):
    DONE = "done"
    SKIPPED = "skipped"
    TOO_PAINFUL = "too_painful"


class PainContext(StrEnum):
    BASELINE = "baseline"
    AFTER_SESSION = "after_session"


class SendStatus(StrEnum):
    """A scheduled message's fate, logged before sending so a day is never sent twice."""

    SENDING = "sending"
    SENT = "sent"
    SKIPPED_LATE = "skipped_late"
    FAILED = "failed"
