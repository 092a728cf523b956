"""The files of /export: sessions, step results and pain reports as CSV, everything as JSON.

Times are ISO 8601 in UTC; `local_date` is the person's calendar date in their time zone.
"""

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import Enum
from typing import Any

from bot.content.schema import Content
from bot.db.models import PainReport, RoutineSession, StepResult
from bot.flows.session_plan import TODAYS_PLAN
from scheduler.due_times import local_date_of

PREFIX = "backcoach"
SESSION_COLUMNS = (
    "session_id",
    "routine",
    "routine_name",
    "status",
    "started_at_utc",
    "finished_at_utc",
    "local_date",
    "pain_after",
)
STEP_COLUMNS = (
    "session_id",
    "position",
    "exercise",
    "outcome",
    "pain_score",
    "recorded_at_utc",
    "local_date",
)
PAIN_COLUMNS = ("reported_at_utc", "local_date", "context", "score", "session_id")


@dataclass(frozen=True, slots=True)
class ExportFile:
    filename: str
    data: bytes


def routine_name(content: Content, key: str) -> str:
    """A routine's name as the person saw it (its key, if the content no longer has it)."""
    if key == TODAYS_PLAN:
        return content.texts.coaching.plan.name
    known = {routine.key: routine.name for routine in content.routines}
    return known.get(key, key)


def _utc(instant: datetime | None) -> str:
    return "" if instant is None else instant.astimezone(UTC).isoformat()


def _csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def _json_value(value: object) -> object:
    if isinstance(value, datetime):
        return _utc(value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def export_files(
    content: Content,
    *,
    zone: str,
    exported_at: datetime,
    sessions: Sequence[tuple[RoutineSession, int | None]],
    steps: Sequence[StepResult],
    pain: Sequence[PainReport],
    everything: dict[str, list[dict[str, Any]]],
) -> list[ExportFile]:
    """The CSV files (oldest first) and the JSON file of everything, named `backcoach-*`."""
    session_rows = [
        (
            s.id,
            s.routine_key,
            routine_name(content, s.routine_key),
            s.status.value,
            _utc(s.started_at),
            _utc(s.finished_at),
            local_date_of(s.started_at, zone).isoformat(),
            score,
        )
        for s, score in sessions
    ]
    step_rows = [
        (
            r.session_id,
            r.position,
            r.exercise_key,
            r.outcome.value,
            r.pain_score,
            _utc(r.recorded_at),
            local_date_of(r.recorded_at, zone).isoformat(),
        )
        for r in steps
    ]
    pain_rows = [
        (
            _utc(p.reported_at),
            local_date_of(p.reported_at, zone).isoformat(),
            p.context.value,
            p.score,
            p.session_id,
        )
        for p in pain
    ]
    tables = {
        name: [{column: _json_value(value) for column, value in row.items()} for row in found]
        for name, found in everything.items()
    }
    document = {"exported_at": _utc(exported_at), "time_zone": zone, "tables": tables}
    return [
        ExportFile(f"{PREFIX}-sessions.csv", _csv(SESSION_COLUMNS, session_rows)),
        ExportFile(f"{PREFIX}-step-results.csv", _csv(STEP_COLUMNS, step_rows)),
        ExportFile(f"{PREFIX}-pain-reports.csv", _csv(PAIN_COLUMNS, pain_rows)),
        ExportFile(
            f"{PREFIX}-everything.json",
            json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"),
        ),
    ]
