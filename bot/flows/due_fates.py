"""How a scheduled message's fate, decided when its turn to send comes, is logged."""

from bot.db.enums import SendStatus
from scheduler.decisions import Fate

STATUS_OF_FATE = {
    Fate.SEND: SendStatus.SENDING,
    Fate.SKIP_LATE: SendStatus.SKIPPED_LATE,
    Fate.SKIP_DONE: SendStatus.SKIPPED_DONE,
    Fate.DROP: SendStatus.CANCELLED,
}
