"""Disputes through the API (/api/v1/disputes): the list in the caller's scope (`disputes_visible_to`) a page at a
time, one dispute with its parties, clocks, sessions, follow-ups, documents and history, registering one, one
endpoint per step declared in `dispute_steps.py` (made by the workflow core; `If-Match` checks the version), and
the 调解协议书's file.

The parties are masked in the list; in the detail they are whole for the dispute's mediators and committee, the
read audited (`permissions.parties_of`), masked for the others. The agreement names the parties, so only they
download it, audited the same way."""

import io
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router
from ninja import Status as Answer

from grassroots.audit.services import audit_record_read
from grassroots.core.cursors import page_after
from grassroots.core.errors import Forbidden, InvalidInput
from grassroots.core.labels import choice_label
from grassroots.core.watermark import docx_copy, reason_required, watermark_of
from grassroots.events.permissions import visible_to as events_visible_to
from grassroots.events.schemas import ErrorOut
from grassroots.geo.models import Division, Grid
from grassroots.org.models import Unit
from grassroots.people.actors import person_of
from grassroots.workflow.choices import ClockState
from grassroots.workflow.clocks import clock_light
from grassroots.workflow.endpoints import Resource, add_step_endpoints, check_version
from grassroots.workflow.models import Clock

from ..choices import DisputeStatus, DisputeType
from ..dispute_steps import DISPUTE_FLOW
from ..models import Dispute
from ..permissions import PARTY_FIELDS, access_dispute, dispute_actor_kinds, parties_of
from ..rules import ACTION_LABELS, Actor
from ..services.dispute_list import DisputeFilters, dispute_light, dispute_rows, masked_parties
from ..services.disputes import PartyIn, dispute_register
from ..services.disputes_common import WORKFLOW
from .dispute_schemas import DisputeDetailOut, DisputeListOut, DisputeListQuery, DisputeOpenIn

router = Router(tags=["disputes"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _ref(obj: Any) -> dict[str, Any]:
    return {"id": obj.pk, "name": obj.name}


def _item(d: Dispute, now: Any) -> dict[str, Any]:
    return {
        "id": d.pk,
        "title": d.title,
        "status": d.status,
        "status_label": choice_label(DisputeStatus, d.status),
        "kind": d.kind,
        "kind_label": choice_label(DisputeType, d.kind),
        "source": d.source,
        "risk_level": d.risk_level,
        "village": _ref(d.village),
        "committee": _ref(d.committee),
        "mediators": [_ref(m) for m in d.mediators.all()],
        "parties": masked_parties(d),
        "due_at": d.clock_due,  # type: ignore[attr-defined]
        "light": dispute_light(d, now),
        "outcome": d.outcome,
        "created_at": d.created_at,
        "version": d.version,
    }


def _clock(c: Clock, now: Any) -> dict[str, Any]:
    light = str(clock_light(c, now)) if c.state == ClockState.RUNNING else ""
    return {
        "name": c.name,
        "state": c.state,
        "due_at": c.due_at,
        "light": light,
        "stopped_at": c.stopped_at,
        "result": c.result,
    }


def detail_of(person: Any, dispute_id: int) -> dict[str, Any]:
    rows: QuerySet[Dispute] = dispute_rows(person, DisputeFilters()).filter(pk=dispute_id)
    d = rows.first()
    if d is None:
        raise Http404("纠纷不存在或不在您的管辖范围内")
    now = timezone.now()
    clocks = Clock.objects.filter(workflow=WORKFLOW, object_id=d.pk).order_by("id")
    return {
        **_item(d, now),
        "facts": d.facts,
        "referred_by": d.referred_by,
        "party_list": parties_of(person, d, purpose="api.disputes.detail"),
        **{
            name: getattr(d, name)
            for name in (
                "agreement_terms",
                "performance_manner",
                "performance_due_on",
                "referral_route",
                "confirmation_applied_on",
                "confirmation_court",
                "confirmation_result",
            )
        },
        "clocks": [_clock(c, now) for c in clocks],
        "sessions": [
            {
                "held_at": s.held_at,
                "place": s.place,
                "attendees": s.attendees,
                "minutes": s.minutes,
                "mediators": [_ref(m) for m in s.mediators.all()],
            }
            for s in d.sessions.prefetch_related("mediators").order_by("held_at", "pk")
        ],
        "follow_ups": [
            {"visited_on": f.visited_on, "performance": f.performance, "note": f.note}
            for f in d.follow_ups.order_by("visited_on", "pk")
        ],
        "documents": [
            {
                "id": doc.pk,
                "sha256": doc.sha256,
                "size": doc.size,
                "generated_at": doc.generated_at,
                "url": reverse("api:dispute_document", args=[d.pk, doc.pk]),
            }
            for doc in d.documents.order_by("-generated_at", "-pk")
        ],
        "history": [
            {
                "action": h.action,
                "action_label": ACTION_LABELS.get(h.action, h.action),
                "from_status": h.from_status,
                "to_status": h.to_status,
                "actor": _ref(h.actor) if h.actor else None,
                "at": h.at,
                "note": h.note,
                "data": h.data,
            }
            for h in d.history.select_related("actor").order_by("at", "pk")
        ],
        "allowed_actions": DISPUTE_FLOW.allowed(d.status, dispute_actor_kinds(d, person)),
    }


@router.get(
    "",
    response={200: DisputeListOut, **ERRORS},
    summary="矛盾纠纷列表（按范围，新登记的在前，游标分页；当事人姓名打码）",
    operation_id="dispute_list",
)
def dispute_list(request: HttpRequest, query: Query[DisputeListQuery]) -> dict[str, Any]:
    person = person_of(request)
    filters = DisputeFilters(
        statuses=(query.state,) if query.state else (),
        mine=query.mine,
        village_id=query.village,
        kind=query.kind or "",
        risk=query.risk or "",
        source=query.source or "",
        q=query.q,
    )
    page, after = page_after(
        dispute_rows(person, filters), field="created_at", cursor=query.cursor, limit=query.limit
    )
    now = timezone.now()
    return {"items": [_item(d, now) for d in page], "next": after}


@router.get(
    "/{int:dispute_id}",
    response={200: DisputeDetailOut, **ERRORS},
    summary="纠纷详情：当事人（调解员和调委会可见全文，查看记入审计）、时限、调解记录、回访、协议书、办理记录和可执行的步骤",
    operation_id="dispute_read",
)
def dispute_read(request: HttpRequest, dispute_id: int) -> Any:
    return detail_of(person_of(request), dispute_id)


@router.post(
    "",
    response={201: DisputeDetailOut, **ERRORS},
    summary="登记矛盾纠纷（网格巡查、来访、热线、事件转入，或公安、法院、检察院移送）",
    operation_id="dispute_open",
)
def dispute_open(request: HttpRequest, payload: DisputeOpenIn) -> Answer[Any]:
    person = person_of(request)
    village = Division.objects.filter(pk=payload.village_id).first()
    committee = Unit.objects.select_related("division").filter(pk=payload.committee_id).first()
    if village is None or committee is None:
        raise InvalidInput("村社区或调委会不存在", code="place_unknown")
    grid = Grid.objects.filter(pk=payload.grid_id).first() if payload.grid_id is not None else None
    police = Unit.objects.filter(pk=payload.police_unit_id).first() if payload.police_unit_id else None
    event = None
    if payload.event_id is not None:
        event = events_visible_to(person).filter(pk=payload.event_id).first()
        if event is None:
            raise Http404("事件不存在或不在您的管辖范围内")
    dispute = dispute_register(
        actor=person,
        village=village,
        grid=grid,
        committee=committee,
        source=payload.source,
        referred_by=payload.referred_by,
        event=event,
        kind=payload.kind,
        title=payload.title,
        facts=payload.facts,
        parties=[PartyIn(**p.model_dump()) for p in payload.parties],
        risk_level=payload.risk_level,
        police_unit=police,
    )
    return Answer(201, detail_of(person, dispute.pk))


@router.get(
    "/{int:dispute_id}/documents/{int:document_id}",
    response={200: None, **ERRORS},
    summary="下载调解协议书（.docx；仅本纠纷的调解员和调委会，下载记入审计）",
    url_name="dispute_document",
    operation_id="dispute_document",
)
def dispute_document(
    request: HttpRequest, dispute_id: int, document_id: int, reason: str = ""
) -> FileResponse:
    """导出事由 `reason` 必填（1–100 字，缺少时 422 `export_reason_required`）；返回带水印（导出人、导出时间、事由）的副本，下载记入审计。"""
    person = person_of(request)
    dispute = access_dispute(person, dispute_id)
    document = dispute.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404("文书不存在")
    if not dispute_actor_kinds(dispute, person) - {Actor.SYSTEM}:
        raise Forbidden("调解协议书载有当事人身份信息，只有调解员和调委会可以下载", code="not_permitted")
    given = reason_required(reason)
    try:
        data = docx_copy(document.file, watermark_of(person, given))
    except FileNotFoundError:
        raise Http404("文书文件不存在") from None
    audit_record_read(
        actor=person, objects=[dispute], fields=PARTY_FIELDS, purpose="api.disputes.document", reason=given
    )
    return FileResponse(
        io.BytesIO(data), content_type=DOCX, filename=f"调解协议书-{dispute.pk}.docx", as_attachment=True
    )


def _load(request: HttpRequest, dispute_id: int, if_match: str | None) -> Dispute:
    dispute = access_dispute(person_of(request), dispute_id)
    check_version(dispute.version, if_match, code="stale_dispute", what="纠纷")
    return dispute


RESOURCE = Resource(
    id_name="dispute_id",
    prefix="dispute",
    actor=person_of,
    load=_load,
    answer=lambda request, dispute, action: detail_of(person_of(request), dispute.pk),
    response={200: DisputeDetailOut, **ERRORS},
    if_match="可选：客户端所见的纠纷版本（version）；与当前版本不符时返回 409 stale_dispute",
)
add_step_endpoints(router, RESOURCE, DISPUTE_FLOW)
