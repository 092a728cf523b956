"""Inline keyboards, built from content texts."""

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.content.schema import Content
from bot.content.texts import Texts
from bot.db.enums import StepOutcome
from bot.handlers import callback_data as cd


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


def routines(content: Content) -> InlineKeyboardMarkup:
    texts = content.texts.routine
    buttons = [
        InlineKeyboardButton(
            texts.choice_button.format(
                mark=texts.recommended_mark if routine.recommended else "",
                name=routine.name,
                minutes=routine.estimated_minutes,
            ),
            callback_data=cd.pick(routine.key),
        )
        for routine in content.routines_recommended_first()
    ]
    return _rows(buttons, 1)


def step_answers(texts: Texts, session_id: int, position: int) -> InlineKeyboardMarkup:
    routine = texts.routine
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    routine.done_button,
                    callback_data=cd.step(session_id, position, StepOutcome.DONE),
                ),
                InlineKeyboardButton(
                    routine.skip_button,
                    callback_data=cd.step(session_id, position, StepOutcome.SKIPPED),
                ),
            ],
            [
                InlineKeyboardButton(
                    routine.too_painful_button,
                    callback_data=cd.step(session_id, position, StepOutcome.TOO_PAINFUL),
                )
            ],
        ]
    )


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
