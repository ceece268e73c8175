"""The dispute list with a year of a township's disputes (issue #17: < 300 ms at p95, a pinned query count).

    .venv/bin/python bench/bench_disputes.py [--db sqlite|postgres] [--disputes 860] [--runs 40]

Builds a fresh database: the demo district, then `--disputes` disputes of 西塘镇 over a year through the services
under the simulated clock (`grassroots/demo/disputes.py`: every step a service call, with its history, clocks and
audit rows). Then, in this process through Django's test client (no network): `GET /api/v1/disputes` (the first
page, the second, a filter, a search, 200 a page) with a bearer token as the committee's mediator and as the
township's leader, and `/governance/disputes/` signed in as each. Prints p50, p95, the ratio of p95 to the 300 ms
target and the query count of each.
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
    parser.add_argument("--disputes", type=int, default=860)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-disputes-"))
    env, _ = prepare(args.db, workdir, pg_db="grassroots_bench_disputes")
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.MEDIA_ROOT = workdir / "media"
    from grassroots.demo.disputes import build_demo_disputes
    from grassroots.demo.district import build_demo_district

    started = time.perf_counter()
    build_demo_district(seed=2026)
    print(f"db={args.db}: district in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    built = build_demo_disputes(seed=2026, count=args.disputes)
    print(f"  {built.line()}, through the services in {time.perf_counter() - started:.0f} s")
    if args.db == "postgres":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    measure(args.runs)


def measure(runs: int) -> None:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from grassroots.people.models import Person
    from grassroots.people.services import api_token_create

    mediator = Person.objects.filter(disputes_mediated__isnull=False).order_by("pk").first()
    leader = Person.objects.get(username="leader")
    assert mediator is not None
    print(f"{'request':58} {'p50 ms':>8} {'p95 ms':>8} {'p95/300':>8} {'queries':>8}")

    def timed(client: Client, label: str, path: str, params: dict[str, Any] | None = None) -> Any:
        client.get(path, params or {})  # warm
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, params or {})
        count = len(queries.captured_queries)
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            response = client.get(path, params or {})
            times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (label, response.status_code)
        p50, p95 = statistics.median(times), statistics.quantiles(times, n=20)[18]
        print(f"{label:58} {p50:8.1f} {p95:8.1f} {p95 / TARGET_MS:8.2f} {count:8}")
        return response

    base = "/api/v1/disputes"
    for who, person in (("mediator", mediator), ("leader", leader)):
        _, key = api_token_create(actor=None, person=person, name="bench")
        client = Client(headers={"Authorization": f"Bearer {key}"})
        first = timed(client, f"GET {base} ({who}, 50)", base)
        timed(client, f"GET {base}?cursor= ({who}, page 2)", base, {"cursor": first.json()["next"]})
        timed(client, f"GET {base}?state=agreed ({who})", base, {"state": "agreed"})
        timed(client, f"GET {base}?q=邻 ({who})", base, {"q": "邻"})
        timed(client, f"GET {base}?limit=200 ({who})", base, {"limit": 200})
    for who, person in (("mediator", mediator), ("leader", leader)):
        page = Client()
        page.force_login(person)
        timed(page, f"GET /governance/disputes/ ({who})", "/governance/disputes/")
        timed(page, f"GET /governance/disputes/?state=all ({who})", "/governance/disputes/", {"state": "all"})
        timed(page, f"GET /governance/disputes/?light=red ({who})", "/governance/disputes/", {"light": "red"})


if __name__ == "__main__":
    main()
