"""Presses during a routine: an exercise answered, the easier variant, the pain rating."""

from telegram import Update
from telegram.ext import ConversationHandler

from bot.coaching.pain import is_valid_score, parse_pain_score
from bot.db.enums import StepOutcome
from bot.flows import moves, session_end
from bot.flows import routine as flow
from bot.handlers import callback_data as cd
from bot.handlers import coaching_views, shown_steps, views
from bot.handlers.follow_ups import send_after_rating
from bot.handlers.presses import answer_if_shown, answer_late, presser_id, stale_notice
from bot.handlers.replies import mark_answered, pressed, say
from bot.handlers.routine import show
from bot.handlers.shown_steps import Card
from bot.services import CoachContext


async def answer_step(update: Update, context: CoachContext) -> str | None:
    """Done, Skip or Too painful on the current exercise."""
    query, data = pressed(update)
    press = cd.parse_press(data)
    outcome = StepOutcome(press.choice)
    card = Card("step", press.session_id, press.position)
    answered = await answer_if_shown(update, context, card)
    user_id = await presser_id(update, context)
    move: moves.NextMove = moves.Stale()
    if user_id is not None:
        move = await flow.answer_step(
            context.services,
            user_id=user_id,
            session_id=press.session_id,
            position=press.position,
            outcome=outcome,
            pain_score=press.score,
        )
    if isinstance(move, moves.Stale):
        await answer_late(update, answered, stale_notice(context, move))
        return None
    await answer_late(update, answered)
    texts = context.services.content.texts
    await mark_answered(query, texts.routine.marked[outcome.value])
    if outcome is StepOutcome.TOO_PAINFUL and not isinstance(move, moves.OfferEasier):
        await say(update, texts.routine.too_painful_no_easier)
    return await show(update, context, move)


async def choose_easier(update: Update, context: CoachContext) -> str | None:
    """After Too painful: try the easier variant, or skip this exercise."""
    query, data = pressed(update)
    press = cd.parse_press(data)
    try_easier = press.choice == "try"
    card = Card("easier", press.session_id, press.position)
    answered = await answer_if_shown(update, context, card)
    user_id = await presser_id(update, context)
    move: moves.NextMove = moves.Stale()
    if user_id is not None:
        move = await flow.choose_after_pain(
            context.services,
            user_id=user_id,
            session_id=press.session_id,
            position=press.position,
            try_easier=try_easier,
        )
    texts = context.services.content.texts
    if isinstance(move, moves.Stale):
        await answer_late(update, answered, stale_notice(context, move))
        return None
    await answer_late(update, answered)
    chosen = move.exercise.name if isinstance(move, moves.StepView) and try_easier else None
    await mark_answered(query, chosen or texts.routine.marked[StepOutcome.SKIPPED.value])
    return await show(update, context, move)


async def _rate(
    update: Update, context: CoachContext, session_id: int, score: int
) -> session_end.Rated | moves.Stale:
    user_id = await presser_id(update, context)
    if user_id is None:
        return moves.Stale()
    return await session_end.rate_session(
        context.services, user_id=user_id, session_id=session_id, score=score
    )


async def _summarise(update: Update, context: CoachContext, rated: session_end.Rated) -> int:
    """The summary, with what changes and why; then what follows a rating."""
    services = context.services
    summary = views.session_summary(services.content.texts, rated.result)
    coaching = coaching_views.after_session(services.content, services.tracks, rated)
    await say(update, "\n\n".join(part for part in (summary, coaching) if part))
    await send_after_rating(update, context, user_id=rated.user_id, session_id=rated.session_id)
    return ConversationHandler.END


async def press_pain(update: Update, context: CoachContext) -> int | None:
    """A 0–10 button after the last exercise."""
    query, data = pressed(update)
    session_id, score = cd.parse_pain(data)
    texts = context.services.content.texts
    if not is_valid_score(score):
        await query.answer(texts.common.button_expired)
        return None
    answered = await answer_if_shown(update, context, Card("pain", session_id))
    result = await _rate(update, context, session_id, score)
    if isinstance(result, moves.Stale):
        await answer_late(update, answered, texts.common.session_ended)
        return None
    await answer_late(update, answered)
    await mark_answered(query, texts.pain.recorded_mark.format(score=score))
    return await _summarise(update, context, result)


async def type_pain(update: Update, context: CoachContext) -> int | None:
    """A typed `4` or `4/10` after the last exercise."""
    assert update.effective_message is not None
    texts = context.services.content.texts
    score = parse_pain_score(update.effective_message.text or "")
    user_id = await presser_id(update, context)
    waiting = None
    if user_id is not None:
        waiting = await flow.current_step(context.services, user_id=user_id)
    if score is None:
        await say(update, texts.pain.invalid)
        return None
    result: session_end.Rated | moves.Stale = moves.Stale()
    if isinstance(waiting, moves.AskPain):
        shown_steps.forget(update, context)
        result = await _rate(update, context, waiting.session_id, score)
    if isinstance(result, moves.Stale):
        # The state said "rating" but the database has no session waiting for one.
        await say(update, texts.common.session_ended)
        return ConversationHandler.END
    return await _summarise(update, context, result)
