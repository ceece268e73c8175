"""The dispute page: the dispute on one screen (state, place, committee, mediators, the parties as the viewer may see
them — whole for its mediators and committee, the read audited — the clocks, the sessions, the outcome, 司法确认,
the follow-up visits, the documents, the history, the links) and the forms of the steps the viewer may take now,
each posting to `act`; and the download of a generated 调解协议书."""

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

from ..dispute_steps import DISPUTE_FLOW
from ..models import Dispute
from ..permissions import PARTY_FIELDS, access_dispute, dispute_actor_kinds, parties_of
from ..rules import ACTION_LABELS, Actor
from ..services.disputes_common import WORKFLOW, Clocks
from .dispute_forms import StepForm, step_form_for

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CLOCK_LABELS = {
    Clocks.MEDIATION: gettext_lazy("调解期限"),
    Clocks.CONFIRMATION: gettext_lazy("申请司法确认期限"),
}
KIND_LABELS = {Actor.MEDIATOR: gettext_lazy("调解员"), Actor.COMMITTEE: gettext_lazy("调委会")}
STALE = gettext_lazy(
    "纠纷已被他人处理或已变化（您看到的不是最新内容），本次未保存；请核对下方最新情况后重新填写。"
)


def clocks_of(dispute: Dispute) -> list[dict[str, Any]]:
    now = timezone.now()
    rows = []
    for clock in Clock.objects.filter(workflow=WORKFLOW, object_id=dispute.pk).order_by("id"):
        live = clock.state != ClockState.STOPPED
        rows.append(
            {
                "clock": clock,
                "label": CLOCK_LABELS.get(clock.name, clock.name),
                "live": live,
                "light": str(clock_light(clock, now)) if clock.state == ClockState.RUNNING else "",
            }
        )
    return sorted(rows, key=lambda r: not r["live"])


def page(
    request: HttpRequest, dispute: Dispute, person: Any, *, bound: StepForm | None = None, status: int = 200
) -> HttpResponse:
    kinds = dispute_actor_kinds(dispute, person)
    forms = [
        bound if bound is not None and bound.action == a else step_form_for(a, dispute, person)
        for a in DISPUTE_FLOW.allowed(dispute.status, kinds)
    ]
    stray = []
    if bound is not None and not any(f is bound for f in forms):
        stray = [f"{bound.title}：{e}" for errors in bound.errors.values() for e in errors]
    history = [
        (h, ACTION_LABELS.get(h.action, h.action), h.actor.name if h.actor else _("系统"))
        for h in dispute.history.select_related("actor").order_by("at", "pk")
    ]
    context = {
        "dispute": dispute,
        "parties": parties_of(person, dispute, purpose="矛盾纠纷详情"),
        "mediators": list(dispute.mediators.order_by("pk")),
        "kinds": [str(KIND_LABELS[k]) for k in sorted(kinds) if k in KIND_LABELS],
        "clocks": clocks_of(dispute),
        "sessions": list(dispute.sessions.prefetch_related("mediators").order_by("held_at", "pk")),
        "follow_ups": list(dispute.follow_ups.select_related("visitor").order_by("visited_on", "pk")),
        "documents": list(dispute.documents.select_related("generated_by").order_by("-generated_at", "-pk")),
        "history": history,
        "forms": forms,
        "stray_errors": stray,
        "record_links": links_of(viewer=person, workflow=WORKFLOW, object_id=dispute.pk),
        "link_offers": link_offers(viewer=person, workflow=WORKFLOW, record=dispute),
    }
    return render(request, "governance/dispute.html", context, status=status)


@login_required
def dispute_page(request: HttpRequest, dispute_id: int) -> HttpResponse:
    person = person_of(request)
    return page(request, access_dispute(person, dispute_id), person)


@login_required
@require_POST
def act(request: HttpRequest, dispute_id: int, action: str) -> HttpResponse:
    person = person_of(request)
    record = access_dispute(person, dispute_id)
    if action not in {s.action for s in DISPUTE_FLOW.steps}:
        raise Http404("没有这个操作")
    form = step_form_for(action, record, person, data=request.POST)
    if form.is_valid():
        seen = form.cleaned_data.get("version")
        if seen is not None and seen != record.version:
            form.add_error(None, str(STALE))
        else:
            try:
                DISPUTE_FLOW.perform(action, person, record, form.payload(), [])
            except DomainError as exc:
                form.add_domain_error(exc)
            except ValidationError as exc:
                form.add_error(None, schema_error_text(exc))
            else:
                messages.success(request, _("已%(action)s") % {"action": DISPUTE_FLOW.label(action)})
                return redirect("governance:dispute", record.pk)
    return page(request, access_dispute(person, dispute_id), person, bound=form, status=422)


@login_required
def document_file(request: HttpRequest, dispute_id: int, document_id: int) -> HttpResponse | FileResponse:
    """The 调解协议书 names the parties whole: only its mediators and committee download it, after giving a reason;
    a watermarked copy, the read audited with the reason."""
    person = person_of(request)
    dispute = access_dispute(person, dispute_id)
    if not dispute_actor_kinds(dispute, person) - {Actor.SYSTEM}:
        raise Http404("文书不存在或您无权下载")
    found = get_object_or_404(dispute.documents, pk=document_id)
    reason = export_reason(request, title=f"调解协议书 · {dispute.pk}")
    if isinstance(reason, HttpResponse):
        return reason
    data = docx_copy(found.file, watermark_of(person, reason))
    audit_record_read(
        actor=person, objects=[dispute], fields=PARTY_FIELDS, purpose="下载调解协议书", reason=reason
    )
    name = f"调解协议书-{dispute.pk}-{found.sha256[:8]}.docx"
    return FileResponse(io.BytesIO(data), content_type=DOCX, as_attachment=True, filename=name)
