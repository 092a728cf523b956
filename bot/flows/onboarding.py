"""Set-up of a new person: consent, red-flag screen, baseline, reminder time and zone."""

from dataclasses import dataclass
from datetime import time

from bot.content.texts import ScreeningQuestion, Urgency
from bot.db.enums import PainContext, UserStatus
from bot.db.models import User
from bot.db.queries import pain, users
from bot.flows.stage import Stage, setup_stage
from bot.services import Services


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
        baseline = await pain.latest_baseline(session, user_id=user.id)
    return user, setup_stage(user, has_baseline=baseline is not None)


async def find_user(services: Services, *, telegram_id: int) -> User | None:
    """The person, if we know them."""
    async with services.session_factory() as session:
        return await users.get_user(session, telegram_id=telegram_id)


async def consent(services: Services, *, user_id: int) -> ScreeningQuestion:
    """Record consent; the first screening question follows."""
    async with services.session_factory.begin() as session:
        await users.record_consent(session, user_id=user_id, now=services.clock())
    return services.content.texts.screening.questions[0]


def first_question(services: Services) -> ScreeningQuestion:
    """Where a (re)screen begins."""
    return services.content.texts.screening.questions[0]


async def answer_screening(
    services: Services, *, user_id: int, question: ScreeningQuestion, answer_yes: bool
) -> ScreeningStep:
    """Record an answer; any Yes refers the person to care and stops the programme."""
    questions = services.content.texts.screening.questions
    now = services.clock()
    async with services.session_factory.begin() as session:
        await users.record_screening_answer(
            session, user_id=user_id, question_key=question.key, answer_yes=answer_yes, now=now
        )
        if answer_yes:
            await users.mark_screened(session, user_id=user_id, now=now, status=UserStatus.REFERRED)
            return Referred(question.urgency)
        index = questions.index(question)
        if index + 1 < len(questions):
            return NextQuestion(questions[index + 1])
        await users.mark_screened(session, user_id=user_id, now=now, status=UserStatus.ONBOARDING)
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


async def finish_setup(services: Services, *, user_id: int, time_zone: str) -> None:
    """The time zone is the last answer: the programme starts."""
    async with services.session_factory.begin() as session:
        await users.activate_user(session, user_id=user_id, time_zone=time_zone)
