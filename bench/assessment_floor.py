"""The floors bench_assessment.py measures against: hand-written SQL over the same rows as the dashboard."""

import datetime as dt
from typing import Any


def floor_sql(connection: Any, area: str, start: dt.datetime, end: dt.datetime) -> Any:
    """The floor: one hand-written aggregate over the same rows, the kind a DBA would write for the headline
    figures by township (reported, closed, due, closed on time) in one scan."""
    upper = str(int(area) + 1).zfill(len(area))
    if connection.vendor == "sqlite":
        s, e = (x.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ") for x in (start, end))
        p = "?"
    else:
        s, e = start, end
        p = "%s"
    sql = f"""
        SELECT township_id,
               COUNT(*) FILTER (WHERE reported_at >= {p} AND reported_at < {p}),
               COUNT(*) FILTER (WHERE closed_at >= {p} AND closed_at < {p}),
               COUNT(*) FILTER (WHERE due_at >= {p} AND due_at < {p}),
               COUNT(*) FILTER (WHERE due_at >= {p} AND due_at < {p} AND closed_at <= due_at AND reopen_count = 0)
        FROM events_event
        WHERE region_code >= {p} AND region_code < {p} AND merged_into_id IS NULL
          AND ((reported_at >= {p} AND reported_at < {p}) OR (closed_at >= {p} AND closed_at < {p})
               OR (due_at >= {p} AND due_at < {p}))
        GROUP BY township_id
    """
    params = [s, e, s, e, s, e, s, e, area, upper, s, e, s, e, s, e]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET jit = off")  # its best case: JIT only slows a query of this size
        cursor.execute(sql, params)
        return cursor.fetchall()


def same_figures_sql(connection: Any, area: str, start: dt.datetime, end: dt.datetime) -> Any:
    """A stricter reference: one hand-written statement computing what the dashboard shows (the event counts by
    township and the handling counts by unit, assignments joined to their events for scope)."""
    upper = str(int(area) + 1).zfill(len(area))
    if connection.vendor == "sqlite":
        s, e = (x.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ") for x in (start, end))
        p = "?"
    else:
        s, e = start, end
        p = "%s"
    window = {"rep": "reported_at", "clo": "closed_at", "due": "due_at"}
    inw = {k: f"({v} >= {p} AND {v} < {p})" for k, v in window.items()}
    sql = f"""
        WITH ev AS (
          SELECT township_id,
                 COUNT(*) FILTER (WHERE {inw["rep"]}) AS reported,
                 COUNT(*) FILTER (WHERE {inw["clo"]}) AS closed,
                 COUNT(*) FILTER (WHERE {inw["clo"]} AND level <= 2) AS closed_low,
                 COUNT(*) FILTER (WHERE {inw["clo"]} AND satisfaction IS NOT NULL) AS rated,
                 COUNT(*) FILTER (WHERE {inw["clo"]} AND satisfaction >= 4) AS satisfied,
                 COUNT(*) FILTER (WHERE {inw["due"]}) AS due,
                 COUNT(*) FILTER (WHERE {inw["due"]} AND closed_at IS NOT NULL) AS closed_of_due,
                 COUNT(*) FILTER (WHERE {inw["due"]} AND closed_at <= due_at AND reopen_count = 0) AS on_time
          FROM events_event
          WHERE region_code >= {p} AND region_code < {p} AND merged_into_id IS NULL
            AND ({inw["rep"]} OR {inw["clo"]} OR {inw["due"]})
          GROUP BY township_id),
        asg AS (
          SELECT a.unit_id,
                 COUNT(*) FILTER (WHERE a.deadline >= {p} AND a.deadline < {p} AND a.status <> 'returned') AS due,
                 COUNT(*) FILTER (WHERE a.deadline >= {p} AND a.deadline < {p} AND a.status <> 'returned'
                                  AND a.fed_back_at <= a.deadline) AS on_time
          FROM events_assignment a JOIN events_event e ON e.id = a.event_id
          WHERE e.region_code >= {p} AND e.region_code < {p} AND e.merged_into_id IS NULL
            AND ((a.deadline >= {p} AND a.deadline < {p}) OR (a.dispatched_at >= {p} AND a.dispatched_at < {p}))
          GROUP BY a.unit_id)
        SELECT 'e', township_id, reported, due, on_time FROM ev
        UNION ALL SELECT 'a', unit_id, 0, due, on_time FROM asg
    """
    params = [s, e] * 8 + [area, upper] + [s, e] * 3
    params += [s, e, s, e, area, upper, s, e, s, e]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET jit = off")
        cursor.execute(sql, params)
        return cursor.fetchall()
