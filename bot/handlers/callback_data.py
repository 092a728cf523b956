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
# A step answer may carry the quick 0–10 given during the exercise.
STEP_PATTERN = r"^step:\d+:\d+:(done|skipped|too_painful)(:\d{1,2})?$"
EASIER_PATTERN = r"^easier:\d+:\d+:(try|skip)$"
PAIN_PATTERN = r"^pain:\d+:\d{1,2}$"
# "Pain now?" on an exercise card: open the 0–10, a score on it, or back to the card.
PAIN_NOW_PATTERN = r"^now:\d+:\d+:(ask|back|\d{1,2})$"
REMINDER_START_PATTERN = r"^remind:start:\d{8}$"
REMINDER_LATER_PATTERN = r"^remind:later:\d{8}$"
REMINDER_SKIP_PATTERN = r"^remind:skip:\d{8}$"
SETTINGS_TIME, SETTINGS_DAYS, SETTINGS_ZONE = "settings:time", "settings:days", "settings:zone"
SETTINGS_PAUSE, SETTINGS_RESUME = "settings:pause", "settings:resume"
TIMER_START_PATTERN = r"^timer:start:\d+:\d+:\d{1,4}$"
TIMER_STOP_PATTERN = r"^timer:stop$"
TIMER_STOP = "timer:stop"
FLARE_OFFER_PATTERN = r"^flare:(yes|no):\d+$"
# The weekly red-flag re-check: its pass, the session it followed, the question and answer.
WEEKLY_PATTERN = r"^weekly:\d+:\d+:[a-z_]+:(yes|no)$"
# The weekday toggles carry the selection so far: nothing is stored until Save.
DAYS_PATTERN = r"^days:[0-6]{0,7}:([0-6]|save)$"
# The morning check-in's buttons carry the session they ask about.
CHECK_IN_PATTERN = r"^checkin:\d+:(better|same|worse)$"
# /summary: the weekly summary's day (Monday 0), or off.
SUMMARY_DAY_PATTERN = r"^summary:([0-6]|off)$"


@dataclass(frozen=True)
class StepPress:
    session_id: int
    position: int
    choice: str
    score: int | None = None  # the quick 0–10 during the exercise, on a step answer


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


def step(
    session_id: int, position: int, outcome: StepOutcome, pain_score: int | None = None
) -> str:
    score = "" if pain_score is None else f":{pain_score}"
    return f"step:{session_id}:{position}:{outcome.value}{score}"


def pain_now(session_id: int, position: int, choice: int | str) -> str:
    """Pain now? (`ask`), a 0–10 score, or `back` to the exercise card."""
    return f"now:{session_id}:{position}:{choice}"


def easier(session_id: int, position: int, try_it: bool) -> str:
    return f"easier:{session_id}:{position}:{'try' if try_it else 'skip'}"


def pain(session_id: int, score: int) -> str:
    return f"pain:{session_id}:{score}"


def timer_start(session_id: int, position: int, seconds: int) -> str:
    return f"timer:start:{session_id}:{position}:{seconds}"


def parse_timer_start(data: str) -> tuple[int, int, int]:
    """A Start timer button: session id, step position and the seconds to count."""
    _, _, session_id, position, seconds = data.split(":")
    return int(session_id), int(position), int(seconds)


def flare_offer(accept: bool, session_id: int) -> str:
    """Yes or No to flare-up mode, offered after that session."""
    return f"flare:{'yes' if accept else 'no'}:{session_id}"


def parse_flare_offer(data: str) -> tuple[bool, int]:
    """A `flare:` button: accepted or not, and the session it followed."""
    _, answer, session_id = data.split(":")
    return answer == "yes", int(session_id)


@dataclass(frozen=True)
class WeeklyPress:
    screening_pass: int
    session_id: int
    question_key: str
    answer_yes: bool


def weekly(press: WeeklyPress) -> str:
    """A Yes or No to a weekly re-check question (at most 58 bytes: keys are 30 at most)."""
    answer = "yes" if press.answer_yes else "no"
    return f"weekly:{press.screening_pass}:{press.session_id}:{press.question_key}:{answer}"


def parse_weekly(data: str) -> WeeklyPress:
    _, screening_pass, session_id, key, answer = data.split(":")
    return WeeklyPress(int(screening_pass), int(session_id), key, answer == "yes")


def suffix(data: str) -> str:
    """The part after the first colon: a routine key, a time, a zone name."""
    return data.split(":", 1)[1]


def last_number(data: str) -> int:
    return int(data.rsplit(":", 1)[1])


def parse_press(data: str) -> StepPress:
    """A `step:`, `easier:` or `now:` button: session, position, the choice made (and a
    step answer's quick 0–10, if it carries one)."""
    _, session_id, position, choice, *score = data.split(":")
    return StepPress(int(session_id), int(position), choice, int(score[0]) if score else None)


def parse_pain(data: str) -> tuple[int, int]:
    """A `pain:` button: session id and score."""
    _, session_id, score = data.split(":")
    return int(session_id), int(score)


def session_id_of(data: str) -> int | None:
    """The session a routine button belongs to, if it is one."""
    match = re.match(r"^(?:step|easier|pain|now):(\d+):", data)
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


def check_in(session_id: int, answer: str) -> str:
    """A morning check-in's Better / The same / Worse, about that session."""
    return f"checkin:{session_id}:{answer}"


def parse_check_in(data: str) -> tuple[int, str]:
    """A `checkin:` button: the session it asks about, and the answer."""
    _, session_id, answer = data.split(":")
    return int(session_id), answer


def summary_day(weekday: int | None) -> str:
    """The weekly summary on `weekday` (Monday 0), or None for none."""
    return f"summary:{'off' if weekday is None else weekday}"


def parse_summary_day(data: str) -> int | None:
    choice = data.split(":")[1]
    return None if choice == "off" else int(choice)
