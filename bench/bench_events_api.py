"""Event creation through the HTTP API, against the database's own durable single-row insert rate.

A real server (gunicorn) in one process, the load generator (bench/loadgen.py) in another; 1, 4 and 8 clients;
SQLite (WAL, synchronous=FULL) and PostgreSQL (synchronous_commit on). Every created event is counted back from the
database afterwards, so "created" means durably committed. Prints figures and ratios, asserts nothing.

    .venv/bin/python bench/bench_events_api.py [--db sqlite,postgres] [--clients 1,4,8] [--seconds 10] [--workers 3]
        [--ceiling]   also leaner endpoints under the same load (bench/ceiling/views.py), for scale
        [--peer helpdesk]   also django-helpdesk 2.6 (bench/peer_helpdesk.py: its own virtualenv, its DRF ticket
                      POST, the same gunicorn workers, PostgreSQL and load generator) and the c:one ceiling, then one
                      table at each client count: product, c:one and helpdesk on PostgreSQL, with the ratios

    .venv/bin/python bench/bench_events_api.py --db postgres --peer helpdesk --seconds 10   # the intake comparison
"""

import argparse
import json
import multiprocessing as mp
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from harness import gunicorn, loadgen, prepare, shell

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


def run(db: str, clients_list: list[int], seconds: float, workers: int) -> list[dict]:
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-{db}-"))
    env, floor_target = prepare(db, workdir)
    setup = json.loads(shell(env, SETUP, "SETUP"))
    rows = []
    try:
        with gunicorn(env, workers) as port:
            for clients in clients_list:
                before = int(shell(env, COUNT, "COUNT"))
                result = loadgen(
                    port,
                    clients,
                    seconds,
                    f"--token={setup['token']}",  # one "=" word: a token may start with "-"
                    "--type",
                    "ZF0101",
                    "--bounds",
                    ",".join(map(str, setup["bounds"])),
                )
                after = int(shell(env, COUNT, "COUNT"))
                result["counted"] = after - before
                result["floor"] = floor_rate(db, floor_target, clients, seconds)
                result["db"] = db
                rows.append(result)
                print_row(result)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return rows


def run_ceiling(
    clients_list: list[int], seconds: float, workers: int, views: tuple[str, ...] = ()
) -> list[dict]:
    """The same load against `views` of `bench/ceiling/views.py` (all when empty; PostgreSQL): what a leaner
    endpoint reaches."""
    import psycopg
    from ceiling import TABLES, VIEWS

    workdir = Path(tempfile.mkdtemp(prefix="bench-ceiling-"))
    env, url = prepare("postgres", workdir)
    setup = json.loads(shell(env, SETUP, "SETUP"))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(TABLES)
    rows = []
    try:
        for view in views or VIEWS:
            view_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.ceiling.settings", "CEILING_VIEW": view}
            with gunicorn(view_env, workers) as port:
                for clients in clients_list:
                    with psycopg.connect(url) as conn:
                        before = conn.execute("SELECT count(*) FROM ceiling_event").fetchone()[0]
                    result = loadgen(
                        port,
                        clients,
                        seconds,
                        f"--token={setup['token']}",
                        "--type",
                        "ZF0101",
                        "--bounds",
                        ",".join(map(str, setup["bounds"])),
                    )
                    with psycopg.connect(url) as conn:
                        after = conn.execute("SELECT count(*) FROM ceiling_event").fetchone()[0]
                    # The ninja ceiling writes nothing: its answers are all there is to count.
                    result["counted"] = result["created"] if view == "ninja" else after - before
                    result["floor"] = floor_rate("postgres", url, clients, seconds)
                    result["db"] = f"c:{view}"
                    rows.append(result)
                    print_row(result)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return rows


def run_helpdesk(clients_list: list[int], seconds: float, workers: int) -> list[dict]:
    """The same load as tickets to django-helpdesk (bench/peer_helpdesk.py), counted back from its database."""
    from peer_helpdesk import PG_DB, helpdesk_site

    rows = []
    with helpdesk_site(workers) as site:
        for clients in clients_list:
            before = site.count()
            result = loadgen(
                site.port,
                clients,
                seconds,
                f"--token={site.token}",
                "--target",
                "helpdesk",
                "--type",
                str(site.queue),
                "--bounds",
                "120.0,30.0,120.1,30.1",
            )
            result["counted"] = site.count() - before
            result["floor"] = floor_rate(
                "postgres", f"postgres://postgres@127.0.0.1:5432/{PG_DB}", clients, seconds
            )
            result["db"] = "helpdesk"
            rows.append(result)
            print_row(result)
    return rows


def print_comparison(product: list[dict], one: list[dict], helpdesk: list[dict]) -> None:
    """One line per client count: each server's rate and latencies on PostgreSQL, and the product's ratios."""
    print(
        "\nclients | product events/s p50 p99 | c:one events/s p50 p99 | helpdesk tickets/s p50 p99 | "
        "product/c:one | product/helpdesk"
    )
    for p, c, h in zip(product, one, helpdesk, strict=True):
        cells = " | ".join(f"{r['rate']:7.0f} {r['p50_ms']:6.1f} ms {r['p99_ms']:6.1f} ms" for r in (p, c, h))
        print(f"{p['clients']:>7} | {cells} | {p['rate'] / c['rate']:13.2f} | {p['rate'] / h['rate']:16.2f}")
    short = [r for r in product + one + helpdesk if r["counted"] != r["created"]]
    for r in short:
        print(
            f"NOT COUNTED BACK: {r['db']} at {r['clients']} clients: {r['counted']} rows for {r['created']} 201s"
        )
    if not short:
        print("every 201 was counted back in its database (counted = created on every row)")


def print_row(r: dict) -> None:
    print(
        f"{r['db']:<12} {r['clients']:>3} clients  {r['rate']:>7.0f} events/s  p50 {r['p50_ms']:6.1f} ms  "
        f"p99 {r['p99_ms']:6.1f} ms  counted {r['counted']:>6} / created {r['created']:>6}  "
        f"floor {r['floor']:>7.0f} rows/s  ratio {r['rate'] / r['floor']:.3f}  statuses {r['statuses']}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--clients", default="1,4,8")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument(
        "--ceiling",
        action="store_true",
        help="also run leaner report endpoints (bench/ceiling/, PostgreSQL) under the same load",
    )
    parser.add_argument(
        "--peer", choices=["helpdesk"], help="also the peer and c:one, and one comparison table (PostgreSQL)"
    )
    args = parser.parse_args()
    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; gunicorn workers {args.workers}"
    )
    clients = [int(c) for c in args.clients.split(",")]
    dbs = list(filter(None, args.db.split(",")))
    if args.peer and "postgres" not in dbs:
        dbs.append("postgres")
    product = {db: run(db, clients, args.seconds, args.workers) for db in dbs}
    ceilings = run_ceiling(clients, args.seconds, args.workers) if args.ceiling else []
    if args.peer:
        one = [r for r in ceilings if r["db"] == "c:one"]
        one = one or run_ceiling(clients, args.seconds, args.workers, ("one",))
        print_comparison(product["postgres"], one, run_helpdesk(clients, args.seconds, args.workers))


if __name__ == "__main__":
    main()
