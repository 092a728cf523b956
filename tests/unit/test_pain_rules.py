"""Reading a pain score and what it means, as a person would type and see it."""

import pytest

from bot.coaching.pain import PainBand, Trend, compare_with_baseline, pain_band, parse_pain_score


@pytest.mark.parametrize(
    ("typed", "score"), [("4", 4), ("4/10", 4), (" 7 / 10 ", 7), ("0", 0), ("10", 10)]
)
def test_typed_scores_are_read(typed: str, score: int) -> None:
    assert parse_pain_score(typed) == score


@pytest.mark.parametrize("typed", ["11", "-1", "banana", "4.5", "", "4/5", "1" * 5000, "four"])
def test_anything_else_is_not_a_score(typed: str) -> None:
    assert parse_pain_score(typed) is None


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, PainBand.LOW),
        (2, PainBand.LOW),
        (3, PainBand.MODERATE),
        (5, PainBand.MODERATE),
        (6, PainBand.HIGH),
        (10, PainBand.HIGH),
    ],
)
def test_bands_follow_the_pain_monitoring_model(score: int, band: PainBand) -> None:
    assert pain_band(score) is band


def test_lower_than_baseline_is_better_by_the_difference() -> None:
    comparison = compare_with_baseline(3, baseline=6)
    assert (comparison.trend, comparison.delta) == (Trend.BETTER, 3)


def test_higher_than_baseline_is_worse() -> None:
    assert compare_with_baseline(7, baseline=5).trend is Trend.WORSE


def test_equal_to_baseline_is_the_same() -> None:
    assert compare_with_baseline(4, baseline=4) == compare_with_baseline(0, baseline=0)
