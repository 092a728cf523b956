"""Where a person's set-up stands, read from what the database knows about them."""

from enum import StrEnum

from bot.db.enums import UserStatus
from bot.db.models import User


class Stage(StrEnum):
    CONSENT = "consent"
    SCREENING = "screening"
    BASELINE = "baseline"
    REMINDER_TIME = "reminder_time"
    TIME_ZONE = "time_zone"
    REFERRED = "referred"
    READY = "ready"


def setup_stage(user: User, *, has_baseline: bool) -> Stage:
    """The first set-up step this person has not finished."""
    if user.status == UserStatus.REFERRED:
        return Stage.REFERRED
    if user.status in (UserStatus.ACTIVE, UserStatus.INACTIVE):
        return Stage.READY
    if user.consented_at is None:
        return Stage.CONSENT
    if user.screened_at is None:
        return Stage.SCREENING
    if not has_baseline:
        return Stage.BASELINE
    if user.reminder_time is None:
        return Stage.REMINDER_TIME
    return Stage.TIME_ZONE
