"""What follows a session's pain rating, most important first: the end of flare-up mode,
advice to see a physical therapist, the weekly red-flag re-check (the rest waits for a clear
answer), the flare-up offer, and one short piece of education."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.content.texts import ScreeningQuestion
from bot.flows import education, onboarding, recheck
from bot.flows import flare as flare_flow
from bot.flows.escalation import escalation_advice, record_advice
from bot.handlers import callback_data as cd
from bot.handlers import keyboards
from bot.handlers.flare import offer_keyboard, tell_flare_over
from bot.handlers.replies import mark_answered, pressed, say, telegram_ids
from bot.services import CoachContext


async def send_after_rating(
    update: Update, context: CoachContext, *, user_id: int, session_id: int
) -> None:
    """After the session summary: at most a few short follow-ups."""
    services = context.services
    texts = services.content.texts
    await tell_flare_over(update, context, user_id=user_id)
    advice = await escalation_advice(services, user_id=user_id)
    if advice is not None:
        await say(update, advice.text)
        await record_advice(services, user_id=user_id, advice=advice)
    weekly = await recheck.begin_if_due(services, user_id=user_id)
    if weekly is not None:
        await say(update, texts.coaching.escalation.recheck_intro)
        await _ask(update, context, weekly.screening_pass, session_id, weekly.question)
        return
    await _offers(
        update, context, user_id=user_id, session_id=session_id, advised=advice is not None
    )


async def _offers(
    update: Update, context: CoachContext, *, user_id: int, session_id: int, advised: bool
) -> None:
    """The flare-up offer if pain jumped; otherwise, without advice today, some education."""
    services = context.services
    offer = await flare_flow.offer_after_rating(services, user_id=user_id, session_id=session_id)
    if offer is not None:
        flare = services.content.texts.coaching.flare
        template = flare.offer_since_baseline if offer.since_baseline else flare.offer
        text = template.format(delta=offer.jump, days=offer.days)
        await say(update, text, offer_keyboard(services.content.texts, session_id))
        return
    if advised:
        return
    lesson = await education.next_lesson(services, user_id=user_id)
    if lesson is not None:
        await say(update, lesson.text)
        await education.record_lesson(services, user_id=user_id, lesson=lesson)


async def _ask(
    update: Update,
    context: CoachContext,
    screening_pass: int,
    session_id: int,
    question: ScreeningQuestion,
) -> None:
    screening = context.services.content.texts.screening
    buttons = [
        InlineKeyboardButton(
            label,
            callback_data=cd.weekly(cd.WeeklyPress(screening_pass, session_id, question.key, yes)),
        )
        for label, yes in ((screening.yes_button, True), (screening.no_button, False))
    ]
    await say(update, question.question, InlineKeyboardMarkup([buttons]))


async def answer_weekly(update: Update, context: CoachContext) -> None:
    """A Yes or No in the weekly re-check: next question, advice to seek care, or carry on."""
    query, data = pressed(update)
    texts = context.services.content.texts
    press = cd.parse_weekly(data)
    answered = await recheck.answer(
        context.services,
        telegram_id=telegram_ids(update)[0],
        screening_pass=press.screening_pass,
        question_key=press.question_key,
        answer_yes=press.answer_yes,
    )
    if answered is None:
        await query.answer(texts.common.button_expired)
        return
    await query.answer()
    screening = texts.screening
    await mark_answered(
        query, screening.answered_yes if press.answer_yes else screening.answered_no
    )
    step = answered.step
    if isinstance(step, onboarding.NextQuestion):
        await _ask(update, context, press.screening_pass, press.session_id, step.question)
    elif isinstance(step, onboarding.Referred):
        again = keyboards.single(screening.recheck_button, cd.RECHECK)
        await say(update, screening.weekly_advice[step.urgency], again)
    else:
        await say(update, screening.clear)
        await _offers(
            update, context, user_id=answered.user_id, session_id=press.session_id, advised=False
        )
