"""Petitions through the API (/api/v1/petitions): the queue in the caller's scope a page at a time (filters and the
time-limit light), one petition with its petitioners (masked by role; a whole read audited), clocks, notices and
history, registering one, one endpoint per step declared in `petition_steps.py` (made by the workflow core;
`If-Match` checks the version), and a notice's file (only for those who work on it; audited)."""

import io
from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from ninja import Query, Router
from ninja import Status as Answer

from grassroots.audit.services import audit_record_read
from grassroots.core.cursors import page_after
from grassroots.core.errors import Forbidden, InvalidInput
from grassroots.core.watermark import docx_copy, reason_required, watermark_of
from grassroots.events.permissions import visible_to as events_visible_to
from grassroots.events.schemas import ErrorOut
from grassroots.geo.models import Division
from grassroots.org.models import Unit
from grassroots.people.actors import person_of
from grassroots.workflow.endpoints import Resource, add_step_endpoints, check_version

from ..models import Petition, PetitionDocument
from ..permissions import disputes_visible_to
from ..petition_permissions import PETITIONER_FIELDS, access_petition, sees_petitioners
from ..petition_schemas import PetitionDetailOut, PetitionListOut, PetitionListQuery, PetitionOpenIn
from ..petition_steps import PETITION_FLOW
from ..services.petition_reading import detail, page_rows, queue
from ..services.petitions import PetitionerIn, petition_register

router = Router(tags=["petitions"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PURPOSE = "api.petitions.detail"


def detail_of(person: Any, petition_id: int) -> dict[str, Any]:
    return detail(person, access_petition(person, petition_id), purpose=PURPOSE)


@router.get(
    "",
    response={200: PetitionListOut, **ERRORS},
    summary="信访件列表（按范围，新收到的在前，游标分页；可按状态、形式、类别、时限灯筛选；不含信访人身份）",
    operation_id="petition_list",
)
def petition_list(request: HttpRequest, query: Query[PetitionListQuery]) -> dict[str, Any]:
    rows = queue(
        person_of(request),
        state=query.state,
        channel=query.channel,
        kind=query.kind,
        light=query.light,
        q=query.q,
    )
    page, after = page_after(rows, field="received_at", cursor=query.cursor, limit=query.limit)
    return {"items": page_rows(page), "next": after}


@router.get(
    "/{int:petition_id}",
    response={200: PetitionDetailOut, **ERRORS},
    summary="信访件详情：信访人（按角色打码，查看记入审计）、时限、告知文书、办理记录和调用者可执行的步骤",
    operation_id="petition_read",
)
def petition_read(request: HttpRequest, petition_id: int) -> Any:
    return detail_of(person_of(request), petition_id)


@router.post(
    "",
    response={201: PetitionDetailOut, **ERRORS},
    summary="登记信访件（来访、来信、网上、来电、传真；走访代表不超过 5 人）",
    operation_id="petition_open",
)
def petition_open(request: HttpRequest, payload: PetitionOpenIn) -> Answer[Any]:
    person = person_of(request)
    unit = Unit.objects.filter(pk=payload.unit_id).first() if payload.unit_id is not None else person.unit
    if unit is None:
        raise InvalidInput("请选择信访工作机构", code="unit_unknown", details={"unit_id": payload.unit_id})
    village = None
    if payload.village_id is not None:
        village = Division.objects.filter(pk=payload.village_id).first()
        if village is None:
            raise InvalidInput(
                "村社区不存在", code="village_unknown", details={"village_id": payload.village_id}
            )
    event = dispute = None
    if payload.event_id is not None:
        event = events_visible_to(person).filter(pk=payload.event_id).first()
        if event is None:
            raise Http404("事件不存在或不在您的管辖范围内")
    if payload.dispute_id is not None:
        dispute = disputes_visible_to(person).filter(pk=payload.dispute_id).first()
        if dispute is None:
            raise Http404("纠纷不存在或不在您的管辖范围内")
    petition = petition_register(
        actor=person,
        unit=unit,
        village=village,
        channel=payload.channel,
        kind=payload.kind,
        title=payload.title,
        content=payload.content,
        petitioners=[PetitionerIn(**p.model_dump()) for p in payload.petitioners],
        people_count=payload.people_count,
        received_at=payload.received_at,
        transferred_from=payload.transferred_from,
        event=event,
        dispute=dispute,
    )
    return Answer(201, detail_of(person, petition.pk))


@router.get(
    "/{int:petition_id}/documents/{int:document_id}",
    response={200: None, **ERRORS},
    summary="下载告知文书（.docx；载有信访人身份，仅信访工作机构和包案领导，下载记入审计）",
    url_name="petition_document",
    operation_id="petition_document",
)
def petition_document(
    request: HttpRequest, petition_id: int, document_id: int, reason: str = ""
) -> FileResponse:
    """导出事由 `reason` 必填（1–100 字，缺少时 422 `export_reason_required`）；返回带水印（导出人、导出时间、事由）的副本，下载记入审计。"""
    person = person_of(request)
    petition = access_petition(person, petition_id)
    document = PetitionDocument.objects.filter(pk=document_id, petition=petition).first()
    if document is None:
        raise Http404("文书不存在")
    if not sees_petitioners(person, petition):
        raise Forbidden("告知文书载有信访人身份信息，只有办理人员可以下载", code="not_permitted")
    given = reason_required(reason)
    try:
        data = docx_copy(document.file, watermark_of(person, given))
    except FileNotFoundError:
        raise Http404("文书文件不存在") from None
    audit_record_read(
        actor=person,
        objects=[petition],
        fields=PETITIONER_FIELDS,
        purpose=f"api.petitions.document.{document.kind}",
        reason=given,
    )
    name = f"{document.get_kind_display()}-{petition.pk}.docx"
    return FileResponse(io.BytesIO(data), content_type=DOCX, filename=name, as_attachment=True)


def _load(request: HttpRequest, petition_id: int, if_match: str | None) -> Petition:
    petition = access_petition(person_of(request), petition_id)
    check_version(petition.version, if_match, code="stale_petition", what="信访件")
    return petition


RESOURCE = Resource(
    id_name="petition_id",
    prefix="petition",
    actor=person_of,
    load=_load,
    answer=lambda request, petition, action: detail_of(person_of(request), petition.pk),
    response={200: PetitionDetailOut, **ERRORS},
    if_match="可选：客户端所见的信访件版本（version）；与当前版本不符时返回 409 stale_petition",
    schema_prefix="Petition",
)
add_step_endpoints(router, RESOURCE, PETITION_FLOW)
