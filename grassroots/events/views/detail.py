"""The event page: everything about one event on one screen, and each step the viewer may take, as a form.

A step posts to `event_act`, which hands the form to the step's service. With HTMX the action panel is swapped
and the parts a step changes (summary, timeline, assignments, requests, photos) come along out of band; without
JavaScript the page posts, redirects and shows the result, or shows the form again with its errors.
"""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect
from pydantic import ValidationError

from grassroots.core.errors import DomainError
from grassroots.core.navigation import GRID
from grassroots.people.models import Person
from grassroots.workflow.forms import schema_error_text
from grassroots.workflow.links import link_offers, links_of

from .. import rules, steps
from ..choices import (
    ACTIVE_ASSIGNMENT,
    OPEN_STATUSES,
    SOURCES_NEEDING_VERIFICATION,
    AttachmentKind,
    Status,
    SuspensionStatus,
)
from ..models import Event
from ..permissions import visible_to
from ..routes import routing_offers
from ..selectors import (
    active_assignment_of,
    actor_namer,
    allowed_actions,
    dispatch_suggestions,
    dispatch_units,
    event_detail,
    event_reporter_shown,
    light_of,
    narrow_for_unit,
)
from ..services import duplicate_candidate_ids
from ..step_forms import ActionForm, DispatchForm
from .common import DESK_ROLES, QUEUE_ROLES, has_role, viewer_of
from .desk import render_desk_row

STALE = _("事件已被他人处理或已变化，页面已刷新，请核对后重试")


def build_form(
    action: str,
    event: Event,
    viewer: Person,
    *,
    data: Any = None,
    files: Any = None,
    auto_id: str | None = None,
) -> ActionForm | None:
    """The form of `action` on `event` (bound when `data` is given); None when it has nothing to offer."""
    form_class = steps.ACTION_FORMS[action]
    kwargs: dict[str, Any] = {"event": event, "viewer": viewer}
    if auto_id:
        kwargs["auto_id"] = auto_id
    if form_class is DispatchForm:
        kwargs["units"] = dispatch_units(region_code=event.region_code)
        kwargs["suggestions"] = dispatch_suggestions(event=event)
    form = form_class(data, files, **kwargs) if data is not None else form_class(**kwargs)
    if data is None and form.offers_nothing:
        return None
    return form


def _bound_to_fail(action: str, event: Event) -> bool:
    """Steps the table allows but the service is sure to refuse for this event, so not worth a form."""
    if action == "self_handle":
        return not event.event_type.self_fixable
    if action == "register":
        return event.status == Status.REPORTED and event.source in SOURCES_NEEDING_VERIFICATION
    if action in {"dispatch", "refer_to_leaders", "decide_route", "settle"}:
        return not routing_offers(action, event)
    if action == "inform_reporter":
        return event.reporter_informed_at is not None or event.reporter_declined
    return False


def action_forms(
    event: Event, viewer: Person, *, bound: ActionForm | None = None
) -> tuple[list[ActionForm], str]:
    """The forms of the steps `viewer` may take now, and an error for a bound form that no longer applies."""
    holders = {a.unit_id for a in event.assignments.all() if a.status in ACTIVE_ASSIGNMENT}
    actions = allowed_actions(event=event, viewer=viewer, holder_ids=holders)
    actions = narrow_for_unit(actions, event=event, assignment=active_assignment_of(event, viewer.unit_id))
    actions = [a for a in actions if not _bound_to_fail(a, event)]
    forms: list[ActionForm] = []
    for action in actions:
        if bound is not None and bound.action == action:
            forms.append(bound)
            continue
        form = build_form(action, event, viewer)
        if form is not None:
            forms.append(form)
    # The steps of the normal path first; the ways out of it (void, merge, escalate, …) folded below.
    forms.sort(key=lambda f: f.folded and not f.errors)
    stray = ""
    if bound is not None and bound.action not in actions:
        stray = "；".join(str(e) for errors in bound.errors.values() for e in errors) or str(STALE)
    return forms, stray


def _live(event: Event, viewer: Person, now: dt.datetime) -> dict[str, Any]:
    """What a step can change: shown on the page and swapped after each step."""
    name = actor_namer(viewer=viewer, event=event)
    timeline = [
        {
            "t": t,
            "actor": name(t.actor) if t.actor_id else _("系统"),
            "unit": t.unit.name if t.unit else "",
            "label": rules.ACTION_LABELS.get(t.action, t.action),
            "from_label": Status(t.from_status).label if t.from_status else "",
            "to_label": Status(t.to_status).label,
            "moved": t.from_status != t.to_status,
        }
        for t in reversed(list(event.transitions.all()))
    ]
    suspensions = list(event.suspensions.all())
    paused = event.status == Status.SUSPENDED  # the units' clocks stand still with the event's
    assignments = [
        {
            "a": a,
            "light": light_of(overdue=a.overdue, warn_at=a.warn_at, deadline=a.deadline, now=now)
            if a.status in ACTIVE_ASSIGNMENT and not paused
            else None,
        }
        for a in event.assignments.all()
    ]
    files: list[dict[str, Any]] = [
        {"a": f, "url": reverse("api:event_attachment", kwargs={"event_id": event.pk, "attachment_id": f.pk})}
        for f in event.attachments.all()
    ]
    return {
        "event": event,
        "now": now,
        "light": light_of(overdue=event.overdue, warn_at=event.warn_at, deadline=event.deadline, now=now),
        "timeline": timeline,
        "assignments": assignments,
        "orders": list(event.supervision_orders.all()),
        "extension_requests": list(event.extension_requests.all()),
        "suspensions": suspensions,
        "suspension": next((x for x in suspensions if x.status == SuspensionStatus.ACTIVE), None),
        "photos": [f for f in files if f["a"].kind == AttachmentKind.PHOTO],
        "audios": [f for f in files if f["a"].kind == AttachmentKind.AUDIO],
    }


def _page(request: HttpRequest, event: Event, viewer: Person, **extra: Any) -> dict[str, Any]:
    """The whole page: the live parts, and what no step changes (reporter, map, related reports)."""
    now = timezone.now()
    forms, stray = action_forms(event, viewer, bound=extra.pop("bound", None))
    duplicates: list[Event] = []
    if event.status in OPEN_STATUSES:
        ids = duplicate_candidate_ids(event)
        if ids:
            duplicates = list(visible_to(viewer).filter(pk__in=ids).order_by("reported_at", "id"))
    grid = event.grid
    name = actor_namer(viewer=viewer, event=event)
    return {
        **_live(event, viewer, now),
        "back": _back_link(viewer),
        "first_receiver": name(event.first_receiver),
        "verifier": name(event.verifier),
        "forms": forms,
        "stray_error": stray,
        "reporter": event_reporter_shown(viewer=viewer, event=event, purpose="page.events.detail"),
        "duplicates": duplicates,
        "merged": list(event.merged.all()),
        "record_links": links_of(viewer=viewer, workflow="event", object_id=event.pk),
        "link_offers": link_offers(viewer=viewer, workflow="event", record=event),
        "map_data": {
            "point": [event.lat, event.lon] if event.lat is not None and event.lon is not None else None,
            "grid": grid.boundary if grid is not None else None,
            "grid_name": grid.name if grid is not None else "",
        },
        **extra,
    }


def _back_link(viewer: Person) -> dict[str, str]:
    """Where this person came from: their own work list."""
    if has_role(viewer, QUEUE_ROLES):
        return {"url": reverse("events:queue"), "label": gettext("事件队列")}
    if has_role(viewer, DESK_ROLES):
        return {"url": reverse("events:desk"), "label": gettext("我的任务")}
    if viewer.role in GRID:
        try:
            return {"url": reverse("mobile:home"), "label": gettext("网格员首页")}
        except NoReverseMatch:
            pass
    return {"url": reverse("inbox:list"), "label": gettext("通知")}


@login_required
def event_page(request: HttpRequest, event_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    event = event_detail(viewer=viewer, event_id=event_id)
    return render(request, "events/detail.html", _page(request, event, viewer))


@login_required
@require_POST
def event_act(request: HttpRequest, event_id: int, action: str) -> HttpResponse:
    """Take one step. `origin=desk` answers with the desk row instead of the event page."""
    viewer = viewer_of(request)
    if action not in steps.ACTION_FORMS:
        raise Http404(_("没有这个操作"))
    event = event_detail(viewer=viewer, event_id=event_id)
    desk = request.POST.get("origin") == "desk"
    auto_id = f"d{event.pk}-{action}-%s" if desk else None
    form = build_form(action, event, viewer, data=request.POST, files=request.FILES, auto_id=auto_id)
    assert form is not None
    done = False
    if form.is_valid():
        if form.cleaned_data.get("version") not in (None, event.version):
            form.add_error(None, STALE)
        else:
            try:
                steps.take(action, viewer, event, form)
                done = True
            except ValidationError as exc:
                form.add_error(None, schema_error_text(exc))
            except DomainError as exc:
                form.add_domain_error(exc)
    label = rules.ACTION_LABELS.get(action, action)
    flash = f"已{label}：{event.number}" if done else ""
    try:
        event = event_detail(viewer=viewer, event_id=event_id)
    except Http404:
        # The step handed the event out of the viewer's sight: nothing more to show here.
        if flash:
            messages.success(request, flash)
        target = reverse("events:desk") if desk else reverse("home")
        return HttpResponseClientRedirect(target) if request.htmx else redirect(target)  # type: ignore[attr-defined]
    htmx = bool(getattr(request, "htmx", False))
    if desk:
        if htmx:
            return render_desk_row(request, event, viewer, bound=None if done else form, flash=flash)
        if done:
            messages.success(request, flash)
            return redirect("events:desk")
    elif done and not htmx:
        messages.success(request, flash)
        return redirect("events:detail", event_id=event.pk)
    bound = None if done else form
    if htmx:
        forms, stray = action_forms(event, viewer, bound=bound)
        context = {
            **_live(event, viewer, timezone.now()),
            "forms": forms,
            "stray_error": stray,
            "flash": flash,
        }
        return render(request, "events/_event_live.html", context)
    return render(request, "events/detail.html", _page(request, event, viewer, bound=bound), status=422)
