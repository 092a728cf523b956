"""What a routine step leads to: plain results the handlers turn into messages."""

from dataclasses import dataclass

from bot.coaching.session_summary import StepCounts
from bot.content.schema import Exercise
from bot.db.enums import SessionStatus


@dataclass(frozen=True)
class Dose:
    """How much of an exercise this session: one step of its ladder."""

    reps: int | None
    hold_seconds: int | None
    sets: int | None


@dataclass(frozen=True)
class StepView:
    session_id: int
    position: int
    total: int
    exercise: Exercise
    dose: Dose | None = None  # None: a session started before plans; the shipped dosage applies


@dataclass(frozen=True)
class OfferEasier:
    session_id: int
    position: int
    easier: Exercise


@dataclass(frozen=True)
class AskPain:
    session_id: int


@dataclass(frozen=True)
class Stale:
    """The button or answer belongs to a session that has ended, or to a step already answered."""

    still_running: bool = False


@dataclass(frozen=True)
class SessionResult:
    counts: StepCounts
    score: int
    baseline: int | None


@dataclass(frozen=True)
class Stopped:
    counts: StepCounts
    total: int
    status: SessionStatus


NextMove = StepView | OfferEasier | AskPain | Stale
