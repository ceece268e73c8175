"""What the HTTP benchmarks share: a fresh database (SQLite file or PostgreSQL), manage.py calls, and a real
gunicorn server on a free port. Used by bench_events_api.py and bench_open311.py; the load comes from loadgen.py.
"""

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "grassroots_bench"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict[str, str], *args: str) -> str:
    out = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return out.stdout


def shell(env: dict[str, str], code: str, marker: str) -> str:
    """Run `code` in `manage.py shell` and return what it printed after `marker`."""
    out = manage(env, "shell", "-c", code)
    return next(line[len(marker) :] for line in out.splitlines() if line.startswith(marker))


def prepare(db: str, workdir: Path, pg_db: str = PG_BENCH_DB) -> tuple[dict[str, str], str]:
    """A migrated empty database; the environment to reach it, and where a floor test may write."""
    env = {
        **os.environ,
        "FAST_PASSWORD_HASHER": "1",
        "GRASSROOTS_VAR_DIR": str(workdir),
        "LOG_LEVEL": "ERROR",
    }
    if db == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {pg_db}")
        url = f"postgres://postgres@127.0.0.1:5432/{pg_db}"
        env["DATABASE_URL"] = url
        floor_target = url
    else:
        env.pop("DATABASE_URL", None)
        floor_target = str(workdir / "floor.sqlite3")
    manage(env, "migrate", "--no-input", "-v0")
    return env, floor_target


def wait_ready(port: int) -> None:
    """Until the server on `port` answers /healthz (or about 20 s have passed)."""
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.2)


@contextmanager
def gunicorn(env: dict[str, str], workers: int) -> Iterator[int]:
    """A gunicorn server on a free port, ready (healthz answers) when this yields the port."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(port)
        yield port
    finally:
        server.terminate()
        server.wait()


def loadgen(port: int, clients: int, seconds: float, *args: str) -> dict:
    """Run loadgen.py in its own process (apart from the server's CPU) and return its JSON result."""
    import json

    out = subprocess.run(
        [
            PY,
            str(ROOT / "bench/loadgen.py"),
            "--port",
            str(port),
            "--clients",
            str(clients),
            "--seconds",
            str(seconds),
            *args,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)
