"""What the staff and the public pages show of a plan: its frozen pools' digests and commitments, and its draws
with inspector names and certificate numbers (public in 双随机), read from the frozen pools without queries."""

from typing import Any

from ..models import Draw, DrawPlan


def draw_rows(draw: Draw) -> dict[str, Any]:
    people = {row["id"]: row for row in draw.snapshot.inspectors}
    assigned = [
        row | {"team": [people.get(i, {"name": "?", "certificate_no": "?"}) for i in row["inspectors"]]}
        for row in draw.assigned
    ]
    return {
        "draw": draw,
        "assigned": assigned,
        "unassigned": draw.unassigned,
        "classes": draw.result["classes"],
    }


def draws_context(plan: DrawPlan) -> dict[str, Any]:
    snapshots = list(plan.snapshots.select_related("frozen_by", "redraw_approved_by").order_by("sequence"))
    draws = list(
        plan.draws.select_related("snapshot", "drawn_by", "approved_by", "results_published_by").order_by(
            "sequence"
        )
    )
    drawn = {d.snapshot_id for d in draws}
    return {
        "plan": plan,
        "units": list(plan.units.all()),
        "items": list(plan.items.select_related("unit")),
        "rates": sorted(plan.rates.items()),
        "snapshots": snapshots,
        "pending": [s for s in snapshots if s.pk not in drawn],
        "draws": [draw_rows(d) for d in draws],
    }
