"""The `callback_data` of every inline button: built and parsed in one place (64 bytes max)."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from bot.db.enums import StepOutcome

CONSENT_YES, CONSENT_NO = "consent:yes", "consent:no"
RECHECK = "recheck"
OPEN_ROUTINES = "menu:routine"

SCREEN_PATTERN = r"^screen:[a-z_]+:(yes|no)$"
BASELINE_PATTERN = r"^baseline:\d{1,2}$"
TIME_PATTERN = r"^time:\d{2}:\d{2}$"
ZONE_PATTERN = r"^tz:[A-Za-z0-9_+/-]+$"
PICK_PATTERN = r"^pick:[a-z0-9_]+$"
STEP_PATTERN = r"^step:\d+:\d+:(done|skipped|too_painful)$"
EASIER_PATTERN = r"^easier:\d+:\d+:(try|skip)$"
PAIN_PATTERN = r"^pain:\d+:\d{1,2}$"
REMINDER_START_PATTERN = r"^remind:start:\d{8}$"
REMINDER_LATER_PATTERN = r"^remind:later:\d{8}$"
REMINDER_SKIP_PATTERN = r"^remind:skip:\d{8}$"
SETTINGS_TIME, SETTINGS_DAYS, SETTINGS_ZONE = "settings:time", "settings:days", "settings:zone"
SETTINGS_PAUSE, SETTINGS_RESUME = "settings:pause", "settings:resume"
# The weekday toggles carry the selection so far: nothing is stored until Save.
DAYS_PATTERN = r"^days:[0-6]{0,7}:([0-6]|save)$"


@dataclass(frozen=True)
class StepPress:
    session_id: int
    position: int
    choice: str


def screen(question_key: str, answer_yes: bool) -> str:
    return f"screen:{question_key}:{'yes' if answer_yes else 'no'}"


def parse_screen(data: str) -> tuple[str, bool]:
    _, key, answer = data.split(":")
    return key, answer == "yes"


def baseline(score: int) -> str:
    return f"baseline:{score}"


def reminder_time(hhmm: str) -> str:
    return f"time:{hhmm}"


def zone(name: str) -> str:
    return f"tz:{name}"


def pick(routine_key: str) -> str:
    return f"pick:{routine_key}"


def step(session_id: int, position: int, outcome: StepOutcome) -> str:
    return f"step:{session_id}:{position}:{outcome.value}"


def easier(session_id: int, position: int, try_it: bool) -> str:
    return f"easier:{session_id}:{position}:{'try' if try_it else 'skip'}"


def pain(session_id: int, score: int) -> str:
    return f"pain:{session_id}:{score}"


def suffix(data: str) -> str:
    """The part after the first colon: a routine key, a time, a zone name."""
    return data.split(":", 1)[1]


def last_number(data: str) -> int:
    return int(data.rsplit(":", 1)[1])


def parse_press(data: str) -> StepPress:
    """A `step:` or `easier:` button: session, position and the choice made."""
    _, session_id, position, choice = data.split(":")
    return StepPress(int(session_id), int(position), choice)


def parse_pain(data: str) -> tuple[int, int]:
    """A `pain:` button: session id and score."""
    _, session_id, score = data.split(":")
    return int(session_id), int(score)


def session_id_of(data: str) -> int | None:
    """The session a routine button belongs to, if it is one."""
    match = re.match(r"^(?:step|easier|pain):(\d+):", data)
    return int(match.group(1)) if match else None


def reminder(choice: str, local_date: date) -> str:
    """A reminder's Start now / Later / Skip today button, for that local day's reminder."""
    return f"remind:{choice}:{local_date:%Y%m%d}"


def reminder_date(data: str) -> date:
    """The local day a reminder button belongs to."""
    return datetime.strptime(data.rsplit(":", 1)[1], "%Y%m%d").date()


def days(selected: str, action: int | str) -> str:
    """A weekday toggle (`action` a day, Monday 0) or Save, on the selection `selected`."""
    return f"days:{selected}:{action}"


def parse_days(data: str) -> tuple[str, str]:
    """A `days:` button: the selection it was shown with, and the day to toggle or `save`."""
    _, selected, action = data.split(":")
    return selected, action
