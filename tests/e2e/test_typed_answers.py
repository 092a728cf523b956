"""Set-up answers can be typed or shared instead of tapped."""

from datetime import time

import pytest

from bot.db.engine import SessionFactory
from bot.db.enums import PainContext, UserStatus
from bot.db.models import PainReport, User
from tests.e2e.harness import Chat
from tests.e2e.helpers import rows, send_location, texts_of, to_baseline, to_time_zone

BERLIN = (52.52, 13.405)


@pytest.mark.usefixtures("running")
async def test_baseline_time_and_zone_can_all_be_typed(
    chat: Chat,
    session_factory: SessionFactory,
) -> None:
    await to_baseline(chat)
    baseline_replies = texts_of(await chat.say("4"))
    time_replies = texts_of(await chat.say("07:45"))
    zone_replies = texts_of(await chat.say("europe/berlin"))
    assert "4/10 is your starting point" in baseline_replies[0]
    assert "When should I remind you" in baseline_replies[-1]
    assert "07:45" in time_replies[-1] and "Which time zone" in time_replies[-1]
    assert "07:45" in zone_replies[-1] and "(Europe/Berlin)" in zone_replies[-1]
    [user] = await rows(session_factory, User)
    [report] = await rows(session_factory, PainReport)
    assert (user.status, user.reminder_time, user.time_zone) == (
        UserStatus.ACTIVE,
        time(7, 45),
        "Europe/Berlin",
    )
    assert (report.score, report.context) == (4, PainContext.BASELINE)


@pytest.mark.usefixtures("running")
async def test_shared_location_in_berlin_gives_berlin_time(
    chat: Chat,
    session_factory: SessionFactory,
) -> None:
    await to_time_zone(chat)
    replies = texts_of(await send_location(chat, *BERLIN))
    assert len(replies) == 1 and "All set" in replies[0] and "(Europe/Berlin)" in replies[0]
    [user] = await rows(session_factory, User)
    assert (user.status, user.time_zone) == (UserStatus.ACTIVE, "Europe/Berlin")
