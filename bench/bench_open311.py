"""Open311 intake throughput against the event API's, on the same running gunicorn server.

The same report (type FW0402, near a random grid's label point of the demo district, so inside the jurisdiction;
a fresh idempotency key each time) is posted
as `POST /api/v1/events` (JSON, bearer token, a grid worker) and as `POST /open311/v2/requests.json` (form-encoded,
api_key of a client whose rate limit is out of the way). Each event counted back from the database. The Open311
path does more per request: key look-up, the client's rate counter row (a database write), the jurisdiction and
service checks, the attribute questions and the `Open311Request` row. Prints figures and the ratio, asserts nothing.

    .venv/bin/python bench/bench_open311.py [--db sqlite,postgres] [--clients 1,4,8] [--seconds 10] [--workers 3]
                                            [--rounds 2]
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from harness import gunicorn, loadgen, prepare, shell

TYPE = "FW0402"  # 井盖缺损: asks no extra questions, so both paths carry the same report
SETUP = """
import json
from grassroots.demo.district import build_demo_district, demo_district_exists
from grassroots.geo.index import grid_index
from grassroots.open311.selectors import jurisdiction_default
from grassroots.open311.services import open_client_create
from grassroots.people.models import Person
from grassroots.people.services import api_token_create
if not demo_district_exists():
    build_demo_district(seed=2026, size=1)
worker = Person.objects.get(username="gridworker")
_, token = api_token_create(actor=None, person=worker, name="bench")
_, key = open_client_create(actor=None, name="bench", district=jurisdiction_default(), rate_limit_per_minute=10**9)
from grassroots.geo.models import Grid
points = [list(p) for p in Grid.objects.values_list("label_lon", "label_lat")]
print("SETUP" + json.dumps({"token": token, "key": key, "bounds": list(grid_index().bounds), "points": points}))
"""
COUNT = (
    "from grassroots.events.models import Event; "
    "print('COUNT' + str(Event.objects.filter(source='open311').count()) + ' ' + str(Event.objects.count()))"
)


def counts(env: dict[str, str]) -> tuple[int, int]:
    open311, total = shell(env, COUNT, "COUNT").split()
    return int(open311), int(total)


def measure(
    env: dict[str, str], port: int, target: str, secret: str, clients: int, seconds: float, where: list[str]
) -> dict:
    before = counts(env)
    result = loadgen(port, clients, seconds, "--target", target, f"--token={secret}", "--type", TYPE, *where)
    after = counts(env)
    result["counted"] = (after[0] - before[0]) if target == "open311" else (after[1] - before[1])
    return result


def combine(results: list[dict]) -> dict:
    """Rounds of one target as one figure: total created over total time, the median of the percentiles."""
    statuses: dict[str, int] = {}
    for r in results:
        for status, n in r["statuses"].items():
            statuses[status] = statuses.get(status, 0) + n
    return {
        "rate": sum(r["created"] for r in results) / sum(r["seconds"] for r in results),
        "created": sum(r["created"] for r in results),
        "counted": sum(r["counted"] for r in results),
        "p50_ms": statistics.median(r["p50_ms"] for r in results),
        "p99_ms": statistics.median(r["p99_ms"] for r in results),
        "statuses": statuses,
    }


def run(db: str, clients_list: list[int], seconds: float, workers: int, rounds: int) -> list[dict]:
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-open311-{db}-"))
    env, _ = prepare(db, workdir, pg_db="grassroots_bench_open311")
    setup = json.loads(shell(env, SETUP, "SETUP"))
    points = workdir / "points.json"
    points.write_text(json.dumps(setup["points"]))
    where = ["--bounds", ",".join(map(str, setup["bounds"])), "--points", str(points)]
    secrets = {"events": setup["token"], "open311": setup["key"]}
    rows = []
    try:
        with gunicorn(env, workers) as port:
            for clients in clients_list:
                results: dict[str, list[dict]] = {"events": [], "open311": []}
                # Alternate the order (A B, B A, …) so a machine getting busier or quieter favours neither side.
                for round_no in range(rounds):
                    order = ["events", "open311"] if round_no % 2 == 0 else ["open311", "events"]
                    for target in order:
                        results[target].append(
                            measure(env, port, target, secrets[target], clients, seconds, where)
                        )
                row = {"db": db, "clients": clients, **{t: combine(r) for t, r in results.items()}}
                rows.append(row)
                print_row(row)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return rows


def print_row(row: dict) -> None:
    events, open311 = row["events"], row["open311"]
    ratio = open311["rate"] / events["rate"] if events["rate"] else float("nan")
    print(
        f"{row['db']:<9} {row['clients']:>2} clients  "
        f"event API {events['rate']:>6.0f}/s (p50 {events['p50_ms']:5.1f} ms, p99 {events['p99_ms']:6.1f} ms)  "
        f"Open311 {open311['rate']:>6.0f}/s (p50 {open311['p50_ms']:5.1f} ms, p99 {open311['p99_ms']:6.1f} ms)  "
        f"ratio {ratio:.2f}  counted {events['counted']}/{events['created']} and "
        f"{open311['counted']}/{open311['created']}  statuses {events['statuses']} {open311['statuses']}",
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
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per client count")
    args = parser.parse_args()
    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; gunicorn workers {args.workers}"
    )
    for db in args.db.split(","):
        run(db, [int(c) for c in args.clients.split(",")], args.seconds, args.workers, args.rounds)


if __name__ == "__main__":
    main()
