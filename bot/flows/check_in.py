"""The morning check-in: scheduled at the rating, asked by the tick, answered by a button or a
typed 0–10, and its time chosen with /checkin.

A check-in is about the person's latest session: once another session starts, it has passed
(that session's start settled what was left open).
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.coaching.checkins import CheckIn, MorningVerdict, judge_morning
from bot.coaching.progression import ProgressionDecision, SessionSignals
from bot.db.engine import read_only
from bot.db.enums import CheckInFeeling, CoachingTopic, MessageKind, SessionStatus, UserStatus
from bot.db.models import RoutineSession, User
from bot.db.queries import check_ins, coaching_log, due_messages, sessions, users
from bot.db.queries.coaching_log import DecisionRecord
from bot.flows import progression
from bot.services import Services
from scheduler.due_times import local_date_of, local_to_utc
from scheduler.due_watch import announce_due
from scheduler.plans import Occurrence

# Coach default: a session finished before this local time counts for the evening before.
NIGHT_ENDS = time(4)


@dataclass(frozen=True)
class Answered:
    verdict: MorningVerdict
    # Every progression decision about that session, as the next session will have it.
    decisions: list[ProgressionDecision]
    # Whether the answer decided any of them (the rest were setbacks decided at the rating).
    decided_now: bool


@dataclass(frozen=True)
class AlreadyAnswered:
    pass


@dataclass(frozen=True)
class Passed:
    """Not the person's latest finished session (or not theirs at all)."""


@dataclass(frozen=True)
class NotSetUp:
    """The person has not finished set-up (or is referred): no check-ins."""


def morning_after(person: User, finished_at: datetime) -> Occurrence | None:
    """The check-in after a session finished at `finished_at`: the next local morning at the
    person's check-in time, else their reminder time. A session finished in the small hours
    belongs to the evening before, so its morning is the same date."""
    at = person.check_in_time or person.reminder_time
    if person.time_zone is None or at is None:
        return None
    local = finished_at.astimezone(ZoneInfo(person.time_zone))
    morning = local.date() + timedelta(days=0 if local.time() < NIGHT_ENDS else 1)
    due_at = local_to_utc(morning, at, person.time_zone)
    while due_at <= finished_at:  # a check-in time in the small hours, already past
        morning += timedelta(days=1)
        due_at = local_to_utc(morning, at, person.time_zone)
    return Occurrence(due_at, morning)


async def schedule_check_in(
    session: AsyncSession, *, person: User, finished_at: datetime
) -> Occurrence | None:
    """Put the morning check-in after this session in the schedule (replacing any pending)."""
    occurrence = morning_after(person, finished_at)
    if occurrence is None:
        return None
    await due_messages.schedule_due(
        session,
        user_id=person.id,
        kind=MessageKind.CHECK_IN,
        due_at=occurrence.due_at,
        local_date=occurrence.local_date,
    )
    announce_due(session, occurrence.due_at)
    return occurrence


async def _askable(session: AsyncSession, *, user_id: int) -> RoutineSession | None:
    """The person's latest session, if it was rated and its morning not answered yet."""
    latest = await coaching_log.get_latest_session(session, user_id=user_id)
    if latest is None or latest.status != SessionStatus.COMPLETED or latest.finished_at is None:
        return None
    if await check_ins.get_check_in(session, session_id=latest.id) is not None:
        return None
    return latest


async def session_to_ask(session: AsyncSession, *, user_id: int, due_at: datetime) -> int | None:
    """The session a check-in due at `due_at` asks about; None when there is none (any more)."""
    latest = await _askable(session, user_id=user_id)
    if latest is None or latest.finished_at is None or latest.finished_at >= due_at:
        return None
    return latest.id


async def pending_check_in(services: Services, *, telegram_id: int) -> int | None:
    """The session a typed 0–10 would answer: its check-in reached the person today (their
    local date), it is unanswered, and no routine has started since."""
    async with read_only(services.session_factory) as session:
        person = await users.get_user(session, telegram_id=telegram_id)
        if person is None or person.status != UserStatus.ACTIVE or person.time_zone is None:
            return None
        latest = await _askable(session, user_id=person.id)
        if latest is None or latest.finished_at is None:
            return None
        today = local_date_of(services.clock(), person.time_zone)
        sent = await check_ins.was_check_in_sent(
            session, user_id=person.id, local_date=today, after=latest.finished_at
        )
    return latest.id if sent else None


async def answer_check_in(
    services: Services, *, telegram_id: int, session_id: int, answer: CheckIn
) -> Answered | AlreadyAnswered | Passed:
    """Keep the morning's answer once, judge it, and decide what the session left open."""
    now = services.clock()
    async with services.session_factory.begin() as session:
        person = await users.get_user(session, telegram_id=telegram_id)
        found = await sessions.get_session(session, session_id=session_id, for_update=True)
        if person is None or found is None or found.user_id != person.id:
            return Passed()
        if await check_ins.get_check_in(session, session_id=session_id) is not None:
            return AlreadyAnswered()
        askable = await _askable(session, user_id=person.id)
        if askable is None or askable.id != session_id:
            return Passed()
        feeling = None if answer.answer is None else CheckInFeeling(answer.answer.value)
        recorded = await check_ins.record_check_in(
            session,
            user_id=person.id,
            session_id=session_id,
            feeling=feeling,
            score=answer.score,
            now=now,
        )
        if not recorded:
            return AlreadyAnswered()
        before = await progression.level_before(session, routine_session=found)
        verdict = judge_morning(answer, before=before)
        checked = DecisionRecord(CoachingTopic.CHECK_IN, verdict.reason.value)
        await coaching_log.record_decisions(
            session, user_id=person.id, session_id=session_id, decisions=[checked], now=now
        )
        rating = await coaching_log.get_session_rating(session, session_id=session_id)
        # A session in flare-up mode was decided in full at its rating.
        made = await progression.decide_session_tracks(
            session,
            services,
            routine_session=found,
            signals=SessionSignals(rating, verdict.morning),
            in_flare=False,
            now=now,
        )
        decisions = await progression.list_decided(session, services, routine_session=found)
    return Answered(verdict, decisions, bool(made))


async def show_check_in_time(services: Services, *, telegram_id: int) -> time | NotSetUp:
    """When the person's morning check-in comes."""
    async with read_only(services.session_factory) as session:
        person = await users.get_user(session, telegram_id=telegram_id)
    return _check_in_time(person)


async def change_check_in_time(
    services: Services, *, telegram_id: int, at: time
) -> time | NotSetUp:
    """Choose the check-in's time; a check-in already scheduled moves to it, if still ahead."""
    now = services.clock()
    async with services.session_factory.begin() as session:
        person = await users.get_user(session, telegram_id=telegram_id, for_update=True)
        if isinstance(_check_in_time(person), NotSetUp) or person is None:
            return NotSetUp()
        await check_ins.set_check_in_time(session, user_id=person.id, at=at)
        pending = await due_messages.get_due(session, user_id=person.id, kind=MessageKind.CHECK_IN)
        if pending is not None and person.time_zone is not None:
            moved = local_to_utc(pending.local_date, at, person.time_zone)
            if moved > now:
                await due_messages.schedule_due(
                    session,
                    user_id=person.id,
                    kind=MessageKind.CHECK_IN,
                    due_at=moved,
                    local_date=pending.local_date,
                )
                announce_due(session, moved)
    return at


def _check_in_time(person: User | None) -> time | NotSetUp:
    if person is None or person.status != UserStatus.ACTIVE:
        return NotSetUp()
    at = person.check_in_time or person.reminder_time
    return NotSetUp() if at is None else at
