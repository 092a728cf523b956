"""Pain during an exercise and after a session, by the articles' pain-monitoring model.

"Flirt with pain, never go past it" (000_dd7d8036af705297). Numbers: docs/coaching-rules.md.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import fmean

from bot.coaching.pain import BaselineComparison, PainBand, Trend, compare_with_baseline, pain_band
from bot.coaching.reasons import CoachingReason

# Coach default: how many earlier after-session ratings make "recent sessions".
RECENT_SESSIONS = 5
# Issue 4: the flare-up offer comes when pain jumps by this much or more.
FLARE_OFFER_JUMP = 3
# Coach default: within this distance of the recent average counts as the same.
SAME_AS_AVERAGE_WITHIN = 1.0


class ExerciseAdvice(StrEnum):
    FINE = "fine"  # 0–2: carry on
    SLOWER_SMALLER = "slower_smaller"  # 3–5: acceptable, go slower with a smaller range
    STOP_OFFER_EASIER = "stop_offer_easier"  # above 5: stop now; easier variant or skip


@dataclass(frozen=True, slots=True)
class ExercisePainAdvice:
    advice: ExerciseAdvice
    reason: CoachingReason


@dataclass(frozen=True, slots=True)
class SessionFeedback:
    score: int
    band: PainBand
    reason: CoachingReason  # the band's explanation
    versus_baseline: BaselineComparison | None  # None without a baseline
    recent_average: float | None  # of up to RECENT_SESSIONS earlier ratings; None if none
    versus_recent: Trend | None
    flare_offer: CoachingReason | None  # set when flare-up mode should be offered

    @property
    def offer_flare(self) -> bool:
        return self.flare_offer is not None


_BAND_ADVICE = {
    PainBand.LOW: ExercisePainAdvice(ExerciseAdvice.FINE, CoachingReason.EXERCISE_PAIN_FINE),
    PainBand.MODERATE: ExercisePainAdvice(
        ExerciseAdvice.SLOWER_SMALLER, CoachingReason.EXERCISE_PAIN_ACCEPTABLE
    ),
    PainBand.HIGH: ExercisePainAdvice(
        ExerciseAdvice.STOP_OFFER_EASIER, CoachingReason.EXERCISE_PAIN_TOO_MUCH
    ),
}
_SESSION_REASON = {
    PainBand.LOW: CoachingReason.SESSION_PAIN_LOW,
    PainBand.MODERATE: CoachingReason.SESSION_PAIN_MODERATE,
    PainBand.HIGH: CoachingReason.SESSION_PAIN_HIGH,
}


def advise_during_exercise(
    score: int | None = None, *, too_painful: bool = False
) -> ExercisePainAdvice:
    """0–2 fine, 3–5 slower and smaller, above 5 (or the Too painful button) stop and offer the
    easier variant or skipping it. The button wins over any score."""
    if too_painful:
        return ExercisePainAdvice(
            ExerciseAdvice.STOP_OFFER_EASIER, CoachingReason.EXERCISE_TOO_PAINFUL
        )
    if score is None:
        raise ValueError("give a 0–10 score or too_painful=True")
    return _BAND_ADVICE[pain_band(score)]


def versus_average(score: int, average: float) -> Trend:
    """Better or worse only when a whole point or more away from the average."""
    if score <= average - SAME_AS_AVERAGE_WITHIN:
        return Trend.BETTER
    if score >= average + SAME_AS_AVERAGE_WITHIN:
        return Trend.WORSE
    return Trend.SAME


def previous_level(earlier: Sequence[int], baseline: int | None) -> int | None:
    """The person's level before a session: their last rating, else their baseline."""
    return earlier[-1] if earlier else baseline


def session_feedback(
    score: int, *, baseline: int | None, earlier: Sequence[int], in_flare: bool = False
) -> SessionFeedback:
    """The after-session rating against the baseline and the recent average (`earlier`: the
    person's previous after-session ratings, oldest first), and whether to offer flare-up mode:
    pain up by 3 or more on the previous rating (the baseline if none), unless already in one."""
    recent = list(earlier[-RECENT_SESSIONS:])
    average = round(fmean(recent), 1) if recent else None
    before = previous_level(earlier, baseline)
    jumped = before is not None and score - before >= FLARE_OFFER_JUMP
    band = pain_band(score)
    return SessionFeedback(
        score=score,
        band=band,
        reason=_SESSION_REASON[band],
        versus_baseline=None if baseline is None else compare_with_baseline(score, baseline),
        recent_average=average,
        versus_recent=None if average is None else versus_average(score, average),
        flare_offer=CoachingReason.FLARE_OFFER_PAIN_JUMP if jumped and not in_flare else None,
    )
