"""Triggers that write a mark (models.Mark) for every change to an event, its tasks, its orders and its steps, in
the same transaction as the change: the old timestamps of an update or delete ride along, so the days an event was
counted in before the change are known. Plain SQL on both databases; no application code can forget to call it."""

from django.db import migrations

# (table, kind, the event id, the old timestamps written with an update or delete)
TABLES = [
    ("events_event", "e", "id", ["reported_at", "registered_at", "closed_at", "due_at"]),
    ("events_assignment", "a", "event_id", ["dispatched_at", "deadline", "fed_back_at"]),
    ("events_supervisionorder", "s", "event_id", ["issued_at"]),
    ("events_transition", "t", "event_id", ["at"]),
]


def _columns(times: list[str]) -> tuple[str, str]:
    names = ", ".join(f"t{i}" for i in range(1, len(times) + 1))
    values = ", ".join(f"OLD.{t}" for t in times)
    return names, values


def _region(table: str, ref: str) -> str:
    if table == "events_event":
        return f"{ref}.region_code"
    return f"(SELECT region_code FROM events_event WHERE id = {ref}.event_id)"


def sqlite_sql() -> list[str]:
    out = []
    for table, kind, key, times in TABLES:
        names, values = _columns(times)
        out.append(
            f"CREATE TRIGGER rollups_{table}_ins AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO rollups_mark(event_id, region, kind) VALUES (NEW.{key}, {_region(table, 'NEW')}, '{kind}'); "
            "END"
        )
        for op in ("UPDATE", "DELETE"):
            out.append(
                f"CREATE TRIGGER rollups_{table}_{op.lower()[:3]} AFTER {op} ON {table} BEGIN "
                f"INSERT INTO rollups_mark(event_id, region, {names}, kind) "
                f"VALUES (OLD.{key}, {_region(table, 'OLD')}, {values}, '{kind}'); "
                "END"
            )
    return out


def sqlite_drop() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS rollups_{table}_{op}"
        for table, *_ in TABLES
        for op in ("ins", "upd", "del")
    ]


def postgresql_sql() -> list[str]:
    out = []
    for table, kind, key, times in TABLES:
        names, values = _columns(times)
        out.append(
            f"CREATE OR REPLACE FUNCTION rollups_mark_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF TG_OP = 'INSERT' THEN "
            f"INSERT INTO rollups_mark(event_id, region, kind) VALUES (NEW.{key}, {_region(table, 'NEW')}, '{kind}'); "
            "ELSE "
            f"INSERT INTO rollups_mark(event_id, region, {names}, kind) "
            f"VALUES (OLD.{key}, {_region(table, 'OLD')}, {values}, '{kind}'); "
            "END IF; RETURN NULL; END $$"
        )
        out.append(
            f"CREATE TRIGGER rollups_mark AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION rollups_mark_{table}()"
        )
    return out


def postgresql_drop() -> list[str]:
    out = []
    for table, *_ in TABLES:
        out.append(f"DROP TRIGGER IF EXISTS rollups_mark ON {table}")
        out.append(f"DROP FUNCTION IF EXISTS rollups_mark_{table}()")
    return out


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("rollups", "0001_initial"),
        ("events", "0012_event_modes_routes_feedback"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": sqlite_sql(), "postgresql": postgresql_sql()}),
            _run({"sqlite": sqlite_drop(), "postgresql": postgresql_drop()}),
        ),
    ]
