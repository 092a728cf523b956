"""What a finished or stopped session adds up to."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.db.enums import SessionStatus, StepOutcome


@dataclass(frozen=True)
class StepCounts:
    done: int
    skipped: int
    too_painful: int


def count_outcomes(outcomes: Iterable[StepOutcome]) -> StepCounts:
    """Tally of done / skipped / too painful."""
    listed = list(outcomes)
    return StepCounts(
        done=listed.count(StepOutcome.DONE),
        skipped=listed.count(StepOutcome.SKIPPED),
        too_painful=listed.count(StepOutcome.TOO_PAINFUL),
    )


def final_outcomes(results: Iterable[tuple[int, StepOutcome]]) -> list[StepOutcome]:
    """One outcome per exercise position: the last answer there (an easier variant's, say)."""
    last: dict[int, StepOutcome] = {}
    for position, outcome in results:
        last[position] = outcome
    return [last[position] for position in sorted(last)]


def status_when_stopped(outcomes: Sequence[StepOutcome]) -> SessionStatus:
    """A stopped session with any exercise done is partial; with none, abandoned."""
    return SessionStatus.PARTIAL if StepOutcome.DONE in outcomes else SessionStatus.ABANDONED
