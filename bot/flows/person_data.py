"""The data a person owns: their recent sessions, an export of everything, and erasure."""

from dataclasses import dataclass
from datetime import UTC, date

from bot.db.engine import read_only
from bot.db.enums import SessionStatus
from bot.db.queries import person_data, users
from bot.flows.export_files import ExportFile, export_files
from bot.services import Services
from scheduler.due_times import local_date_of

HISTORY_LENGTH = 10
# Before set-up has a zone, local dates are UTC dates.
DEFAULT_ZONE = "UTC"


@dataclass(frozen=True, slots=True)
class PastSession:
    """One line of /history."""

    local_date: date
    routine_key: str
    status: SessionStatus
    pain_after: int | None


async def recent_sessions(services: Services, *, telegram_id: int) -> list[PastSession]:
    """The person's last sessions, newest first, dated in their time zone."""
    async with read_only(services.session_factory) as session:
        user = await users.get_user(session, telegram_id=telegram_id)
        if user is None:
            return []
        found = await person_data.list_sessions(session, user_id=user.id, limit=HISTORY_LENGTH)
    zone = user.time_zone or DEFAULT_ZONE
    return [
        PastSession(
            local_date=local_date_of(routine_session.started_at, zone),
            routine_key=routine_session.routine_key,
            status=routine_session.status,
            pain_after=pain,
        )
        for routine_session, pain in found
    ]


@dataclass(frozen=True, slots=True)
class Export:
    zone: str  # the zone of the files' local dates
    files: list[ExportFile]


async def export(services: Services, *, telegram_id: int) -> Export | None:
    """The person's data as CSV files and one JSON file; None if we know nothing of them."""
    async with read_only(services.session_factory) as session:
        user = await users.get_user(session, telegram_id=telegram_id)
        if user is None:
            return None
        sessions = await person_data.list_sessions(session, user_id=user.id)
        steps = await person_data.list_step_results(session, user_id=user.id)
        pain = await person_data.list_pain_reports(session, user_id=user.id)
        everything = await person_data.list_owned_rows(
            session, user_id=user.id, telegram_id=telegram_id
        )
    zone = user.time_zone or DEFAULT_ZONE
    files = export_files(
        services.content,
        zone=zone,
        exported_at=services.clock().astimezone(UTC),
        sessions=list(reversed(sessions)),
        steps=steps,
        pain=pain,
        everything=everything,
    )
    return Export(zone=zone, files=files)


async def erase(services: Services, *, telegram_id: int) -> bool:
    """Delete every row of the person in one transaction; False if there was nothing."""
    async with services.session_factory.begin() as session:
        user = await users.get_user(session, telegram_id=telegram_id, for_update=True)
        if user is None:
            await person_data.delete_conversation_states(session, telegram_id=telegram_id)
            return False
        await person_data.delete_person(session, user_id=user.id, telegram_id=telegram_id)
    return True
