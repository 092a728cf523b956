"""Message texts assembled from content (all words come from `content/`)."""

from html import escape

from bot.coaching.pain import compare_with_baseline, pain_band
from bot.content.schema import Content
from bot.content.texts import Texts
from bot.flows.moves import SessionResult, StepView


def exercise_card(content: Content, view: StepView) -> str:
    """One exercise as a phone-sized message: position, start, steps, feel, dose, cautions."""
    card = content.texts.routine.card
    exercise = view.exercise
    parts = [
        card.heading.format(
            position=view.position + 1, total=view.total, name=escape(exercise.name)
        ),
        f"{card.start_label} {escape(exercise.starting_position)}",
        "\n".join(f"{n}. {escape(step)}" for n, step in enumerate(exercise.steps, start=1)),
        f"{card.feel_label} {escape(exercise.feel)}",
        " ".join(
            part
            for part in (
                card.dose_label,
                escape(exercise.dosage.text),
                card.coach_default_note if exercise.dosage.source == "coach_default" else "",
                escape(exercise.dosage.note or ""),
            )
            if part
        ),
    ]
    if exercise.equipment:
        parts.append(f"{card.equipment_label} {escape(', '.join(exercise.equipment))}")
    parts.extend(f"{card.precautions_label} {escape(p.text)}" for p in exercise.precautions)
    return "\n\n".join(parts)


def principles(content: Content) -> str:
    """The articles' principles, shown before the first routine."""
    routine = content.texts.routine
    lines = [
        routine.principle_line.format(title=escape(p.title), text=escape(p.text))
        for p in content.principles
    ]
    return "\n\n".join([routine.principles_intro, *lines])


def session_summary(texts: Texts, result: SessionResult) -> str:
    """Done/skipped, pain against the starting point, and feedback by band."""
    pain = texts.pain
    parts = [
        pain.summary.format(
            done=result.counts.done,
            skipped=result.counts.skipped,
            too_painful=result.counts.too_painful,
            score=result.score,
        )
    ]
    if result.baseline is not None:
        comparison = compare_with_baseline(result.score, result.baseline)
        parts.append(
            pain.versus_baseline[comparison.trend].format(
                delta=comparison.delta, baseline=result.baseline
            )
        )
    parts.append(pain.band_feedback[pain_band(result.score)])
    return "\n\n".join(part for part in parts if part)


def with_mark(original: str, mark: str) -> str:
    """An answered message keeps its words and shows the answer under them."""
    return f"{original}\n\n<b>{escape(mark)}</b>"
