"""/progress over HTTP: three sessions on three days, the week and streak in the text, and a
chart that is a real PNG. The clock starts on Wed 4 Mar 2026, 09:00 UTC (10:00 in Berlin)."""

import io

import pytest
from matplotlib.image import imread

from bot.content.schema import Content
from bot.emulator import FakeBotApi
from bot.emulator.files import find_file
from tests.conftest import FakeClock
from tests.e2e.coaching_steps import next_day, rated_session
from tests.e2e.harness import Chat, Json, onboard
from tests.e2e.helpers import plain, texts_of

pytestmark = pytest.mark.usefixtures("running")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _photo_bytes(api: FakeBotApi, message: Json) -> bytes:
    stored = find_file(api.world, message["photo"][-1]["file_id"])
    assert stored is not None
    return stored.data


async def test_progress_before_any_session_encourages_without_a_chart(
    chat: Chat, content: Content
) -> None:
    await onboard(chat)
    replies = await chat.say("/progress")
    assert texts_of(replies) == [plain(content.texts.progress.no_data)]
    assert not any("photo" in reply for reply in replies)


async def test_three_sessions_on_three_days_show_in_text_and_chart(
    chat: Chat, api: FakeBotApi, clock: FakeClock
) -> None:
    await onboard(chat, baseline="6")
    for day, score in enumerate((4, 5, 3)):
        if day:
            await next_day(chat, clock)
        await rated_session(chat, score)
    replies = await chat.say("/progress")
    [text] = texts_of([reply for reply in replies if "text" in reply])
    # Joined on Wednesday: Wednesday to Sunday were planned.
    assert "This week: 3 of 5 planned sessions done" in text
    assert "Streak: 3 planned days in a row (your longest: 3)" in text
    assert "Pain over the last 7 days: 4/10 on average; your starting point was 6/10." in text
    [photo] = [reply for reply in replies if "photo" in reply]
    png = _photo_bytes(api, photo)
    assert png.startswith(PNG_SIGNATURE)
    height, width, _ = imread(io.BytesIO(png), format="png").shape
    assert (width, height) == (800, 560)


async def test_progress_before_set_up_is_refused(chat: Chat, content: Content) -> None:
    assert texts_of(await chat.say("/progress")) == [plain(content.texts.routine.not_ready)]
