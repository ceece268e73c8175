"""What the HTTP benchmarks share: a fresh database (SQLite file or PostgreSQL), manage.py calls, and a real
gunicorn server on a free port. Used by bench_events_api.py and bench_open311.py; the load comes from loadgen.py.
"""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
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


def prepare(
    db: str, workdir: Path, pg_db: str = PG_BENCH_DB, pg_admin: str = PG_ADMIN
) -> tuple[dict[str, str], str]:
    """A migrated empty database; the environment to reach it, and where a floor test may write. `pg_admin` is
    the maintenance database of the PostgreSQL server to use (the shared one on 5432 unless given)."""
    env = {
        **os.environ,
        "FAST_PASSWORD_HASHER": "1",
        "GRASSROOTS_VAR_DIR": str(workdir),
        "LOG_LEVEL": "ERROR",
    }
    if db == "postgres":
        import psycopg

        with psycopg.connect(pg_admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {pg_db}")
        url = pg_admin.rsplit("/", 1)[0] + f"/{pg_db}"
        env["DATABASE_URL"] = url
        floor_target = url
    else:
        env.pop("DATABASE_URL", None)
        floor_target = str(workdir / "floor.sqlite3")
    manage(env, "migrate", "--no-input", "-v0")
    return env, floor_target


def start_gunicorn(
    env: dict[str, str], workers: int, port: int | None = None, log: Path | None = None, wait: bool = True
) -> tuple[subprocess.Popen, int]:
    """Start gunicorn (on `port`, or a free one) and (unless `wait` is false) wait until healthz answers; the master
    process and the port. Its output goes to `log` (appended) if given."""
    port = port or free_port()
    out = open(log, "a") if log else subprocess.DEVNULL  # noqa: SIM115 (open while the server runs)
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
        stdout=out,
        stderr=out,
    )
    if wait:
        wait_ready(port)
    return server, port


def wait_ready(port: int, tries: int = 100) -> bool:
    for _ in range(tries):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return True
        except OSError:
            time.sleep(0.2)
    return False


@contextmanager
def gunicorn(env: dict[str, str], workers: int) -> Iterator[int]:
    """A gunicorn server on a free port, ready (healthz answers) when this yields the port."""
    server, port = start_gunicorn(env, workers)
    try:
        yield port
    finally:
        server.terminate()
        server.wait()


def descendants(pid: int) -> list[int]:
    """The process ids below `pid` (gunicorn's workers), read from /proc."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


def kill_hard(process: subprocess.Popen) -> None:
    """SIGKILL a process and everything below it at once (no graceful shutdown for anyone), and reap it."""
    for pid in [process.pid, *descendants(process.pid)]:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait()


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


class PgCluster:
    """A throwaway PostgreSQL cluster (initdb + pg_ctl) in a temporary directory, on a free port: a test may restart
    it without disturbing anyone else's database. As root, the server runs as the `postgres` account."""

    def __init__(self, workdir: Path) -> None:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        if not bins:
            raise RuntimeError("no PostgreSQL binaries under /usr/lib/postgresql/*/bin")
        self.bin = bins[-1].parent
        self.dir = workdir / "pgdata"
        self.port = free_port()
        self.log = workdir / "postgres.log"
        self.sockets = workdir / "pgsock"

    def _run(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *args], check=True, capture_output=True, text=True)

    def _own(self, *paths: Path) -> None:
        if os.geteuid() == 0:
            import shutil

            for path in paths:
                shutil.chown(path, "postgres", "postgres")

    def start(self) -> None:
        self.sockets.mkdir(exist_ok=True)
        self.log.touch()
        self._own(self.dir.parent, self.sockets, self.log)
        if not self.dir.exists():
            self._run(
                str(self.bin / "initdb"), "-D", str(self.dir), "-U", "postgres", "-A", "trust", "-E", "UTF8"
            )
        self._ctl("start")

    def _ctl(self, action: str, *extra: str) -> None:
        opts = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c max_connections=200"
        self._run(
            str(self.bin / "pg_ctl"),
            action,
            "-D",
            str(self.dir),
            "-l",
            str(self.log),
            "-w",
            "-o",
            opts,
            *extra,
        )

    def restart(self) -> None:
        """`pg_ctl restart -m fast`: open sessions are cut off, committed work must survive."""
        self._ctl("restart", "-m", "fast")

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")

    def url(self, db: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"


@contextmanager
def pg_cluster(workdir: Path) -> Iterator[PgCluster]:
    cluster = PgCluster(workdir)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()
