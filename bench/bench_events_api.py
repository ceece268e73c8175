"""Event creation through the HTTP API, against the database's own durable single-row insert rate.

A real server (gunicorn) in one process, the load generator (bench/loadgen.py) in another; 1, 4 and 8 clients;
SQLite (WAL, synchronous=FULL) and PostgreSQL (synchronous_commit on). Every created event is counted back from the
database afterwards, so "created" means durably committed. Prints figures and ratios, asserts nothing.

    .venv/bin/python bench/bench_events_api.py [--db sqlite,postgres] [--clients 1,4,8] [--seconds 10] [--workers 3]
"""

import argparse
import json
import multiprocessing as mp
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "grassroots_bench"

SETUP = """
import json
from grassroots.demo.district import build_demo_district, demo_district_exists
from grassroots.geo.index import grid_index
from grassroots.people.models import Person
from grassroots.people.services import api_token_create
if not demo_district_exists():
    build_demo_district(seed=2026, size=1)
worker = Person.objects.get(username="gridworker")
_, key = api_token_create(actor=None, person=worker, name="bench")
print("SETUP" + json.dumps({"token": key, "bounds": list(grid_index().bounds)}))
"""
COUNT = "from grassroots.events.models import Event; print('COUNT%d' % Event.objects.count())"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict[str, str], *args: str) -> str:
    out = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return out.stdout


def shell(env: dict[str, str], code: str, marker: str) -> str:
    out = manage(env, "shell", "-c", code)
    return next(line[len(marker) :] for line in out.splitlines() if line.startswith(marker))


# -- the floor: one durable single-row insert per transaction, N clients --------------------------------------


def _pg_inserter(url: str, seconds: float, q: mp.Queue) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        n, end = 0, time.perf_counter() + seconds
        while time.perf_counter() < end:
            conn.execute("INSERT INTO bench_floor (payload, at) VALUES (%s, now())", ("x" * 200,))
            n += 1
    q.put(n)


def _sqlite_inserter(path: str, seconds: float, q: mp.Queue) -> None:
    conn = sqlite3.connect(path, timeout=20, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    n, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO bench_floor (payload, at) VALUES (?, datetime('now'))", ("x" * 200,))
        conn.execute("COMMIT")
        n += 1
    q.put(n)
    conn.close()


def floor_rate(db: str, target: str, clients: int, seconds: float) -> float:
    if db == "postgres":
        import psycopg

        with psycopg.connect(target, autocommit=True) as conn:
            conn.execute("DROP TABLE IF EXISTS bench_floor")
            conn.execute("CREATE TABLE bench_floor (id bigserial PRIMARY KEY, payload text, at timestamptz)")
        fn = _pg_inserter
    else:
        conn = sqlite3.connect(target)
        conn.execute("DROP TABLE IF EXISTS bench_floor")
        conn.execute("CREATE TABLE bench_floor (id INTEGER PRIMARY KEY, payload TEXT, at TEXT)")
        conn.commit()
        conn.close()
        fn = _sqlite_inserter
    q: mp.Queue = mp.Queue()
    procs = [mp.Process(target=fn, args=(target, seconds, q)) for _ in range(clients)]
    for p in procs:
        p.start()
    total = sum(q.get() for _ in procs)
    for p in procs:
        p.join()
    return total / seconds


# -- the product ----------------------------------------------------------------------------------------------


def prepare(db: str, workdir: Path) -> tuple[dict[str, str], str]:
    env = {**os.environ, "FAST_PASSWORD_HASHER": "1", "GRASSROOTS_VAR_DIR": str(workdir), "LOG_LEVEL": "ERROR"}
    if db == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
        url = f"postgres://postgres@127.0.0.1:5432/{PG_BENCH_DB}"
        env["DATABASE_URL"] = url
        floor_target = url
    else:
        env.pop("DATABASE_URL", None)
        floor_target = str(workdir / "floor.sqlite3")
    manage(env, "migrate", "--no-input", "-v0")
    return env, floor_target


def run(db: str, clients_list: list[int], seconds: float, workers: int) -> list[dict]:
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-{db}-"))
    env, floor_target = prepare(db, workdir)
    setup = json.loads(shell(env, SETUP, "SETUP"))
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    rows = []
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        for clients in clients_list:
            before = int(shell(env, COUNT, "COUNT"))
            out = subprocess.run(
                [PY, str(ROOT / "bench/loadgen.py"), "--port", str(port), "--token", setup["token"], "--type", "ZF0101",
                 "--bounds", ",".join(map(str, setup["bounds"])), "--clients", str(clients), "--seconds", str(seconds)],
                capture_output=True, text=True, check=True,
            )
            result = json.loads(out.stdout)
            after = int(shell(env, COUNT, "COUNT"))
            result["counted"] = after - before
            result["floor"] = floor_rate(db, floor_target, clients, seconds)
            result["db"] = db
            rows.append(result)
            print_row(result)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(workdir, ignore_errors=True)
    return rows


def print_row(r: dict) -> None:
    print(
        f"{r['db']:<9} {r['clients']:>3} clients  {r['rate']:>7.0f} events/s  p50 {r['p50_ms']:6.1f} ms  "
        f"p99 {r['p99_ms']:6.1f} ms  counted {r['counted']:>6} / created {r['created']:>6}  "
        f"floor {r['floor']:>7.0f} rows/s  ratio {r['rate'] / r['floor']:.3f}  statuses {r['statuses']}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--clients", default="1,4,8")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; gunicorn workers {args.workers}")
    for db in args.db.split(","):
        run(db, [int(c) for c in args.clients.split(",")], args.seconds, args.workers)


if __name__ == "__main__":
    main()
