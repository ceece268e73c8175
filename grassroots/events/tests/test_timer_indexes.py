"""The event timer's due sets are served by their partial indexes, not by reading every open or overdue row.

The planner matches a partial index only when the query spells its condition the same way, so a change to the
clocked statuses or to the query without a migration of the index would fall back to a scan of the backlog
(bench/bench_timer_scan.py measures the difference at 1M rows). On PostgreSQL scans are switched off for the
check: on an empty table the planner would rightly prefer them, and the question is only whether the index
can serve the query at all. SQLite, whose planner may prefer the full (status, deadline) index on an empty
table, is asked with INDEXED BY, which fails the statement when the index cannot serve it.
"""

import pytest
from django.db import connection, transaction
from django.utils import timezone

from grassroots.events.services.timers import events_due, events_to_warn


def plan_of(queryset, index: str) -> str:
    """The plan with `index` forced where the database lets us (SQLite's INDEXED BY fails the statement when the
    index cannot serve it); on PostgreSQL with scans and sorts switched off."""
    if connection.vendor == "sqlite":
        sql, params = queryset.query.sql_with_params()
        table = f'FROM "{queryset.model._meta.db_table}"'
        sql = sql.replace(table, f'{table} INDEXED BY "{index}"', 1)
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return "\n".join(str(row) for row in cursor.fetchall())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        return queryset.explain()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("selection", "index"),
    [
        (events_due, "event_timer_due_idx"),
        (events_to_warn, "event_timer_warn_idx"),
    ],
)
def test_each_due_set_is_read_through_its_partial_index(selection, index):
    plan = plan_of(selection(now=timezone.now(), batch=500), index)

    assert index in plan, plan
