"""Enforcement cases through the API (/api/v1/enforcement-cases): the list in the caller's scope (`cases_visible_to`)
a page at a time, one case with its clocks, evidence, documents and history, registering a lead, one endpoint per
step declared in `enforcement/steps.py` (made by the workflow core; `If-Match` checks the version), and a generated
document's file.

The party's identity is masked in the list; in the detail it is whole for those who work on the case, the read
audited (`permissions.party_of`), masked for the others. A document names the party, so only those who work on the
case download it, audited the same way."""

import datetime as dt
import io
from typing import Any

from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router
from ninja import Status as Answer

from grassroots.audit.services import audit_record_read
from grassroots.core.cursors import page_after
from grassroots.core.errors import Forbidden, InvalidInput
from grassroots.core.labels import choice_label
from grassroots.core.masking import mask_id_number, mask_name, mask_phone
from grassroots.core.watermark import docx_copy, reason_required, watermark_of
from grassroots.events.permissions import visible_to as events_visible_to
from grassroots.events.schemas import ErrorOut
from grassroots.market.permissions import inspections_visible_to
from grassroots.org.models import Unit
from grassroots.people.actors import person_of
from grassroots.people.models import Person
from grassroots.workflow.choices import ClockState
from grassroots.workflow.endpoints import Resource, add_step_endpoints, check_version
from grassroots.workflow.models import Clock

from ..choices import CaseProcedure, CaseSource, CaseStatus, PartyKind
from ..models import CaseDocument, EnforcementCase, Power
from ..permissions import access_case, case_actor_kinds, cases_visible_to, party_of
from ..rules import ACTION_LABELS, Actor
from ..services.cases import case_open, case_open_from
from ..services.common import WORKFLOW
from ..steps import CASE_FLOW
from .case_schemas import (
    EnforcementCaseDetailOut,
    EnforcementCaseDocumentOut,
    EnforcementCaseEvidenceOut,
    EnforcementCaseHistoryOut,
    EnforcementCaseListItemOut,
    EnforcementCaseListOut,
    EnforcementCaseListQuery,
    EnforcementCaseOpenIn,
    EnforcementCasePersonOut,
)

router = Router(tags=["enforcement-cases"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
CLOCK_LABELS = {
    "lead": "线索核查期限",
    "case": "办案期限",
    "hearing_request": "申请听证期限",
    "service": "送达期限",
    "payment": "缴款期限",
}
PARTY_FIELDS = ["party_name", "party_id_number", "party_phone"]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LIVE = (ClockState.RUNNING, ClockState.PAUSED)
# The detail's plain fields beyond the list's, read from the case as they are.
DETAIL_ONLY = sorted(
    set(EnforcementCaseDetailOut.model_fields)
    - set(EnforcementCaseListItemOut.model_fields)
    - {"hearing_chair", "clocks", "evidence", "documents", "history", "allowed_actions"}
)


# -- reading ------------------------------------------------------------------------------------------------


def clock_out(clock: Clock, now: dt.datetime) -> dict[str, Any]:
    """A clock as the queue shows it, without the calendar (the 80% mark is the clock's own `warn_at`)."""
    running, paused = clock.state == ClockState.RUNNING, clock.state == ClockState.PAUSED
    if running:
        late = clock.due_at is not None and clock.due_at <= now
        warned = clock.warn_at is not None and clock.warn_at <= now
    elif paused:
        late = clock.consumed_seconds >= clock.budget_seconds
        warned = clock.consumed_seconds * 5 > clock.budget_seconds * 4
    else:
        late, warned = clock.overdue, False
    light = "" if not (running or paused) else "red" if late else "yellow" if warned else "green"
    return {
        "name": clock.name,
        "label": CLOCK_LABELS.get(clock.name, clock.name),
        "state": clock.state,
        "started_at": clock.started_at,
        "due_at": clock.due_at,
        "paused": paused,
        "late": late,
        "light": light,
        "extended": bool(clock.extended_seconds),
        "limit_source": clock.limit_source,
        "stopped_at": clock.stopped_at,
        "result": clock.result,
    }


def _masked_party(case: EnforcementCase) -> dict[str, Any]:
    organisation = case.party_kind == PartyKind.ORGANISATION
    return {
        "kind": case.party_kind,
        "kind_label": choice_label(PartyKind, case.party_kind),
        "name": case.party_name if organisation else mask_name(case.party_name),
        "id_number": case.party_id_number if organisation else mask_id_number(case.party_id_number),
        "phone": mask_phone(case.party_phone),
        "masked": True,
    }


def _person(p: Any) -> dict[str, Any] | None:
    return {"id": p.pk, "name": p.name} if p is not None else None


def _list_fields(case: EnforcementCase, clock: Clock | None, now: dt.datetime) -> dict[str, Any]:
    """A case as the list answers it: plain values, validated once by the response's schema."""
    unit, power = case.unit, case.power
    return {
        "id": case.pk,
        "number": case.number or "",
        "decision_number": case.decision_number or "",
        "status": case.status,
        "status_label": choice_label(CaseStatus, case.status),
        "procedure": case.procedure,
        "procedure_label": choice_label(CaseProcedure, case.procedure),
        "major": case.major,
        "source": case.source,
        "source_label": choice_label(CaseSource, case.source),
        "unit": {"id": unit.pk, "code": unit.code, "name": unit.name},
        "power": {"code": power.code, "name": power.name},
        "party": _masked_party(case),
        "place": case.place,
        "officers": [_person(p) for p in case.officers.all()],
        "clock": clock_out(clock, now) if clock is not None else None,
        "penalty_kind": case.penalty_kind,
        "decided_amount": case.decided_amount,
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        "version": case.version,
    }


def _officers() -> Prefetch:
    return Prefetch("officers", queryset=Person.objects.only("id", "name").order_by("id"))


def _live_clocks(ids: list[int]) -> dict[int, Clock]:
    """The live clock of each case (one query; a case has at most one live clock at a time, the newest wins)."""
    found: dict[int, Clock] = {}
    rows = Clock.objects.filter(workflow=WORKFLOW, object_id__in=ids, state__in=LIVE).order_by("id")
    for clock in rows:
        found[clock.object_id] = clock
    return found


def detail_of(person: Person, case_id: int, *, purpose: str = "api.enforcement_cases.detail") -> Any:
    case = access_case(person, case_id)
    now = timezone.now()
    kinds = case_actor_kinds(case, person)
    clocks = list(Clock.objects.filter(workflow=WORKFLOW, object_id=case.pk).order_by("started_at", "id"))
    live = [c for c in clocks if c.state in LIVE]
    power = case.power
    chair = case.hearing_chair
    fields = _list_fields(case, live[-1] if live else None, now)
    fields["power"] = {
        "code": power.code,
        "name": power.name,
        "basis": power.basis,
        "penalty_basis": power.penalty_basis,
    }
    fields["party"] = {
        "kind": case.party_kind,
        "kind_label": choice_label(PartyKind, case.party_kind),
        **party_of(person, case, purpose=purpose),
    }
    plain = {name: getattr(case, name) for name in DETAIL_ONLY}
    return dict(
        **fields,
        **plain,
        hearing_chair=_person(chair),
        clocks=[clock_out(c, now) for c in clocks],
        evidence=[
            EnforcementCaseEvidenceOut(
                id=e.pk,
                kind=e.kind,
                kind_label=e.get_kind_display(),
                description=e.description,
                content_type=e.content_type,
                size=e.size,
                sha256=e.sha256,
                original_name=e.original_name,
                lon=e.lon,
                lat=e.lat,
                taken_at=e.taken_at,
                taken_by=EnforcementCasePersonOut(id=e.taken_by.pk, name=e.taken_by.name),
                added_at=e.added_at,
            )
            for e in case.evidence.select_related("taken_by")
        ],
        documents=[
            EnforcementCaseDocumentOut(
                id=d.pk,
                kind=d.kind,
                kind_label=d.get_kind_display(),
                number=d.number,
                size=d.size,
                sha256=d.sha256,
                generated_at=d.generated_at,
                url=reverse("api:enforcement_case_document", args=[case.pk, d.pk]),
            )
            for d in case.documents.all()
        ],
        history=[
            EnforcementCaseHistoryOut(
                action=h.action,
                action_label=ACTION_LABELS.get(h.action, h.action),
                from_status=h.from_status,
                to_status=h.to_status,
                actor=EnforcementCasePersonOut(id=h.actor.pk, name=h.actor.name) if h.actor else None,
                at=h.at,
                note=h.note,
                data=h.data,
            )
            for h in case.history.select_related("actor")
        ],
        allowed_actions=CASE_FLOW.allowed(case.status, kinds),
    )


@router.get(
    "",
    response={200: EnforcementCaseListOut, **ERRORS},
    summary="执法案件列表（按范围，新登记的在前，游标分页；公民当事人打码）",
    operation_id="enforcement_case_list",
)
def enforcement_case_list(request: HttpRequest, query: Query[EnforcementCaseListQuery]) -> dict[str, Any]:
    person = person_of(request)
    rows = cases_visible_to(person).select_related("unit", "power")
    if query.state:
        rows = rows.filter(status=query.state)
    if query.unit is not None:
        rows = rows.filter(unit_id=query.unit)
    if query.officer is not None:
        rows = rows.filter(officers=query.officer)
    if text := query.q.strip():
        rows = rows.filter(
            Q(number__icontains=text)
            | Q(decision_number__icontains=text)
            | Q(place__icontains=text)
            | Q(party_kind=PartyKind.ORGANISATION, party_name__icontains=text)
        )
    ordered = rows.only(*LIST_COLUMNS).prefetch_related(_officers()).order_by("-created_at", "-id")
    page, after = page_after(ordered, field="created_at", cursor=query.cursor, limit=query.limit)
    now = timezone.now()
    clocks = _live_clocks([c.pk for c in page])
    return {"items": [_list_fields(c, clocks.get(c.pk), now) for c in page], "next": after}


LIST_COLUMNS = (
    "id",
    "number",
    "decision_number",
    "status",
    "procedure",
    "major",
    "source",
    "party_kind",
    "party_name",
    "party_id_number",
    "party_phone",
    "place",
    "penalty_kind",
    "decided_amount",
    "created_at",
    "updated_at",
    "version",
    "unit__id",
    "unit__code",
    "unit__name",
    "power__id",
    "power__code",
    "power__name",
)


@router.get(
    "/{int:case_id}",
    response={200: EnforcementCaseDetailOut, **ERRORS},
    summary="案件详情：当事人（按角色打码，查看记入审计）、时限、证据、文书、办理记录和调用者可执行的步骤",
    operation_id="enforcement_case_read",
)
def enforcement_case_read(request: HttpRequest, case_id: int) -> Any:
    return detail_of(person_of(request), case_id)


@router.post(
    "",
    response={201: EnforcementCaseDetailOut, **ERRORS},
    summary="登记案件线索（手工、或由综合执法平台的事件、发现问题的检查转来）",
    operation_id="enforcement_case_open",
)
def enforcement_case_open(request: HttpRequest, payload: EnforcementCaseOpenIn) -> Answer[Any]:
    person = person_of(request)
    unit = Unit.objects.filter(pk=payload.unit_id).first() if payload.unit_id is not None else person.unit
    if unit is None:
        raise InvalidInput("请选择办案单位", code="unit_unknown", details={"unit_id": payload.unit_id})
    power = Power.objects.filter(code=payload.power_code.strip().upper()).first()
    if power is None:
        raise InvalidInput("执法职权不存在", code="power_unknown", details={"power_code": payload.power_code})
    officers = list(Person.objects.filter(pk__in=payload.officer_ids, is_active=True).order_by("pk"))
    if len(officers) != len(set(payload.officer_ids)):
        raise InvalidInput(
            "执法人员不存在", code="officer_unknown", details={"officer_ids": payload.officer_ids}
        )
    given: dict[str, Any] = payload.model_dump(
        exclude={"unit_id", "power_code", "event_id", "inspection_id", "officer_ids", "source"}
    )
    given["party_kind"] = payload.party_kind or ""
    record: Any = None
    if payload.event_id is not None:
        record = events_visible_to(person).filter(pk=payload.event_id).first()
        if record is None:
            raise Http404("事件不存在或不在您的管辖范围内")
    elif payload.inspection_id is not None:
        record = inspections_visible_to(person).filter(pk=payload.inspection_id).first()
        if record is None:
            raise Http404("检查不存在或不在您的管辖范围内")
    if record is not None:
        if payload.source != ("event" if payload.event_id is not None else "inspection"):
            raise InvalidInput("案件来源与关联的事件或检查不符", code="case_source_mismatch")
        case = case_open_from(actor=person, record=record, unit=unit, power=power, officers=officers, **given)
    else:
        case = case_open(
            actor=person, unit=unit, power=power, officers=officers, source=payload.source, **given
        )
    return Answer(201, detail_of(person, case.pk))


@router.get(
    "/{int:case_id}/documents/{int:document_id}",
    response={200: None, **ERRORS},
    summary="下载案件文书（.docx；仅办案人员，下载记入审计）",
    url_name="enforcement_case_document",
    operation_id="enforcement_case_document",
)
def enforcement_case_document(
    request: HttpRequest, case_id: int, document_id: int, reason: str = ""
) -> FileResponse:
    """导出事由 `reason` 必填（1–100 字，缺少时 422 `export_reason_required`）；返回带水印（导出人、导出时间、事由）的副本，下载记入审计。"""
    person = person_of(request)
    case = access_case(person, case_id)
    document = CaseDocument.objects.filter(pk=document_id, case=case).first()
    if document is None:
        raise Http404("文书不存在")
    if not case_actor_kinds(case, person) - {Actor.SYSTEM}:
        raise Forbidden("案件文书载有当事人身份信息，只有办案人员可以下载", code="not_permitted")
    given = reason_required(reason)
    try:
        data = docx_copy(document.file, watermark_of(person, given))
    except FileNotFoundError:
        raise Http404("文书文件不存在") from None
    audit_record_read(
        actor=person,
        objects=[case],
        fields=PARTY_FIELDS,
        purpose=f"api.enforcement_cases.document.{document.kind}",
        reason=given,
    )
    name = f"{document.get_kind_display()}-{document.number}.docx"
    return FileResponse(io.BytesIO(data), content_type=DOCX, filename=name, as_attachment=True)


# -- the steps --------------------------------------------------------------------------------------------


def _load(request: HttpRequest, case_id: int, if_match: str | None) -> EnforcementCase:
    case = access_case(person_of(request), case_id)
    check_version(case.version, if_match, code="stale_case", what="案件")
    return case


RESOURCE = Resource(
    id_name="case_id",
    prefix="enforcement_case",
    actor=person_of,
    load=_load,
    answer=lambda request, case, action: detail_of(person_of(request), case.pk),
    response={200: EnforcementCaseDetailOut, **ERRORS},
    if_match="可选：客户端所见的案件版本（version）；与当前版本不符时返回 409 stale_case",
    schema_prefix="EnforcementCase",
)
add_step_endpoints(router, RESOURCE, CASE_FLOW)
