"""The `backcoach` command as an operator meets it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.logging_setup import RedactTokens


def _backcoach(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_run_without_a_token_says_what_to_set_and_exits_2(tmp_path: Path) -> None:
    result = _backcoach("run", cwd=tmp_path)
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr and "@BotFather" in result.stderr
    assert "Traceback" not in result.stderr


def test_content_check_passes_on_the_shipped_content(tmp_path: Path) -> None:
    result = _backcoach("content", "check", cwd=tmp_path)
    assert result.returncode == 0 and "ok" in result.stdout


def test_content_check_lists_problems_and_fails(tmp_path: Path) -> None:
    broken = tmp_path / "content"
    shipped = Path(__file__).resolve().parents[2] / "content"
    broken.mkdir()
    for source in shipped.glob("*.yaml"):
        (broken / source.name).write_text(source.read_text())
    routines = broken / "routines.yaml"
    routines.write_text(routines.read_text().replace("lumbar_rotation", "lumbar_twirl", 1))
    result = _backcoach("content", "check", cwd=tmp_path, env={"CONTENT_DIR": str(broken)})
    assert result.returncode == 1
    assert "routines.yaml" in result.stdout and "lumbar_twirl" in result.stdout


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.sqlite3'}"
    result = _backcoach("db", "upgrade", cwd=tmp_path, env={"DATABASE_URL": url})
    assert result.returncode == 0 and (tmp_path / "fresh.sqlite3").exists()


@pytest.mark.parametrize(
    "line",
    [
        "HTTP Request: POST https://api.telegram.org/bot7012345678:AAH4xkT3abcdEFGHijklMNOPqrst/getMe",
        "token 7012345678:AAH4xkT3abcdEFGHijklMNOPqrstUVwxyz0 in an error",
    ],
)
def test_a_token_in_any_log_line_is_redacted(line: str) -> None:
    import logging

    record = logging.LogRecord("httpx", logging.WARNING, __file__, 1, line, None, None)
    RedactTokens().filter(record)
    assert "AAH4xkT3" not in record.getMessage() and "[token]" in record.getMessage()
