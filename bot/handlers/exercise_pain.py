"""Pain now? on an exercise card: the quick 0–10 in place of its answers, then advice on the
same card, or (above 5) Too painful and the easier variant or skipping it."""

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.coaching.feedback import ExercisePainAdvice
from bot.flows import exercise_pain, moves
from bot.flows import routine as flow
from bot.handlers import callback_data as cd
from bot.handlers import keyboards, shown_steps, views
from bot.handlers.replies import mark_answered, pressed, say, telegram_ids
from bot.handlers.routine import show
from bot.handlers.shown_steps import Card
from bot.handlers.states import DOING_EXERCISE
from bot.services import CoachContext


async def _edit(query: CallbackQuery, text: str, keyboard: InlineKeyboardMarkup) -> None:
    """Change the card in place (a double press changes nothing, which is not an error)."""
    message = query.message
    if not isinstance(message, Message):
        return
    try:
        await message.edit_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise


async def _user_id(update: Update, context: CoachContext) -> int | None:
    user = await flow.find_person(context.services, telegram_id=telegram_ids(update)[0])
    return None if user is None else user.id


def _stale_notice(context: CoachContext, stale: moves.Stale) -> str:
    common = context.services.content.texts.common
    return common.already_answered if stale.still_running else common.session_ended


async def _current_card(
    update: Update, context: CoachContext, press: cd.StepPress, card: Card
) -> moves.StepView | moves.Stale:
    """The exercise the press is on, if it still waits for an answer; answers the press."""
    query = pressed(update)[0]
    answered = shown_steps.take(update, context, card)
    if answered:
        await query.answer()
    user_id = await _user_id(update, context)
    current = (
        None if user_id is None else await flow.current_step(context.services, user_id=user_id)
    )
    if isinstance(current, moves.StepView) and (current.session_id, current.position) == (
        press.session_id,
        press.position,
    ):
        if not answered:
            await query.answer()
        return current
    running = user_id is not None and await flow.is_running(
        context.services, user_id=user_id, session_id=press.session_id
    )
    stale = moves.Stale(still_running=running)
    await _tell_stale(update, context, stale, answered)
    return stale


async def _tell_stale(
    update: Update, context: CoachContext, stale: moves.Stale, answered: bool
) -> None:
    """A toast, or a message if the press was answered already (the card was remembered)."""
    if answered:
        await say(update, _stale_notice(context, stale))
    else:
        await pressed(update)[0].answer(_stale_notice(context, stale))


def _advice(context: CoachContext, score: int, advice: ExercisePainAdvice) -> str:
    """The score, why it is fine or acceptable, and what to do (said once)."""
    texts = context.services.content.texts
    reason = texts.coaching.reasons[advice.reason]
    what = texts.coaching.in_exercise.advice[advice.advice]
    words = reason if what in reason else f"{reason} {what}"
    return f"<b>{texts.pain.recorded_mark.format(score=score)}</b>\n{words}"


async def _open_scale(update: Update, context: CoachContext, press: cd.StepPress) -> str | None:
    current = await _current_card(update, context, press, Card("step", *_at(press)))
    if isinstance(current, moves.Stale):
        return None
    texts = context.services.content.texts
    question = texts.coaching.in_exercise.rating_question
    card = views.exercise_card(context.services.content, current, question)
    await _edit(pressed(update)[0], card, keyboards.pain_now(texts, *_at(press)))
    shown_steps.remember(update, context, Card("scale", *_at(press)))
    return DOING_EXERCISE


async def _back(update: Update, context: CoachContext, press: cd.StepPress) -> str | None:
    current = await _current_card(update, context, press, Card("scale", *_at(press)))
    if isinstance(current, moves.Stale):
        return None
    texts = context.services.content.texts
    card = views.exercise_card(context.services.content, current)
    await _edit(pressed(update)[0], card, keyboards.step_answers(texts, current))
    shown_steps.remember(update, context, Card("step", *_at(press)))
    return DOING_EXERCISE


async def _rate(update: Update, context: CoachContext, press: cd.StepPress) -> str | None:
    query, score = pressed(update)[0], int(press.choice)
    answered = shown_steps.take(update, context, Card("scale", *_at(press)))
    if answered:
        await query.answer()
    user_id = await _user_id(update, context)
    result: exercise_pain.CarryOn | exercise_pain.StopHere | moves.Stale = moves.Stale()
    if user_id is not None:
        result = await exercise_pain.rate_exercise(
            context.services,
            user_id=user_id,
            session_id=press.session_id,
            position=press.position,
            score=score,
        )
    if isinstance(result, moves.Stale):
        await _tell_stale(update, context, result, answered)
        return None
    if not answered:
        await query.answer()
    texts = context.services.content.texts
    if isinstance(result, exercise_pain.StopHere):
        await mark_answered(query, texts.pain.recorded_mark.format(score=score))
        await say(update, texts.coaching.reasons[result.advice.reason])
        return await show(update, context, result.move)
    advice = _advice(context, score, result.advice)
    card = views.exercise_card(context.services.content, result.view, advice)
    await _edit(query, card, keyboards.step_answers(texts, result.view, score))
    shown_steps.remember(update, context, Card("step", *_at(press)))
    return DOING_EXERCISE


def _at(press: cd.StepPress) -> tuple[int, int]:
    return press.session_id, press.position


async def pain_now(update: Update, context: CoachContext) -> str | None:
    """Pain now? on an exercise card, a 0–10 on it, or Skip back to the card's answers."""
    press = cd.parse_press(pressed(update)[1])
    if press.choice == "ask":
        return await _open_scale(update, context, press)
    if press.choice == "back":
        return await _back(update, context, press)
    if not 0 <= int(press.choice) <= 10:
        await pressed(update)[0].answer(context.services.content.texts.common.button_expired)
        return None
    return await _rate(update, context, press)
