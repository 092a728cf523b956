"""Message texts assembled from content (all words come from `content/`)."""

from collections.abc import Mapping, Sequence
from html import escape

from bot.coaching.ladders import Track
from bot.coaching.pain import compare_with_baseline, pain_band
from bot.coaching.progression import Move, ProgressionDecision
from bot.coaching.reasons import CoachingReason
from bot.content.coaching_texts import DoseTexts
from bot.content.schema import Content, Exercise
from bot.content.texts import Texts
from bot.flows.moves import Dose, SessionResult, StepView
from bot.flows.session_plan import SessionPlan


def dose_line(texts: DoseTexts, dose: Dose, *, per_side: bool) -> str:
    """A ladder step's dose in words, like "8 reps, 5-second holds, each side"."""
    parts = [
        texts.reps.format(reps=dose.reps) if dose.reps else "",
        texts.hold.format(seconds=dose.hold_seconds) if dose.hold_seconds else "",
        texts.sets.format(sets=dose.sets) if dose.sets else "",
        texts.per_side if per_side else "",
    ]
    return texts.separator.join(part for part in parts if part)


def _how_much(content: Content, exercise: Exercise, dose: Dose | None) -> str:
    """The planned dose; the shipped dosage's own words when it is that dose (or unplanned)."""
    card, dosage = content.texts.routine.card, exercise.dosage
    load = None if dose is None else (dose.reps, dose.hold_seconds, dose.sets)
    if dose is not None and load != dosage.load():
        step = next((s for s in exercise.ladder if s.load() == load), None)
        line = dose_line(content.texts.coaching.dose, dose, per_side=dosage.per_side)
        note = card.coach_default_note if step and step.source == "coach_default" else ""
        return " ".join(part for part in (card.dose_label, escape(line), note) if part)
    return " ".join(
        part
        for part in (
            card.dose_label,
            escape(dosage.text),
            card.coach_default_note if dosage.source == "coach_default" else "",
            escape(dosage.note or ""),
        )
        if part
    )


def exercise_card(content: Content, view: StepView, advice: str | None = None) -> str:
    """One exercise as a phone-sized message: position, start, steps, feel, dose, cautions;
    then the advice on the pain given during it, if any."""
    card = content.texts.routine.card
    exercise = view.exercise
    parts = [
        card.heading.format(
            position=view.position + 1, total=view.total, name=escape(exercise.name)
        ),
        f"{card.start_label} {escape(exercise.starting_position)}",
        "\n".join(f"{n}. {escape(step)}" for n, step in enumerate(exercise.steps, start=1)),
        f"{card.feel_label} {escape(exercise.feel)}",
        _how_much(content, exercise, view.dose),
    ]
    if exercise.equipment:
        parts.append(f"{card.equipment_label} {escape(', '.join(exercise.equipment))}")
    parts.extend(f"{card.precautions_label} {escape(p.text)}" for p in exercise.precautions)
    if advice:
        parts.append(advice)
    return "\n\n".join(parts)


def plan_heading(content: Content, plan: SessionPlan) -> str:
    """Today's plan: how many exercises, and why it is what it is."""
    texts = content.texts.coaching
    if plan.in_flare:
        return texts.plan.flare_heading.format(count=len(plan.exercises))
    heading = texts.plan.heading.format(count=len(plan.exercises))
    return heading if plan.reason is None else f"{heading}\n{texts.reasons[plan.reason]}"


# Holds whose reason is about one exercise, so the line names it.
_ABOUT_ONE_EXERCISE = frozenset(
    {CoachingReason.HOLD_NOT_PRACTISED, CoachingReason.HOLD_AT_TOP, CoachingReason.HOLD_AT_BOTTOM}
)


def progression_lines(
    content: Content, tracks: Mapping[str, Track], decisions: Sequence[ProgressionDecision]
) -> str:
    """Each step up or down with its next dose, and each hold about one exercise (not done at
    its level, top or bottom of its ladder), grouped under its reason, each reason said once
    (five exercises lighter after a worse morning is five short lines and one "why"); a hold
    about the whole session is its reason alone."""
    texts = content.texts.coaching
    templates = {
        Move.UP: texts.progression.up,
        Move.HOLD: texts.progression.hold,
        Move.DOWN: texts.progression.down,
    }
    groups: dict[str, list[str]] = {}
    for decision in decisions:
        named = groups.setdefault(texts.reasons[decision.reason], [])
        if decision.move is Move.HOLD and decision.reason not in _ABOUT_ONE_EXERCISE:
            continue
        rung = tracks[decision.track].rungs[decision.position.rung]
        exercise = content.exercise(rung.exercise)
        dose = Dose(rung.reps, rung.hold_seconds, rung.sets)
        named.append(
            templates[decision.move].format(
                exercise=escape(exercise.name),
                dose=escape(dose_line(texts.dose, dose, per_side=exercise.dosage.per_side)),
            )
        )
    return "\n\n".join("\n".join([*named, reason]) for reason, named in groups.items())


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
