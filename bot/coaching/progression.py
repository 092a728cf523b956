"""One step up, hold or one step down per track per session, by the pain-monitoring model.

Issue 4: "move up one step after two consecutive sessions with pain <= 3, a settled next
morning, and no Too painful; hold at 4–5; move down one step after pain above 5, a worse next
morning, or an abandoned exercise." Choices where the issue is silent: docs/coaching-rules.md.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.coaching.checkins import Morning
from bot.coaching.ladders import LadderPosition, Track, current_rung
from bot.coaching.reasons import CoachingReason

GOOD_SESSIONS_TO_STEP_UP = 2
GOOD_PAIN_AT_MOST = 3
HIGH_PAIN_ABOVE = 5


class Move(StrEnum):
    UP = "up"
    HOLD = "hold"
    DOWN = "down"


class Answer(StrEnum):
    """A person's answer on one exercise card (the flows map the stored answer onto this)."""

    DONE = "done"
    SKIPPED = "skipped"
    TOO_PAINFUL = "too_painful"


class TrackOutcome(StrEnum):
    """What happened to a track's exercise in one session."""

    DONE = "done"
    SKIPPED = "skipped"
    TOO_PAINFUL = "too_painful"  # Too painful pressed on it (even if an easier variant followed)
    ABANDONED = "abandoned"  # the session was stopped while on this exercise
    NOT_REACHED = "not_reached"  # the session was stopped before it
    OFF_RUNG = "off_rung"  # done, but planned on another rung than the person's


@dataclass(frozen=True, slots=True)
class SessionSignals:
    """What a whole session tells: the after-session 0–10 and the next morning."""

    pain: int | None
    morning: Morning


@dataclass(frozen=True, slots=True)
class ProgressionDecision:
    track: str
    move: Move
    reason: CoachingReason
    position: LadderPosition  # the position after this decision
    setback: bool  # a step down was called for (even on the bottom rung): counts for escalation


def track_outcome(answers: Sequence[Answer], *, stopped_here: bool) -> TrackOutcome:
    """A track's outcome from every answer given on its exercise this session, in order."""
    if Answer.TOO_PAINFUL in answers:
        return TrackOutcome.TOO_PAINFUL
    if Answer.DONE in answers:
        return TrackOutcome.DONE
    if Answer.SKIPPED in answers:
        return TrackOutcome.SKIPPED
    return TrackOutcome.ABANDONED if stopped_here else TrackOutcome.NOT_REACHED


def _setback(outcome: TrackOutcome, signals: SessionSignals) -> CoachingReason | None:
    if outcome is TrackOutcome.TOO_PAINFUL:
        return CoachingReason.STEP_DOWN_TOO_PAINFUL
    if outcome is TrackOutcome.ABANDONED:
        return CoachingReason.STEP_DOWN_ABANDONED
    if signals.pain is not None and signals.pain > HIGH_PAIN_ABOVE:
        return CoachingReason.STEP_DOWN_PAIN_HIGH
    if signals.morning is Morning.NOT_SETTLED:
        return CoachingReason.STEP_DOWN_MORNING_WORSE
    return None


def _hold(outcome: TrackOutcome, signals: SessionSignals) -> CoachingReason | None:
    """Why this session cannot count towards a step up; None when it counts."""
    if outcome is not TrackOutcome.DONE:
        return CoachingReason.HOLD_NOT_PRACTISED
    if signals.pain is None:
        return CoachingReason.HOLD_NO_RATING
    if signals.pain > GOOD_PAIN_AT_MOST:
        return CoachingReason.HOLD_MODERATE_PAIN
    if signals.morning is not Morning.SETTLED:
        return CoachingReason.HOLD_NO_CHECK_IN
    return None


def decide_progression(
    track: Track,
    position: LadderPosition | None,
    outcome: TrackOutcome,
    signals: SessionSignals,
    *,
    in_flare: bool,
    planned_rungs: Collection[int] | None = None,
) -> ProgressionDecision:
    """The one decision for this track after this session (the start rung if no position).
    `planned_rungs`: the rungs the session planned on this track (None: the current one); an
    exercise done on another rung was not practised at the person's level. In flare-up mode
    setbacks still apply, and nothing else moves."""
    rung = current_rung(track, position)
    if outcome is TrackOutcome.DONE and planned_rungs is not None and rung not in planned_rungs:
        outcome = TrackOutcome.OFF_RUNG

    def decided(move: Move, reason: CoachingReason, *, good: int = 0) -> ProgressionDecision:
        to = rung + {Move.UP: 1, Move.HOLD: 0, Move.DOWN: -1}[move]
        setback = move is Move.DOWN or reason is CoachingReason.HOLD_AT_BOTTOM
        return ProgressionDecision(
            track.key, move, reason, LadderPosition(track.key, to, good), setback
        )

    if (down := _setback(outcome, signals)) is not None:
        if rung == 0:
            return decided(Move.HOLD, CoachingReason.HOLD_AT_BOTTOM)
        return decided(Move.DOWN, down)
    if in_flare:
        return decided(Move.HOLD, CoachingReason.HOLD_FLARE)
    if (hold := _hold(outcome, signals)) is not None:
        return decided(Move.HOLD, hold)
    good = (0 if position is None else position.good_sessions) + 1
    if good < GOOD_SESSIONS_TO_STEP_UP:
        return decided(Move.HOLD, CoachingReason.HOLD_ONE_GOOD_SESSION, good=good)
    if rung == track.top:
        return decided(Move.HOLD, CoachingReason.HOLD_AT_TOP, good=GOOD_SESSIONS_TO_STEP_UP)
    return decided(Move.UP, CoachingReason.STEP_UP_READY)


def decide_session(
    tracks: Mapping[str, Track],
    positions: Mapping[str, LadderPosition],
    outcomes: Mapping[str, TrackOutcome],
    signals: SessionSignals,
    *,
    in_flare: bool,
    planned: Mapping[str, Collection[int]] | None = None,
) -> tuple[ProgressionDecision, ...]:
    """One decision per track in the session (`outcomes` and `planned`, the rungs planned on
    each track, are keyed by track)."""
    return tuple(
        decide_progression(
            tracks[key],
            positions.get(key),
            outcome,
            signals,
            in_flare=in_flare,
            planned_rungs=None if planned is None else planned.get(key, ()),
        )
        for key, outcome in outcomes.items()
    )


# The count of good sessions a decision leaves behind, when it is not 0.
_GOOD_AFTER = {
    CoachingReason.HOLD_ONE_GOOD_SESSION: 1,
    CoachingReason.HOLD_AT_TOP: GOOD_SESSIONS_TO_STEP_UP,
}


def restored_position(track: str, rung: int, last_reason: CoachingReason | None) -> LadderPosition:
    """The position from a stored rung and the reason of the track's latest progression
    decision, for storage that keeps no count of good sessions."""
    good = 0 if last_reason is None else _GOOD_AFTER.get(last_reason, 0)
    return LadderPosition(track, rung, good)
