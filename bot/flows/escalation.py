"""The advice to see a physical therapist: judged from the database, given at most once a week
for the same reasons, and recorded."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

from sqlalchemy.ext.asyncio import AsyncSession

from bot.coaching.escalation import (
    STEP_DOWN_WINDOW_DAYS,
    WEEK_DAYS,
    DatedPain,
    escalation_reasons,
)
from bot.coaching.reasons import CoachingReason
from bot.config import Clinic
from bot.content.texts import Texts
from bot.db.engine import read_only
from bot.db.enums import CoachingTopic, UserStatus
from bot.db.queries import coaching_log, escalation, pain, users
from bot.db.queries.coaching_log import DecisionRecord
from bot.services import Services
from scheduler.due_times import local_date_of

# The same advice is not given again within this long.
QUIET_FOR = timedelta(days=7)
# Progression decisions that were setbacks: a step down, or one called for on the bottom rung.
SETBACKS = frozenset(
    {
        CoachingReason.STEP_DOWN_PAIN_HIGH,
        CoachingReason.STEP_DOWN_TOO_PAINFUL,
        CoachingReason.STEP_DOWN_ABANDONED,
        CoachingReason.STEP_DOWN_MORNING_WORSE,
        CoachingReason.HOLD_AT_BOTTOM,
    }
)
# Room on either side of the local days the rules look at, for any time zone.
_MARGIN = timedelta(days=2)


async def _reasons_now(
    session: AsyncSession, *, user_id: int, zone: str, now: datetime
) -> tuple[CoachingReason, ...]:
    """Every reason, as of today, to recommend a physical therapist."""
    first = await escalation.first_session_start(session, user_id=user_id)
    recent = now - timedelta(days=2 * WEEK_DAYS) - _MARGIN
    spans = [(recent, now + _MARGIN)]
    if first is not None:
        spans.append((first - _MARGIN, first + timedelta(days=WEEK_DAYS) + _MARGIN))
    rated = await escalation.list_ratings_between(session, user_id=user_id, spans=spans)
    setbacks = await escalation.list_decision_times(
        session,
        user_id=user_id,
        topic=CoachingTopic.PROGRESSION,
        reasons=[reason.value for reason in SETBACKS],
        since=now - timedelta(days=STEP_DOWN_WINDOW_DAYS) - _MARGIN,
    )
    return escalation_reasons(
        ratings=[DatedPain(local_date_of(at, zone), score) for at, score in rated],
        step_downs={local_date_of(at, zone) for _, at in setbacks},
        first_session_on=None if first is None else local_date_of(first, zone),
        baseline=await pain.latest_baseline(session, user_id=user_id),
        today=local_date_of(now, zone),
    )


@dataclass(frozen=True, slots=True)
class Advice:
    """Advice to see a physical therapist: its words, and the reasons to record once sent."""

    text: str
    reasons: tuple[CoachingReason, ...]


async def escalation_advice(services: Services, *, user_id: int) -> Advice | None:
    """The advice to see a physical therapist, if any reason holds now and it was not given
    for these reasons within the last week. Not recorded here: `record_advice` once it is
    sent, so a failed send leaves it to be given next time."""
    now = services.clock()
    async with read_only(services.session_factory) as session:
        person = await users.get_user_by_id(session, user_id=user_id)
        if person.status != UserStatus.ACTIVE or person.time_zone is None:
            return None
        reasons = await _reasons_now(session, user_id=user_id, zone=person.time_zone, now=now)
        given = await escalation.list_decision_times(
            session,
            user_id=user_id,
            topic=CoachingTopic.ESCALATION,
            reasons=[reason.value for reason in reasons],
            since=now - QUIET_FOR,
        )
    if not reasons or {reason for reason, _ in given} >= set(reasons):
        return None
    return Advice(advice_text(services.content.texts, reasons, services.clinic), reasons)


async def record_advice(services: Services, *, user_id: int, advice: Advice) -> None:
    """The advice was sent: recorded as given, in the audit trail."""
    async with services.session_factory.begin() as session:
        await coaching_log.record_decisions(
            session,
            user_id=user_id,
            session_id=None,
            decisions=[DecisionRecord(CoachingTopic.ESCALATION, r.value) for r in advice.reasons],
            now=services.clock(),
        )


def advice_text(texts: Texts, reasons: Sequence[CoachingReason], clinic: Clinic) -> str:
    """The advice with one line per reason, and the clinic's name and contact where set."""
    words = texts.coaching.escalation
    lines = [words.reason_line.format(reason=texts.coaching.reasons[r]) for r in reasons]
    clinic_lines = []
    if clinic.name:
        clinic_lines.append(words.clinic_name_line.format(name=escape(clinic.name, quote=False)))
    if clinic.contact:
        clinic_lines.append(words.clinic_line.format(contact=escape(clinic.contact, quote=False)))
    advice = words.advice.format(reasons="\n".join(lines), clinic="\n".join(clinic_lines))
    return advice.strip()
