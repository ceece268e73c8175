"""The petition queue with a year of a township's petitions (issue #17: < 300 ms at p95, a pinned query count).

    .venv/bin/python bench/bench_petitions.py [--db sqlite|postgres] [--petitions 330] [--runs 40] [--reuse DIR]

Builds a fresh database: the demo district, then a year of 西塘镇信访办公室's petitions through the services under the
simulated clock (`grassroots/demo/petitions.py`: every step a service call with its history, clocks, notices
(.docx), audit rows). Then, in this process through Django's test client (no network), as the petition office's
staff member and as a township leader (包案领导, who sees the township): `GET /api/v1/petitions` with a bearer token
(the first page, the second, a filter by state, the red light, a search, 200 rows) and the page
`/governance/petitions/` (30 a page). Prints p50, p95, the ratio of p95 to the 300 ms target and the query count.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import prepare

TARGET_MS = 300.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--petitions", type=int, default=330)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument(
        "--reuse", help="SQLite only: time the database a previous run built in this directory"
    )
    args = parser.parse_args()
    if args.reuse:
        workdir = Path(args.reuse)
        env = {
            **os.environ,
            "FAST_PASSWORD_HASHER": "1",
            "GRASSROOTS_VAR_DIR": str(workdir),
            "LOG_LEVEL": "ERROR",
        }
        env.pop("DATABASE_URL", None)
    else:
        workdir = Path(tempfile.mkdtemp(prefix="bench-petitions-"))
        env, _ = prepare(args.db, workdir, pg_db="grassroots_bench_petitions")
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.MEDIA_ROOT = workdir / "media"
    from grassroots.demo.district import build_demo_district
    from grassroots.demo.petitions import build_demo_petitions

    if args.reuse:
        measure(args.runs)
        return
    started = time.perf_counter()
    build_demo_district(seed=2026)
    print(f"db={args.db}: district in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    built = build_demo_petitions(seed=2026, count=args.petitions)
    print(f"  {built.line()}\n  through the services in {time.perf_counter() - started:.0f} s")
    if args.db == "postgres":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print("  ANALYZE run (as autovacuum would after the load)")
    measure(args.runs)


def measure(runs: int) -> None:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from grassroots.governance.models import Petition
    from grassroots.people.models import Person
    from grassroots.people.services import api_token_create

    staff = Person.objects.filter(unit__code="330421102-XFB").order_by("pk").first()
    leader = Person.objects.filter(petitions_led__isnull=False).order_by("pk").first()
    assert staff is not None and leader is not None
    print(f"{Petition.objects.count():,} petitions; staff {staff.username}; leader {leader.username}")
    print(f"{'request':52} {'p50 ms':>8} {'p95 ms':>8} {'p95/300':>8} {'queries':>8}")

    def timed(client: Client, label: str, path: str, params: dict[str, Any] | None = None) -> Any:
        client.get(path, params or {})  # warm
        reset_queries()  # the log is bounded: full after the build, it would count nothing
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, params or {})
        count = len(queries.captured_queries)  # now: each request clears the log when it starts
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            response = client.get(path, params or {})
            times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (label, response.status_code)
        p50, p95 = statistics.median(times), statistics.quantiles(times, n=20)[18]
        print(f"{label:52} {p50:8.1f} {p95:8.1f} {p95 / TARGET_MS:8.2f} {count:8}")
        return response

    base = "/api/v1/petitions"
    for who, person in (("staff", staff), ("leader", leader)):
        _, key = api_token_create(actor=None, person=person, name="bench")
        client = Client(headers={"Authorization": f"Bearer {key}"})
        first = timed(client, f"GET {base} ({who}, 50)", base)
        timed(client, f"GET {base}?cursor= ({who}, page 2)", base, {"cursor": first.json()["next"]})
        timed(client, f"GET {base}?state=closed ({who})", base, {"state": "closed"})
        timed(client, f"GET {base}?light=red ({who})", base, {"light": "red"})
        timed(client, f"GET {base}?q=补偿 ({who})", base, {"q": "补偿"})
        timed(client, f"GET {base}?limit=200 ({who})", base, {"limit": 200})
        page = Client()
        page.force_login(person)
        timed(page, f"GET /governance/petitions/ ({who})", "/governance/petitions/")
        timed(
            page,
            f"GET /governance/petitions/?light=green ({who})",
            "/governance/petitions/",
            {"light": "green"},
        )


if __name__ == "__main__":
    main()
