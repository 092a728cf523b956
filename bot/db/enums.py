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

    QUEUED = "queued"  # claimed and waiting for the sender; safe to send after a restart
    SENDING = "sending"  # handed to Telegram; never sent again, even if we crash now
    SENT = "sent"
    SKIPPED_LATE = "skipped_late"  # fell due while the bot was down, beyond the grace window
    SKIPPED_DONE = "skipped_done"  # the person had already done a session that day
    CANCELLED = "cancelled"  # paused, or stopped being active, while it waited to be sent
    FAILED = "failed"
    BLOCKED = "blocked"  # the person blocked the bot


class MessageKind(StrEnum):
    """What a scheduled message is; each person has at most one pending of each kind."""

    DAILY_REMINDER = "daily_reminder"
    SNOOZE = "snooze"  # the reminder again, after the person pressed Later
    CHECK_IN = "check_in"  # the morning after a session: has the back settled?
    WEEKLY_SUMMARY = "weekly_summary"  # the week in three lines and the chart


class ReminderResponse(StrEnum):
    """What the person pressed on a reminder."""

    START = "start"
    LATER = "later"
    SKIP = "skip"


class CheckInFeeling(StrEnum):
    """The next morning, against before the session."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


class CoachingTopic(StrEnum):
    """What a coaching decision was about."""

    PROGRESSION = "progression"  # a track moved up, held or moved down
    IN_EXERCISE = "in_exercise"  # advice on pain during an exercise
    CHECK_IN = "check_in"  # the next morning: settled or not
    FLARE = "flare"  # flare-up mode offered, started or ended
    ESCALATION = "escalation"  # see a physical therapist
    RED_FLAG = "red_flag"  # the weekly red-flag re-check
