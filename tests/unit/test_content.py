"""The shipped content loads, matches the articles, and broken content is reported precisely."""

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.content import DEFAULT_CONTENT_DIR, Content, ContentError, find_problems, load_content

ARTICLE_EXERCISES = [
    "lumbar_rotation",
    "windmills",
    "thread_the_needle",
    "transverse_activation",
    "transverse_bridge",
    "bridge_leg_lift",
    "bird_dog_crunch",
    "iliacus_release",
    "psoas_release",
    "long_bridge_multifidus",
]


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped content folder."""
    root = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, root)
    return root


def edit(root: Path, name: str, change: Any) -> None:
    """Load a YAML file from the copy, let `change` modify the data, and write it back."""
    path = root / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def item(data: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return next(i for i in data if i["key"] == key)


def test_shipped_content_has_no_problems() -> None:
    assert find_problems() == []


def test_every_article_exercise_is_present(content: Content) -> None:
    assert sorted(content.exercises) == sorted(ARTICLE_EXERCISES)


def test_hip_flexor_releases_use_the_article_dosage(content: Content) -> None:
    for key in ("iliacus_release", "psoas_release"):
        dosage = content.exercise(key).dosage
        breathing = dosage.breathing_minutes
        assert breathing is not None and (breathing.min, breathing.max) == (2, 3)
        assert dosage.reps == 20 and [s.reps for s in content.exercise(key).ladder][-1] == 30
        assert dosage.source == "article"


def test_multifidus_uses_the_article_dosage(content: Content) -> None:
    dosage = content.exercise("long_bridge_multifidus").dosage
    assert (dosage.reps, dosage.hold_seconds, dosage.source) == (20, 5, "article")


def test_bridge_leg_lift_holds_two_seconds(content: Content) -> None:
    exercise = content.exercise("bridge_leg_lift")
    assert exercise.dosage.hold_seconds == 2
    assert {step.hold_seconds for step in exercise.ladder} == {2}


def test_transverse_variants_form_a_consistent_ladder(content: Content) -> None:
    chain = ["transverse_activation", "transverse_bridge", "bridge_leg_lift"]
    assert [content.exercise(k).harder for k in chain] == [*chain[1:], None]
    assert [content.exercise(k).easier for k in chain] == [None, *chain[:-1]]


def test_every_dosage_is_a_step_of_its_ladder(content: Content) -> None:
    for exercise in content.exercises.values():
        step = exercise.ladder[exercise.starting_step()]
        assert step.load() == exercise.dosage.load()


def test_exactly_one_routine_is_recommended(content: Content) -> None:
    assert [r.key for r in content.routines if r.recommended] == ["morning_mobility"]
    assert content.routines_recommended_first()[0] == content.recommended_routine()


def test_routine_exercises_resolve_in_order(content: Content) -> None:
    names = [e.name for e in content.routine_exercises("morning_mobility")]
    assert names == ["Lumbar rotation", "Windmills", "Thread the needle"]


def test_unknown_exercise_key_raises(content: Content) -> None:
    with pytest.raises(KeyError, match="nope"):
        content.exercise("nope")


def test_missing_field_names_file_and_path(copy: Path) -> None:
    edit(copy, "exercises.yaml", lambda d: item(d, "windmills").pop("feel"))
    assert "exercises.yaml: windmills.feel: Field required" in find_problems(copy)


def test_bad_type_names_file_and_path(copy: Path) -> None:
    edit(copy, "exercises.yaml", lambda d: item(d, "psoas_release")["dosage"].update(reps="x"))
    expected = "exercises.yaml: psoas_release.dosage.reps: Input should be a valid integer"
    assert expected in find_problems(copy)


def test_unknown_exercise_in_routine_is_reported(copy: Path) -> None:
    edit(copy, "routines.yaml", lambda d: item(d, "core_foundations")["exercises"].append("plank"))
    expected = "routines.yaml: core_foundations.exercises.3: unknown exercise 'plank'"
    assert expected in find_problems(copy)


def test_yaml_syntax_error_names_file_and_line(copy: Path) -> None:
    (copy / "principles.yaml").write_text("- key: [unclosed\n", encoding="utf-8")
    problems = [p for p in find_problems(copy) if p.startswith("principles.yaml: line ")]
    assert problems and "YAML syntax error" in problems[0]


def test_missing_file_is_reported(copy: Path) -> None:
    (copy / "education.yaml").unlink()
    assert "education.yaml: (file): missing file" in find_problems(copy)


def test_html_special_characters_are_rejected(copy: Path) -> None:
    edit(copy, "exercises.yaml", lambda d: item(d, "windmills").update(feel="stretch <b>here</b>"))
    assert any(p.startswith("exercises.yaml: windmills.feel: ") for p in find_problems(copy))


def test_one_sided_variant_link_is_reported(copy: Path) -> None:
    edit(copy, "exercises.yaml", lambda d: item(d, "transverse_bridge").update(easier=None))
    expected = "exercises.yaml: transverse_activation.harder: "
    assert any(p.startswith(expected) for p in find_problems(copy))


def test_dosage_off_the_ladder_is_reported(copy: Path) -> None:
    edit(copy, "exercises.yaml", lambda d: item(d, "windmills")["dosage"].update(reps=7))
    assert any(p.startswith("exercises.yaml: windmills.ladder: ") for p in find_problems(copy))


def test_second_recommended_routine_is_reported(copy: Path) -> None:
    edit(copy, "routines.yaml", lambda d: item(d, "back_strength").update(recommended=True))
    problems = find_problems(copy)
    assert any(p.startswith("routines.yaml: recommended: exactly one") for p in problems)


def test_dishonest_duration_is_reported(copy: Path) -> None:
    routine = "hip_release_deep_core"
    edit(copy, "routines.yaml", lambda d: item(d, routine).update(estimated_minutes=5))
    expected = "routines.yaml: hip_release_deep_core.estimated_minutes: "
    assert any(p.startswith(expected) for p in find_problems(copy))


def test_load_content_raises_with_every_problem(copy: Path) -> None:
    edit(copy, "exercises.yaml", lambda d: item(d, "windmills").pop("feel"))
    (copy / "education.yaml").unlink()
    with pytest.raises(ContentError) as caught:
        load_content(copy)
    assert len(caught.value.problems) == 2
