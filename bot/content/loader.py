"""Load `content/*.yaml` into a validated `Content`, reporting every problem with its place."""

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from bot.content.checks import cross_check
from bot.content.plan import Plan, plan_problems
from bot.content.schema import (
    Content,
    EducationItem,
    Exercise,
    Principle,
    Routine,
)
from bot.content.texts import Texts

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"

T = TypeVar("T")

_EXERCISES = TypeAdapter(list[Exercise])
_ROUTINES = TypeAdapter(list[Routine])
_PRINCIPLES = TypeAdapter(list[Principle])
_EDUCATION = TypeAdapter(list[EducationItem])
_TEXTS = TypeAdapter(Texts)
_PLAN = TypeAdapter(Plan)


class ContentError(Exception):
    """The content in `content/` is missing or invalid; `problems` says where and why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid content:\n" + "\n".join(problems))
        self.problems = problems


def _read(path: Path) -> tuple[Any, str | None]:
    """Parse one YAML file: its data, or why it cannot be read."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")), None
    except FileNotFoundError:
        return None, "(file): missing file"
    except OSError as exc:
        return None, f"(file): cannot read: {exc.strerror}"
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        return None, f"{where}: YAML syntax error: {getattr(exc, 'problem', None) or exc}"


def _path(error: ErrorDetails, data: Any) -> str:
    """Turn a pydantic `loc` into a dotted path, naming top-level list items by their key."""
    loc = list(error["loc"])
    if loc and isinstance(loc[0], int) and isinstance(data, list) and loc[0] < len(data):
        item = data[loc[0]]
        if isinstance(item, dict) and isinstance(item.get("key"), str):
            loc[0] = item["key"]
    return ".".join(str(part) for part in loc) or "(top level)"


def _message(error: ErrorDetails) -> str:
    return error["msg"].removeprefix("Value error, ")


def _validate(adapter: TypeAdapter[T], root: Path, name: str, problems: list[str]) -> T | None:
    """Validate one file against its schema, adding any problems; None when it has some."""
    data, unreadable = _read(root / name)
    if unreadable is not None:
        problems.append(f"{name}: {unreadable}")
        return None
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        problems += [f"{name}: {_path(e, data)}: {_message(e)}" for e in exc.errors()]
        return None


def _parse(root: Path) -> tuple[Content | None, list[str]]:
    problems: list[str] = []
    exercises = _validate(_EXERCISES, root, "exercises.yaml", problems)
    routines = _validate(_ROUTINES, root, "routines.yaml", problems)
    principles = _validate(_PRINCIPLES, root, "principles.yaml", problems)
    education = _validate(_EDUCATION, root, "education.yaml", problems)
    texts = _validate(_TEXTS, root, "texts.yaml", problems)
    plan = _validate(_PLAN, root, "plan.yaml", problems)
    if exercises is None or routines is None or principles is None or education is None:
        return None, problems
    problems += [
        f"{p.section}.yaml: {p.path}: {p.message}"
        for p in cross_check(exercises, routines, principles, education)
        + ([] if plan is None else plan_problems(plan, exercises))
    ]
    if problems or texts is None or plan is None:
        return None, problems
    content = Content(
        exercises={e.key: e for e in exercises},
        routines=routines,
        principles=principles,
        education=education,
        texts=texts,
        plan=plan,
    )
    return content, []


def find_problems(root: Path = DEFAULT_CONTENT_DIR) -> list[str]:
    """Every problem in the content, as `<file>: <field.path>: <message>`; empty when valid."""
    return _parse(root)[1]


def load_content(root: Path = DEFAULT_CONTENT_DIR) -> Content:
    """Load and validate all content; raise ContentError listing every problem."""
    content, problems = _parse(root)
    if content is None:
        raise ContentError(problems)
    return content
