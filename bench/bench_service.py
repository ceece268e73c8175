"""The service window's pages with a year of applications loaded (issue #14: the accept page under 300 ms at p95).

    .venv/bin/python bench/bench_service.py [--db sqlite|postgres] [--days 365] [--runs 40]

Builds a fresh database: the demo district (its catalogue of 164 items, centres, windows and clerks), then `--days`
of applications in every centre with the demo's bulk builder (西塘镇 keeps its seed's 8,663; 魏塘街道 runs at about
145 a working day, about 36,000 a year). Then, in this process through Django's test client (no network), as the
demo's window clerk of 西塘镇 and as its leader: the accept page empty and with an item chosen (the HTMX request the
item picker sends), an acceptance posted (a real write: application, history, clock, visit, audit), the desk, one
application's page, the figures page and the catalogue. Prints p50, p95, the ratio of p95 to the 300 ms target and the
query count of each.
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
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-service-"))
    env, _ = prepare(args.db, workdir, pg_db="grassroots_bench_service")
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    from grassroots.demo.convenience import build_demo_applications
    from grassroots.demo.district import build_demo_district

    started = time.perf_counter()
    build_demo_district(seed=2026)
    built = build_demo_applications(seed=2026, days=args.days)
    print(
        f"db={args.db} days={args.days}: {built.applications:,} applications built in "
        f"{time.perf_counter() - started:.0f} s"
    )
    if args.db == "postgres":
        # What autovacuum does within a minute of a bulk load; without it the planner guesses 38 rows for 36,000.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print("  ANALYZE run (as autovacuum would after the load)")
    for name, tally in built.by_township.items():
        print(f"  {name}: accepted {tally['accepted']:,}, finished {tally['finished']:,}")
    measure_pages(args.runs)


def measure_pages(runs: int) -> None:
    from django.db import connection, reset_queries
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from grassroots.convenience.models import Application, ServiceCentre
    from grassroots.convenience.selectors import items_for
    from grassroots.people.models import Person

    # The busiest centre (魏塘街道's, about 36,000 a year) and one of its clerks.
    busiest = Application.objects.values("centre").annotate(n=Count("id")).order_by("-n").first()
    assert busiest is not None
    centre = ServiceCentre.objects.select_related("township").get(pk=busiest["centre"])
    clerk = Person.objects.filter(role="window_clerk", unit_id=centre.unit_id, is_active=True).first()
    assert clerk is not None
    item = items_for(centre).filter(materials__isnull=False).order_by("code").distinct().first()
    assert item is not None
    materials = [m.pk for m in item.materials.all() if m.need != "conditional"]
    one = Application.objects.filter(centre=centre, status="delivered").order_by("-id").first()
    assert one is not None
    leader = Person.objects.filter(role="leader", division__code=centre.township.code).first()
    print(
        f"centre {centre.name}: {busiest['n']:,} applications; clerk {clerk.username}; "
        f"item {item.code} ({len(materials)} materials)"
    )
    print(f"{'page':44} {'p50 ms':>8} {'p95 ms':>8} {'p95/300':>8} {'queries':>8}")

    def timed(client: Client, label: str, call: Any, expected: tuple[int, ...] = (200,)) -> None:
        call(client)  # warm
        reset_queries()  # the log is a bounded deque, full after the build when DEBUG is on
        times = []
        with CaptureQueriesContext(connection) as queries:
            call(client)
        count = len(queries.captured_queries)  # now: the log is a bounded deque that turns over
        for _ in range(runs):
            t0 = time.perf_counter()
            response = call(client)
            times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code in expected, (label, response.status_code, response.get("Location"))
        p50 = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[18]
        print(f"{label:44} {p50:8.1f} {p95:8.1f} {p95 / TARGET_MS:8.2f} {count:8}")

    window = Client()
    window.force_login(clerk)
    timed(window, "GET /service/apply/ (window)", lambda c: c.get("/service/apply/"))
    timed(
        window,
        "GET /service/apply/?item= (HTMX, the form)",
        lambda c: c.get(f"/service/apply/?item={item.code}", HTTP_HX_REQUEST="true"),
    )
    posted = {
        "item": item.code,
        "applicant_kind": "person",
        "applicant_name": "测试申请人",
        "channel": "window",
        "received": materials,
    }
    timed(
        window,
        "POST /service/apply/ (accept: a real write)",
        lambda c: c.post("/service/apply/", posted),
        expected=(302,),
    )
    timed(window, "GET /service/ (desk)", lambda c: c.get("/service/"))
    timed(window, "GET /service/applications/<id>/", lambda c: c.get(f"/service/applications/{one.pk}/"))
    timed(window, "GET /service/catalogue/", lambda c: c.get("/service/catalogue/"))
    if leader is not None:
        boss = Client()
        boss.force_login(leader)
        timed(boss, "GET /service/figures/ (leader, this month)", lambda c: c.get("/service/figures/"))
    public = Client()
    timed(public, "GET /s/guide/?q=社保 (public)", lambda c: c.get("/s/guide/", {"q": "社保"}))


if __name__ == "__main__":
    main()
