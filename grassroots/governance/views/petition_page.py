"""The petition page: the petition on one screen (state, the petitioners as the viewer may see them, the matter,
the decisions and opinions, the clocks with their due dates and lights, the notices, the history, the links) and
the forms of the steps the viewer may take now, each posting to `act`; and a notice's download (office and leader
only: it names the petitioners; audited)."""

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from grassroots.audit.services import audit_record_read
from grassroots.core.errors import DomainError
from grassroots.core.watermark import docx_copy, export_reason, watermark_of
from grassroots.people.actors import person_of
from grassroots.workflow.forms import schema_error_text
from grassroots.workflow.links import link_offers, links_of

from ..models import Petition
from ..petition_permissions import PETITIONER_FIELDS, access_petition, petition_actor_kinds, sees_petitioners
from ..petition_steps import PETITION_FLOW
from ..services.petition_common import WORKFLOW
from ..services.petition_reading import available, detail
from .petition_forms import StepForm, step_form_for

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ACTOR_LABELS = {"office": "信访工作机构", "leader": "包案领导"}


def page(
    request: HttpRequest, petition: Petition, person: Any, *, bound: StepForm | None = None, status: int = 200
) -> HttpResponse:
    kinds = petition_actor_kinds(petition, person)
    forms = [
        bound if bound is not None and bound.action == a else step_form_for(a, petition, person)
        for a in available(petition, kinds)
    ]
    stray = (
        []
        if bound is None or any(f is bound for f in forms)
        else [f"{bound.title}：{e}" for errors in bound.errors.values() for e in errors]
    )
    context = {
        "petition": petition,
        "x": detail(person, petition, purpose="信访件详情"),
        "kinds": [ACTOR_LABELS[k] for k in sorted(kinds) if k in ACTOR_LABELS],
        "forms": forms,
        "stray_errors": stray,
        "record_links": links_of(viewer=person, workflow=WORKFLOW, object_id=petition.pk),
        "link_offers": link_offers(viewer=person, workflow=WORKFLOW, record=petition),
    }
    return render(request, "governance/petition.html", context, status=status)


@login_required
def petition_page(request: HttpRequest, petition_id: int) -> HttpResponse:
    person = person_of(request)
    return page(request, access_petition(person, petition_id), person)


@login_required
@require_POST
def act(request: HttpRequest, petition_id: int, action: str) -> HttpResponse:
    person = person_of(request)
    record = access_petition(person, petition_id)
    if action not in {s.action for s in PETITION_FLOW.steps}:
        raise Http404("没有这个操作")
    form = step_form_for(action, record, person, data=request.POST)
    if form.is_valid():
        seen = form.cleaned_data.get("version")
        if seen is not None and seen != record.version:
            form.add_error(
                None, _("信访件已被他人处理或已变化（您看到的不是最新内容），本次未保存；请核对后重新填写。")
            )
        else:
            try:
                PETITION_FLOW.perform(action, person, record, form.payload(), [])
            except DomainError as exc:
                form.add_domain_error(exc)
            except ValidationError as exc:
                form.add_error(None, schema_error_text(exc))
            else:
                messages.success(request, _("已%(action)s") % {"action": PETITION_FLOW.label(action)})
                return redirect("governance:petition", record.pk)
    return page(request, access_petition(person, petition_id), person, bound=form, status=422)


@login_required
def document_file(request: HttpRequest, petition_id: int, document_id: int) -> HttpResponse | FileResponse:
    """A notice names the petitioner: after a reason, a watermarked copy, the read audited with the reason."""
    person = person_of(request)
    petition = access_petition(person, petition_id)
    found = get_object_or_404(petition.documents, pk=document_id)
    if not sees_petitioners(person, petition):
        raise PermissionDenied(_("告知文书载有信访人身份信息，只有办理人员可以下载"))
    reason = export_reason(request, title=f"{found.get_kind_display()} · {petition.pk}")
    if isinstance(reason, HttpResponse):
        return reason
    data = docx_copy(found.file, watermark_of(person, reason))
    audit_record_read(
        actor=person,
        objects=[petition],
        fields=PETITIONER_FIELDS,
        purpose=f"信访文书下载.{found.kind}",
        reason=reason,
    )
    name = f"{found.get_kind_display()}-{petition.pk}.docx"
    return FileResponse(io.BytesIO(data), content_type=DOCX, as_attachment=True, filename=name)
