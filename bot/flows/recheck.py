"""The weekly red-flag re-check: the screening questions again, for someone in the programme.

Any Yes refers them to care (status referred, no reminders, the routine in progress stopped,
all in one transaction) until "I've been checked" and a clear screen; all No carries on.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.coaching.escalation import recheck_due
from bot.coaching.session_summary import status_when_stopped
from bot.content.texts import ScreeningQuestion
from bot.db.enums import MessageKind, UserStatus
from bot.db.queries import due_messages, sessions, users
from bot.flows.onboarding import NextQuestion, Referred, ScreenClear, ScreeningStep
from bot.services import Services


@dataclass(frozen=True, slots=True)
class WeeklyQuestion:
    screening_pass: int  # only this pass's buttons count
    question: ScreeningQuestion


@dataclass(frozen=True, slots=True)
class WeeklyAnswer:
    user_id: int
    step: ScreeningStep


async def begin_if_due(services: Services, *, user_id: int) -> WeeklyQuestion | None:
    """A new pass through the questions when a week has passed since the last clear one."""
    async with services.session_factory.begin() as session:
        person = await users.get_user_by_id(session, user_id=user_id)
        if person.status != UserStatus.ACTIVE or not recheck_due(
            person.screened_at, services.clock()
        ):
            return None
        await users.begin_screening_pass(session, user_id=user_id)
        person = await users.get_user_by_id(session, user_id=user_id)
    return WeeklyQuestion(person.screening_pass, services.content.texts.screening.questions[0])


async def answer(
    services: Services,
    *,
    telegram_id: int,
    screening_pass: int,
    question_key: str,
    answer_yes: bool,
) -> WeeklyAnswer | None:
    """Record the answer to the question now asked in this pass; None for any other press
    (an earlier pass, a repeated or skipped question, or after a Yes)."""
    questions = services.content.texts.screening.questions
    now = services.clock()
    async with services.session_factory.begin() as session:
        person = await users.get_user(session, telegram_id=telegram_id, for_update=True)
        if (
            person is None
            or person.status != UserStatus.ACTIVE
            or person.screening_pass != screening_pass
        ):
            return None
        answered = await users.list_pass_answers(session, user=person)
        expected = questions[len(answered)] if len(answered) < len(questions) else None
        if expected is None or expected.key != question_key:
            return None
        await users.record_screening_answer(
            session, user=person, question_key=question_key, answer_yes=answer_yes, now=now
        )
        step: ScreeningStep
        if answer_yes:
            await users.mark_screened(
                session, user_id=person.id, now=now, status=UserStatus.REFERRED
            )
            await due_messages.delete_due(session, user_id=person.id, kinds=list(MessageKind))
            await _stop_active(session, user_id=person.id, now=now)
            step = Referred(expected.urgency)
        elif len(answered) + 1 < len(questions):
            step = NextQuestion(questions[len(answered) + 1])
        else:
            await users.mark_screened(session, user_id=person.id, now=now, status=UserStatus.ACTIVE)
            step = ScreenClear()
    return WeeklyAnswer(person.id, step)


async def _stop_active(session: AsyncSession, *, user_id: int, now: datetime) -> None:
    """The routine in progress, if any, is closed as /cancel would, keeping what was done."""
    active = await sessions.get_active_session(session, user_id=user_id)
    if active is None:
        return
    results = await sessions.list_step_results(session, session_id=active.id)
    status = status_when_stopped([outcome for _, outcome in results])
    await sessions.finish_session(session, session_id=active.id, status=status, now=now)
