"""Run PostgreSQL's client programs (pg_dump, pg_restore) against the configured database, picking the ones that
match the server: pg_dump refuses a server newer than itself, and an older pg_restore cannot read a newer dump."""

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.db import connection
from django.utils.translation import gettext as _

from grassroots.core.errors import DomainError


class PgToolError(DomainError):
    """A client program is missing, too old, or failed."""

    status = 500
    code = "pg_tool_missing"


def server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def candidates(program: str, major: int) -> list[Path]:
    """Where the packaged clients live: PG_BIN_DIR if set, Debian's and RHEL's versioned dirs, then PATH."""
    places = [os.environ.get("PG_BIN_DIR", ""), f"/usr/lib/postgresql/{major}/bin", f"/usr/pgsql-{major}/bin"]
    found = [Path(place) / program for place in places if place]
    on_path = shutil.which(program)
    if on_path:
        found.append(Path(on_path))
    return [path for path in found if path.is_file() and os.access(path, os.X_OK)]


def tool_major(path: Path) -> int | None:
    """The major version a client program reports (`pg_dump (PostgreSQL) 15.20` → 15)."""
    out = subprocess.run([str(path), "--version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"\)\s*(\d+)", out)
    return int(match.group(1)) if match else None


def find(program: str) -> Path:
    """The first client program at least as new as the server."""
    major = server_major()
    for path in candidates(program, major):
        version = tool_major(path)
        if version is not None and version >= major:
            return path
    raise PgToolError(
        _(
            "找不到 {major} 或更新版本的 {program}：请安装 postgresql-client-{major}，或用 PG_BIN_DIR 指明目录。"
        ).format(program=program, major=major)
    )


def run(program: str, args: list[str]) -> None:
    """Run the program on the configured database; its error output becomes the error's message."""
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    target = [f"--dbname={db['NAME']}"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            target.append(f"{flag}={db[key]}")
    result = subprocess.run(
        [str(find(program)), *target, *args], capture_output=True, text=True, env=env, check=False
    )
    if result.returncode != 0:
        raise PgToolError(
            _("{program} 失败（状态 {code}）：{error}").format(
                program=program, code=result.returncode, error=result.stderr.strip()[-2000:]
            ),
            code="pg_tool_failed",
        )
