"""What a person sees in a session, through a real Application with recorded Bot API calls."""

import json
from datetime import time

import pytest

from bot.content.schema import Content
from bot.flows import onboarding
from bot.services import Services
from tests.flows.conftest import PERSON_ID, Conversation


async def _ready_person(services: Services, baseline: int = 5) -> None:
    user, _ = await onboarding.greet(services, telegram_id=PERSON_ID, chat_id=PERSON_ID)
    await onboarding.consent(services, user_id=user.id)
    await onboarding.begin_screening(services, telegram_id=PERSON_ID)
    for question in services.content.texts.screening.questions:
        await onboarding.answer_screening(
            services, telegram_id=PERSON_ID, question_key=question.key, answer_yes=False
        )
    await onboarding.record_baseline(services, user_id=user.id, score=baseline)
    await onboarding.choose_reminder_time(services, user_id=user.id, reminder_time=time(8))
    await onboarding.finish_setup(services, user_id=user.id, time_zone="Europe/Berlin")


async def test_principles_come_before_the_first_routine_only(
    conversation: Conversation, services: Services
) -> None:
    await _ready_person(services)
    principles_intro = services.content.texts.routine.principles_intro
    for _ in range(2):
        await conversation.say("/routine")
        await conversation.tap(services.content.recommended_routine().name)
        await conversation.say("/cancel")
    assert sum(principles_intro in text for text in conversation.texts) == 1


async def test_an_exercise_card_shows_steps_cue_dose_and_cautions(
    conversation: Conversation, services: Services, content: Content
) -> None:
    await _ready_person(services)
    await conversation.say("/routine")
    await conversation.tap(services.content.recommended_routine().name)
    card = conversation.texts[-1]
    first = content.exercise(content.recommended_routine().exercises[0])
    assert first.name in card and first.feel in card and first.dosage.text in card
    assert all(step in card for step in first.steps)
    assert all(p.text in card for p in first.precautions)


@pytest.mark.parametrize(("score", "band"), [(1, "low"), (4, "moderate"), (8, "high")])
async def test_feedback_follows_the_pain_band(
    conversation: Conversation, services: Services, content: Content, score: int, band: str
) -> None:
    await _ready_person(services)
    await conversation.say("/routine")
    await conversation.tap(services.content.recommended_routine().name)
    for _ in content.recommended_routine().exercises:
        await conversation.tap("Done")
    count = len(conversation.texts)
    await conversation.say(str(score))
    feedback = content.texts.pain.band_feedback[band]
    # The summary comes first; what follows a rating (a flare-up offer, say) may come after it.
    assert feedback.splitlines()[0] in conversation.sent_since(count)[0]


async def test_every_routine_can_be_walked_to_the_pain_question(
    conversation: Conversation, services: Services, content: Content
) -> None:
    await _ready_person(services)
    for routine in content.routines:
        await conversation.say("/routine")
        await conversation.tap(routine.name)
        for _ in routine.exercises:
            await conversation.tap("Done")
        assert "How much does your back hurt" in conversation.texts[-1]
        count = len(conversation.texts)
        await conversation.tap("2")
        assert "Session saved" in conversation.sent_since(count)[0]


async def test_every_button_fits_telegrams_callback_data_limit(
    conversation: Conversation, services: Services
) -> None:
    await _ready_person(services)
    await conversation.say("/routine")
    await conversation.tap(services.content.recommended_routine().name)
    await conversation.tap("Too painful")
    data = [
        button["callback_data"]
        for name, values in conversation.request.calls
        if name == "sendMessage" and "reply_markup" in values
        for row in json.loads(values["reply_markup"])["inline_keyboard"]
        for button in row
    ]
    assert data and all(len(d.encode()) <= 64 for d in data)
