"""What the bulk sender asks of the bot: claim a queued message, word it by its kind, record
its fate."""

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.coaching.reminder_facts import STREAK_HORIZON_DAYS, ReminderFacts, reminder_facts
from bot.db.enums import MessageKind, SendStatus
from bot.db.queries import send_log, session_history, users
from bot.flows import check_in, weekly_summary
from bot.flows.due_fates import fate_of_non_reminder, settle
from bot.flows.flare import flare_facts
from bot.flows.membership import mark_blocked
from bot.flows.schedule import plan_of
from bot.handlers.coaching_views import check_in_keyboard
from bot.handlers.reminder_views import reminder_keyboard, reminder_message
from bot.handlers.weekly_summary import render_summary
from bot.services import Services
from scheduler.decisions import DueMessageFacts, Fate, decide
from scheduler.due_times import local_date_of
from scheduler.outgoing import Outgoing, Rendered


class ReminderDelivery:
    """The bot's side of `scheduler.outgoing.Delivery`: daily reminders, snoozes, the morning
    check-in and the weekly summary, each kind decided and worded by its own methods.

    Each call is one transaction, and the sender may repeat any of them after a database error:
    `begin` claims with a compare-and-set (queued → sending), the outcome writes are idempotent.
    """

    def __init__(self, services: Services, *, grace: timedelta) -> None:
        self._services = services
        self._grace = grace

    async def begin(self, item: Outgoing) -> Rendered | None:
        """Decide again, now it is this message's turn, and take the one right to send it."""
        kind = MessageKind(item.key[1])
        if kind is MessageKind.CHECK_IN:
            return await self._begin_check_in(item)
        if kind is MessageKind.WEEKLY_SUMMARY:
            return await self._begin_summary(item)
        return await self._begin_reminder(item)

    async def _begin_reminder(self, item: Outgoing) -> Rendered | None:
        """A daily reminder or a snooze: not sent on a day with a session, nor while paused."""
        user_id, kind_value, local_date = item.key
        kind = MessageKind(kind_value)
        now = self._services.clock()
        async with self._services.session_factory.begin() as session:
            person = await users.find_user_by_id(session, user_id=user_id)
            if person is None:  # erased (/delete) since the tick claimed this message
                return None
            plan = plan_of(person)
            since = now - timedelta(days=STREAK_HORIZON_DAYS + 1)
            finishes = await session_history.list_finishes(session, user_id=user_id, since=since)
            session_days = {local_date_of(f, plan.zone) for f in finishes} if plan else set()
            facts = DueMessageFacts(
                due_at=item.due_at,
                local_date=local_date,
                plan=plan,
                recurring=kind is MessageKind.DAILY_REMINDER,
                done_that_day=local_date in session_days,
            )
            fate = decide(facts, now=now, grace=self._grace).fate
            moved = await settle(session, item, fate)
            # Softer words in flare-up mode, whose days never break the streak; its end, once
            # (recorded as told only once delivered).
            flare = await flare_facts(
                session,
                person=person,
                local_date=local_date,
                days=self._services.content.plan.flare_days,
                now=now,
                telling=False,
            )
        if not moved or fate is not Fate.SEND or plan is None:
            return None
        about = reminder_facts(session_days, today=local_date, weekdays=plan.weekdays, flare=flare)
        return self._reminder(about, local_date=local_date, snoozed=kind is MessageKind.SNOOZE)

    def _reminder(self, about: ReminderFacts, *, local_date: date, snoozed: bool) -> Rendered:
        """A reminder's words and buttons."""
        texts = self._services.content.texts.reminders
        flare = self._services.content.texts.coaching.flare
        return Rendered(
            text=reminder_message(
                texts, about, local_date=local_date, snoozed=snoozed, flare=flare
            ),
            reply_markup=reminder_keyboard(texts, local_date=local_date, offer_later=not snoozed),
        )

    async def _begin_check_in(self, item: Outgoing) -> Rendered | None:
        """The morning check-in: sent even after a session that day, once, about the person's
        latest session; dropped if another has started since, or it was answered."""
        user_id = item.key[0]
        now = self._services.clock()
        async with self._services.session_factory.begin() as session:
            person = await users.find_user_by_id(session, user_id=user_id)
            if person is None:  # erased (/delete) since the tick claimed this message
                return None
            fate = fate_of_non_reminder(
                item, plan=plan_of(person), recurring=False, now=now, grace=self._grace
            )
            asked = await check_in.session_to_ask(session, user_id=user_id, due_at=item.due_at)
            if fate is Fate.SEND and asked is None:
                fate = Fate.DROP
            moved = await settle(session, item, fate)
        if not moved or fate is not Fate.SEND or asked is None:
            return None
        return self._check_in(session_id=asked)

    def _check_in(self, *, session_id: int) -> Rendered:
        """The check-in's question and its three buttons, about that session."""
        texts = self._services.content.texts.coaching.check_in
        return Rendered(
            text=texts.question,
            reply_markup=check_in_keyboard(texts, session_id=session_id),
        )

    async def _begin_summary(self, item: Outgoing) -> Rendered | None:
        """The weekly summary: the week in three lines and the chart, when there is a week to
        show and reminders are not paused."""
        services = self._services
        summary = await weekly_summary.claim_summary(services, item, grace=self._grace)
        if summary is None:
            return None
        at = services.content.plan.weekly_summary_at
        return await render_summary(services.content.texts, summary, at=at)

    async def delivered(self, item: Outgoing, message_id: int) -> None:
        """Telegram has it; a daily reminder that said flare-up mode is over has now told it."""
        user_id, kind, local_date = item.key
        async with self._services.session_factory.begin() as session:
            await self._record(session, item, SendStatus.SENT)
            if MessageKind(kind) is MessageKind.DAILY_REMINDER:
                await flare_facts(
                    session,
                    person=await users.get_user_by_id(session, user_id=user_id),
                    local_date=local_date,
                    days=self._services.content.plan.flare_days,
                    now=self._services.clock(),
                    telling=True,
                )

    async def failed(self, item: Outgoing, reason: str) -> None:
        """Given up on; the next day's reminder is unaffected."""
        await self._finish(item, SendStatus.FAILED)

    async def release(self, item: Outgoing) -> None:
        """Begun but surely not sent (stopped during a flood-control pause): queue it again."""
        user_id, kind, local_date = item.key
        async with self._services.session_factory.begin() as session:
            await send_log.requeue(
                session, user_id=user_id, kind=MessageKind(kind), local_date=local_date
            )

    async def blocked(self, item: Outgoing) -> None:
        """The person blocked the bot: no more reminders until they come back."""
        user_id = item.key[0]
        async with self._services.session_factory.begin() as session:
            await self._record(session, item, SendStatus.BLOCKED)
            await mark_blocked(session, user_id=user_id)

    async def _finish(self, item: Outgoing, status: SendStatus) -> None:
        async with self._services.session_factory.begin() as session:
            await self._record(session, item, status)

    async def _record(self, session: AsyncSession, item: Outgoing, status: SendStatus) -> None:
        user_id, kind, local_date = item.key
        await send_log.finish_send(
            session,
            user_id=user_id,
            kind=MessageKind(kind),
            local_date=local_date,
            status=status,
            now=self._services.clock(),
        )
