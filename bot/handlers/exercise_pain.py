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
from bot.handlers.presses import answer_if_shown, answer_late, presser_id, stale_notice
from bot.handlers.replies import mark_answered, pressed, say
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


async def _current_card(
    update: Update, context: CoachContext, press: cd.StepPress, card: Card
) -> moves.StepView | moves.Stale:
    """The exercise the press is on, if it still waits for an answer; answers the press."""
    query = pressed(update)[0]
    answered = await answer_if_shown(update, context, card)
    user_id = await presser_id(update, context)
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
    await answer_late(update, answered, stale_notice(context, stale))
    return stale


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
    answered = await answer_if_shown(update, context, Card("scale", *_at(press)))
    user_id = await presser_id(update, context)
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
        await answer_late(update, answered, stale_notice(context, result))
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
