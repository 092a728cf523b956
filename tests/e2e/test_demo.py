"""`backcoach demo`, the README's first command: a person reaches a recorded pain rating."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

TYPED = [
    "/start", "1", *["2"] * 6, "4", "08:00", "Europe/Berlin",
    "1", "1", "1", "1", "1", "1", "1", "7", ":quit",
]  # fmt: skip


def test_the_demo_walks_from_start_to_a_recorded_pain_rating(tmp_path: Path) -> None:
    database = tmp_path / "demo.sqlite3"
    environment = {**os.environ, "DEMO_DATABASE_URL": f"sqlite+aiosqlite:///{database}"}
    environment.pop("TELEGRAM_BOT_TOKEN", None)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        input="\n".join(TYPED) + "\n",
        cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert "Session saved" in result.stdout and "Pain now: 7/10" in result.stdout
    with sqlite3.connect(database) as connection:
        query = "SELECT score, context FROM pain_reports ORDER BY id"
        scores = connection.execute(query).fetchall()
    assert scores == [(4, "baseline"), (7, "after_session")]
