"""The department desk: one unit's assignments by what they need next, each with its deadline and light, and
the unit's steps (sign, start, feed back, return, ask for more time) inline on each row."""

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grassroots.people.models import Person

from .. import steps
from ..choices import ACTIVE_ASSIGNMENT, Status
from ..clock import working_seconds
from ..models import Assignment, Event
from ..selectors import (
    DESK_TABS,
    desk_assignment,
    desk_assignments,
    desk_counts,
    light_of,
    order_label,
    unit_actions,
)
from ..step_forms import ActionForm
from ..templatetags.event_pages import working_duration_text
from .common import DESK_ROLES, for_roles, is_fragment, viewer_of

PER_PAGE = 50
TAB_LABELS = {
    "to_sign": _("待签收"),
    "in_hand": _("办理中"),
    "due_soon": _("即将到期"),
    "overdue": _("已超期"),
    "returned": _("已退回"),
    "history": _("已办结"),
}
EMPTY = {
    "to_sign": _("没有待签收的任务。"),
    "in_hand": _("没有正在办理的任务。"),
    "due_soon": _("没有即将到期（黄灯）的任务。"),
    "overdue": _("没有超期（红灯）的任务。"),
    "returned": _("没有退回记录。"),
    "history": _("还没有已反馈或已办结的任务。"),
}


def desk_row(
    assignment: Assignment,
    viewer: Person,
    now: dt.datetime,
    *,
    bound: ActionForm | None = None,
    flash: str = "",
) -> dict[str, Any]:
    """One desk row: the assignment, its light, and a form for each step the unit may take on it now."""
    event = assignment.event
    forms: list[ActionForm] = []
    for action in unit_actions(event=event, assignment=assignment):
        if bound is not None and bound.action == action:
            forms.append(bound)
        else:
            forms.append(
                steps.ACTION_FORMS[action](event=event, viewer=viewer, auto_id=f"d{event.pk}-{action}-%s")
            )
    light = None
    remaining = ""
    order = None
    # A suspended event's clocks stand still: no light and no time left until it resumes.
    if assignment.status in ACTIVE_ASSIGNMENT and event.status != Status.SUSPENDED:
        light = light_of(
            overdue=assignment.overdue, warn_at=assignment.warn_at, deadline=assignment.deadline, now=now
        )
        remaining = _remaining(assignment.deadline, now)
        order = _order(assignment, now)
    return {
        "a": assignment,
        "event": event,
        "light": light,
        "remaining_text": remaining,
        "order": order,
        "on_time": assignment.fed_back_at <= assignment.deadline if assignment.fed_back_at else None,
        "forms": forms,
        "bound": bound,
        "flash": flash,
    }


def _order(assignment: Assignment, now: dt.datetime) -> dict[str, Any] | None:
    """The event's open supervision order as the card shows it; its deadline applies when it comes first."""
    label = order_label(assignment)
    if not label:
        return None
    deadline: dt.datetime = getattr(assignment, "order_deadline")  # noqa: B009 (an annotation)
    earlier = deadline < assignment.deadline
    return {
        "label": label,
        "deadline": deadline,
        "earlier": earlier,
        "remaining_text": _remaining(deadline, now) if earlier else "",
    }


def _remaining(deadline: dt.datetime, now: dt.datetime) -> str:
    """Working time left before the deadline, or past it, as people say it."""
    if now <= deadline:
        left = working_seconds(now, deadline)
        return f"剩余 {working_duration_text(left)}" if left >= 60 else gettext("即将到期")
    return f"已超期 {working_duration_text(max(working_seconds(deadline, now), 60))}"


def render_desk_row(
    request: HttpRequest, event: Event, viewer: Person, *, bound: ActionForm | None, flash: str
) -> HttpResponse:
    """The desk row of `event` for the viewer's unit, after a step taken on it (HTMX)."""
    if viewer.unit_id is None:
        return HttpResponse("")
    assignment = desk_assignment(unit_id=viewer.unit_id, event_id=event.pk)
    if assignment is None:
        return HttpResponse("")
    now = timezone.now()
    row = desk_row(assignment, viewer, now, bound=bound, flash=flash)
    tab = request.POST.get("tab", "")
    context: dict[str, Any] = {"row": row, "tab": tab}
    if tab in DESK_TABS:
        # The tab counts change with the step: they come along out of band.
        counts = desk_counts(unit_id=viewer.unit_id, now=now)
        context["oob_tabs"] = [(key, TAB_LABELS[key], counts[key]) for key in DESK_TABS]
    return render(request, "events/_desk_row.html", context)


@for_roles(DESK_ROLES)
def desk(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    tab = request.GET.get("tab", "to_sign")
    if tab not in DESK_TABS:
        tab = "to_sign"
    now = timezone.now()
    context: dict[str, Any] = {
        "tab": tab,
        "tab_label": TAB_LABELS[tab],
        "empty": EMPTY[tab],
        "unit": viewer.unit,
    }
    if viewer.unit_id is None:
        context |= {"tabs": [], "rows": [], "page": None}
        return render(request, "events/desk.html", context)
    counts = desk_counts(unit_id=viewer.unit_id, now=now)
    page = Paginator(desk_assignments(unit_id=viewer.unit_id, tab=tab, now=now), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context |= {
        "tabs": [(key, TAB_LABELS[key], counts[key]) for key in DESK_TABS],
        "page": page,
        "page_numbers": list(page.paginator.get_elided_page_range(page.number)),
        "rows": [desk_row(a, viewer, now) for a in page.object_list],
    }
    if is_fragment(request, "desk-body"):
        return render(request, "events/_desk_body.html", context)
    return render(request, "events/desk.html", context)
