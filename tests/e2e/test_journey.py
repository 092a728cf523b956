"""A person goes from /start to a recorded pain rating, over HTTP, and it is all kept."""

from sqlalchemy import select

from bot.db.engine import SessionFactory
from bot.db.enums import PainContext, SessionStatus, StepOutcome, UserStatus
from bot.db.models import PainReport, RoutineSession, ScreeningAnswer, StepResult, User
from bot.emulator import FakeBotApi
from tests.conftest import FakeClock
from tests.e2e.conftest import PERSON_ID
from tests.e2e.harness import Chat, Progress, onboard, running_bot


async def test_start_to_pain_rating_is_recorded(
    api: FakeBotApi,
    chat: Chat,
    progress: Progress,
    database_url: str,
    clock: FakeClock,
    session_factory: SessionFactory,
) -> None:
    async with running_bot(api, database_url, clock, progress):
        await onboard(chat, baseline="6")
        assert "08:00" in chat.last_text and "Europe/Berlin" in chat.last_text
        await chat.tap("Start a routine")
        await chat.tap("Morning mobility")
        assert chat.last_text.startswith("1/3")
        await chat.tap("Done")
        await chat.tap("Skip")
        await chat.tap("Done")
        assert "How much does your back hurt" in chat.last_text
        replies = await chat.tap("3")
    # The summary comes first; what follows a rating (education, say) may come after it.
    summary = replies[0]["text"]
    assert "2 done" in summary and "1 skipped" in summary and "3/10" in summary
    assert "3 lower than your starting point of 6/10" in summary

    async with session_factory() as session:
        user = (await session.execute(select(User))).scalar_one()
        answers = (await session.execute(select(ScreeningAnswer))).scalars().all()
        routine = (await session.execute(select(RoutineSession))).scalar_one()
        steps = (await session.execute(select(StepResult).order_by(StepResult.position))).scalars()
        reports = (await session.execute(select(PainReport).order_by(PainReport.id))).scalars()
        assert (user.telegram_id, user.status, user.time_zone) == (
            PERSON_ID,
            UserStatus.ACTIVE,
            "Europe/Berlin",
        )
        assert user.reminder_time is not None and user.reminder_time.hour == 8
        assert len(answers) == 6 and not any(a.answer_yes for a in answers)
        assert routine.status is SessionStatus.COMPLETED and routine.finished_at == clock.now
        assert [s.outcome for s in steps] == [
            StepOutcome.DONE,
            StepOutcome.SKIPPED,
            StepOutcome.DONE,
        ]
        assert [(r.score, r.context) for r in reports] == [
            (6, PainContext.BASELINE),
            (3, PainContext.AFTER_SESSION),
        ]
