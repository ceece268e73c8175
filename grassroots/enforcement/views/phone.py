"""The enforcement officer's phone, under /enforcement/m/: today's roster shifts, 我的案件 (read-only, with the
state and the running limit), recording evidence on a case, and the daily report (每日巡查上报).

Both forms are sent from JavaScript through the grid worker's outbox (`static/mobile/outbox.js`), so what is
recorded without a network waits on the phone and is sent later with the same idempotency key (header
`Idempotency-Key`): such a POST is answered in JSON, 401 when the session is gone. Without JavaScript the same
forms post here and are answered with a page. Only officers in the enforcement-officer pool use these pages.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from grassroots.core.errors import DomainError
from grassroots.draws.models import Inspector
from grassroots.people.models import Person
from grassroots.workcal.calendar import SHANGHAI
from grassroots.workflow.choices import ClockState
from grassroots.workflow.clocks import clock_light
from grassroots.workflow.models import Clock

from ..choices import BEFORE_DECISION, EvidenceKind
from ..models import EnforcementCase, RosterShift
from ..services.common import WORKFLOW
from ..services.daily_reports import (
    daily_report_submit,
    my_shifts,
    phone_evidence_add,
    report_hours,
    today_in_china,
)

CLOCK_NAMES = {
    "lead": "线索核查",
    "case": "办案期限",
    "hearing_request": "听证申请期",
    "service": "送达期限",
    "payment": "缴款期限",
}
SHELL_STATIC = [
    "css/app.css",
    "mobile/mobile.css",
    "enforcement/phone.css",
    "mobile/outbox.js",
    "enforcement/phone.js",
]
SHELL_PAGES = [
    "enforcement:phone",
    "enforcement:phone_report",
    "enforcement:phone_cases",
    "enforcement:phone_queue",
]


def _json_wanted(request: HttpRequest) -> bool:
    return "Idempotency-Key" in request.headers


def officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else the login page, or 401 for the outbox) and in the enforcement-officer pool."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            if _json_wanted(request):
                return JsonResponse({"code": "not_authenticated", "message": "登录已过期"}, status=401)
            return redirect_to_login(request.get_full_path())
        entry = Inspector.objects.select_related("unit").filter(person=user, active=True).first()
        if entry is None:
            if _json_wanted(request):
                return JsonResponse(
                    {"code": "not_permitted", "message": "您不在执法人员名录库中"}, status=403
                )
            return render(request, "enforcement/phone/not_officer.html", status=403)
        request.inspector = entry  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    entry: Inspector = request.inspector  # type: ignore[attr-defined]
    context = {"inspector": entry, "unit": entry.unit, **context}
    return render(request, template, context, status=status)


def _me(request: HttpRequest) -> Person:
    user = request.user
    assert isinstance(user, Person)  # officer_required let only a signed-in officer through
    return user


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _error(exc: DomainError) -> JsonResponse:
    return JsonResponse(exc.as_dict(), status=exc.status)


def _float(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _clocks(cases: list[EnforcementCase]) -> dict[int, dict[str, Any]]:
    """The live limit of each case (the one due first): its name, due time and light."""
    now = timezone.now()
    live: dict[int, dict[str, Any]] = {}
    for clock in Clock.objects.filter(
        workflow=WORKFLOW,
        object_id__in=[c.pk for c in cases],
        state__in=[ClockState.RUNNING, ClockState.PAUSED],
    ).order_by("due_at"):
        if clock.object_id in live:
            continue
        live[clock.object_id] = {
            "name": CLOCK_NAMES.get(clock.name, clock.name),
            "due_at": clock.due_at,
            "paused": clock.state == ClockState.PAUSED,
            "light": clock_light(clock, now),
        }
    return live


# -- pages ----------------------------------------------------------------------------------------------------


@require_GET
@officer_required
def home(request: HttpRequest) -> HttpResponse:
    today = today_in_china()
    shifts = my_shifts(_me(request), today)
    count = (
        EnforcementCase.objects.filter(officers=_me(request))
        .exclude(status__in=["closed", "archived"])
        .count()
    )
    return _page(
        request, "enforcement/phone/home.html", {"today": today, "shifts": shifts, "open_cases": count}
    )


@require_GET
@officer_required
def cases(request: HttpRequest) -> HttpResponse:
    mine = list(
        EnforcementCase.objects.filter(officers=_me(request))
        .select_related("power")
        .order_by("-created_at")[:100]
    )
    clocks = _clocks(mine)
    rows = [{"case": c, "clock": clocks.get(c.pk), "open": c.status in BEFORE_DECISION} for c in mine]
    return _page(request, "enforcement/phone/cases.html", {"rows": rows})


def _my_case(request: HttpRequest, case_id: int) -> EnforcementCase:
    case = (
        EnforcementCase.objects.select_related("power", "unit")
        .filter(officers=_me(request), pk=case_id)
        .first()
    )
    if case is None:
        raise Http404("案件不存在或您不是承办人员")
    return case


@officer_required
def evidence(request: HttpRequest, case_id: int) -> HttpResponse:
    """One of my cases (read-only) and the form recording evidence on it."""
    case = _my_case(request, case_id)
    if request.method == "POST":
        data = request.POST
        taken_at = None
        if data.get("taken_at"):
            try:
                taken_at = dt.datetime.fromisoformat(data["taken_at"])
            except ValueError:
                taken_at = None
            if taken_at is not None and taken_at.tzinfo is None:
                taken_at = taken_at.replace(tzinfo=SHANGHAI)
        try:
            item, created = phone_evidence_add(
                actor=_me(request),
                case=case,
                kind=data.get("kind", ""),
                file=request.FILES.get("file"),
                description=data.get("description", ""),
                lon=_float(data.get("lon")),
                lat=_float(data.get("lat")),
                taken_at=taken_at,
                idempotency_key=request.headers.get("Idempotency-Key") or data.get("idempotency_key"),
            )
        except DomainError as exc:
            if _json_wanted(request):
                return _error(exc)
            messages.error(request, exc.message)
        else:
            label = f"证据 {item.get_kind_display()} #{item.pk}"
            if _json_wanted(request):
                return JsonResponse(
                    {"label": label, "created": created, "id": item.pk}, status=201 if created else 200
                )
            messages.success(request, f"已登记{label}")
            return redirect(reverse("enforcement:phone_evidence", args=[case.pk]))
    context = {
        "case": case,
        "clock": _clocks([case]).get(case.pk),
        "evidence": case.evidence.order_by("-taken_at")[:20],
        "kinds": EvidenceKind.choices,
        "open": case.status in BEFORE_DECISION,
        "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }
    return _page(request, "enforcement/phone/evidence.html", context)


@officer_required
def report(request: HttpRequest) -> HttpResponse:
    """每日巡查上报: the day's (or a shift's) inspections, sent through the outbox."""
    today = today_in_china()
    if request.method == "POST":
        data = request.POST
        try:
            day = dt.date.fromisoformat(data.get("day", ""))
        except ValueError:
            day = today
        shift = None
        if data.get("shift"):
            shift = RosterShift.objects.filter(pk=_int(data.get("shift"))).first()
        try:
            result = daily_report_submit(
                actor=_me(request),
                day=day,
                checked=data.get("checked", ""),
                places=data.get("places", ""),
                problems_found=data.get("problems_found") or 0,
                problems=data.get("problems", ""),
                note=data.get("note", ""),
                lon=_float(data.get("lon")),
                lat=_float(data.get("lat")),
                photos=request.FILES.getlist("photos"),
                shift=shift,
                idempotency_key=request.headers.get("Idempotency-Key") or data.get("idempotency_key"),
            )
        except DomainError as exc:
            if _json_wanted(request):
                return _error(exc)
            messages.error(request, exc.message)
        else:
            r = result.report
            label = f"{r.day:%m-%d} 巡查上报" + ("（逾期）" if r.late else "")
            if _json_wanted(request):
                body = {"label": label, "created": result.created, "id": r.pk, "late": r.late}
                return JsonResponse(body, status=201 if result.created else 200)
            messages.success(request, f"已上报{label}")
            return redirect(reverse("enforcement:phone"))
    context = {
        "today": today,
        "shifts": my_shifts(_me(request), today),
        "chosen_shift": _int(request.GET.get("shift")),
        "hours": report_hours(),
    }
    return _page(request, "enforcement/phone/report.html", context)


@require_GET
@officer_required
def queue(request: HttpRequest) -> HttpResponse:
    return _page(request, "enforcement/phone/queue.html", {})


def _shell_version() -> str:
    """Changes whenever a kept file changes, so phones install the new worker and drop the old cache."""
    digest = hashlib.sha256()
    for name in SHELL_STATIC:
        found = finders.find(name)
        digest.update(name.encode())
        if isinstance(found, str):
            with open(found, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The phone's service worker, served under /enforcement/m/ so its scope covers these pages."""
    body = render_to_string(
        "enforcement/phone/sw.js",
        {
            "version": _shell_version(),
            "static_urls": json.dumps([static(name) for name in SHELL_STATIC]),
            "page_urls": json.dumps([reverse(name) for name in SHELL_PAGES]),
            "outbox_url": static("mobile/outbox.js"),
            "static_prefix": "/" + settings.STATIC_URL.lstrip("/"),
            "home_url": reverse("enforcement:phone"),
            "report_url": reverse("enforcement:phone_report"),
            "login_url": reverse("login"),
        },
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("enforcement:phone")
    return response


urlpatterns = [
    path("", home, name="phone"),
    path("cases/", cases, name="phone_cases"),
    path("cases/<int:case_id>/", evidence, name="phone_evidence"),
    path("report/", report, name="phone_report"),
    path("queue/", queue, name="phone_queue"),
    path("sw.js", service_worker, name="phone_sw"),
]
