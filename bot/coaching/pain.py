"""Reading a 0–10 pain score, and what a score means against the starting point."""

import re
from dataclasses import dataclass
from enum import StrEnum

PAIN_MIN, PAIN_MAX = 0, 10
_SCORE_PATTERN = re.compile(r"^\s*(\d{1,2})\s*(?:/\s*10)?\s*$")
_MAX_TYPED_LENGTH = 20


class PainBand(StrEnum):
    """The articles' pain-monitoring bands: fine, acceptable, too much."""

    LOW = "low"  # 0–2
    MODERATE = "moderate"  # 3–5
    HIGH = "high"  # above 5


class Trend(StrEnum):
    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


@dataclass(frozen=True)
class BaselineComparison:
    trend: Trend
    delta: int


def parse_pain_score(text: str) -> int | None:
    """`4`, `4/10` or ` 4 / 10 ` give 4; anything else, or outside 0–10, gives None."""
    if len(text) > _MAX_TYPED_LENGTH:
        return None
    match = _SCORE_PATTERN.match(text)
    if match is None:
        return None
    score = int(match.group(1))
    return score if PAIN_MIN <= score <= PAIN_MAX else None


def is_valid_score(score: int) -> bool:
    """Whether a score (from a button) is on the 0–10 scale."""
    return PAIN_MIN <= score <= PAIN_MAX


def pain_band(score: int) -> PainBand:
    """0–2 fine, 3–5 acceptable, above 5 too much."""
    if score <= 2:
        return PainBand.LOW
    if score <= 5:
        return PainBand.MODERATE
    return PainBand.HIGH


def compare_with_baseline(score: int, baseline: int) -> BaselineComparison:
    """How a score sits against the person's starting point."""
    if score < baseline:
        return BaselineComparison(Trend.BETTER, baseline - score)
    if score > baseline:
        return BaselineComparison(Trend.WORSE, score - baseline)
    return BaselineComparison(Trend.SAME, 0)
