"""Bulk insert for bench_assessment.py: the generated rows written as the services' rows would be (COPY on
PostgreSQL, executemany on SQLite).
"""

import datetime as dt
import json
from typing import Any


class Inserter:
    """Rows as dicts of attribute names; missing fields take the model default. COPY on PostgreSQL, executemany
    on SQLite, ids given explicitly (sequences reset at the end)."""

    def __init__(self, connection: Any) -> None:
        from grassroots.events.models import Assignment, Event, SupervisionOrder, Transition

        self.connection = connection
        self.models = {
            "events": Event,
            "transitions": Transition,
            "assignments": Assignment,
            "orders": SupervisionOrder,
        }
        self.next_id = {"transitions": 1, "assignments": 1, "orders": 1}

    def _value(self, field: Any, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            if self.connection.vendor == "sqlite":
                return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
            return value
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, bool) and self.connection.vendor == "sqlite":
            return int(value)
        return value

    def insert(self, chunk: dict[str, list[dict[str, Any]]]) -> None:
        from django.db import transaction

        with transaction.atomic():
            for name in ("events", "transitions", "assignments", "orders"):
                rows = chunk[name]
                if not rows:
                    continue
                if name != "events":
                    for row in rows:
                        row["id"] = self.next_id[name]
                        self.next_id[name] += 1
                self._insert(self.models[name], rows)

    def _insert(self, model: Any, rows: list[dict[str, Any]]) -> None:
        fields = model._meta.concrete_fields
        defaults = {f.attname: f.get_default() for f in fields}
        columns = [f.column for f in fields]
        data = [[self._value(f, row.get(f.attname, defaults[f.attname])) for f in fields] for row in rows]
        table = model._meta.db_table
        raw = self.connection.connection
        if self.connection.vendor == "postgresql":
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for values in data:
                    copy.write_row(values)
        else:
            marks = ", ".join("?" for _ in columns)
            raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", data)

    def finish(self) -> None:
        if self.connection.vendor != "postgresql":
            return
        with self.connection.cursor() as cursor:
            for model in self.models.values():
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"
                )
