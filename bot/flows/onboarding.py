"""Set-up of a new person: consent, red-flag screen, baseline, reminder time and zone."""

from dataclasses import dataclass
from datetime import time

from bot.content.texts import ScreeningQuestion, Urgency
from bot.db.enums import PainContext, UserStatus
from bot.db.models import User
from bot.db.queries import pain, users
from bot.flows.membership import reactivate
from bot.flows.schedule import reschedule_all
from bot.flows.stage import Stage, setup_stage
from bot.services import Services
from scheduler.plans import Occurrence


@dataclass(frozen=True)
class NextQuestion:
    question: ScreeningQuestion


@dataclass(frozen=True)
class Referred:
    urgency: Urgency


@dataclass(frozen=True)
class ScreenClear:
    pass


ScreeningStep = NextQuestion | Referred | ScreenClear


async def greet(services: Services, *, telegram_id: int, chat_id: int) -> tuple[User, Stage]:
    """The person (created on first contact, never overwritten) and their set-up stage."""
    async with services.session_factory.begin() as session:
        user = await users.ensure_user(
            session, telegram_id=telegram_id, chat_id=chat_id, now=services.clock()
        )
        if user.status == UserStatus.INACTIVE:
            # They blocked the bot once; writing again means they are back.
            await reactivate(session, user_id=user.id, services=services)
            user = await users.get_user_by_id(session, user_id=user.id)
        baseline = await pain.latest_baseline(session, user_id=user.id)
    return user, setup_stage(user, has_baseline=baseline is not None)


async def find_user(services: Services, *, telegram_id: int) -> User | None:
    """The person, if we know them."""
    async with services.session_factory() as session:
        return await users.get_user(session, telegram_id=telegram_id)


async def consent(services: Services, *, user_id: int) -> None:
    """Record consent to what the coach is and is not."""
    async with services.session_factory.begin() as session:
        await users.record_consent(session, user_id=user_id, now=services.clock())


async def begin_screening(
    services: Services, *, telegram_id: int, recheck: bool = False
) -> ScreeningQuestion | None:
    """Start a pass through the red flags (a re-check only for a referred person)."""
    async with services.session_factory.begin() as session:
        user = await users.get_user(session, telegram_id=telegram_id, for_update=True)
        if user is None or (recheck and user.status != UserStatus.REFERRED):
            return None
        await users.begin_screening_pass(session, user_id=user.id)
    return services.content.texts.screening.questions[0]


async def answer_screening(
    services: Services, *, telegram_id: int, question_key: str, answer_yes: bool
) -> ScreeningStep | None:
    """Record the answer to the question now asked; any Yes refers the person to care.

    None when the press is not for the question now asked (an old or repeated button), so a
    referral can only be lifted by a complete new pass with every answer No.
    """
    questions = services.content.texts.screening.questions
    now = services.clock()
    async with services.session_factory.begin() as session:
        user = await users.get_user(session, telegram_id=telegram_id, for_update=True)
        if user is None or user.status not in (UserStatus.ONBOARDING, UserStatus.REFERRED):
            return None
        answered = await users.list_pass_answers(session, user=user)
        expected = questions[len(answered)] if len(answered) < len(questions) else None
        if any(a.answer_yes for a in answered) or expected is None or expected.key != question_key:
            return None
        await users.record_screening_answer(
            session, user=user, question_key=question_key, answer_yes=answer_yes, now=now
        )
        if answer_yes:
            await users.mark_screened(session, user_id=user.id, now=now, status=UserStatus.REFERRED)
            return Referred(expected.urgency)
        if len(answered) + 1 < len(questions):
            return NextQuestion(questions[len(answered) + 1])
        await users.mark_screened(session, user_id=user.id, now=now, status=UserStatus.ONBOARDING)
        return ScreenClear()


async def record_baseline(services: Services, *, user_id: int, score: int) -> None:
    """Today's pain as the starting point."""
    async with services.session_factory.begin() as session:
        await pain.record_pain(
            session,
            user_id=user_id,
            score=score,
            context=PainContext.BASELINE,
            now=services.clock(),
        )


async def choose_reminder_time(services: Services, *, user_id: int, reminder_time: time) -> None:
    """The local time of the daily reminder."""
    async with services.session_factory.begin() as session:
        await users.set_reminder_time(session, user_id=user_id, reminder_time=reminder_time)


async def finish_setup(services: Services, *, user_id: int, time_zone: str) -> Occurrence | None:
    """The time zone is the last answer: the programme starts, and so do the reminders."""
    async with services.session_factory.begin() as session:
        await users.activate_user(session, user_id=user_id, time_zone=time_zone)
        user = await users.get_user_by_id(session, user_id=user_id)
        return await reschedule_all(
            session,
            user_id=user_id,
            person=user,
            now=services.clock(),
            at=services.content.plan.weekly_summary_at,
        )
