"""/routine: pick a routine, walk its exercises one at a time (presses in `steps.py`)."""

from telegram import Update
from telegram.ext import ConversationHandler

from bot.content.schema import Routine
from bot.db.enums import UserStatus
from bot.db.models import User
from bot.flows import moves, session_end, session_plan
from bot.flows import routine as flow
from bot.handlers import callback_data as cd
from bot.handlers import keyboards, shown_steps, views
from bot.handlers.presses import answer_if_shown
from bot.handlers.replies import mark_answered, pressed, say, telegram_ids
from bot.handlers.shown_steps import Card
from bot.handlers.states import CHOOSING_ROUTINE, DOING_EXERCISE, RATING_PAIN
from bot.services import CoachContext


async def open_routines(update: Update, context: CoachContext) -> str | int | None:
    """Offer the routines, or resume the one in progress."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    texts = context.services.content.texts
    user = await flow.find_person(context.services, telegram_id=telegram_ids(update)[0])
    if not flow.is_ready_for_routines(user):
        return await _not_ready(update, context, user)
    assert user is not None
    current = await flow.current_step(context.services, user_id=user.id)
    if current is not None:
        await say(update, texts.routine.resumed)
        return await show(update, context, current)
    today = await session_plan.preview_today(context.services, user_id=user.id)
    minutes = session_plan.planned_minutes(context.services, today.exercises)
    await say(update, texts.routine.choose, keyboards.routines(context.services.content, minutes))
    shown_steps.remember(update, context, Card("routines"))
    return CHOOSING_ROUTINE


async def _not_ready(update: Update, context: CoachContext, user: User | None) -> int:
    """Why there is no routine for this person yet."""
    texts = context.services.content.texts
    if user is not None and user.status == UserStatus.REFERRED:
        recheck = keyboards.single(texts.screening.recheck_button, cd.RECHECK)
        await say(update, texts.screening.referred_reminder, recheck)
    else:
        await say(update, texts.routine.not_ready)
    return ConversationHandler.END


async def pick_routine(update: Update, context: CoachContext) -> str | int | None:
    """Start today's plan or the chosen routine at its first exercise."""
    query, data = pressed(update)
    content = context.services.content
    key = cd.suffix(data)
    routine = content.find_routine(key)
    if routine is None and key != session_plan.TODAYS_PLAN:
        await query.answer(content.texts.common.button_expired)
        return None
    # The list is only shown to someone ready for routines, and that rarely changes.
    answered = await answer_if_shown(update, context, Card("routines"))
    user = await flow.find_person(context.services, telegram_id=telegram_ids(update)[0])
    if not flow.is_ready_for_routines(user):
        if answered:
            return await _not_ready(update, context, user)
        await query.answer(content.texts.common.button_expired)
        return None
    assert user is not None
    if not answered:
        await query.answer()
    await mark_answered(
        query, content.texts.coaching.plan.name if routine is None else routine.name
    )
    return await begin_routine(update, context, user.id, routine)


async def begin_routine(
    update: Update, context: CoachContext, user_id: int, routine: Routine | None
) -> str | None:
    """Start today's plan (routine None) or `routine` at its first exercise: the principles
    before a person's first, and what earlier sessions settled."""
    services = context.services
    content = services.content
    shown_steps.forget(update, context)
    started = await flow.start_routine(services, user_id=user_id, routine=routine)
    if started.first_time:
        await say(update, views.principles(content))
    if started.settled:
        await say(update, views.progression_lines(content, services.tracks, started.settled))
    if routine is None:
        await say(update, views.plan_heading(content, started.plan))
    else:
        chosen = content.texts.routine.chosen.format(
            name=routine.name, count=len(routine.exercises), minutes=routine.estimated_minutes
        )
        await say(update, chosen)
    return await show(update, context, started.where)


async def show(update: Update, context: CoachContext, move: moves.NextMove) -> str | None:
    """Send whatever comes next: an exercise, the easier-variant offer, or the pain question."""
    content = context.services.content
    texts = content.texts
    if isinstance(move, moves.StepView):
        keyboard = keyboards.step_answers(texts, move)
        await say(update, views.exercise_card(content, move), keyboard)
        shown_steps.remember(update, context, Card("step", move.session_id, move.position))
        return DOING_EXERCISE
    if isinstance(move, moves.OfferEasier):
        offer = texts.routine.too_painful_with_easier.format(easier=move.easier.name)
        keyboard = keyboards.easier_or_skip(texts, move.session_id, move.position, move.easier.name)
        await say(update, offer, keyboard)
        shown_steps.remember(update, context, Card("easier", move.session_id, move.position))
        return DOING_EXERCISE
    if isinstance(move, moves.AskPain):
        keyboard = keyboards.zero_to_ten(keyboards.ScoreData(move.session_id))
        await say(update, texts.pain.question, keyboard)
        shown_steps.remember(update, context, Card("pain", move.session_id))
        return RATING_PAIN
    return None


async def stop(update: Update, context: CoachContext) -> int:
    """/cancel: end the routine, keeping what was done as a partial session."""
    common = context.services.content.texts.common
    shown_steps.forget(update, context)
    user = await flow.find_person(context.services, telegram_id=telegram_ids(update)[0])
    stopped = (
        None if user is None else await session_end.stop_routine(context.services, user_id=user.id)
    )
    if stopped is None:
        await say(update, common.nothing_to_cancel)
    elif stopped.counts.done:
        await say(
            update, common.cancelled_partial.format(done=stopped.counts.done, total=stopped.total)
        )
    else:
        await say(update, common.cancelled_nothing)
    return ConversationHandler.END


async def remind_buttons(update: Update, context: CoachContext) -> None:
    """Typing during a routine: point at the buttons, change nothing."""
    await say(update, context.services.content.texts.routine.in_progress_use_buttons)
