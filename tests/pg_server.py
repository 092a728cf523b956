"""A throwaway PostgreSQL server for the test run, from the installed Debian binaries."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_SEARCH_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def find_pg_bin() -> Path | None:
    """The newest installed PostgreSQL bin folder (Debian keeps it off PATH), if any."""
    for candidate in _SEARCH_DIRS:
        if (candidate / "initdb").exists():
            return candidate
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; CI runs as root, so use Debian's `postgres` account.
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Start a private server on a free port; yield its SQLAlchemy URL; remove it afterwards."""
    pg_bin = find_pg_bin()
    if pg_bin is None:
        raise RuntimeError("PostgreSQL binaries not found: apt-get install postgresql")
    workdir = Path(tempfile.mkdtemp(prefix="backcoach-pg-"))
    data_dir = workdir / "data"
    if os.geteuid() == 0:
        postgres_user = pwd.getpwnam("postgres")
        os.chown(workdir, postgres_user.pw_uid, postgres_user.pw_gid)
    port = _free_port()
    run = subprocess.run
    run(
        _as_server_user(
            [
                str(pg_bin / "initdb"),
                "-D",
                str(data_dir),
                "-U",
                "backcoach",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        ),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(
        _as_server_user(
            [
                str(pg_bin / "pg_ctl"),
                "-D",
                str(data_dir),
                "-o",
                options,
                "-l",
                str(workdir / "log"),
                "-w",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+asyncpg://backcoach@127.0.0.1:{port}/postgres"
    finally:
        run(
            _as_server_user(
                [str(pg_bin / "pg_ctl"), "-D", str(data_dir), "-m", "immediate", "stop"]
            ),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(workdir, ignore_errors=True)
