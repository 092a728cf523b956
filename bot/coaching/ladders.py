"""Tracks of dosage rungs built from the content, and where a person stands on each.

A track is a chain of variants linked by `harder`, from an exercise with no `easier`; its rungs
are each variant's ladder steps in order. Every exercise belongs to exactly one track.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from bot.content.schema import Category, Content, Exercise


@dataclass(frozen=True, slots=True)
class Rung:
    exercise: str
    step: int  # index into that exercise's ladder
    reps: int | None
    hold_seconds: int | None
    sets: int | None


@dataclass(frozen=True, slots=True)
class Track:
    key: str  # the first (easiest) exercise's key
    category: Category  # the first exercise's category
    rungs: tuple[Rung, ...]
    start: int  # the first exercise's shipped dosage

    @property
    def top(self) -> int:
        return len(self.rungs) - 1

    def clamp(self, rung: int) -> int:
        """A rung index kept on the track (content may have changed since it was stored)."""
        return max(0, min(rung, self.top))


@dataclass(frozen=True, slots=True)
class LadderPosition:
    """Where a person stands on one track; `good_sessions` counts qualifying sessions in a row
    at this rung, towards a step up."""

    track: str
    rung: int
    good_sessions: int = 0


def _chain(first: Exercise, content: Content) -> list[Exercise]:
    chain = [first]
    while chain[-1].harder is not None:
        chain.append(content.exercise(chain[-1].harder))
    return chain


def build_track(first: Exercise, content: Content) -> Track:
    """The track that starts at `first` (an exercise with no `easier`)."""
    rungs = tuple(
        Rung(exercise.key, index, step.reps, step.hold_seconds, step.sets)
        for exercise in _chain(first, content)
        for index, step in enumerate(exercise.ladder)
    )
    return Track(first.key, first.category, rungs, first.starting_step())


def build_tracks(content: Content) -> dict[str, Track]:
    """Every track, keyed by its first exercise, in content order."""
    return {e.key: build_track(e, content) for e in content.exercises.values() if e.easier is None}


def track_of(tracks: Mapping[str, Track], exercise: str) -> Track:
    """The one track an exercise belongs to."""
    for track in tracks.values():
        if any(rung.exercise == exercise for rung in track.rungs):
            return track
    raise KeyError(f"no track has exercise {exercise!r}")


def start_position(track: Track) -> LadderPosition:
    return LadderPosition(track.key, track.start)


def current_rung(track: Track, position: LadderPosition | None) -> int:
    """The rung a person is on: the start when they have no position yet."""
    return track.start if position is None else track.clamp(position.rung)
