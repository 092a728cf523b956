"""/start: consent and the red-flag screen (set-up continues in `setup.py`)."""

from telegram import Update
from telegram.ext import ConversationHandler

from bot.content.texts import ScreeningQuestion
from bot.flows import onboarding
from bot.flows.stage import Stage
from bot.handlers import callback_data as cd
from bot.handlers import keyboards, setup
from bot.handlers.replies import mark_answered, pressed, say, telegram_ids
from bot.handlers.states import CONSENTING, SCREENING
from bot.services import CoachContext


async def start(update: Update, context: CoachContext) -> str | int | None:
    """Greet a new person, or pick up where a known one left off; never wipe anything."""
    services = context.services
    telegram_id, chat_id = telegram_ids(update)
    _user, stage = await onboarding.greet(services, telegram_id=telegram_id, chat_id=chat_id)
    texts = services.content.texts
    if stage is Stage.CONSENT:
        await say(update, texts.onboarding.welcome, keyboards.consent(texts))
        return CONSENTING
    if stage is Stage.READY:
        await say(update, texts.onboarding.welcome_back)
        return ConversationHandler.END
    if stage is Stage.REFERRED:
        await say(
            update,
            texts.screening.referred_reminder,
            keyboards.single(texts.screening.recheck_button, cd.RECHECK),
        )
        return SCREENING
    await say(update, texts.onboarding.welcome_back_unfinished)
    if stage is Stage.SCREENING:
        return await ask_first_question(update, context)
    return await setup.resume(update, context, stage)


async def accept_consent(update: Update, context: CoachContext) -> str | None:
    """Consent given: the safety questions come next."""
    query, _ = pressed(update)
    await query.answer()
    texts = context.services.content.texts
    await mark_answered(query, texts.onboarding.consent_button)
    user = await onboarding.find_user(context.services, telegram_id=telegram_ids(update)[0])
    assert user is not None
    await onboarding.consent(context.services, user_id=user.id)
    await say(update, texts.onboarding.consented)
    return await ask_first_question(update, context)


async def decline_consent(update: Update, context: CoachContext) -> int:
    """No consent, nothing started."""
    query, _ = pressed(update)
    await query.answer()
    texts = context.services.content.texts
    await mark_answered(query, texts.onboarding.decline_button)
    await say(update, texts.onboarding.declined)
    return ConversationHandler.END


async def recheck(update: Update, context: CoachContext) -> str | None:
    """A referred person says a clinician has checked them: a new, complete screen."""
    query, _ = pressed(update)
    texts = context.services.content.texts
    telegram_id = telegram_ids(update)[0]
    question = await onboarding.begin_screening(
        context.services, telegram_id=telegram_id, recheck=True
    )
    if question is None:
        await query.answer(texts.common.button_expired)
        return None
    await query.answer()
    await mark_answered(query, texts.screening.recheck_button)
    return await _ask(update, context, question)


async def ask_first_question(update: Update, context: CoachContext) -> str | None:
    """Start a new pass through the safety questions; older question buttons stop counting."""
    telegram_id = telegram_ids(update)[0]
    question = await onboarding.begin_screening(context.services, telegram_id=telegram_id)
    return None if question is None else await _ask(update, context, question)


async def _ask(update: Update, context: CoachContext, question: ScreeningQuestion) -> str:
    texts = context.services.content.texts
    await say(update, texts.screening.intro)
    await say(update, question.question, keyboards.yes_no(texts, question.key))
    return SCREENING


async def answer_screening(update: Update, context: CoachContext) -> str | int | None:
    """Record a Yes or No; any Yes means advice to seek care and no programme."""
    query, data = pressed(update)
    texts = context.services.content.texts
    key, answer_yes = cd.parse_screen(data)
    step = await onboarding.answer_screening(
        context.services, telegram_id=telegram_ids(update)[0], question_key=key,
        answer_yes=answer_yes,
    )  # fmt: skip
    if step is None:
        await query.answer(texts.common.button_expired)
        return None
    await query.answer()
    screening = texts.screening
    await mark_answered(query, screening.answered_yes if answer_yes else screening.answered_no)
    if isinstance(step, onboarding.NextQuestion):
        await say(update, step.question.question, keyboards.yes_no(texts, step.question.key))
        return SCREENING
    if isinstance(step, onboarding.Referred):
        await say(update, screening.advice[step.urgency])
        return ConversationHandler.END
    await say(update, screening.clear)
    return await setup.ask_baseline(update, context)
