"""Content checks that span more than one item: keys, references, variants, timing."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # the schema imports these checks: type names only, to avoid a cycle
    from bot.content.schema import EducationItem, Exercise, Principle, Routine


class Problem(NamedTuple):
    section: str  # the Content field, which is also the YAML file's stem
    path: str
    message: str


def _variant_problems(e: Exercise, by_key: dict[str, Exercise]) -> list[Problem]:
    problems = []
    for field, back in (("easier", "harder"), ("harder", "easier")):
        other_key = getattr(e, field)
        if other_key is None:
            continue
        other = by_key.get(other_key)
        if other is None:
            message = f"unknown exercise '{other_key}'"
        elif getattr(other, back) != e.key:
            message = f"'{other_key}' must have {back}: {e.key}"
        else:
            continue
        problems.append(Problem("exercises", f"{e.key}.{field}", message))
    step, seen = e.harder, {e.key}
    while step in by_key and step not in seen:
        seen.add(step)
        step = by_key[step].harder
    if step == e.key:
        problems.append(Problem("exercises", f"{e.key}.harder", "the variants form a loop"))
    return problems


def _routine_problems(r: Routine, by_key: dict[str, Exercise]) -> list[Problem]:
    problems = [
        Problem("routines", f"{r.key}.exercises.{i}", f"unknown exercise '{key}'")
        for i, key in enumerate(r.exercises)
        if key not in by_key
    ]
    problems += [
        Problem("routines", f"{r.key}.exercises", f"'{key}' is listed twice")
        for key in sorted({k for k in r.exercises if r.exercises.count(k) > 1})
    ]
    minutes = math.ceil(sum(by_key[k].estimated_seconds() for k in r.exercises if k in by_key) / 60)
    if abs(r.estimated_minutes - minutes) > max(2, minutes // 4):
        message = f"says {r.estimated_minutes} but the dosages add up to about {minutes}"
        problems.append(Problem("routines", f"{r.key}.estimated_minutes", message))
    return problems


def cross_check(
    exercises: Sequence[Exercise],
    routines: Sequence[Routine],
    principles: Sequence[Principle],
    education: Sequence[EducationItem],
) -> list[Problem]:
    """Every problem that spans more than one item: keys, references, variants, timing."""
    keys = {
        "exercises": [e.key for e in exercises],
        "routines": [r.key for r in routines],
        "principles": [p.key for p in principles],
        "education": [i.key for i in education],
    }
    problems = [
        Problem(section, key, "duplicate key")
        for section, found in keys.items()
        for key in sorted({k for k in found if found.count(k) > 1})
    ]
    by_key = {e.key: e for e in exercises}
    for e in exercises:
        problems += _variant_problems(e, by_key)
    for r in routines:
        problems += _routine_problems(r, by_key)
    if (found := sum(r.recommended for r in routines)) != 1:
        message = f"exactly one routine must be recommended, found {found}"
        problems.append(Problem("routines", "recommended", message))
    return problems
