"""Flare-up mode: /flare, the offer after a jump in pain, /flare off, and its end by itself."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.coaching.feedback import RECENT_SESSIONS, previous_level, session_feedback
from bot.coaching.flare import (
    FlareState,
    ended_by_itself,
    flare_dates,
    flare_end,
    is_in_flare,
    start_flare,
    stop_flare,
)
from bot.coaching.reasons import CoachingReason
from bot.coaching.reminder_facts import NO_FLARE, STREAK_HORIZON_DAYS, FlareFacts
from bot.db.engine import read_only
from bot.db.enums import CoachingTopic, UserStatus
from bot.db.models import User
from bot.db.queries import coaching_log, pain, sessions, users
from bot.db.queries import flare as queries
from bot.db.queries.coaching_log import DecisionRecord
from bot.services import Services
from scheduler.due_times import local_date_of

_STARTS = frozenset({CoachingReason.FLARE_REQUESTED, CoachingReason.FLARE_OFFER_ACCEPTED})
# The flare decisions that start or end a flare-up mode (an offer does neither).
_CHANGES = _STARTS | {CoachingReason.FLARE_ENDED_BY_PERSON, CoachingReason.FLARE_TIME_UP}


@dataclass(frozen=True, slots=True)
class FlareOn:
    last_day: date  # the last local date in flare-up mode
    again: bool  # it was already on: the count started again


@dataclass(frozen=True, slots=True)
class FlareOffer:
    jump: int  # points above the person's level before the session
    days: int
    since_baseline: bool  # that level was the baseline: no earlier rating


def _today(person: User, now: datetime) -> date | None:
    return local_date_of(now, person.time_zone) if person.time_zone else None


def _stored(person: User, reason: CoachingReason) -> FlareState | None:
    """The person's latest flare-up mode, as stored on them."""
    if person.flare_started_on is None or person.flare_until is None:
        return None
    return FlareState(person.flare_started_on, person.flare_until, reason)


async def _record(
    session: AsyncSession,
    *,
    user_id: int,
    reason: CoachingReason,
    now: datetime,
    session_id: int | None = None,
) -> None:
    await coaching_log.record_decisions(
        session,
        user_id=user_id,
        session_id=session_id,
        decisions=[DecisionRecord(CoachingTopic.FLARE, reason.value)],
        now=now,
    )


async def start(
    services: Services, *, user_id: int, accepted_offer: bool, session_id: int | None = None
) -> FlareOn | None:
    """/flare or an accepted offer: flare-up mode from today (again: the count restarts, the
    days already in it stay in it); None for someone not in the programme."""
    now, days = services.clock(), services.content.plan.flare_days
    async with services.session_factory.begin() as session:
        person = await users.get_user_by_id(session, user_id=user_id)
        today = _today(person, now)
        if person.status != UserStatus.ACTIVE or today is None:
            return None
        state = start_flare(today=today, days=days, accepted_offer=accepted_offer)
        current = _stored(person, state.reason)
        again = current is not None and is_in_flare(current, today)
        started_on = current.started_on if current is not None and again else today
        await queries.set_flare(
            session, user_id=user_id, started_on=started_on, until=state.ends_on
        )
        await _record(session, user_id=user_id, reason=state.reason, now=now, session_id=session_id)
    return FlareOn(state.ends_on - timedelta(days=1), again)


async def stop(services: Services, *, user_id: int) -> bool:
    """/flare off: today is an ordinary day again; False if flare-up mode was not on."""
    now = services.clock()
    async with services.session_factory.begin() as session:
        person = await users.get_user_by_id(session, user_id=user_id)
        today = _today(person, now)
        current = _stored(person, CoachingReason.FLARE_REQUESTED)
        if today is None or current is None or not is_in_flare(current, today):
            return False
        ended = stop_flare(current, today=today)
        await queries.set_flare(
            session, user_id=user_id, started_on=ended.started_on, until=ended.ends_on
        )
        await _record(session, user_id=user_id, reason=ended.reason, now=now)
    return True


async def offer_after_rating(
    services: Services, *, user_id: int, session_id: int
) -> FlareOffer | None:
    """Flare-up mode is offered (and the offer recorded) when the session's rating jumped by 3
    or more, unless already in it or offered for this session already."""
    now = services.clock()
    async with services.session_factory.begin() as session:
        person = await users.get_user_by_id(session, user_id=user_id)
        rated = await sessions.get_session(session, session_id=session_id)
        score = await coaching_log.get_session_rating(session, session_id=session_id)
        today = _today(person, now)
        if person.status != UserStatus.ACTIVE or today is None or rated is None or score is None:
            return None
        earlier = await coaching_log.list_ratings_before(
            session, user_id=user_id, before=rated.started_at, limit=RECENT_SESSIONS
        )
        baseline = await pain.latest_baseline(session, user_id=user_id)
        in_flare = is_in_flare(_stored(person, CoachingReason.FLARE_REQUESTED), today)
        feedback = session_feedback(score, baseline=baseline, earlier=earlier, in_flare=in_flare)
        offered = await coaching_log.list_session_decisions(
            session, user_id=user_id, session_id=session_id, topic=CoachingTopic.FLARE
        )
        before = previous_level(earlier, baseline)
        if feedback.flare_offer is None or offered or before is None:
            return None
        await _record(
            session, user_id=user_id, reason=feedback.flare_offer, now=now, session_id=session_id
        )
    return FlareOffer(score - before, services.content.plan.flare_days, not earlier)


async def offer_still_open(services: Services, *, user_id: int, session_id: int) -> bool:
    """An offer can be accepted only about the person's latest session, and on the local day
    it was made: days later, a Yes would start flare-up mode from then on a stale reading."""
    now = services.clock()
    async with read_only(services.session_factory) as session:
        person = await users.get_user_by_id(session, user_id=user_id)
        latest = await coaching_log.get_latest_session(session, user_id=user_id)
        offers = await coaching_log.list_session_decisions(
            session, user_id=user_id, session_id=session_id, topic=CoachingTopic.FLARE
        )
    zone = person.time_zone
    if zone is None or latest is None or latest.id != session_id:
        return False
    today = local_date_of(now, zone)
    return any(
        offer.reason == CoachingReason.FLARE_OFFER_PAIN_JUMP
        and local_date_of(offer.made_at, zone) == today
        for offer in offers
    )


def _periods(changes: Sequence[tuple[CoachingReason, date]], days: int) -> list[FlareState]:
    """Earlier flare-up modes, from the audit trail: each start lasts its days, or until the
    next start or /flare off."""
    found = []
    for index, (reason, on) in enumerate(changes):
        if reason not in _STARTS:
            continue
        ends = [later for r, later in changes[index + 1 :] if r is not CoachingReason.FLARE_TIME_UP]
        found.append(FlareState(on, min([flare_end(on, days), *ends[:1]]), reason))
    return found


async def flare_facts(
    session: AsyncSession,
    *,
    person: User,
    local_date: date,
    days: int,
    now: datetime,
    telling: bool,
) -> FlareFacts:
    """What a reminder on `local_date` knows of flare-up mode; if `telling`, its end by itself
    is recorded as told."""
    until, zone = person.flare_until, person.time_zone
    horizon = local_date - timedelta(days=STREAK_HORIZON_DAYS)
    if person.flare_started_on is None or until is None or zone is None or until < horizon:
        return NO_FLARE
    first = min(person.flare_started_on, horizon) - timedelta(days=1)
    since = datetime.combine(first, time(), tzinfo=ZoneInfo(zone))
    found = await queries.list_flare_decisions(session, user_id=person.id, since=since)
    changes = [(CoachingReason(r), local_date_of(at, zone)) for r, at in found if r in _CHANGES]
    latest = changes[-1][0] if changes else CoachingReason.FLARE_REQUESTED
    current = _stored(person, latest)
    over = ended_by_itself(current, local_date) is not None
    news = over and latest is not CoachingReason.FLARE_TIME_UP
    if news and telling:
        await _record(session, user_id=person.id, reason=CoachingReason.FLARE_TIME_UP, now=now)
    states = [*_periods(changes, days), *([current] if current else [])]
    return FlareFacts(days=flare_dates(states), ended_news=news)


async def end_news(services: Services, *, user_id: int, telling: bool) -> bool:
    """True when flare-up mode ended by itself and the person has not been told; `telling`
    (once it has been said) records it as told, so it is said once."""
    now = services.clock()
    async with services.session_factory.begin() as session:
        person = await users.get_user_by_id(session, user_id=user_id)
        today = _today(person, now)
        if today is None:
            return False
        facts = await flare_facts(
            session,
            person=person,
            local_date=today,
            days=services.content.plan.flare_days,
            now=now,
            telling=telling,
        )
    return facts.ended_news
