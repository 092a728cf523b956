"""The schema of the exercise content: exercises, routines, principles, education."""

import itertools
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bot.content.checks import Problem, cross_check
from bot.content.plan import Plan, plan_problems
from bot.content.texts import Texts

Article = Literal["000_dd7d8036af705297", "004_ad866e7d2adc47d5"]
Provenance = Literal["article", "coach_default"]
DosageSource = Literal["article", "coach_default", "mixed"]
Category = Literal["mobility", "core", "release"]

SETUP_SECONDS = 30  # getting into position, per exercise
SIDE_SWITCH_SECONDS = 15
MOVE_SECONDS = 4  # one slow, controlled repetition, on top of any hold
SET_REST_SECONDS = 30


def _html_safe(text: str) -> str:
    """Reject characters that Telegram's HTML parse mode would interpret."""
    bad = sorted({c for c in text if c in "<>&"})
    if bad:
        raise ValueError(f"must be plain text, found {' '.join(bad)} (sent as Telegram HTML)")
    return text


PlainText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=1000),
    AfterValidator(_html_safe),
]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Count = Annotated[int, Field(ge=1, le=500)]
Sources = Annotated[list[Article], Field(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class MinuteRange(_Model):
    min: Annotated[int, Field(ge=1, le=30)]
    max: Annotated[int, Field(ge=1, le=30)]

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min > self.max:
            raise ValueError("min must not be greater than max")
        return self


class _Load(_Model):
    reps: Count | None
    hold_seconds: Count | None
    sets: Count | None

    def load(self) -> tuple[int | None, int | None, int | None]:
        return (self.reps, self.hold_seconds, self.sets)


class LadderStep(_Load):
    """One rung of an exercise's progression ladder."""

    source: DosageSource

    @model_validator(mode="after")
    def _has_load(self) -> Self:
        if self.load() == (None, None, None):
            raise ValueError("a ladder step needs at least one of reps, hold_seconds, sets")
        return self


class Dosage(_Load):
    breathing_minutes: MinuteRange | None
    per_side: bool
    text: PlainText
    source: DosageSource
    note: PlainText | None = None

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.load() == (None, None, None) and self.breathing_minutes is None:
            raise ValueError("a dosage needs reps, hold_seconds, sets or breathing_minutes")
        if self.source == "mixed" and self.note is None:
            raise ValueError("a mixed dosage needs a note saying which parts are coach defaults")
        return self

    def estimated_seconds(self) -> int:
        """An honest upper estimate of the time this dosage takes, setup included."""
        sets = self.sets or 1
        one_set = (self.reps or 1) * ((self.hold_seconds or 0) + MOVE_SECONDS)
        side = sets * one_set + (sets - 1) * SET_REST_SECONDS
        if self.breathing_minutes is not None:
            side += self.breathing_minutes.max * 60
        if self.per_side:
            return SETUP_SECONDS + 2 * side + SIDE_SWITCH_SECONDS
        return SETUP_SECONDS + side


class Precaution(_Model):
    text: PlainText
    source: Provenance


class Exercise(_Model):
    key: Key
    name: PlainText
    source: Sources
    category: Category
    starting_position: PlainText
    steps: Annotated[list[PlainText], Field(min_length=1)]
    feel: PlainText
    dosage: Dosage
    equipment: list[PlainText]
    precautions: list[Precaution]
    easier: Key | None
    harder: Key | None
    ladder: Annotated[list[LadderStep], Field(min_length=1)]

    @field_validator("ladder")
    @classmethod
    def _ladder_climbs(cls, ladder: list[LadderStep], info: ValidationInfo) -> list[LadderStep]:
        for lower, upper in itertools.pairwise(ladder):
            pairs = list(zip(lower.load(), upper.load(), strict=True))
            if any((a is None) != (b is None) for a, b in pairs):
                raise ValueError("every step must set the same fields (reps, hold_seconds, sets)")
            if lower.load() == upper.load() or any(a and b and b < a for a, b in pairs):
                raise ValueError("each step must be harder than the one before")
        dosage = info.data.get("dosage")
        if isinstance(dosage, Dosage) and dosage.load() not in [s.load() for s in ladder]:
            raise ValueError("the dosage (reps, hold_seconds, sets) must be one of the steps")
        return ladder

    def starting_step(self) -> int:
        """The index of the ladder step that matches the shipped dosage."""
        return [s.load() for s in self.ladder].index(self.dosage.load())

    def estimated_seconds(self) -> int:
        return self.dosage.estimated_seconds()


class Routine(_Model):
    key: Key
    name: PlainText
    description: PlainText
    estimated_minutes: Annotated[int, Field(ge=1, le=120)]
    recommended: bool
    exercises: Annotated[list[Key], Field(min_length=1)]


class Principle(_Model):
    key: Key
    title: PlainText
    text: PlainText
    source: Sources


class EducationItem(Principle):
    """A short explanation from the articles: why an exercise or principle matters."""


class Content(_Model):
    """Everything in `content/`, validated and cross-checked."""

    exercises: dict[Key, Exercise]
    routines: list[Routine]
    principles: list[Principle]
    education: list[EducationItem]
    texts: Texts
    plan: Plan

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        exercises = list(self.exercises.values())
        problems = cross_check(exercises, self.routines, self.principles, self.education)
        problems += plan_problems(self.plan, exercises)
        problems += [
            Problem("exercises", k, "key mismatch") for k, e in self.exercises.items() if k != e.key
        ]
        if problems:
            raise ValueError("; ".join(f"{p.section}: {p.path}: {p.message}" for p in problems))
        return self

    def exercise(self, key: str) -> Exercise:
        try:
            return self.exercises[key]
        except KeyError:
            raise KeyError(f"unknown exercise {key!r}") from None

    def routine(self, key: str) -> Routine:
        for r in self.routines:
            if r.key == key:
                return r
        raise KeyError(f"unknown routine {key!r}")

    def find_routine(self, key: str) -> Routine | None:
        """The routine with this key, or None (a key from an old button)."""
        return next((r for r in self.routines if r.key == key), None)

    def recommended_routine(self) -> Routine:
        return next(r for r in self.routines if r.recommended)

    def routines_recommended_first(self) -> list[Routine]:
        return sorted(self.routines, key=lambda r: not r.recommended)

    def routine_exercises(self, key: str) -> list[Exercise]:
        """The exercises of a routine, in order."""
        return [self.exercises[k] for k in self.routine(key).exercises]
