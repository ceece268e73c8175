"""The figures of bench_scale.py at each size: `rollups rebuild` timed, then for a district viewer (the command
centre of 330421) and an all-district viewer (a superuser, as a city or province leader would see it) the leader
dashboard (year and month), the ranking, the monthly report and the command queue's first page, in-process
through the selectors and the pages through Django's test client, with query counts; the dashboard, ranking and
report again from the detail rows only (no township summaries), and the dashboard with the rollups off (raw rows). Results are kept in var/bench/<database>-results.json so a later run adds sizes;
the ratios and the 100-district estimate are printed from all the sizes kept.
"""

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
YEAR, MONTH = "2025", "2025-06"
Result = dict[str, float | int]


def run(sizes: list[int], *, repeat: int, copy_rollups: bool = False) -> None:
    from django.db import connection

    path = ROOT / "var" / "bench" / f"{Path(str(connection.settings_dict['NAME'])).stem}-results.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    kept: dict[str, dict[str, Result]] = json.loads(path.read_text()) if path.exists() else {}
    for size in sizes:
        results: dict[str, Result] = {}
        if connection.vendor == "postgresql":
            import scale_clone

            scale_clone.grow(size, rollups=copy_rollups)
        if copy_rollups and size > 1:
            check_copy(scale_clone.district_code(size - 1))
        elif copy_rollups and counted():
            print(f"  rollups counted through {counted()}; advance: {advance_ms():.0f} ms", flush=True)
        else:
            results["rollups rebuild"] = {"ms": rebuild()}
        results |= measure(size, repeat)
        kept[str(size)] = results
        path.write_text(json.dumps(kept, indent=1))
    summary(kept)


def rebuild() -> float:
    from grassroots.rollups import build

    started = time.perf_counter()
    days = build.rebuild()
    took = time.perf_counter() - started
    print(f"  rollups rebuild: {days} days in {took:.1f} s (through {build.through()})", flush=True)
    return took * 1000


def counted() -> object:
    from grassroots.rollups import build

    return build.through()


def advance_ms() -> float:
    from grassroots.rollups import build

    started = time.perf_counter()
    build.advance()
    return (time.perf_counter() - started) * 1000


def check_copy(code: str) -> None:
    """The copies' rollups were copied, not counted: prove one copy's month against its raw rows."""
    from grassroots.assessment.areas import Area
    from grassroots.assessment.periods import period_parse
    from grassroots.rollups import build
    from grassroots.rollups.check import compare

    started = time.perf_counter()
    advanced = build.advance()
    print(
        f"  rollups copied with the districts; advance: {advanced} days ({time.perf_counter() - started:.1f} s)"
    )
    started = time.perf_counter()
    differences = compare(period=period_parse(MONTH), area=Area(code, ""))
    took = time.perf_counter() - started
    first = f", the first: {differences[0]}" if differences else ""
    print(
        f"  rollups check {MONTH} {code} (the last copy): {len(differences)} differences ({took:.1f} s){first}"
    )


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, int, Any]:
    """Best of `repeat` after one warm-up call, in ms; the queries of one call (counted by an execute wrapper:
    the test client's request_started signal empties connection.queries)."""
    from django.db import connection

    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        result = fn()
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best * 1000, len(queries), result


class ReaderCount:
    """Counts the cubes the rollup reader answered and the ones it left to the raw rows."""

    def __init__(self) -> None:
        from grassroots.assessment import figures as fig

        self.answered = self.declined = 0
        self.inner = fig._READERS[0]
        fig._READERS[0] = self

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        rows = self.inner(*args, **kwargs)
        if rows is None:
            self.declined += 1
        else:
            self.answered += 1
        return rows

    def take(self) -> str:
        out = f"{self.answered} from rollups, {self.declined} raw"
        self.answered = self.declined = 0
        return out


def viewers() -> list[tuple[str, Any, Any]]:
    from grassroots.assessment import figures as fig
    from grassroots.people.models import Person

    centre = Person.objects.get(username="centre")
    province, _ = Person.objects.get_or_create(
        username="bench_province",
        defaults={"is_superuser": True, "is_staff": True, "role": "leader", "name": "省级查看"},
    )
    return [
        ("district 330421", centre, fig.Area("330421", "嘉善县")),
        ("all districts", province, fig.Area("", "全部")),
    ]


def measure(size: int, repeat: int) -> dict[str, Result]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    from grassroots.assessment.analysis import report_data
    from grassroots.assessment.periods import period_parse
    from grassroots.assessment.selectors import dashboard, indicator_table, ranking_kind
    from grassroots.dashboard.selectors import overview_figures
    from grassroots.events.choices import OPEN_STATUSES
    from grassroots.events.models import Assignment, Event, Transition
    from grassroots.events.selectors import EventFilters, events_list, open_items, queue_counts

    print(
        f"\n== {size} district(s), {connection.vendor}: {Event.objects.count()} events, "
        f"{Transition.objects.count()} steps, {Assignment.objects.count()} tasks",
        flush=True,
    )
    year, month = period_parse(YEAR), period_parse(MONTH)
    readers = ReaderCount()
    out: dict[str, Result] = {}

    def queue_page(viewer: Any) -> Any:
        now = timezone.now()
        events = events_list(viewer=viewer, filters=EventFilters(statuses=sorted(OPEN_STATUSES)), now=now)
        rows = list(events.annotate(**open_items())[:50])
        return rows, queue_counts(events=events, now=now)

    for label, viewer, area in viewers():
        kind = ranking_kind(area)
        calls: list[tuple[str, Callable[[], Any], int]] = [
            ("dashboard year", lambda v=viewer, a=area: dashboard(viewer=v, period=year, area=a), repeat),
            ("dashboard month", lambda v=viewer, a=area: dashboard(viewer=v, period=month, area=a), repeat),
            (
                "ranking month",
                lambda v=viewer, a=area, k=kind: indicator_table(
                    viewer=v, kind=k, period=month, area=a, sort="on_time_completion"
                ),
                repeat,
            ),
            ("monthly report", lambda v=viewer, a=area: report_data(viewer=v, period=month, area=a), repeat),
            ("queue first page", lambda v=viewer: queue_page(v), repeat),
            ("command overview", lambda v=viewer: overview_figures(viewer=v), repeat),
        ]
        print(f"  {label}:")
        for name, fn, n in calls:
            ms, queries, _ = timed(fn, n)
            record(out, f"{label} / {name}", ms, queries, readers.take())
        with override_settings(ROLLUPS_SUMMARIES=False):
            for name, fn, _ in calls[:4]:
                ms, queries, _ = timed(fn, min(repeat, 2))
                record(out, f"{label} / {name} (detail rows)", ms, queries, readers.take())
        with override_settings(ROLLUPS_READ=False):
            for name, fn, _ in calls[:2]:
                ms, queries, _ = timed(fn, min(repeat, 2))
                record(out, f"{label} / {name} (raw rows)", ms, queries, readers.take())
        client = Client()
        client.force_login(viewer)
        pages = [
            ("page: dashboard year", f"/assessment/dashboard/?period={YEAR}&area={area.param}"),
            ("page: dashboard month", f"/assessment/dashboard/?period={MONTH}&area={area.param}"),
            ("page: ranking month", f"/assessment/?period={MONTH}&area={area.param}&subject={kind}"),
            ("page: queue", "/command/"),
            ("page: command overview", "/dashboard/"),
        ]
        for name, url in pages:
            ms, queries, response = timed(lambda u=url, c=client: c.get(u), repeat)
            record(out, f"{label} / {name}", ms, queries, f"HTTP {response.status_code}; {readers.take()}")
    return out


def record(out: dict[str, Result], key: str, ms: float, queries: int, note: str) -> None:
    out[key] = {"ms": round(ms, 1), "queries": queries}
    print(f"    {key.split(' / ', 1)[1]:<34} {ms:8.1f} ms  {queries:3d} queries  {note}", flush=True)


def summary(kept: dict[str, dict[str, Result]]) -> None:
    sizes = sorted(int(s) for s in kept)
    if len(sizes) < 2:
        return
    first, last = sizes[0], sizes[-1]
    print(f"\n== growth ({', '.join(map(str, sizes))} districts; ms, best of the repeats)")
    keys = list(kept[str(last)])
    print(
        f"  {'figure':<58}"
        + "".join(f"{s:>9}" for s in sizes)
        + "".join(f"{f'{s}/{first}':>8}" for s in sizes[1:])
    )
    for key in keys:
        values = [kept[str(s)].get(key, {}).get("ms") for s in sizes]
        if values[0] is None or None in values:
            continue
        ratios = "".join(f"{v / values[0]:8.2f}" for v in values[1:])  # type: ignore[operator]
        print(f"  {key:<58}" + "".join(f"{v:9.0f}" for v in values) + ratios)  # type: ignore[str-format]
    print(f"\n== the 100-district estimate: a straight line through {first} and {last} districts")
    for key in keys:
        a, b = kept[str(first)].get(key, {}).get("ms"), kept[str(last)].get(key, {}).get("ms")
        if a is None or b is None or "dashboard" not in key:
            continue
        slope = (b - a) / (last - first)
        if slope <= 0:
            print(f"  {key:<58} {a:.0f} → {b:.0f} ms: does not grow with the districts")
            continue
        estimate = a + slope * (100 - first)
        print(
            f"  {key:<58} {a:.0f} + ({b:.0f} − {a:.0f}) / ({last} − {first}) × (100 − {first})"
            f" = {a:.0f} + {slope:.1f} × {100 - first} = {estimate:.0f} ms"
        )
