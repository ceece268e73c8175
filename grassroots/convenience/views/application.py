"""The application page: everything about one application on one screen, and the steps the viewer may take, each a
form posting to `act`; the printable one-time notice; the window's rating device page."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from grassroots.core.errors import DomainError
from grassroots.workflow.choices import ResultKind
from grassroots.workflow.clocks import clock_light, clock_remaining
from grassroots.workflow.forms import schema_error_text
from grassroots.workflow.links import links_of
from grassroots.workflow.models import Clock

from ..choices import Grade, RatingChannel
from ..forms import RECTIFICATION_FORMS, StepForm, step_form_for
from ..models import Application, CorrectionNotice, Rating, Rectification
from ..permissions import access_application, access_rectification, applicant_of
from ..rules import action_label
from ..selectors import actor_kinds
from ..services import application_rate
from ..services.ratings import rectification_kinds
from ..steps import APPLICATION_FLOW, RECTIFICATION_FLOW
from .common import viewer
from .complaint import complaint_form_for


def _who(row: Any) -> str:
    """Who took a history row's step, in words: a rating on the window's device or by link is the applicant's own."""
    if row.action == "rate" and row.data.get("channel") in {RatingChannel.DEVICE, RatingChannel.LINK}:
        return str(_("申请人（%(channel)s）") % {"channel": RatingChannel(row.data["channel"]).label})
    return row.actor.name if row.actor is not None else str(_("系统"))


def _forms(application: Application, person: Any, bound: StepForm | None = None) -> list[StepForm]:
    kinds = actor_kinds(application, person)
    actions = APPLICATION_FLOW.allowed(application.status, kinds)
    return [
        bound if bound is not None and bound.action == a else step_form_for(a, application, person)
        for a in actions
    ]


def _rectification_forms(
    rectification: Rectification | None, person: Any, bound: StepForm | None = None
) -> list[StepForm]:
    if rectification is None:
        return []
    kinds = rectification_kinds(rectification, person)
    actions = RECTIFICATION_FLOW.allowed(rectification.status, kinds)
    return [
        bound
        if bound is not None and bound.action == a
        else step_form_for(a, rectification, person, rectification=True)
        for a in actions
    ]


def page(
    request: HttpRequest,
    application: Application,
    person: Any,
    *,
    bound: StepForm | None = None,
    bound_rectification: StepForm | None = None,
    complaint: Any = None,
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    clock = Clock.objects.filter(workflow="application", object_id=application.pk).order_by("-id").first()
    rating = Rating.objects.filter(application=application).first()
    rectification = Rectification.objects.filter(application=application).first()
    materials = list(application.item.materials.all())
    received, pending = set(application.materials_received), set(application.materials_pending)
    context = {
        "application": application,
        "item": application.item,
        # The result is stored as its code (no choices on the field): the page shows its words.
        "result_label": ResultKind(application.result).label
        if application.result in ResultKind.values
        else application.result,
        "applicant": applicant_of(person, application, purpose="办件详情"),
        "materials": [(m, m.pk in received, m.pk in pending) for m in materials],
        "history": [
            (h, action_label(h.action), _who(h)) for h in application.history.select_related("actor")
        ],
        "notices": list(application.notices.all()),
        "visit_log": list(application.visit_log.all()),
        "clock": clock,
        "light": clock_light(clock, now) if clock else None,
        "remaining_days": (clock_remaining(clock, now) / 27000)
        if clock and clock.state != "stopped"
        else None,
        "rating": rating,
        "rectification": rectification,
        "forms": [f for f in _forms(application, person, bound) if f.action != "rate"],
        "can_rate": "rate" in APPLICATION_FLOW.allowed(application.status, actor_kinds(application, person))
        and rating is None,
        "rate_form": step_form_for("rate", application, person) if rating is None else None,
        "rectification_forms": _rectification_forms(rectification, person, bound_rectification),
        "record_links": links_of(viewer=person, workflow="application", object_id=application.pk),
        "complaint_form": complaint or complaint_form_for(person),
    }
    return render(request, "convenience/application.html", context, status=status)


@login_required
def application(request: HttpRequest, application_id: int) -> HttpResponse:
    person = viewer(request)
    return page(request, access_application(person, application_id), person)


@login_required
@require_POST
def act(request: HttpRequest, application_id: int, action: str) -> HttpResponse:
    person = viewer(request)
    record = access_application(person, application_id)
    if action not in {s.action for s in APPLICATION_FLOW.steps}:
        raise Http404("没有这个操作")
    form = step_form_for(action, record, person, data=request.POST)
    if form.is_valid():
        seen = form.cleaned_data.get("version")
        if seen is not None and seen != record.version:
            form.add_error(None, _("办件已被他人处理或已变化，请核对后重试"))
        else:
            try:
                APPLICATION_FLOW.perform(action, person, record, form.payload(), [])
            except DomainError as exc:
                form.add_domain_error(exc)
            except ValidationError as exc:
                form.add_error(None, schema_error_text(exc))
            else:
                messages.success(request, _("已%(action)s") % {"action": APPLICATION_FLOW.label(action)})
                return redirect("convenience:application", record.pk)
    fresh = access_application(person, application_id)
    return page(request, fresh, person, bound=form, status=422)


@login_required
@require_POST
def act_rectification(request: HttpRequest, rectification_id: int, action: str) -> HttpResponse:
    person = viewer(request)
    rectification = access_rectification(person, rectification_id)
    if action not in RECTIFICATION_FORMS:
        raise Http404("没有这个操作")
    form = step_form_for(action, rectification, person, data=request.POST, rectification=True)
    if form.is_valid():
        try:
            RECTIFICATION_FLOW.perform(action, person, rectification, form.payload(), [])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已%(action)s") % {"action": RECTIFICATION_FLOW.label(action)})
            return redirect("convenience:application", rectification.application_id)
    record = access_application(person, rectification.application_id)
    return page(request, record, person, bound_rectification=form, status=422)


@login_required
def notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    """The one-time notice (一次性告知书), printable, handed to the applicant."""
    person = viewer(request)
    found = get_object_or_404(CorrectionNotice.objects.select_related("issued_by"), pk=notice_id)
    record = access_application(person, found.application_id)
    context = {
        "notice": found,
        "application": record,
        "applicant": applicant_of(person, record, purpose="打印一次性告知书"),
    }
    return render(request, "convenience/notice_print.html", context)


@login_required
def rate_device(request: HttpRequest, application_id: int) -> HttpResponse:
    """The window's rating device (评价器): the applicant taps one of five faces; a bad one may say why."""
    person = viewer(request)
    record = access_application(person, application_id)
    error = ""
    if request.method == "POST":
        try:
            grade = int(request.POST.get("grade", "0"))
            application_rate(
                actor=person,
                application=record,
                grade=grade,
                channel=RatingChannel.DEVICE,
                comment=request.POST.get("comment", ""),
            )
        except (DomainError, ValueError) as exc:
            error = getattr(exc, "message", "") or str(_("请选择评价等级"))
        else:
            return render(request, "convenience/rate_done.html", {"application": record})
    done = Rating.objects.filter(application=record).exists()
    return render(
        request,
        "convenience/rate_device.html",
        {"application": record, "grades": Grade.choices, "error": error, "done": done},
    )
