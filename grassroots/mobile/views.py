"""The grid worker's phone pages (网格通): home, report, offline queue, tasks on site, and the visit log.

Views only check input, load through the scope helpers (404 out of scope) and call services. The report page
sends through the JSON API from JavaScript (so a report made offline is sent later with the same idempotency
key); its form also posts here, to the same service, when JavaScript is off.
"""

import hashlib
import json
import uuid
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from grassroots.core.errors import DomainError, InvalidInput
from grassroots.events import services as event_services
from grassroots.events.choices import AttachmentKind, Status
from grassroots.events.models import Assignment, Event
from grassroots.events.permissions import access_event
from grassroots.events.selectors import event_reporter_shown, light_of
from grassroots.geo.models import Grid
from grassroots.people.models import Person

from . import selectors, services
from .choices import VisitKind
from .forms import ReportForm, TaskForm, VisitForm
from .permissions import access_visit, grid_team_required, may_self_handle

PAGE_SIZE = 20


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _worker(request: HttpRequest) -> Person:
    user = request.user
    assert isinstance(user, Person)  # grid_team_required let only a signed-in grid team member through
    return user


def _page(request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    worker = _worker(request)
    assert worker.grid_id is not None  # grid_team_required let only people with a grid through
    grid = Grid.objects.select_related("village").get(pk=worker.grid_id)
    context = {
        "worker": worker,
        "grid": grid,
        "grid_label": f"{grid.village.name} · {grid.name}",
        **context,
    }
    return render(request, template, context, status=status)


def _domain_error(form: Form, exc: DomainError, aliases: dict[str, str] | None = None) -> None:
    """The service's message above the form, and its per-field details next to the fields they name
    (`aliases` maps a service's detail key to the form field that shows it)."""
    form.add_error(None, exc.message)
    if not isinstance(exc, InvalidInput) or not isinstance(exc.details, dict):
        return
    for key, message in exc.details.items():
        name = (aliases or {}).get(key, key)
        form.add_error(name if name in form.fields else None, str(message))


# -- home -----------------------------------------------------------------------------------------------


@require_GET
@grid_team_required
def home(request: HttpRequest) -> HttpResponse:
    worker = _worker(request)
    return _page(
        request,
        "mobile/home.html",
        {
            "task_count": selectors.worker_tasks(worker).count(),
            "visit_count": selectors.visits_this_month(viewer=worker, mine=True).count(),
            "recent": selectors.recent_reports(worker),
        },
    )


# -- report ---------------------------------------------------------------------------------------------


def _files(request: HttpRequest, *names: str) -> list[UploadedFile]:
    return [upload for name in names for upload in request.FILES.getlist(name)]


@require_http_methods(["GET", "POST"])
@grid_team_required
def report(request: HttpRequest) -> HttpResponse:
    worker = _worker(request)
    visit = None
    visit_id = request.POST.get("visit") or request.GET.get("visit")
    if visit_id:
        if not str(visit_id).isdigit():
            raise Http404("走访记录不存在")
        visit = access_visit(worker, int(visit_id))
        if visit.worker_id != worker.pk:
            raise Http404("走访记录不存在")
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fixed = bool(data["fixed"]) and may_self_handle(worker)
        try:
            result = services.patrol_report(
                actor=worker,
                event_type=data["event_type"],
                title=data["title"],
                description=data["description"],
                lon=data["lon"],
                lat=data["lat"],
                address=data["address"],
                idempotency_key=data["idempotency_key"] or None,
                files=_files(request, "photos", "voice"),
                fixed=fixed,
                fix_note=data["fix_note"],
                after_files=_files(request, "after_photos"),
            )
            if visit is not None:
                services.visit_link_event(actor=worker, visit=visit, event=result.event)
        except DomainError as exc:
            _domain_error(form, exc, {"location": "address", "after_files": "fix_note"})
        else:
            event = result.event
            done = "已自行处置" if event.status == Status.SELF_HANDLED else "已上报"
            messages.success(request, f"{done}：{event.number} {event.title}")
            return redirect("mobile:home")
    grid = worker.grid
    assert grid is not None
    initial_address = visit.address if visit is not None else ""
    return _page(
        request,
        "mobile/report.html",
        {
            "form": form,
            "groups": selectors.type_groups(),
            "frequent": selectors.frequent_types(worker),
            "may_self_handle": may_self_handle(worker),
            "idempotency_key": str(uuid.uuid4()),
            "visit": visit,
            "initial_address": form.data.get("address", "") if form.is_bound else initial_address,
            "grid_map": {
                "boundary": grid.boundary,
                "center": [grid.label_lat, grid.label_lon],
                "name": grid.name,
            },
        },
        status=422 if form.is_bound else 200,
    )


@require_GET
@grid_team_required
def queue(request: HttpRequest) -> HttpResponse:
    """待发送: the reports kept on this phone (IndexedDB); the page lists them from there."""
    return _page(request, "mobile/queue.html", {})


# -- tasks ----------------------------------------------------------------------------------------------


@require_GET
@grid_team_required
def tasks(request: HtmxHttpRequest) -> HttpResponse:
    worker = _worker(request)
    page = Paginator(selectors.worker_tasks(worker), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [
        {
            "event": event,
            "kind": selectors.task_kind(event),
            "light": light_of(overdue=event.overdue, warn_at=event.warn_at, deadline=event.deadline, now=now),
        }
        for event in page.object_list
    ]
    context = {"page": page, "rows": rows}
    if request.htmx and request.GET.get("page"):
        return render(request, "mobile/_task_rows.html", context)
    return _page(request, "mobile/tasks.html", context)


def _task_event(worker: Person, event_id: int) -> Event:
    """The event if it is one of the worker's tasks now; otherwise 404 (done, reassigned or out of scope)."""
    event = access_event(worker, event_id)
    if not selectors.worker_tasks(worker).filter(pk=event.pk).exists():
        raise Http404("该任务不存在或已完成")
    return event


@require_http_methods(["GET", "POST"])
@grid_team_required
def task(request: HttpRequest, event_id: int) -> HttpResponse:
    worker = _worker(request)
    event = _task_event(worker, event_id)
    kind = selectors.task_kind(event)
    form = TaskForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        files = _files(request, "photos")
        try:
            if kind == "verify":
                services.event_verify_on_site(
                    actor=worker, event=event, valid=form.passed, note=note, files=files
                )
            else:
                event_services.event_check(
                    actor=worker, event=event, passed=form.passed, note=note, files=files
                )
        except DomainError as exc:
            _domain_error(form, exc, {"valid": "result", "passed": "result"})
        else:
            if kind == "verify":
                text = "核实属实" if form.passed else "核实不属实"
            else:
                text = "核查通过" if form.passed else "核查不通过，已退回返工"
            messages.success(request, f"{event.number}：{text}")
            return redirect("mobile:tasks")
    assignments = list(
        Assignment.objects.filter(event=event, round=event.rework_count + 1)
        .select_related("unit")
        .order_by("role")
    )
    attachments = [
        {
            "url": reverse("api:event_attachment", kwargs={"event_id": event.pk, "attachment_id": a.pk}),
            "photo": a.kind == AttachmentKind.PHOTO,
            "phase": a.get_phase_display(),
        }
        for a in event.attachments.order_by("uploaded_at", "id")
    ]
    now = timezone.now()
    return _page(
        request,
        "mobile/task.html",
        {
            "event": event,
            "kind": kind,
            "form": form,
            "assignments": assignments,
            "attachments": attachments,
            "reporter": event_reporter_shown(viewer=worker, event=event, purpose="mobile.task"),
            "light": light_of(overdue=event.overdue, warn_at=event.warn_at, deadline=event.deadline, now=now),
        },
        status=422 if form.is_bound else 200,
    )


# -- the visit log --------------------------------------------------------------------------------------


@require_GET
@grid_team_required
def visits(request: HtmxHttpRequest) -> HttpResponse:
    worker = _worker(request)
    mine = request.GET.get("scope") != "grid"
    visits = selectors.visits_this_month(viewer=worker, mine=mine)
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.visits_shown(viewer=worker, visits=page.object_list, purpose="mobile.visits")
    context = {"page": page, "rows": rows, "mine": mine, "scope": "mine" if mine else "grid"}
    if request.htmx and request.GET.get("page"):
        return render(request, "mobile/_visit_rows.html", context)
    counts = selectors.visit_counts(visits)
    context |= {
        "counts": counts,
        "kinds": [(kind.label, counts[kind.value]) for kind in VisitKind],
        "month": selectors.month_start(),
    }
    return _page(request, "mobile/visits.html", context)


@require_http_methods(["GET", "POST"])
@grid_team_required
def visit_new(request: HttpRequest) -> HttpResponse:
    worker = _worker(request)
    form = VisitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.visit_record(
                actor=worker,
                kind=data["kind"],
                household=data["household"],
                address=data["address"],
                visited_at=data["visited_at"],
                notes=data["notes"],
                lon=data["lon"],
                lat=data["lat"],
                follow_up=data["follow_up"],
            )
        except DomainError as exc:
            _domain_error(form, exc)
        else:
            messages.success(request, f"已记录{visit.get_kind_display()}")
            if request.POST.get("then") == "report":
                return redirect(f"{reverse('mobile:report')}?visit={visit.pk}")
            return redirect("mobile:visits")
    return _page(request, "mobile/visit_form.html", {"form": form}, status=422 if form.is_bound else 200)


@require_POST
@grid_team_required
def visit_link(request: HttpRequest, visit_id: int) -> JsonResponse:
    """Link the event reported from a visit (the phone calls this once the report is sent)."""
    worker = _worker(request)
    visit = access_visit(worker, visit_id)
    event_id = request.POST.get("event_id", "")
    if not event_id.isdigit():
        return JsonResponse({"code": "invalid_input", "message": "请提供事件编号"}, status=422)
    try:
        event = access_event(worker, int(event_id))
        services.visit_link_event(actor=worker, visit=visit, event=event)
    except DomainError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status)
    return JsonResponse({"visit": visit.pk, "event": event.pk})


# -- the installable app: service worker ------------------------------------------------------------------

# What the phone keeps for offline use: the styles and scripts of the pages, and the pages themselves.
SHELL_STATIC = [
    "css/app.css",
    "mobile/mobile.css",
    "mobile/outbox.js",
    "mobile/app.js",
    "mobile/report.js",
    "mobile/queue.js",
    "mobile/manifest.webmanifest",
    "mobile/icon-192.png",
    "vendor/htmx/htmx.min.js",
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.css",
    "js/basemap.js",
    "css/basemap.css",
]
SHELL_PAGES = ["mobile:home", "mobile:report", "mobile:queue", "mobile:tasks", "mobile:visits"]


def _shell_version() -> str:
    """Changes whenever a cached file changes, so phones install the new worker and drop the old cache."""
    if settings.DEBUG:
        return _hash_shell()
    return _cached_shell_version()


@cache
def _cached_shell_version() -> str:
    return _hash_shell()


def _hash_shell() -> str:
    digest = hashlib.sha256()
    for name in SHELL_STATIC:
        path = finders.find(name)
        digest.update(name.encode())
        if isinstance(path, str):
            with open(path, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served under /m/ so its scope covers the phone pages. No personal data in it."""
    body = render_to_string(
        "mobile/sw.js",
        {
            "version": _shell_version(),
            "static_urls": json.dumps([static(name) for name in SHELL_STATIC]),
            "page_urls": json.dumps([reverse(name) for name in SHELL_PAGES]),
            "outbox_url": static("mobile/outbox.js"),
            "static_prefix": "/" + settings.STATIC_URL.lstrip("/"),
            "home_url": reverse("mobile:home"),
            "report_url": reverse("mobile:report"),
            "queue_url": reverse("mobile:queue"),
            "login_url": reverse("login"),
        },
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("mobile:home")
    return response
