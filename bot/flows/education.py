"""Short education from the articles over the first days: one at a time, at most one a day."""

from dataclasses import dataclass
from datetime import date
from html import escape

from bot.coaching.education import next_education
from bot.db.engine import read_only
from bot.db.enums import UserStatus
from bot.db.queries import education, users
from bot.services import Services
from scheduler.due_times import local_date_of


@dataclass(frozen=True, slots=True)
class Lesson:
    """One short piece of education: which, when, and its words."""

    key: str
    shown_on: date
    text: str


async def next_lesson(services: Services, *, user_id: int) -> Lesson | None:
    """The next item not yet shown, as a message, unless one was shown today. Not recorded
    here: `record_lesson` once it is sent, so a failed send leaves it for next time."""
    content = services.content
    now = services.clock()
    async with read_only(services.session_factory) as session:
        person = await users.get_user_by_id(session, user_id=user_id)
        if person.status != UserStatus.ACTIVE or person.time_zone is None:
            return None
        today = local_date_of(now, person.time_zone)
        shown = await education.list_shown(session, user_id=user_id)
    key = next_education(
        [item.key for item in content.education],
        shown,
        last_shown_on=max(shown.values(), default=None),
        today=today,
    )
    if key is None:
        return None
    item = next(item for item in content.education if item.key == key)
    text = content.texts.coaching.education.message.format(
        title=escape(item.title, quote=False), text=escape(item.text, quote=False)
    )
    return Lesson(key, today, text)


async def record_lesson(services: Services, *, user_id: int, lesson: Lesson) -> None:
    """The lesson was sent: kept as shown (once, whatever happens twice)."""
    async with services.session_factory.begin() as session:
        await education.record_shown(
            session, user_id=user_id, item_key=lesson.key, shown_on=lesson.shown_on
        )
