"""Progression decided and kept: one decision per planned track per session, never twice.

When (docs/coaching-rules.md, "How it runs"): a setback at the rating, the rest at the morning
check-in, or at the next session's start when the morning went unanswered.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.coaching.checkins import CheckIn, Morning, MorningAnswer, MorningVerdict, judge_morning
from bot.coaching.feedback import previous_level
from bot.coaching.ladders import LadderPosition, Track, current_rung
from bot.coaching.progression import (
    Move,
    ProgressionDecision,
    SessionSignals,
    TrackOutcome,
    decide_session,
    restored_position,
    track_outcome,
)
from bot.coaching.reasons import CoachingReason
from bot.db import coaching_models
from bot.db.enums import CoachingTopic, SessionStatus
from bot.db.models import RoutineSession, User
from bot.db.queries import check_ins, coaching_log, ladders, pain, sessions, users
from bot.db.queries.coaching_log import DecisionRecord
from bot.services import Services
from scheduler.due_times import local_date_of

# Coach default: sessions older than this are left undecided when the next one starts.
SETTLE_WITHIN = timedelta(days=28)
_STOPPED = (SessionStatus.PARTIAL, SessionStatus.ABANDONED)


def in_flare_at(person: User, instant: datetime) -> bool:
    """Whether the person was in flare-up mode on their local date at `instant`."""
    if person.time_zone is None or person.flare_started_on is None or person.flare_until is None:
        return False
    day = local_date_of(instant, person.time_zone)
    return person.flare_started_on <= day < person.flare_until


async def _outcomes(
    session: AsyncSession, routine_session: RoutineSession, tracks: dict[str, Track]
) -> dict[str, TrackOutcome]:
    """Each planned track's outcome in this session, from the plan and the answers given."""
    planned = await ladders.list_session_exercises(session, session_id=routine_session.id)
    results = await sessions.list_step_results(session, session_id=routine_session.id)
    positions: dict[str, set[int]] = defaultdict(set)
    for row in planned:
        if row.track_key in tracks:  # a track since removed from the content is left alone
            positions[row.track_key].add(row.position)
    stopped = routine_session.status in _STOPPED
    return {
        track: track_outcome(
            [outcome for position, outcome in results if position in at],
            stopped_here=stopped and routine_session.current_position in at,
        )
        for track, at in positions.items()
    }


def _lasts(decision: ProgressionDecision) -> bool:
    """Whether no morning could change this decision: a setback, or flare-up mode's hold."""
    return decision.setback or decision.reason is CoachingReason.HOLD_FLARE


async def decide_session_tracks(
    session: AsyncSession,
    services: Services,
    *,
    routine_session: RoutineSession,
    signals: SessionSignals,
    in_flare: bool,
    now: datetime,
    lasting_only: bool = False,
) -> list[ProgressionDecision]:
    """Decide the session's planned tracks not decided yet (with `lasting_only`, keep only the
    decisions no morning could change), move the positions and record why."""
    tracks = services.tracks
    user_id = routine_session.user_id
    outcomes = await _outcomes(session, routine_session, tracks)
    done = await coaching_log.list_session_decisions(
        session, user_id=user_id, session_id=routine_session.id, topic=CoachingTopic.PROGRESSION
    )
    for earlier in done:
        outcomes.pop(earlier.track_key or "", None)
    stored = await ladders.get_positions(session, user_id=user_id)
    positions = {key: LadderPosition(key, rung, good) for key, (rung, good) in stored.items()}
    decisions = decide_session(tracks, positions, outcomes, signals, in_flare=in_flare)
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


async def list_decided(
    session: AsyncSession, services: Services, *, routine_session: RoutineSession
) -> list[ProgressionDecision]:
    """The progression decided about a session so far, as recorded (in the order made)."""
    rows = await coaching_log.list_session_decisions(
        session,
        user_id=routine_session.user_id,
        session_id=routine_session.id,
        topic=CoachingTopic.PROGRESSION,
    )
    return [
        _as_decided(row.track_key, row.from_rung, row.to_rung, CoachingReason(row.reason))
        for row in rows
        if row.track_key in services.tracks
        and row.from_rung is not None
        and row.to_rung is not None
    ]


def _as_decided(
    track: str, from_rung: int, to_rung: int, reason: CoachingReason
) -> ProgressionDecision:
    move = Move.UP if to_rung > from_rung else Move.DOWN if to_rung < from_rung else Move.HOLD
    setback = move is Move.DOWN or reason is CoachingReason.HOLD_AT_BOTTOM
    return ProgressionDecision(
        track, move, reason, restored_position(track, to_rung, reason), setback
    )


async def level_before(session: AsyncSession, *, routine_session: RoutineSession) -> int | None:
    """The person's level before a session: their previous rating, else their baseline."""
    user_id = routine_session.user_id
    earlier = await coaching_log.list_ratings_before(
        session, user_id=user_id, before=routine_session.started_at, limit=1
    )
    return previous_level(earlier, await pain.latest_baseline(session, user_id=user_id))


async def judge_check_in(
    session: AsyncSession, *, routine_session: RoutineSession, answer: coaching_models.CheckIn
) -> MorningVerdict:
    """The verdict on a stored check-in."""
    given = (
        CheckIn(score=answer.score)
        if answer.feeling is None
        else CheckIn(answer=MorningAnswer(answer.feeling.value))
    )
    before = await level_before(session, routine_session=routine_session)
    return judge_morning(given, before=before)


async def settle_unanswered(
    session: AsyncSession, services: Services, *, user_id: int, now: datetime
) -> list[ProgressionDecision]:
    """At a session's start: decide what earlier finished sessions left open (their morning
    unanswered), oldest first, so the new session is planned from settled positions."""
    person = await users.get_user_by_id(session, user_id=user_id)
    found = await coaching_log.list_undecided_sessions(
        session, user_id=user_id, since=now - SETTLE_WITHIN
    )
    decided: list[ProgressionDecision] = []
    for routine_session in found:
        answer = await check_ins.get_check_in(session, session_id=routine_session.id)
        morning = Morning.UNANSWERED
        if answer is not None:
            verdict = await judge_check_in(session, routine_session=routine_session, answer=answer)
            morning = verdict.morning
        rating = await coaching_log.get_session_rating(session, session_id=routine_session.id)
        # A rated session in flare-up mode was decided in full at its rating.
        in_flare = rating is None and in_flare_at(person, routine_session.started_at)
        decided += await decide_session_tracks(
            session,
            services,
            routine_session=routine_session,
            signals=SessionSignals(rating, morning),
            in_flare=in_flare,
            now=now,
        )
    return decided
