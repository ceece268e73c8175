"""The joint-operation pages, under /enforcement/operations/: the list with a month calendar and filters (unit, kind,
state), starting an operation (its plan, units and targets), editing the plan, and one operation with its tasks per
unit, each unit's results with the totals, its links and history, and the steps the viewer may take now. Every step
posts the version the viewer saw: a change made meanwhile is refused (409) rather than overwritten."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core.errors import Conflict, DomainError, InvalidInput
from grassroots.org.models import Unit
from grassroots.people.actors import person_of
from grassroots.people.models import Person
from grassroots.workflow.links import links_of

from ..models.operations import JointOperation, OperationKind, OperationStatus, OperationUnit
from ..services.operation_access import (
    access_operation,
    lead_units_of,
    may_create_operations,
    operation_actor_kinds,
    operations_visible_to,
    recording_units,
)
from ..services.operation_rules import ACTION_LABELS, OPERATION, WORKFLOW_NAME, Actor
from ..services.operation_selectors import OperationFilters, month_calendar, neighbour_months
from ..services.operations import (
    Results,
    operation_add_task,
    operation_cancel,
    operation_complete_task,
    operation_create,
    operation_edit,
    operation_finish,
    operation_link,
    operation_record_results,
    operation_remove_task,
    operation_start,
    totals_of,
)
from .operation_forms import (
    CancelForm,
    FinishForm,
    LinkForm,
    OperationForm,
    ResultsForm,
    StepForm,
    TaskDoneForm,
    TaskForm,
    TaskRefForm,
    partner_units,
)

STALE_TEXT = "行动已被他人修改或已变化，请刷新后重试"


@login_required
def operation_list(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    filters = OperationFilters.from_query(request.GET, today=timezone.localdate())
    rows = filters.apply(operations_visible_to(person))
    first, weeks = month_calendar(rows, filters.month)
    before, after = neighbour_months(first)
    listed = list(rows.select_related("lead_unit").order_by("-starts_on", "-pk")[:200])
    query = request.GET.copy()
    query.pop("month", None)
    context = {
        "filters": filters,
        "first": first,
        "weeks": weeks,
        "before": before,
        "after": after,
        "operations": listed,
        "kinds": OperationKind.choices,
        "statuses": OperationStatus.choices,
        "units": Unit.objects.filter(
            pk__in=OperationUnit.objects.filter(operation__in=operations_visible_to(person)).values("unit_id")
        ).order_by("code"),
        "may_create": may_create_operations(person),
        "query": query.urlencode(),
    }
    return render(request, "enforcement/operations.html", context)


def _plan_form(request: HttpRequest, person: Person, **kwargs: Any) -> OperationForm:
    leads = lead_units_of(person)
    return OperationForm(
        request.POST or None, lead_units=leads, partners=partner_units(person, leads), **kwargs
    )


@login_required
def operation_new(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    if not may_create_operations(person):
        raise PermissionDenied("您的岗位不发起联合执法行动")
    form = _plan_form(request, person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            operation = operation_create(
                actor=person,
                kind=data["kind"],
                title=data["title"],
                lead_unit=data["lead_unit"],
                units=list(data["units"]),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                plan=data["plan"],
                entities=data["entities"],
                places=data["places"],
                grids=data["grids"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已发起行动“%(title)s”") % {"title": operation.title})
            return redirect(reverse("enforcement:operation", args=[operation.pk]))
    status = 422 if request.method == "POST" else 200
    return render(
        request, "enforcement/operation_form.html", {"form": form, "operation": None}, status=status
    )


@login_required
def operation_edit_page(request: HttpRequest, operation_id: int) -> HttpResponse:
    person = person_of(request)
    operation = access_operation(person, operation_id)
    if OPERATION.refusal("edit", operation.status, operation_actor_kinds(operation, person)):
        raise PermissionDenied("您不能修改此行动的工作方案")
    form = _plan_form(request, person, initial=OperationForm.initial_of(operation))
    form.fields["kind"].disabled = True
    form.fields["lead_unit"].disabled = True
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("version") != operation.version:
                raise Conflict(STALE_TEXT, code="stale_operation")
            operation_edit(
                actor=person,
                operation=operation,
                title=data["title"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                plan=data["plan"],
                units=list(data["units"]),
                entities=data["entities"],
                places=data["places"],
                grids=data["grids"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            messages.success(request, _("已修改工作方案"))
            return redirect(reverse("enforcement:operation", args=[operation.pk]))
    if request.method == "POST" and status == 200:
        status = 422
    context = {"form": form, "operation": operation}
    return render(request, "enforcement/operation_form.html", context, status=status)


def page(
    request: HttpRequest, operation: JointOperation, person: Person, *, error: str = "", status: int = 200
) -> HttpResponse:
    kinds = operation_actor_kinds(operation, person)
    allowed = OPERATION.allowed(operation.status, kinds)
    mine = [row.unit for row in recording_units(person, operation)]
    participants = list(operation.participants.select_related("unit", "recorded_by"))
    tasks = list(operation.tasks.select_related("unit", "done_by"))
    lead = Actor.LEAD in kinds
    mine_ids = {u.pk for u in mine}
    version = {"version": operation.version}
    context = {
        "operation": operation,
        "participants": participants,
        "totals": totals_of(operation),
        "tasks": [(t, lead or t.unit_id in mine_ids) for t in tasks],
        "allowed": allowed,
        "error": error,
        "version": operation.version,
        "entities": list(operation.entities.all()),
        "grids": list(operation.grids.select_related("village")),
        "task_form": TaskForm(initial=version, operation=operation) if "add_task" in allowed else None,
        "results_form": ResultsForm(initial={**version, "unit": mine[0].pk} if mine else version, units=mine)
        if "record_results" in allowed and mine
        else None,
        "link_form": LinkForm(initial=version) if "link" in allowed else None,
        "finish_form": FinishForm(initial=version) if "finish" in allowed else None,
        "cancel_form": CancelForm(initial=version) if "cancel" in allowed else None,
        "history": [
            (h, ACTION_LABELS.get(h.action, h.action)) for h in operation.history.select_related("actor")
        ],
        "record_links": links_of(viewer=person, workflow=WORKFLOW_NAME, object_id=operation.pk),
    }
    return render(request, "enforcement/operation.html", context, status=status)


@login_required
def operation_page(request: HttpRequest, operation_id: int) -> HttpResponse:
    person = person_of(request)
    return page(request, access_operation(person, operation_id), person)


def _perform(action: str, person: Person, operation: JointOperation, post: Any) -> None:
    """Validate the step's form and call its service; a bad form is a 422 with the form's first message."""
    forms_by_action: dict[str, Any] = {
        "add_task": lambda: TaskForm(post, operation=operation),
        "remove_task": lambda: TaskRefForm(post),
        "complete_task": lambda: TaskDoneForm(post),
        "record_results": lambda: ResultsForm(
            post, units=[r.unit for r in recording_units(person, operation)]
        ),
        "link": lambda: LinkForm(post),
        "finish": lambda: FinishForm(post),
        "cancel": lambda: CancelForm(post),
        "start": lambda: StepForm(post),
    }
    if action not in forms_by_action:
        raise Http404("没有这个操作")
    form = forms_by_action[action]()
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        raise InvalidInput(str(first), code="invalid_input")
    data = form.cleaned_data
    if data["version"] != operation.version:
        raise Conflict(STALE_TEXT, code="stale_operation")
    if action == "add_task":
        operation_add_task(actor=person, operation=operation, unit=data["unit"], text=data["text"])
    elif action == "remove_task":
        operation_remove_task(actor=person, operation=operation, task_id=data["task"])
    elif action == "complete_task":
        operation_complete_task(
            actor=person, operation=operation, task_id=data["task"], done=data["done"], notes=data["notes"]
        )
    elif action == "record_results":
        results = Results(
            places_inspected=data["places_inspected"],
            problems_found=data["problems_found"],
            cases_opened=data["cases_opened"],
            rectified=data["rectified"],
        )
        operation_record_results(
            actor=person, operation=operation, unit=data["unit"], results=results, note=data["note"]
        )
    elif action == "link":
        operation_link(
            actor=person,
            operation=operation,
            workflow=data["workflow"],
            object_id=data["object_id"],
            note=data["note"],
        )
    elif action == "finish":
        operation_finish(actor=person, operation=operation, summary=data["summary"])
    elif action == "cancel":
        operation_cancel(actor=person, operation=operation, reason=data["reason"])
    elif action == "start":
        operation_start(actor=person, operation=operation)


@login_required
@require_POST
def operation_act(request: HttpRequest, operation_id: int, action: str) -> HttpResponse:
    person = person_of(request)
    operation = access_operation(person, operation_id)
    try:
        _perform(action, person, operation, request.POST)
    except DomainError as exc:
        status = exc.status
        return page(request, access_operation(person, operation_id), person, error=exc.message, status=status)
    messages.success(request, _("已%(action)s") % {"action": OPERATION.label(action)})
    return redirect(reverse("enforcement:operation", args=[operation.pk]))


urlpatterns = [
    path("", operation_list, name="operations"),
    path("new/", operation_new, name="operation_new"),
    path("<int:operation_id>/", operation_page, name="operation"),
    path("<int:operation_id>/edit/", operation_edit_page, name="operation_edit"),
    path("<int:operation_id>/act/<str:action>/", operation_act, name="operation_act"),
]
