"""The enforcement case list with a year of a township's cases (issue #16: < 300 ms at p95, a pinned query count).

    .venv/bin/python bench/bench_cases.py [--db sqlite|postgres] [--cases 3000] [--base 200] [--runs 40]

Builds a fresh database: the demo district, 西塘镇's 1,073 powers and its market entities, then `--base` cases of
综合行政执法西塘中队 through the services under the simulated clock (`grassroots/demo/enforcement_cases.py`: every
step a service call, with its history, clocks, audit rows and documents), then copies of them in bulk up to
`--cases` (each copy a case of its original's path and dates with a new party, its own case and decision numbers
continuing the unit's counters, its officers, history rows and clocks with their pauses and extensions, its
evidence rows; not the generated documents nor audit rows, which the list reads neither of).

Then, in this process through Django's test client (no network), with a bearer token as an officer of the squad
and as the township's leader (负责人): `GET /api/v1/enforcement-cases` (the first page, a filter by state, by
officer, a search, the second page), and `/enforcement/cases/` when that page exists. Prints p50, p95, the ratio
of p95 to the 300 ms target and the query count of each.
"""

import argparse
import os
import random
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
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--base", type=int, default=200)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-cases-"))
    env, _ = prepare(args.db, workdir, pg_db="grassroots_bench_cases")
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.MEDIA_ROOT = workdir / "media"
    from grassroots.demo.district import build_demo_district
    from grassroots.demo.enforcement_cases import build_demo_cases
    from grassroots.demo.enforcement_powers import build_demo_powers
    from grassroots.demo.market import build_demo_market

    started = time.perf_counter()
    build_demo_district(seed=2026)
    build_demo_powers(seed=2026)
    build_demo_market(seed=2026)
    print(f"db={args.db}: district, powers and entities in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    built = build_demo_cases(seed=2026, count=args.base)
    print(f"  {built.cases:,} cases through the services in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    copied = multiply(args.cases, random.Random(2026))
    print(f"  {copied:,} copies in bulk in {time.perf_counter() - started:.0f} s")
    if args.db == "postgres":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print("  ANALYZE run (as autovacuum would after the load)")
    measure(args.runs)


def multiply(target: int, rng: random.Random) -> int:
    """Copies of the service-made cases up to `target` cases in all (see the module's docstring)."""
    from django.db import transaction

    from grassroots.demo.identities import IdentityMaker
    from grassroots.enforcement.choices import CaseProcedure, DocumentKind, PartyKind
    from grassroots.enforcement.models import CaseCounter, EnforcementCase
    from grassroots.enforcement.services.numbering import case_number_text, document_number
    from grassroots.workcal.calendar import SHANGHAI

    originals = list(EnforcementCase.objects.select_related("unit").order_by("pk"))
    need = max(target - len(originals), 0)
    if not need:
        return 0
    counters = {(c.unit_id, c.year): c.last for c in CaseCounter.objects.all()}
    forms = EnforcementCase.objects.filter(procedure=CaseProcedure.SIMPLE).count()
    identities = IdentityMaker(rng)
    copies, sources = [], []
    for n in range(need):
        source = originals[n % len(originals)]
        case = EnforcementCase(
            **{f.attname: getattr(source, f.attname) for f in EnforcementCase._meta.concrete_fields}
        )
        case.pk = case.id = None
        case.unit = source.unit
        if case.party_kind == PartyKind.PERSON:
            person = identities.make(min_age=20, max_age=70)
            case.party_name, case.party_id_number, case.party_phone = (
                person.name,
                person.id_number,
                person.phone,
            )
        if source.number and source.filed_at is not None:
            year = source.filed_at.astimezone(SHANGHAI).year
            counters[(case.unit_id, year)] = counters.get((case.unit_id, year), 0) + 1
            case.number = case_number_text(case.unit, year, counters[(case.unit_id, year)])
        if source.procedure == CaseProcedure.SIMPLE and source.decision_number:
            forms += 1
            case.decision_number = f"浙综执当罚No.330421102{forms:05d}"
        elif source.decision_number:
            case.decision_number = document_number(case, DocumentKind.DECISION)
        copies.append(case)
        sources.append(source)
    with transaction.atomic():
        EnforcementCase.objects.bulk_create(copies, batch_size=500)
        for (unit_id, year), last in counters.items():
            CaseCounter.objects.update_or_create(unit_id=unit_id, year=year, defaults={"last": last})
        made: dict[int, list[Any]] = {c.pk: [] for c in originals}
        for case, source in zip(copies, sources, strict=True):
            made[source.pk].append(case)
        _copy_rows(made)
    return need


def _copy_rows(made: dict[int, list[Any]]) -> None:
    """Officers, history (numbers in its data rewritten), clocks with their ledgers and evidence rows."""
    from grassroots.enforcement.models import CaseHistory, EnforcementCase, Evidence
    from grassroots.workflow.models import Clock, ClockExtension, ClockPause

    def fields(row: Any, **changes: Any) -> dict[str, Any]:
        values = {
            f.attname: getattr(row, f.attname) for f in type(row)._meta.concrete_fields if not f.primary_key
        }
        return {**values, **changes}

    through = EnforcementCase.officers.through
    links = list(through.objects.filter(enforcementcase_id__in=made))
    through.objects.bulk_create(
        [
            through(enforcementcase_id=c.pk, person_id=link.person_id)
            for link in links
            for c in made[link.enforcementcase_id]
        ],
        batch_size=2000,
    )
    history = []
    for row in CaseHistory.objects.filter(case_id__in=made).order_by("pk"):
        for case in made[row.case_id]:
            data = dict(row.data)
            if "number" in data:
                data["number"] = case.number
            for key in ("decision_number", "form_number"):
                if key in data:
                    data[key] = case.decision_number
            history.append(CaseHistory(**fields(row, case_id=case.pk, data=data)))
    CaseHistory.objects.bulk_create(history, batch_size=2000)
    Evidence.objects.bulk_create(
        [
            Evidence(**fields(e, case_id=c.pk))
            for e in Evidence.objects.filter(case_id__in=made)
            for c in made[e.case_id]
        ],
        batch_size=2000,
    )
    clocks = list(Clock.objects.filter(workflow="case", object_id__in=list(made)).order_by("pk"))
    pairs = [
        (clock, Clock(**fields(clock, object_id=c.pk))) for clock in clocks for c in made[clock.object_id]
    ]
    Clock.objects.bulk_create([new for _, new in pairs], batch_size=2000)
    by_clock: dict[int, list[int]] = {}
    for old, new in pairs:
        by_clock.setdefault(old.pk, []).append(new.pk)
    ledgers: tuple[Any, ...] = (ClockPause, ClockExtension)
    for model in ledgers:
        rows = model.objects.filter(clock_id__in=list(by_clock))
        model.objects.bulk_create(
            [model(**fields(r, clock_id=pk)) for r in rows for pk in by_clock[r.clock_id]], batch_size=2000
        )


def measure(runs: int) -> None:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import Resolver404, resolve

    from grassroots.enforcement.models import EnforcementCase
    from grassroots.people.models import Person
    from grassroots.people.services import api_token_create

    cases = EnforcementCase.objects.select_related("unit")
    unit = cases.first().unit  # type: ignore[union-attr]
    officer = Person.objects.filter(enforcement_cases__isnull=False, unit=unit).order_by("pk").first()
    head = Person.objects.get(username="leader")
    assert officer is not None
    mine = cases.filter(officers=officer).count()
    print(
        f"{cases.count():,} cases of {unit.name}; officer {officer.username} on {mine:,}; head {head.username}"
    )
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

    def bearer(person: Person) -> Client:
        _, key = api_token_create(actor=None, person=person, name="bench")
        return Client(headers={"Authorization": f"Bearer {key}"})

    base = "/api/v1/enforcement-cases"
    for who, person in (("officer", officer), ("head", head)):
        client = bearer(person)
        first = timed(client, f"GET {base} ({who}, 50)", base)
        timed(client, f"GET {base}?cursor= ({who}, page 2)", base, {"cursor": first.json()["next"]})
        timed(client, f"GET {base}?state=investigating ({who})", base, {"state": "investigating"})
        timed(client, f"GET {base}?officer= ({who})", base, {"officer": officer.pk})
        timed(client, f"GET {base}?q=2026 ({who})", base, {"q": "2026"})
        timed(client, f"GET {base}?limit=200 ({who})", base, {"limit": 200})
    try:
        resolve("/enforcement/cases/")
    except Resolver404:
        print("/enforcement/cases/ does not resolve yet (the case pages are not merged): not timed")
        return
    for who, person in (("officer", officer), ("head", head)):
        page = Client()
        page.force_login(person)
        timed(page, f"GET /enforcement/cases/ ({who})", "/enforcement/cases/")


if __name__ == "__main__":
    main()
