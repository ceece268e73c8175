"""The inspection pages, made for the phone an inspector carries on site: the task list, one inspection with the
steps the viewer may take now (record, re-check, penalty, cancel), its photos; and arranging an inspection of an
entity (routine, campaign, or the check of a complaint event)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from grassroots.core.errors import DomainError
from grassroots.draws.models import InspectionItem
from grassroots.events.permissions import visible_to as events_visible_to
from grassroots.people.actors import person_of
from grassroots.people.models import Person
from grassroots.workflow.clocks import clock_light
from grassroots.workflow.forms import schema_error_text
from grassroots.workflow.links import link_offers, links_of
from grassroots.workflow.models import Clock

from ..choices import InspectionStatus
from ..forms import ArrangeForm, StepForm, step_form_for
from ..models import Inspection, MarketEntity
from ..permissions import (
    access_entity,
    access_inspection,
    contact_of,
    inspection_actor_kinds,
    inspections_visible_to,
    may_arrange_inspection,
)
from ..rules import ACTION_LABELS
from ..services.inspections import inspection_create
from ..steps import INSPECTION_FLOW

TABS = [
    ("open", _("待办"), Q(status__in=[InspectionStatus.ASSIGNED, InspectionStatus.RECTIFYING])),
    ("assigned", _("待检查"), Q(status=InspectionStatus.ASSIGNED)),
    ("rectifying", _("整改中"), Q(status=InspectionStatus.RECTIFYING)),
    ("closed", _("已办结"), Q(status__in=[InspectionStatus.CLOSED, InspectionStatus.CANCELLED])),
]


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    """检查任务: an inspector's own by default; staff of the unit see every inspection in their scope."""
    person = person_of(request)
    rows = inspections_visible_to(person)
    mine = request.GET.get("mine", "1" if person.role == "inspector" else "0") == "1"
    if mine:
        rows = rows.filter(inspectors=person.pk)
    tab = request.GET.get("tab", "open")
    rows = rows.filter(next((q for key, _label, q in TABS if key == tab), TABS[0][2]))
    rows = rows.select_related("entity", "unit").order_by("due_on", "-created_at", "-pk")
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    context = {"page": page, "tabs": [(k, label) for k, label, _q in TABS], "tab": tab, "mine": mine}
    return render(request, "market/inspections.html", context)


def _forms(inspection: Inspection, person: Any, bound: StepForm | None) -> list[StepForm]:
    actions = INSPECTION_FLOW.allowed(inspection.status, inspection_actor_kinds(inspection, person))
    return [
        bound if bound is not None and bound.action == a else step_form_for(a, inspection, person)
        for a in actions
    ]


def page(
    request: HttpRequest,
    inspection: Inspection,
    person: Any,
    *,
    bound: StepForm | None = None,
    status: int = 200,
) -> HttpResponse:
    clock = (
        Clock.objects.filter(workflow="inspection", object_id=inspection.pk, name="rectification")
        .order_by("-id")
        .first()
    )
    history = inspection.history.select_related("actor")
    context = {
        "inspection": inspection,
        "entity": inspection.entity,
        "contact": contact_of(person, inspection.entity, purpose="现场检查"),
        "inspectors": list(inspection.inspectors.all()),
        "items": list(inspection.items.all()),
        "findings": list(inspection.findings.select_related("item")),
        "photos": list(inspection.photos.all()),
        "penalties": list(inspection.penalties.all()),
        "history": [(h, ACTION_LABELS.get(h.action, h.action)) for h in history],
        "clock": clock,
        "light": clock_light(clock, timezone.now()) if clock and clock.state != "stopped" else None,
        "forms": _forms(inspection, person, bound),
        "record_links": links_of(viewer=person, workflow="inspection", object_id=inspection.pk),
        "link_offers": link_offers(viewer=person, workflow="inspection", record=inspection),
    }
    return render(request, "market/inspection.html", context, status=status)


@login_required
def inspection_page(request: HttpRequest, inspection_id: int) -> HttpResponse:
    person = person_of(request)
    return page(request, access_inspection(person, inspection_id), person)


@login_required
@require_POST
def act(request: HttpRequest, inspection_id: int, action: str) -> HttpResponse:
    person = person_of(request)
    record = access_inspection(person, inspection_id)
    if action not in {s.action for s in INSPECTION_FLOW.steps}:
        raise Http404("没有这个操作")
    form = step_form_for(action, record, person, data=request.POST)
    if form.is_valid():
        seen = form.cleaned_data.get("version")
        if seen is not None and seen != record.version:
            form.add_error(None, _("检查已被他人处理或已变化，请核对后重试"))
        else:
            try:
                INSPECTION_FLOW.perform(
                    action, person, record, form.payload(), request.FILES.getlist("files")
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            except ValidationError as exc:
                form.add_error(None, schema_error_text(exc))
            else:
                messages.success(request, _("已%(action)s") % {"action": INSPECTION_FLOW.label(action)})
                return redirect("market:inspection", record.pk)
    return page(request, access_inspection(person, inspection_id), person, bound=form, status=422)


@login_required
def photo(request: HttpRequest, inspection_id: int, photo_id: int) -> FileResponse:
    inspection = access_inspection(person_of(request), inspection_id)
    found = get_object_or_404(inspection.photos, pk=photo_id)
    return FileResponse(found.file.open("rb"), content_type=found.content_type, filename=found.original_name)


def certified_inspectors(entity: MarketEntity) -> Any:
    """Who may be sent: inspectors in the pool with a valid certificate, of a unit whose area holds the entity."""
    today = timezone.localdate()
    units = Q(inspector__unit__division__isnull=True)
    code = entity.region_code
    prefixes = [code[:n] for n in (2, 4, 6, 9, 12) if len(code) >= n]
    if prefixes:
        units |= Q(inspector__unit__division__code__in=prefixes)
    return (
        Person.objects.filter(inspector__active=True, inspector__certificate_valid_to__gte=today)
        .filter(units)
        .select_related("inspector")
        .order_by("inspector__certificate_no")
    )


@login_required
def arrange(request: HttpRequest) -> HttpResponse:
    """安排检查 of `?entity=<id>`, or of the entity a complaint `?event=<id>` names (chosen by USCC on the form)."""
    person = person_of(request)
    if not may_arrange_inspection(person):
        raise PermissionDenied("您的岗位不安排检查")
    event = None
    if request.GET.get("event", "").isdigit():
        event = events_visible_to(person).filter(pk=int(request.GET["event"])).first()
        if event is None:
            raise Http404("事件不存在或不在您的管辖范围内")
    entity_id = request.GET.get("entity", "")
    uscc = (request.POST.get("uscc") or request.GET.get("uscc") or "").strip().upper()
    entity = None
    if entity_id.isdigit():
        entity = access_entity(person, int(entity_id))
    elif uscc:
        found = MarketEntity.objects.filter(uscc=uscc).values_list("pk", flat=True).first()
        entity = access_entity(person, found) if found else None
    if entity is None:
        return render(
            request,
            "market/arrange.html",
            {"event": event, "uscc": uscc, "not_found": bool(uscc)},
            status=404 if uscc else 200,
        )
    items = InspectionItem.objects.filter(target_kind="market.entity", published=True).order_by("code")
    kwargs = {"inspectors": certified_inspectors(entity), "items": items}
    initial = {"kind": "complaint" if event else "routine"}
    form = ArrangeForm(request.POST or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = inspection_create(
                actor=person,
                entity=entity,
                kind=data["kind"],
                unit=person.unit or data["inspectors"][0].inspector.unit,
                inspectors=list(data["inspectors"]),
                items=list(data["items"]),
                due_on=data["due_on"],
                campaign=data["campaign"],
                event=event if data["kind"] == "complaint" else None,
                note=data["note"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已安排检查 %(number)s") % {"number": inspection.number})
            return redirect("market:inspection", inspection.pk)
    status = 422 if form.is_bound else 200
    return render(
        request, "market/arrange.html", {"form": form, "entity": entity, "event": event}, status=status
    )
