"""Inspections through the API (/api/v1/inspections): the list in the caller's scope, one inspection, arranging
one, and one endpoint per step declared in `market/steps.py` (made by the workflow core; `If-Match` checks the
version). No personal data is answered here: the entity's contact is on /enterprises, masked by role."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router
from ninja import Status as Answer

from grassroots.core.cursors import page_after
from grassroots.core.errors import InvalidInput
from grassroots.draws.models import InspectionItem
from grassroots.events.permissions import visible_to as events_visible_to
from grassroots.events.schemas import ErrorOut
from grassroots.people.actors import person_of
from grassroots.people.models import Person
from grassroots.workflow.endpoints import Resource, add_step_endpoints, check_version

from ..models import Inspection
from ..permissions import access_entity, access_inspection, inspection_actor_kinds, inspections_visible_to
from ..services.inspections import inspection_create
from ..steps import INSPECTION_FLOW
from .inspection_schemas import (
    InspectionArrangeIn,
    InspectionCheckOut,
    InspectionDetailOut,
    InspectionFindingOut,
    InspectionItemOut,
    InspectionListItemOut,
    InspectionListOut,
    InspectionListQuery,
    InspectionPenaltyOut,
    InspectionPersonOut,
    InspectionPhotoOut,
)

router = Router(tags=["inspections"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _list_fields(i: Inspection) -> dict[str, Any]:
    e = i.entity
    return {
        "id": i.pk,
        "number": i.number or "",
        "kind": i.kind,
        "kind_label": i.get_kind_display(),
        "status": i.status,
        "status_label": i.get_status_display(),
        "entity": {
            "id": e.pk,
            "uscc": e.uscc,
            "name": e.name,
            "address": e.address,
            "risk_class": e.risk_class,
        },
        "unit": i.unit.name,
        "due_on": i.due_on,
        "inspected_at": i.inspected_at,
        "conclusion": i.conclusion,
        "created_at": i.created_at,
        "version": i.version,
    }


def detail_of(person: Person, inspection_id: int) -> InspectionDetailOut:
    i = access_inspection(person, inspection_id)
    kinds = inspection_actor_kinds(i, person)
    return InspectionDetailOut(
        **_list_fields(i),
        inspectors=[InspectionPersonOut(id=p.pk, name=p.name) for p in i.inspectors.all()],
        items=[
            InspectionItemOut(
                id=t.pk, code=t.code, name=t.name, checklist=list(getattr(t, "checklist", None) or [])
            )
            for t in i.items.all()
        ],
        campaign=i.campaign,
        draw_id=i.draw_id,
        event_id=i.event_id,
        summary=i.summary,
        cancel_reason=i.cancel_reason,
        checklist=[InspectionCheckOut(**c) for c in i.checklist],
        findings=[InspectionFindingOut.from_orm(f) for f in i.findings.all()],
        photos=[InspectionPhotoOut.from_orm(p) for p in i.photos.all()],
        penalties=[InspectionPenaltyOut.from_orm(p) for p in i.penalties.all()],
        allowed_actions=INSPECTION_FLOW.allowed(i.status, kinds),
    )


@router.get(
    "",
    response={200: InspectionListOut, **ERRORS},
    summary="检查列表（按范围，新安排的在前，游标分页）",
    operation_id="inspection_list",
)
def inspection_list(request: HttpRequest, query: Query[InspectionListQuery]) -> InspectionListOut:
    person = person_of(request)
    rows = inspections_visible_to(person).select_related("entity", "unit")
    if query.status:
        rows = rows.filter(status=query.status)
    if query.kind:
        rows = rows.filter(kind=query.kind)
    if query.mine:
        rows = rows.filter(inspectors=person.pk)
    if query.entity is not None:
        rows = rows.filter(entity_id=query.entity)
    if query.draw is not None:
        rows = rows.filter(draw_id=query.draw)
    ordered = rows.order_by("-created_at", "-id")
    page, after = page_after(ordered, field="created_at", cursor=query.cursor, limit=query.limit)
    return InspectionListOut(items=[InspectionListItemOut(**_list_fields(i)) for i in page], next=after)


@router.get(
    "/{int:inspection_id}",
    response={200: InspectionDetailOut, **ERRORS},
    summary="检查详情：检查表、发现问题与整改、照片、行政处罚和调用者可执行的步骤",
    operation_id="inspection_read",
)
def inspection_read(request: HttpRequest, inspection_id: int) -> InspectionDetailOut:
    return detail_of(person_of(request), inspection_id)


@router.post(
    "",
    response={201: InspectionDetailOut, **ERRORS},
    summary="安排检查（日常、专项、投诉举报核查；检查单位人员和执法人员）",
    operation_id="inspection_arrange",
)
def inspection_arrange(request: HttpRequest, payload: InspectionArrangeIn) -> Answer[InspectionDetailOut]:
    person = person_of(request)
    entity = access_entity(person, payload.entity_id)
    inspectors = list(Person.objects.filter(pk__in=payload.inspector_ids))
    if len(inspectors) != len(set(payload.inspector_ids)):
        raise InvalidInput(
            "检查人员不存在", code="inspector_unknown", details={"inspector_ids": payload.inspector_ids}
        )
    items = list(InspectionItem.objects.filter(pk__in=payload.item_ids, target_kind="market.entity"))
    if len(items) != len(set(payload.item_ids)):
        raise InvalidInput("检查事项不存在", code="item_unknown", details={"item_ids": payload.item_ids})
    event = None
    if payload.event_id is not None:
        event = events_visible_to(person).filter(pk=payload.event_id).first()
        if event is None:
            raise Http404("事件不存在或不在您的管辖范围内")
    unit = person.unit or getattr(getattr(inspectors[0], "inspector", None), "unit", None)
    if unit is None:
        raise InvalidInput("无法确定检查单位", code="unit_unknown")
    inspection = inspection_create(
        actor=person,
        entity=entity,
        kind=payload.kind,
        unit=unit,
        inspectors=inspectors,
        items=items,
        due_on=payload.due_on,
        campaign=payload.campaign,
        event=event,
        note=payload.note,
    )
    return Answer(201, detail_of(person, inspection.pk))


def _load(request: HttpRequest, inspection_id: int, if_match: str | None) -> Inspection:
    inspection = access_inspection(person_of(request), inspection_id)
    check_version(inspection.version, if_match, code="stale_inspection", what="检查")
    return inspection


RESOURCE = Resource(
    id_name="inspection_id",
    prefix="inspection",
    actor=person_of,
    load=_load,
    answer=lambda request, inspection, action: detail_of(person_of(request), inspection.pk),
    response={200: InspectionDetailOut, **ERRORS},
    if_match="可选：客户端所见的检查版本（version）；与当前版本不符时返回 409 stale_inspection",
    schema_prefix="Inspection",
)
add_step_endpoints(router, RESOURCE, INSPECTION_FLOW)
