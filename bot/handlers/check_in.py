"""The morning check-in: a button, a typed 0–10 while nothing else is asked, and /checkin."""

from dataclasses import dataclass

from telegram import Update

from bot.coaching.checkins import CheckIn, MorningAnswer
from bot.coaching.pain import parse_pain_score
from bot.coaching.time_input import parse_reminder_time
from bot.flows import check_in as flow
from bot.handlers import callback_data as cd
from bot.handlers import coaching_views
from bot.handlers.claims import Callback, Claims
from bot.handlers.replies import mark_answered, pressed, say, telegram_ids
from bot.services import CoachContext


async def press_answer(update: Update, context: CoachContext) -> None:
    """Better, The same or Worse on a morning check-in."""
    query, data = pressed(update)
    session_id, value = cd.parse_check_in(data)
    answer = MorningAnswer(value)
    reply = await _answer(update, context, session_id, CheckIn(answer=answer))
    if isinstance(reply, _Notice):
        await query.answer(reply.text)
        return
    await query.answer()
    texts = context.services.content.texts.coaching.check_in
    await mark_answered(query, coaching_views.answer_label(texts, answer))
    await say(update, reply)


async def _answer_typed(update: Update, context: CoachContext, session_id: int, score: int) -> None:
    reply = await _answer(update, context, session_id, CheckIn(score=score))
    await say(update, reply.text if isinstance(reply, _Notice) else reply)


@dataclass(frozen=True)
class _Notice:
    """A short notice instead of the answer (a toast for a press, a message for typing)."""

    text: str


async def _answer(
    update: Update, context: CoachContext, session_id: int, answer: CheckIn
) -> str | _Notice:
    """Record the answer; the reply to send, or a notice when it was already answered or has
    passed."""
    services = context.services
    texts = services.content.texts.coaching.check_in
    outcome = await flow.answer_check_in(
        services, telegram_id=telegram_ids(update)[0], session_id=session_id, answer=answer
    )
    if isinstance(outcome, flow.AlreadyAnswered):
        return _Notice(texts.already_answered)
    if isinstance(outcome, flow.Passed):
        return _Notice(texts.passed)
    return coaching_views.check_in_reply(services.content, services.tracks, outcome)


def typed_answers(claims: Claims) -> Callback[None]:
    """For group -1, after the questions that take typed answers there: a typed 0–10 is the
    check-in's answer when one reached the person today, is unanswered, and no routine is in
    progress (a pain rating during a routine is never taken). Only then is it claimed;
    anything else goes on to group 0 untouched."""

    async def take_typed(update: Update, context: CoachContext) -> None:
        message = update.effective_message
        score = None if message is None else parse_pain_score(message.text or "")
        if score is None:
            return
        telegram_id = telegram_ids(update)[0]
        session_id = await flow.pending_check_in(context.services, telegram_id=telegram_id)
        if session_id is None:
            return

        async def answer(update: Update, context: CoachContext) -> None:
            await _answer_typed(update, context, session_id, score)

        await claims.answering(answer)(update, context)

    return take_typed


async def choose_time(update: Update, context: CoachContext) -> None:
    """/checkin shows when the morning check-in comes; /checkin 7:30 changes it."""
    services = context.services
    texts = services.content.texts.coaching.check_in
    telegram_id = telegram_ids(update)[0]
    typed = " ".join(context.args or [])
    if not typed:
        shown = await flow.show_check_in_time(services, telegram_id=telegram_id)
        if isinstance(shown, flow.NotSetUp):
            await say(update, texts.not_set_up)
        else:
            await say(update, texts.time_shown.format(time=shown.strftime("%H:%M")))
        return
    chosen = parse_reminder_time(typed)
    if chosen is None:
        await say(update, texts.time_invalid)
        return
    changed = await flow.change_check_in_time(services, telegram_id=telegram_id, at=chosen)
    if isinstance(changed, flow.NotSetUp):
        await say(update, texts.not_set_up)
    else:
        await say(update, texts.time_changed.format(time=changed.strftime("%H:%M")))
