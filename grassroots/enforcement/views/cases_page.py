"""The case page: the case on one screen (number, state, the party as the viewer may see it, the power and its legal
basis, the officers, the clocks with their due dates and pauses, the history, the evidence with its digests, the
documents, the links) and the forms of the steps the viewer may take now, each posting to `act`; and the downloads
of an evidence file and of a generated document."""

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from grassroots.audit.services import audit_record_read
from grassroots.core.errors import DomainError
from grassroots.core.watermark import docx_copy, export_reason, watermark_of
from grassroots.people.actors import person_of
from grassroots.workflow.choices import ClockState
from grassroots.workflow.clocks import clock_light
from grassroots.workflow.forms import schema_error_text
from grassroots.workflow.links import link_offers, links_of
from grassroots.workflow.models import Clock

from ..choices import DocumentKind
from ..models import EnforcementCase
from ..permissions import PARTY_FIELDS, access_case, case_actor_kinds, party_of
from ..rules import ACTION_LABELS, CASE
from ..services.common import WORKFLOW, Clocks
from ..steps import CASE_FLOW
from .cases_forms import StepForm, step_form_for
from .powers import discretion_rows

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CLOCK_LABELS = {
    Clocks.LEAD: gettext_lazy("线索核查期限"),
    Clocks.CASE: gettext_lazy("办案期限"),
    Clocks.HEARING_REQUEST: gettext_lazy("申请听证期限"),
    Clocks.SERVICE: gettext_lazy("送达期限"),
    Clocks.PAYMENT: gettext_lazy("缴款期限"),
}
ACTOR_LABELS = {
    "officer": gettext_lazy("承办执法人员"),
    "head": gettext_lazy("负责人"),
    "reviewer": gettext_lazy("法制审核人员"),
    "chair": gettext_lazy("听证主持人"),
}


def clocks_of(case: EnforcementCase) -> list[dict[str, Any]]:
    """Every clock of the case, the live ones first: its words, state, due moment and light."""
    now = timezone.now()
    rows = []
    for clock in Clock.objects.filter(workflow=WORKFLOW, object_id=case.pk).order_by("id"):
        live = clock.state != ClockState.STOPPED
        rows.append(
            {
                "clock": clock,
                "label": CLOCK_LABELS.get(clock.name, clock.name),
                "live": live,
                "paused": clock.state == ClockState.PAUSED,
                "light": str(clock_light(clock, now)) if clock.state == ClockState.RUNNING else "",
            }
        )
    return sorted(rows, key=lambda r: not r["live"])


def _forms(case: EnforcementCase, person: Any, kinds: set[str], bound: StepForm | None) -> list[StepForm]:
    return [
        bound if bound is not None and bound.action == a else step_form_for(a, case, person)
        for a in CASE.allowed(case.status, kinds)
    ]


def _stray(bound: StepForm | None, forms: list[StepForm]) -> list[str]:
    """The errors of a refused step whose form the page no longer shows (the case moved on, or it was never the
    viewer's to take): said above the forms, so that the refusal is not lost."""
    if bound is None or any(f is bound for f in forms):
        return []
    return [f"{bound.title}：{e}" for errors in bound.errors.values() for e in errors]


def page(
    request: HttpRequest,
    case: EnforcementCase,
    person: Any,
    *,
    bound: StepForm | None = None,
    status: int = 200,
) -> HttpResponse:
    kinds = case_actor_kinds(case, person)
    forms = _forms(case, person, kinds, bound)
    history = [
        (h, ACTION_LABELS.get(h.action, h.action), h.actor.name if h.actor else _("系统"))
        for h in case.history.select_related("actor")
    ]
    context = {
        "case": case,
        "power": case.power,
        "party": party_of(person, case, purpose="执法案件详情"),
        "officers": list(case.officers.select_related("inspector").order_by("pk")),
        "kinds": [str(ACTOR_LABELS[k]) for k in sorted(kinds) if k in ACTOR_LABELS],
        "clocks": clocks_of(case),
        "history": history,
        "evidence": list(case.evidence.select_related("taken_by")),
        "documents": list(case.documents.select_related("generated_by").order_by("-generated_at", "-pk")),
        "discretion": discretion_rows(case.power),
        "forms": forms,
        "stray_errors": _stray(bound, forms),
        "record_links": links_of(viewer=person, workflow=WORKFLOW, object_id=case.pk),
        "link_offers": link_offers(viewer=person, workflow=WORKFLOW, record=case),
    }
    return render(request, "enforcement/case.html", context, status=status)


@login_required
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    person = person_of(request)
    return page(request, access_case(person, case_id), person)


@login_required
@require_POST
def act(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    person = person_of(request)
    record = access_case(person, case_id)
    if action not in {s.action for s in CASE_FLOW.steps}:
        raise Http404("没有这个操作")
    form = step_form_for(action, record, person, data=request.POST, files=request.FILES)
    if form.is_valid():
        seen = form.cleaned_data.get("version")
        if seen is not None and seen != record.version:
            form.add_error(
                None,
                _(
                    "案件已被他人处理或已变化（您看到的不是最新内容），本次未保存；请核对下方最新情况后重新填写。"
                ),
            )
        else:
            try:
                CASE_FLOW.perform(action, person, record, form.payload(), request.FILES.getlist("files"))
            except DomainError as exc:
                form.add_domain_error(exc)
            except ValidationError as exc:
                form.add_error(None, schema_error_text(exc))
            else:
                messages.success(request, _("已%(action)s") % {"action": CASE_FLOW.label(action)})
                return redirect("enforcement:case", record.pk)
    return page(request, access_case(person, case_id), person, bound=form, status=422)


@login_required
def evidence_file(request: HttpRequest, case_id: int, evidence_id: int) -> FileResponse:
    case = access_case(person_of(request), case_id)
    found = get_object_or_404(case.evidence.exclude(file=""), pk=evidence_id)
    return FileResponse(
        found.file.open("rb"),
        content_type=found.content_type or "application/octet-stream",
        filename=found.original_name or f"{found.sha256[:16]}{found.extension}",
        as_attachment=True,
    )


@login_required
def document_file(request: HttpRequest, case_id: int, document_id: int) -> HttpResponse | FileResponse:
    """A case document names the party: after a reason, a watermarked copy, the read audited with the reason."""
    person = person_of(request)
    case = access_case(person, case_id)
    found = get_object_or_404(case.documents, pk=document_id)
    reason = export_reason(request, title=f"{DocumentKind(found.kind).label} · {found.number}")
    if isinstance(reason, HttpResponse):
        return reason
    data = docx_copy(found.file, watermark_of(person, reason))
    audit_record_read(
        actor=person, objects=[case], fields=PARTY_FIELDS, purpose=f"案件文书下载.{found.kind}", reason=reason
    )
    name = f"{DocumentKind(found.kind).label}-{found.number}.docx"
    return FileResponse(io.BytesIO(data), content_type=DOCX, as_attachment=True, filename=name)
