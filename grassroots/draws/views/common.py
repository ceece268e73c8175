"""What the staff and the public pages show of a plan: its frozen pools' digests and commitments, and its draws
with inspector names and certificate numbers (public in 双随机), read from the frozen pools without queries; and who
may open the pages that keep plans and lists."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from grassroots.people.actors import person_of
from grassroots.people.models import Person

from ..algorithm import target_key
from ..forms.plans import rate_to_percent
from ..models import Draw, DrawPlan
from ..permissions import may_manage_lists
from ..pools import assignment_results

EXPIRY_WARNING_DAYS = 30


def manager(request: HttpRequest) -> Person:
    """The signed-in person, if their role keeps plans and lists (others: 403)."""
    person = person_of(request)
    if not may_manage_lists(person):
        raise PermissionDenied("您的岗位不维护抽查计划、抽查事项和执法人员名录")
    return person


def certificate_state(valid_to: dt.date, today: dt.date) -> str:
    """What a certificate valid until `valid_to` is today: "expired", "expiring" (within 30 days) or ""."""
    if valid_to < today:
        return "expired"
    if (valid_to - today).days <= EXPIRY_WARNING_DAYS:
        return "expiring"
    return ""


def draw_rows(draw: Draw, *, staff: bool = False) -> dict[str, Any]:
    """A draw's rows with each target's team and, for staff or once published, the result its inspectors recorded."""
    people = {row["id"]: row for row in draw.snapshot.inspectors}
    shown = staff or draw.results_published_at is not None
    results = assignment_results(draw) if shown else {}
    assigned = [
        row
        | {
            "team": [people.get(i, {"name": "?", "certificate_no": "?"}) for i in row["inspectors"]],
            "result": results.get(target_key(row["kind"], str(row["id"])), "") or ("待录入" if shown else ""),
        }
        for row in draw.assigned
    ]
    return {
        "show_results": shown,
        "draw": draw,
        "assigned": assigned,
        "unassigned": draw.unassigned,
        "classes": draw.result["classes"],
    }


def draws_context(plan: DrawPlan, *, staff: bool = False) -> dict[str, Any]:
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
        # (class, rate as stored, as a percentage): "0.2" reads 20%.
        "rates": [(risk, rate, rate_to_percent(rate)) for risk, rate in sorted(plan.rates.items())],
        "snapshots": snapshots,
        "pending": [s for s in snapshots if s.pk not in drawn],
        "draws": [draw_rows(d, staff=staff) for d in draws],
    }
