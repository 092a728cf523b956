"""The /progress message from a person's figures (bot/handlers/progress.py)."""

from bot.coaching.adherence import Streaks, WeekAdherence
from bot.content.schema import Content
from bot.flows.progress import Progress
from bot.handlers.progress import progress_text, summary_text


def _progress(
    week: WeekAdherence,
    pain_now: float | None,
    baseline: int | None,
    last_seven: WeekAdherence | None = None,
) -> Progress:
    return Progress(
        week,
        last_seven or week,
        Streaks(2, 9),
        pain_now,
        baseline,
        pain_days=[],
        chart_sessions={},
    )


def test_partial_and_extra_sessions_are_shown_apart(content: Content) -> None:
    text = progress_text(content.texts.progress, _progress(WeekAdherence(5, 2, 1, 1), 3.25, 6))
    assert text.splitlines()[1:] == [
        "This week: 2 of 5 planned sessions done, 1 partly done, plus 1 on other days",
        "Streak: 2 planned days in a row (your longest: 9)",
        "Pain over the last 7 days: 3.2/10 on average; your starting point was 6/10.",
    ]


def test_nothing_planned_and_no_recent_pain_say_so(content: Content) -> None:
    texts = content.texts.progress
    lines = progress_text(texts, _progress(WeekAdherence(0, 0, 0, 0), None, None)).splitlines()
    assert lines[1] == texts.week_nothing_planned
    assert lines[-1] == texts.pain_none


def test_without_a_starting_point_pain_stands_alone(content: Content) -> None:
    text = progress_text(content.texts.progress, _progress(WeekAdherence(7, 7, 0, 0), 4.0, None))
    assert text.endswith("Pain over the last 7 days: 4/10 on average.")


def test_the_summary_speaks_of_the_seven_days_that_end_today(content: Content) -> None:
    this_week, last_seven = WeekAdherence(3, 1, 0, 0), WeekAdherence(7, 5, 1, 0)
    progress = _progress(this_week, 3.0, 6, last_seven=last_seven)
    lines = summary_text(content.texts.progress, progress).splitlines()
    assert lines == [
        content.texts.progress.weekly.heading,
        "The last 7 days: 5 of 7 planned sessions done, 1 partly done",
        "Streak: 2 planned days in a row (your longest: 9)",
        "Pain over the last 7 days: 3/10 on average; your starting point was 6/10.",
    ]
