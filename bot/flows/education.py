"""Short education from the articles over the first days: one at a time, at most one a day."""

from html import escape

from bot.coaching.education import next_education
from bot.db.enums import UserStatus
from bot.db.queries import education, users
from bot.services import Services
from scheduler.due_times import local_date_of


async def next_lesson(services: Services, *, user_id: int) -> str | None:
    """The next item not yet shown, as a message, unless one was shown today (recorded)."""
    content = services.content
    now = services.clock()
    async with services.session_factory.begin() as session:
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
        if key is None or not await education.record_shown(
            session, user_id=user_id, item_key=key, shown_on=today
        ):
            return None
    item = next(item for item in content.education if item.key == key)
    return content.texts.coaching.education.message.format(
        title=escape(item.title, quote=False), text=escape(item.text, quote=False)
    )
