"""The next-morning check-in: has the pain from yesterday's session settled?

Issue 4: "How does your back feel this morning compared with before yesterday's session?"
"Pain that has not settled by the next morning means the next session is lighter."
"""

from dataclasses import dataclass
from enum import StrEnum

from bot.coaching.pain import PainBand, is_valid_score, pain_band
from bot.coaching.reasons import CoachingReason


class MorningAnswer(StrEnum):
    """The three buttons."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


class Morning(StrEnum):
    SETTLED = "settled"
    NOT_SETTLED = "not_settled"  # also "a worse next morning" for progression
    UNANSWERED = "unanswered"


@dataclass(frozen=True, slots=True)
class CheckIn:
    """One answer: a button, or a 0–10 score (never both)."""

    answer: MorningAnswer | None = None
    score: int | None = None

    def __post_init__(self) -> None:
        if (self.answer is None) == (self.score is None):
            raise ValueError("a check-in is a button answer or a score, exactly one")
        if self.score is not None and not is_valid_score(self.score):
            raise ValueError(f"score out of range: {self.score}")


@dataclass(frozen=True, slots=True)
class MorningVerdict:
    morning: Morning
    reason: CoachingReason

    @property
    def lighter_next_session(self) -> bool:
        return self.morning is Morning.NOT_SETTLED


_VERDICTS = {
    Morning.SETTLED: MorningVerdict(Morning.SETTLED, CoachingReason.MORNING_SETTLED),
    Morning.NOT_SETTLED: MorningVerdict(Morning.NOT_SETTLED, CoachingReason.MORNING_NOT_SETTLED),
    Morning.UNANSWERED: MorningVerdict(Morning.UNANSWERED, CoachingReason.MORNING_UNANSWERED),
}


def judge_morning(check_in: CheckIn | None, *, after_session: int | None) -> MorningVerdict:
    """Better or same is settled, worse is not. A score is settled when it is no higher than
    `after_session`, that session's own 0–10 right after it (the pain has not grown overnight);
    with no rating, above 5 is not settled."""
    if check_in is None:
        return _VERDICTS[Morning.UNANSWERED]
    if check_in.answer is not None:
        settled = check_in.answer is not MorningAnswer.WORSE
    elif check_in.score is not None and after_session is not None:
        settled = check_in.score <= after_session
    else:
        settled = check_in.score is not None and pain_band(check_in.score) is not PainBand.HIGH
    return _VERDICTS[Morning.SETTLED if settled else Morning.NOT_SETTLED]
