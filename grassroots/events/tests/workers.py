"""Real OS processes on the test database: how the concurrency tests run two workers at once.

PostgreSQL tests hand the workers the test database itself (`transaction=True`, so the data is committed).
SQLite's test database lives in memory, out of other processes' reach, so SQLite variants build a database file
of their own (migrated, then filled and checked through `python_in`).
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings

TIMEOUT = 600  # seconds: only a hung worker takes this long (a loaded CI machine may be slow)


def database_url(settings_dict: dict[str, Any]) -> str:
    """A DATABASE_URL for the database a connection is using (the test database inside a test)."""
    if settings_dict["ENGINE"] in {"django.db.backends.sqlite3", "grassroots.core.sqlite"}:
        return f"sqlite:///{settings_dict['NAME']}"
    user = quote(settings_dict.get("USER") or "")
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password)}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    # A test database needs no durability: commits that do not wait for the disk make thousands of small
    # transactions cheap, and change nothing about locking or visibility, which is what the tests are about.
    options = "?options=" + quote("-c synchronous_commit=off")
    return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'])}{options}"


def env_for(url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "FAST_PASSWORD_HASHER": "1",
        "DB_CONN_MAX_AGE": "0",
        "PYTHONWARNINGS": "ignore",
        **extra,
    }


def start(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """`manage.py <args>` in a new process, output captured."""
    return subprocess.Popen(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str], timeout: float = TIMEOUT) -> tuple[int, str]:
    """Wait for a process; its exit status and everything it wrote."""
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        return -1, f"timed out after {timeout}s\n{out}{err}"
    return process.returncode, out + err


def python_in(code: str, *, env: dict[str, str], timeout: float = TIMEOUT) -> Any:
    """Run `code` in a Django process; it sets `result`, which comes back decoded from JSON."""
    script = (
        "import json, django\ndjango.setup()\nresult = None\n"
        + code
        + "\nprint('RESULT=' + json.dumps(result, default=str))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise AssertionError(f"subprocess failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT="))
    return json.loads(line.removeprefix("RESULT="))


def sqlite_file_database(path: Path) -> dict[str, str]:
    """A migrated SQLite database file (WAL, busy timeout, IMMEDIATE transactions, as in production settings)."""
    env = env_for(f"sqlite:///{path}")
    code, output = finish(start("migrate", "--no-input", "-v", "0", env=env))
    if code != 0:
        raise AssertionError(f"migrate failed:\n{output}")
    return env
