"""The morning check-in: scheduled at the rating, asked by the tick, answered by a button or a
typed 0–10, and its time chosen with /checkin.

A check-in asks about the person's latest session. Once delivered, it stays answerable until the
end of that local day, even after another session has started; otherwise it has passed.
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
from scheduler.due_times import local_to_utc
from scheduler.due_watch import announce_due
from scheduler.plans import Occurrence

# Coach default: a session finished before this local time counts for the evening before.
NIGHT_ENDS = time(4)


@dataclass(frozen=True)
class Answered:
    verdict: MorningVerdict
    # The progression decisions this answer made (setbacks were decided at the rating).
    decisions: list[ProgressionDecision]
    # The session had already been decided without its morning: the answer is only noted.
    noted: bool


@dataclass(frozen=True)
class AlreadyAnswered:
    pass


@dataclass(frozen=True)
class Passed:
    """Not the person's latest finished session (or not theirs at all)."""


@dataclass(frozen=True)
class NotSetUp:
    """The person has not finished set-up (or is referred): no check-ins."""


def check_in_time(person: User, default: time) -> time:
    """When the person's check-in comes: their chosen time, else the coach's default."""
    return person.check_in_time or default


def morning_after(person: User, finished_at: datetime, *, default_at: time) -> Occurrence | None:
    """The check-in after a session finished at `finished_at`: the next local morning at the
    person's check-in time (`default_at` unless they chose one). A session finished in the
    small hours belongs to the evening before, so its morning is the same date."""
    at = check_in_time(person, default_at)
    if person.time_zone is None:
        return None
    local = finished_at.astimezone(ZoneInfo(person.time_zone))
    morning = local.date() + timedelta(days=0 if local.time() < NIGHT_ENDS else 1)
    due_at = local_to_utc(morning, at, person.time_zone)
    while due_at <= finished_at:  # a check-in time in the small hours, already past
        morning += timedelta(days=1)
        due_at = local_to_utc(morning, at, person.time_zone)
    return Occurrence(due_at, morning)


async def schedule_check_in(
    session: AsyncSession, *, person: User, finished_at: datetime, default_at: time
) -> Occurrence | None:
    """Put the morning check-in after this session in the schedule (replacing any pending)."""
    occurrence = morning_after(person, finished_at, default_at=default_at)
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


async def _answerable(
    session: AsyncSession, *, person: User, routine_session: RoutineSession, now: datetime
) -> bool:
    """Whether a check-in about this session can be answered now: it is the latest session,
    rated and unanswered, or today's delivered check-in asked about it."""
    latest = await _askable(session, user_id=person.id)
    if latest is not None and latest.id == routine_session.id:
        return True
    asked = await progression.asked_today(session, person=person, now=now)
    return asked is not None and asked.id == routine_session.id


async def pending_check_in(services: Services, *, telegram_id: int) -> int | None:
    """The session a typed 0–10 would answer: a check-in about it reached the person today
    (their local date) and is unanswered, and no routine is in progress."""
    now = services.clock()
    async with read_only(services.session_factory) as session:
        person = await users.get_user(session, telegram_id=telegram_id)
        if person is None or person.status != UserStatus.ACTIVE or person.time_zone is None:
            return None
        if await sessions.get_active_session(session, user_id=person.id) is not None:
            return None
        asked = await progression.asked_today(session, person=person, now=now)
    return None if asked is None else asked.id


async def answer_check_in(
    services: Services, *, telegram_id: int, session_id: int, answer: CheckIn
) -> Answered | AlreadyAnswered | Passed:
    """Keep the morning's answer once, judge it against that session's rating, and decide what
    the session left open (earlier sessions still open are settled first, as unanswered)."""
    now = services.clock()
    async with services.session_factory.begin() as session:
        person = await users.get_user(session, telegram_id=telegram_id)
        found = await sessions.get_session(session, session_id=session_id, for_update=True)
        if (
            person is None
            or person.status != UserStatus.ACTIVE
            or found is None
            or found.user_id != person.id
        ):
            return Passed()
        if await check_ins.get_check_in(session, session_id=session_id) is not None:
            return AlreadyAnswered()
        if not await _answerable(session, person=person, routine_session=found, now=now):
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
        rating = await coaching_log.get_session_rating(session, session_id=session_id)
        verdict = judge_morning(answer, after_session=rating)
        checked = DecisionRecord(CoachingTopic.CHECK_IN, verdict.reason.value)
        await coaching_log.record_decisions(
            session, user_id=person.id, session_id=session_id, decisions=[checked], now=now
        )
        noted = await progression.decided_without_morning(session, routine_session=found)
        await progression.settle_unanswered(
            session, services, user_id=person.id, now=now, before=found.started_at
        )
        made = await progression.decide_session_tracks(
            session,
            services,
            routine_session=found,
            signals=SessionSignals(rating, verdict.morning),
            now=now,
        )
    return Answered(verdict, made, noted)


async def show_check_in_time(services: Services, *, telegram_id: int) -> time | NotSetUp:
    """When the person's morning check-in comes."""
    async with read_only(services.session_factory) as session:
        person = await users.get_user(session, telegram_id=telegram_id)
    return _check_in_time(person, services.content.plan.check_in_at)


async def change_check_in_time(
    services: Services, *, telegram_id: int, at: time
) -> time | NotSetUp:
    """Choose the check-in's time; a check-in already scheduled moves to it, if still ahead."""
    now = services.clock()
    async with services.session_factory.begin() as session:
        person = await users.get_user(session, telegram_id=telegram_id, for_update=True)
        shown = _check_in_time(person, services.content.plan.check_in_at)
        if isinstance(shown, NotSetUp) or person is None:
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


def _check_in_time(person: User | None, default: time) -> time | NotSetUp:
    if person is None or person.status != UserStatus.ACTIVE or person.time_zone is None:
        return NotSetUp()
    return check_in_time(person, default)
