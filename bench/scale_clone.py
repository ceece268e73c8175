"""Growing bench_scale.py's database: district k (k ≥ 1) is a copy of the generated district 330421, made in SQL on
PostgreSQL. The geography and units come from assessment_world.clone_districts (code 3305{k + 9}); the events,
tasks, supervision orders and steps by INSERT … SELECT with each table's ids offset by k × (the source's largest
id), the region codes rewritten and the grid, township, village and unit keys mapped to the copies by code. The
people and event types are shared (a county department, not copied, keeps its own unit). Triggers and foreign-key
checks are off during the copy (session_replication_role = replica); `rollups rebuild` follows.

With `rollups=True` the source's day and month rows are copied too, remapped the same way (a copy's counts are
the source's under the copied keys), so the copies need no rebuild: on a loaded machine a rebuild takes hours at
10 districts. bench_scale.py checks a copy's rollups against its raw rows (`rollups check`) when it does this.
"""

import time
from typing import Any

SOURCE = "330421"
TABLES = ["events_event", "events_assignment", "events_supervisionorder", "events_transition"]


def district_code(k: int) -> str:
    return SOURCE if k == 0 else f"3305{k + 9:02d}"


def districts_present() -> int:
    from grassroots.geo.models import Division

    codes = {district_code(k) for k in range(100)}
    return Division.objects.filter(level="district", code__in=codes).count()


def grow(to: int, *, rollups: bool = False) -> None:
    """Copy the source district until `to` districts are present (with its rollup rows if `rollups`)."""
    from django.db import connection

    have = districts_present()
    for k in range(have, to):
        started = time.perf_counter()
        rows = clone_district(k, rollups=rollups)
        print(
            f"  district {k + 1} ({district_code(k)}): {rows} rows in {time.perf_counter() - started:.0f} s"
        )
    if have < to:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"  ANALYZE {time.perf_counter() - started:.0f} s", flush=True)


def _columns(model: Any) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]


def _select(model: Any, overrides: dict[str, str]) -> tuple[str, str]:
    columns = [c for c in _columns(model) if overrides.get(c) != "-"]
    exprs = [overrides.get(c, f"s.{c}") for c in columns]
    return ", ".join(columns), ", ".join(exprs)


def clone_district(k: int, *, rollups: bool = False) -> int:
    from assessment_world import clone_districts
    from django.db import connection, transaction

    from grassroots.events.models import Assignment, Event, SupervisionOrder, Transition

    with transaction.atomic():
        [code] = clone_districts(1, first=k - 1)
        assert code == district_code(k), code
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            for name, table in (("div", "geo_division"), ("grid", "geo_grid"), ("unit", "org_unit")):
                cursor.execute(
                    f"CREATE TEMP TABLE map_{name} ON COMMIT DROP AS SELECT o.id AS old, n.id AS new "
                    f"FROM {table} o JOIN {table} n ON n.code = %s || substr(o.code, 7) "
                    f"WHERE o.code LIKE %s",
                    [code, SOURCE + "%"],
                )
                cursor.execute(f"CREATE UNIQUE INDEX ON map_{name} (old)")
            cursor.execute("SELECT max(id) FROM events_event WHERE region_code LIKE %s", [SOURCE + "%"])
            last_event = cursor.fetchone()[0]
            offsets = {"events_event": k * last_event}
            for table in TABLES[1:]:
                cursor.execute(f"SELECT max(id) FROM {table} WHERE event_id <= %s", [last_event])
                offsets[table] = k * cursor.fetchone()[0]
            ev = offsets["events_event"]
            unit = "COALESCE((SELECT new FROM map_unit WHERE old = s.unit_id), s.unit_id)"
            statements = [
                (
                    Event,
                    {
                        "id": f"s.id + {ev}",
                        "number": f"s.number || '-{k}'",
                        "idempotency_key": f"s.idempotency_key || '-{k}'",
                        "region_code": f"'{code}' || substr(s.region_code, 7)",
                        "grid_id": "(SELECT new FROM map_grid WHERE old = s.grid_id)",
                        "township_id": "(SELECT new FROM map_div WHERE old = s.township_id)",
                        "village_id": "(SELECT new FROM map_div WHERE old = s.village_id)",
                        "holder_unit_id": "COALESCE((SELECT new FROM map_unit WHERE old = s.holder_unit_id), "
                        "s.holder_unit_id)",
                        "merged_into_id": f"s.merged_into_id + {ev}",
                    },
                    "s.id",
                ),
            ]
            for model in (Assignment, SupervisionOrder, Transition):
                table = model._meta.db_table
                over = {"id": f"s.id + {offsets[table]}", "event_id": f"s.event_id + {ev}", "unit_id": unit}
                statements.append((model, over, "s.event_id"))
            rows = 0
            for model, over, key in statements:
                table = model._meta.db_table
                columns, exprs = _select(model, over)
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT {exprs} FROM {table} s WHERE {key} <= %s",
                    [last_event],
                )
                rows += cursor.rowcount
            for table in TABLES:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
            if rollups:
                rows += clone_rollups(cursor, code)
    return rows


def clone_rollups(cursor: Any, code: str) -> int:
    """The source's day and month rows (and their summaries) under the copy's region, township, village, grid
    and unit."""
    from grassroots.rollups.models import DayCount, DaySummary, MonthCount, MonthSummary

    over = {
        "id": "-",
        "region": f"'{code}' || substr(s.region, 7)",
        "township_id": "(SELECT new FROM map_div WHERE old = s.township_id)",
        "village_id": "(SELECT new FROM map_div WHERE old = s.village_id)",
        "grid_id": "(SELECT new FROM map_grid WHERE old = s.grid_id)",
        "unit_id": "COALESCE((SELECT new FROM map_unit WHERE old = s.unit_id), s.unit_id)",
    }
    rows = 0
    for model in (DayCount, MonthCount, DaySummary, MonthSummary):
        table = model._meta.db_table
        columns, exprs = _select(model, over)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {exprs} FROM {table} s WHERE s.region LIKE %s",
            [SOURCE + "%"],
        )
        rows += cursor.rowcount
    return rows
