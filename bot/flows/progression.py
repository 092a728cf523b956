"""Progression decided and kept: one decision per planned track per session, never twice.

When (docs/coaching-rules.md, "How it runs"): a setback at the rating, the rest at the morning
check-in, or at the next session's start when the morning went unanswered.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.coaching.checkins import CheckIn, Morning, MorningAnswer, MorningVerdict, judge_morning
from bot.coaching.flare import flare_end
from bot.coaching.ladders import LadderPosition, Track, current_rung
from bot.coaching.progression import (
    Answer,
    ProgressionDecision,
    SessionSignals,
    TrackOutcome,
    decide_session,
    track_outcome,
)
from bot.coaching.reasons import CoachingReason
from bot.db import coaching_models
from bot.db.enums import CoachingTopic, SessionStatus
from bot.db.models import RoutineSession, User
from bot.db.queries import check_ins, coaching_log, ladders, sessions, users
from bot.db.queries import flare as flare_queries
from bot.db.queries.coaching_log import DecisionRecord
from bot.services import Services
from scheduler.due_times import local_date_of

# Coach default: sessions older than this are left undecided when the next one starts.
SETTLE_WITHIN = timedelta(days=28)
_STOPPED = (SessionStatus.PARTIAL, SessionStatus.ABANDONED)
_FLARE_STARTS = frozenset({CoachingReason.FLARE_REQUESTED, CoachingReason.FLARE_OFFER_ACCEPTED})


def in_flare_at(person: User, instant: datetime) -> bool:
    """Whether the person is in flare-up mode on their local date at `instant`, by the dates
    stored on them (right for today; for an earlier moment see `was_in_flare`)."""
    if person.time_zone is None or person.flare_started_on is None or person.flare_until is None:
        return False
    day = local_date_of(instant, person.time_zone)
    return person.flare_started_on <= day < person.flare_until


async def was_in_flare(
    session: AsyncSession, services: Services, *, person: User, instant: datetime
) -> bool:
    """Whether the person was in flare-up mode at `instant`, from the flare decisions in the
    audit trail: the latest start or /flare off before it was a start whose days were not over
    (so /flare off later that day does not undo it)."""
    zone, days = person.time_zone, services.content.plan.flare_days
    if zone is None:
        return False
    found = await flare_queries.list_flare_decisions(
        session, user_id=person.id, since=instant - timedelta(days=days + 1)
    )
    started: datetime | None = None
    for reason, at in found:
        if at > instant:
            break
        if CoachingReason(reason) in _FLARE_STARTS:
            started = at
        elif CoachingReason(reason) is CoachingReason.FLARE_ENDED_BY_PERSON:
            started = None
    if started is None:
        return False
    return local_date_of(instant, zone) < flare_end(local_date_of(started, zone), days)


async def _outcomes(
    session: AsyncSession,
    routine_session: RoutineSession,
    tracks: dict[str, Track],
) -> tuple[dict[str, TrackOutcome], dict[str, set[int]]]:
    """Each planned track's outcome in this session, from the plan and the answers given; and
    the rungs the session planned on each track."""
    planned = await ladders.list_session_exercises(session, session_id=routine_session.id)
    results = await sessions.list_step_results(session, session_id=routine_session.id)
    positions: dict[str, set[int]] = defaultdict(set)
    rungs: dict[str, set[int]] = defaultdict(set)
    for row in planned:
        if row.track_key in tracks:  # a track since removed from the content is left alone
            positions[row.track_key].add(row.position)
            rungs[row.track_key].add(row.rung)
    stopped = routine_session.status in _STOPPED
    outcomes = {
        track: track_outcome(
            [Answer(outcome.value) for position, outcome in results if position in at],
            stopped_here=stopped and routine_session.current_position in at,
        )
        for track, at in positions.items()
    }
    return outcomes, rungs


def _lasts(decision: ProgressionDecision) -> bool:
    """Whether no morning could change this decision: a setback, or flare-up mode's hold."""
    return decision.setback or decision.reason is CoachingReason.HOLD_FLARE


async def decide_session_tracks(
    session: AsyncSession,
    services: Services,
    *,
    routine_session: RoutineSession,
    signals: SessionSignals,
    now: datetime,
    lasting_only: bool = False,
) -> list[ProgressionDecision]:
    """Decide the session's planned tracks not decided yet (with `lasting_only`, keep only the
    decisions no morning could change), move the positions and record why. Flare-up mode (when
    the session started, or now) holds what would step up; setbacks still apply."""
    tracks = services.tracks
    user_id = routine_session.user_id
    outcomes, planned = await _outcomes(session, routine_session, tracks)
    done = await coaching_log.list_session_decisions(
        session, user_id=user_id, session_id=routine_session.id, topic=CoachingTopic.PROGRESSION
    )
    for earlier in done:
        outcomes.pop(earlier.track_key or "", None)
    if not outcomes:
        return []
    person = await users.get_user_by_id(session, user_id=user_id)
    in_flare = await was_in_flare(
        session, services, person=person, instant=routine_session.started_at
    ) or await was_in_flare(session, services, person=person, instant=now)
    stored = await ladders.get_positions(session, user_id=user_id)
    positions = {key: LadderPosition(key, rung, good) for key, (rung, good) in stored.items()}
    decisions = decide_session(
        tracks, positions, outcomes, signals, in_flare=in_flare, planned=planned
    )
    kept = [d for d in decisions if _lasts(d) or not lasting_only]
    if not kept:
        return []
    await ladders.save_positions(
        session,
        user_id=user_id,
        positions=[(d.track, d.position.rung, d.position.good_sessions) for d in kept],
        now=now,
    )
    records = [
        DecisionRecord(
            CoachingTopic.PROGRESSION,
            d.reason.value,
            d.track,
            from_rung=current_rung(tracks[d.track], positions.get(d.track)),
            to_rung=d.position.rung,
        )
        for d in kept
    ]
    await coaching_log.record_decisions(
        session, user_id=user_id, session_id=routine_session.id, decisions=records, now=now
    )
    return kept


async def decided_without_morning(
    session: AsyncSession, *, routine_session: RoutineSession
) -> bool:
    """Whether a track of the session was already decided as if its morning went unanswered:
    any decision but those kept at the rating (a setback, or flare-up mode's hold)."""
    rows = await coaching_log.list_session_decisions(
        session,
        user_id=routine_session.user_id,
        session_id=routine_session.id,
        topic=CoachingTopic.PROGRESSION,
    )
    at_rating = {CoachingReason.HOLD_AT_BOTTOM, CoachingReason.HOLD_FLARE}
    return any(
        row.from_rung is not None
        and row.to_rung is not None
        and row.to_rung >= row.from_rung
        and CoachingReason(row.reason) not in at_rating
        for row in rows
    )


async def judge_check_in(
    session: AsyncSession, *, routine_session: RoutineSession, answer: coaching_models.CheckIn
) -> MorningVerdict:
    """The verdict on a stored check-in, against that session's own rating."""
    given = (
        CheckIn(score=answer.score)
        if answer.feeling is None
        else CheckIn(answer=MorningAnswer(answer.feeling.value))
    )
    rating = await coaching_log.get_session_rating(session, session_id=routine_session.id)
    return judge_morning(given, after_session=rating)


async def asked_today(
    session: AsyncSession, *, person: User, now: datetime
) -> RoutineSession | None:
    """The session that a check-in delivered today (the person's local date) asked about,
    while it is unanswered: it stays answerable until the end of that day, even after another
    session has started."""
    if person.time_zone is None:
        return None
    today = local_date_of(now, person.time_zone)
    due_at = await check_ins.get_sent_check_in_due(session, user_id=person.id, local_date=today)
    if due_at is None:
        return None
    asked = await coaching_log.get_latest_session(session, user_id=person.id, started_before=due_at)
    if (
        asked is None
        or asked.status != SessionStatus.COMPLETED
        or asked.finished_at is None
        or asked.finished_at >= due_at
        or await check_ins.get_check_in(session, session_id=asked.id) is not None
    ):
        return None
    return asked


async def settle_unanswered(
    session: AsyncSession,
    services: Services,
    *,
    user_id: int,
    now: datetime,
    before: datetime | None = None,
) -> list[ProgressionDecision]:
    """At a session's start (or before a check-in's answer, for the sessions started `before`
    its session): decide what earlier finished sessions left open (their morning unanswered),
    oldest first, so the new session is planned from settled positions. The session asked
    about by today's delivered check-in stays open for its answer."""
    person = await users.get_user_by_id(session, user_id=user_id)
    found = await coaching_log.list_undecided_sessions(
        session, user_id=user_id, since=now - SETTLE_WITHIN
    )
    still_asked = await asked_today(session, person=person, now=now)
    decided: list[ProgressionDecision] = []
    for routine_session in found:
        if before is not None and routine_session.started_at >= before:
            continue
        if still_asked is not None and routine_session.id == still_asked.id:
            continue
        answer = await check_ins.get_check_in(session, session_id=routine_session.id)
        morning = Morning.UNANSWERED
        if answer is not None:
            verdict = await judge_check_in(session, routine_session=routine_session, answer=answer)
            morning = verdict.morning
        rating = await coaching_log.get_session_rating(session, session_id=routine_session.id)
        decided += await decide_session_tracks(
            session,
            services,
            routine_session=routine_session,
            signals=SessionSignals(rating, morning),
            now=now,
        )
    return decided
