"""/progress: this week's adherence, the streaks, pain against the starting point, the chart.

Local dates are in the person's current time zone for the whole history. The pause history is
not stored, only the pause in force: while paused, the days after the last daily reminder
written up to the day reminders come back count as paused. Flare-up days are known for the
last 60 days (as for reminders); an older flare day without a session breaks a longest streak.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from bot.coaching.adherence import (
    DayDone,
    DayHistory,
    Streaks,
    WeekAdherence,
    last_week_adherence,
    streaks,
    week_adherence,
)
from bot.db.enums import UserStatus
from bot.db.models import User
from bot.db.queries import pain, users
from bot.db.queries import progress as queries
from bot.flows.flare import flare_facts
from bot.services import Services
from scheduler.due_times import local_date_of
from scheduler.plans import weekdays_from_digits

# The chart shows this many days back: readable on a phone, and quick to draw.
CHART_DAYS = 90
# "Pain now" is the average over this many days.
PAIN_NOW_DAYS = 7


@dataclass(frozen=True, slots=True)
class Progress:
    week: WeekAdherence  # Monday to Sunday
    last_seven: WeekAdherence  # the seven days that end today
    streaks: Streaks
    pain_now: float | None  # average of the last PAIN_NOW_DAYS days
    baseline: int | None  # the person's starting point
    pain_days: list[tuple[date, float]]  # daily averages for the chart, local dates
    chart_sessions: Mapping[date, DayDone]  # session days in the chart's window

    @property
    def has_data(self) -> bool:
        """Anything to show: a session done, or a pain rating after one."""
        return bool(self.chart_sessions or self.pain_days or self.streaks.longest)


def _paused(person: User, *, today: date, last_reminder: date | None) -> frozenset[date]:
    if not person.reminders_paused:
        return frozenset()
    first = last_reminder + timedelta(days=1) if last_reminder is not None else today
    end = person.reminders_resume_on or today + timedelta(days=7)
    return frozenset(first + timedelta(days=n) for n in range((end - first).days))


async def load_progress(services: Services, *, user_id: int) -> Progress | None:
    """The person's progress now; None for someone not in the programme, without a zone, or
    erased."""
    now = services.clock()
    async with services.session_factory() as session:
        person = await users.find_user_by_id(session, user_id=user_id)
        if person is None:  # erased (/delete) meanwhile
            return None
        zone = person.time_zone
        if person.status != UserStatus.ACTIVE or zone is None:
            return None
        today = local_date_of(now, zone)
        until = now + timedelta(seconds=1)
        since = min(person.created_at, now - timedelta(days=CHART_DAYS))
        done = await queries.list_day_statuses(
            session, user_id=user_id, zone=zone, since=since, until=until
        )
        chart_since = now - timedelta(days=CHART_DAYS)
        pain_days = await queries.list_daily_pain(
            session, user_id=user_id, zone=zone, since=chart_since, until=until
        )
        pain_now = await queries.average_pain(
            session, user_id=user_id, since=now - timedelta(days=PAIN_NOW_DAYS), until=until
        )
        baseline = await pain.latest_baseline(session, user_id=user_id)
        last_reminder = await queries.last_reminder_date(session, user_id=user_id)
        flare = await flare_facts(
            session,
            person=person,
            local_date=today,
            days=services.content.plan.flare_days,
            now=now,
            telling=False,
        )
    history = DayHistory(
        done=done,
        weekdays=weekdays_from_digits(person.reminder_days),
        paused=_paused(person, today=today, last_reminder=last_reminder),
        flare=flare.days,
        first_day=local_date_of(person.created_at, zone),
    )
    first_charted = local_date_of(chart_since, zone)
    return Progress(
        week=week_adherence(history, today=today),
        last_seven=last_week_adherence(history, today=today),
        streaks=streaks(history, today=today),
        pain_now=pain_now,
        baseline=baseline,
        pain_days=pain_days,
        chart_sessions={day: status for day, status in done.items() if day >= first_charted},
    )
