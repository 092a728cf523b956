"""/flare, /flare off and the flare-up offer after a jump in pain."""

from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.content.texts import Texts
from bot.db.enums import UserStatus
from bot.flows import flare as flow
from bot.flows import onboarding
from bot.handlers import callback_data as cd
from bot.handlers import keyboards
from bot.handlers.replies import mark_answered, pressed, say, telegram_ids
from bot.services import CoachContext


def offer_keyboard(texts: Texts, session_id: int) -> InlineKeyboardMarkup:
    flare = texts.coaching.flare
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(text, callback_data=cd.flare_offer(accept, session_id))]
            for text, accept in ((flare.accept_button, True), (flare.decline_button, False))
        ]
    )


def _date(texts: Texts, day: date) -> str:
    weekdays, months = texts.reminders.weekdays, texts.reminders.months
    return texts.coaching.flare.date.format(
        weekday=weekdays[day.weekday()], day=day.day, month=months[day.month - 1]
    )


def _turned_on(texts: Texts, turned: flow.FlareOn) -> str:
    flare = texts.coaching.flare
    template = flare.already_on if turned.again else flare.on
    return template.format(date=_date(texts, turned.last_day))


async def _person_id(update: Update, context: CoachContext) -> int | None:
    """The person's id if they are in the programme; otherwise say why nothing changes."""
    texts = context.services.content.texts
    person = await onboarding.find_user(context.services, telegram_id=telegram_ids(update)[0])
    if person is not None and person.status == UserStatus.ACTIVE:
        return person.id
    if person is not None and person.status == UserStatus.REFERRED:
        recheck = keyboards.single(texts.screening.recheck_button, cd.RECHECK)
        await say(update, texts.screening.referred_reminder, recheck)
    else:
        await say(update, texts.routine.not_ready)
    return None


async def flare_command(update: Update, context: CoachContext) -> None:
    """/flare: a few gentle days (again: the count starts over); /flare off: back to usual."""
    texts = context.services.content.texts
    user_id = await _person_id(update, context)
    if user_id is None:
        return
    if [arg.lower() for arg in context.args or []][:1] == ["off"]:
        stopped = await flow.stop(context.services, user_id=user_id)
        await say(update, texts.coaching.flare.off if stopped else texts.coaching.flare.not_on)
        return
    turned = await flow.start(context.services, user_id=user_id, accepted_offer=False)
    if turned is not None:
        await say(update, _turned_on(texts, turned))


async def answer_offer(update: Update, context: CoachContext) -> None:
    """Yes or No to flare-up mode after a jump in pain."""
    query, data = pressed(update)
    texts = context.services.content.texts
    accept, session_id = cd.parse_flare_offer(data)
    person = await onboarding.find_user(context.services, telegram_id=telegram_ids(update)[0])
    if person is None or person.status != UserStatus.ACTIVE:
        await query.answer(texts.common.button_expired)
        return
    flare = texts.coaching.flare
    if accept and not await flow.offer_still_open(
        context.services, user_id=person.id, session_id=session_id
    ):
        await query.answer(flare.offer_expired)
        return
    await query.answer()
    await mark_answered(query, flare.accept_button if accept else flare.decline_button)
    if not accept:
        await say(update, flare.declined)
        return
    turned = await flow.start(
        context.services, user_id=person.id, accepted_offer=True, session_id=session_id
    )
    if turned is not None:
        await say(update, _turned_on(texts, turned))


async def tell_flare_over(update: Update, context: CoachContext, *, user_id: int) -> None:
    """Once, after flare-up mode ended by itself: say so (for /routine, or after a rating)."""
    if await flow.end_news(context.services, user_id=user_id, telling=False):
        await say(update, context.services.content.texts.coaching.flare.ended_by_itself)
        await flow.end_news(context.services, user_id=user_id, telling=True)
