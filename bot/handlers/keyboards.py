"""Inline keyboards, built from content texts."""

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.content.schema import Content
from bot.content.texts import Texts
from bot.db.enums import StepOutcome
from bot.flows.moves import StepView
from bot.flows.session_plan import TODAYS_PLAN
from bot.handlers import callback_data as cd
from bot.handlers import timer  # imports this module too: only used at call time


def _rows(buttons: Sequence[InlineKeyboardButton], width: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]
    )


def single(text: str, data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=data)]])


def consent(texts: Texts) -> InlineKeyboardMarkup:
    onboarding = texts.onboarding
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(onboarding.consent_button, callback_data=cd.CONSENT_YES)],
            [InlineKeyboardButton(onboarding.decline_button, callback_data=cd.CONSENT_NO)],
        ]
    )


def yes_no(texts: Texts, question_key: str) -> InlineKeyboardMarkup:
    screening = texts.screening
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    screening.yes_button, callback_data=cd.screen(question_key, True)
                ),
                InlineKeyboardButton(
                    screening.no_button, callback_data=cd.screen(question_key, False)
                ),
            ]
        ]
    )


def zero_to_ten(data_for: "ScoreData") -> InlineKeyboardMarkup:
    buttons = [InlineKeyboardButton(str(n), callback_data=data_for(n)) for n in range(11)]
    return InlineKeyboardMarkup([buttons[:6], buttons[6:]])


def reminder_times(texts: Texts) -> InlineKeyboardMarkup:
    presets = texts.onboarding.reminder_time_presets
    return _rows([InlineKeyboardButton(t, callback_data=cd.reminder_time(t)) for t in presets], 3)


def time_zones(texts: Texts) -> InlineKeyboardMarkup:
    presets = texts.onboarding.time_zone_presets
    return _rows([InlineKeyboardButton(z, callback_data=cd.zone(z)) for z in presets], 2)


def routines(content: Content, todays_minutes: int) -> InlineKeyboardMarkup:
    """Today's plan (recommended) first, then the content routines."""
    texts = content.texts.routine
    today = texts.choice_button.format(
        mark=texts.recommended_mark, name=content.texts.coaching.plan.name, minutes=todays_minutes
    )
    buttons = [InlineKeyboardButton(today, callback_data=cd.pick(TODAYS_PLAN))] + [
        InlineKeyboardButton(
            texts.choice_button.format(
                mark="", name=routine.name, minutes=routine.estimated_minutes
            ),
            callback_data=cd.pick(routine.key),
        )
        for routine in content.routines_recommended_first()
    ]
    return _rows(buttons, 1)


def step_answers(
    texts: Texts, view: StepView, pain_score: int | None = None
) -> InlineKeyboardMarkup:
    """Done, Skip, Too painful (carrying any quick 0–10 given), Pain now?, and a timer for
    holds and timed releases."""
    routine, session_id, position = texts.routine, view.session_id, view.position

    def answer(label: str, outcome: StepOutcome) -> InlineKeyboardButton:
        data = cd.step(session_id, position, outcome, pain_score)
        return InlineKeyboardButton(label, callback_data=data)

    rows = [
        [
            answer(routine.done_button, StepOutcome.DONE),
            answer(routine.skip_button, StepOutcome.SKIPPED),
        ],
        [
            answer(routine.too_painful_button, StepOutcome.TOO_PAINFUL),
            InlineKeyboardButton(
                texts.coaching.in_exercise.pain_now_button,
                callback_data=cd.pain_now(session_id, position, "ask"),
            ),
        ],
    ]
    seconds = _timed_seconds(view)
    if seconds:
        rows.append([timer.timer_button(session_id, position, seconds)])
    return InlineKeyboardMarkup(rows)


def _timed_seconds(view: StepView) -> int | None:
    """How long to time: the planned hold, else the shipped one, else a release's minutes."""
    dosage = view.exercise.dosage
    if view.dose is not None and view.dose.hold_seconds:
        return view.dose.hold_seconds
    if view.dose is None and dosage.hold_seconds:
        return dosage.hold_seconds
    if dosage.breathing_minutes is not None:
        return dosage.breathing_minutes.min * 60
    return None


def pain_now(texts: Texts, session_id: int, position: int) -> InlineKeyboardMarkup:
    """The quick 0–10 on an exercise card, and Skip back to the card."""
    scores = [
        InlineKeyboardButton(str(n), callback_data=cd.pain_now(session_id, position, n))
        for n in range(11)
    ]
    back = InlineKeyboardButton(
        texts.coaching.in_exercise.skip_rating_button,
        callback_data=cd.pain_now(session_id, position, "back"),
    )
    return InlineKeyboardMarkup([scores[:6], scores[6:], [back]])


def easier_or_skip(
    texts: Texts, session_id: int, position: int, easier_name: str
) -> InlineKeyboardMarkup:
    routine = texts.routine
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    routine.try_easier_button.format(easier=easier_name),
                    callback_data=cd.easier(session_id, position, True),
                )
            ],
            [
                InlineKeyboardButton(
                    routine.skip_it_button, callback_data=cd.easier(session_id, position, False)
                )
            ],
        ]
    )


class ScoreData:
    """Callback data for a 0–10 score button (baseline, or a session's rating)."""

    def __init__(self, session_id: int | None = None) -> None:
        self._session_id = session_id

    def __call__(self, score: int) -> str:
        if self._session_id is None:
            return cd.baseline(score)
        return cd.pain(self._session_id, score)
