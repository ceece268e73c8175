"""The service catalogue through the API (/api/v1/service-items): the items in force, filtered, a page at a time by
code, and one item's guide with its materials, as now or as any published version."""

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import P, Query, Router
from ninja.params import QueryEx

from grassroots.core.errors import NotFound
from grassroots.events.schemas import ErrorOut
from grassroots.workflow.catalogue import IN_FORCE

from ..models import ServiceItem
from .schemas import (
    MaterialOut,
    ServiceItemDetailOut,
    ServiceItemListOut,
    ServiceItemOut,
    ServiceItemQuery,
)

router = Router(tags=["service-items"])
ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
FLAGS = ("at_most_once", "zero_visit", "no_meeting")


def _decimal(value: Any) -> float | None:
    return float(value) if value is not None else None


def _fields(item: ServiceItem) -> dict[str, Any]:
    return {
        "code": item.code,
        "version": item.version,
        "name": item.name,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "department": item.department,
        "deciding_level": item.deciding_level,
        "limit_unit": item.limit_unit,
        "statutory_limit": _decimal(item.statutory_limit),
        "promised_limit": _decimal(item.promised_limit),
        "required_visits": item.required_visits,
        "at_most_once": item.at_most_once,
        "zero_visit": item.zero_visit,
        "no_meeting": item.no_meeting,
        "in_central": item.in_central,
        "in_developing": item.in_developing,
        "in_ecological": item.in_ecological,
        "at_village": item.at_village,
        "valid_from": item.valid_from,
        "valid_until": item.valid_until,
    }


@router.get(
    "",
    response={200: ServiceItemListOut, **ERRORS},
    summary="服务事项清单（现行版本，按代码分页）",
    operation_id="service_item_list",
)
def service_item_list(request: HttpRequest, query: Query[ServiceItemQuery]) -> ServiceItemListOut:
    items = ServiceItem.objects.in_force()
    if query.township_type:
        items = items.filter(**{f"in_{query.township_type}": True})
    if query.village is not None:
        items = items.filter(at_village=query.village)
    if query.kind:
        items = items.filter(kind=query.kind)
    for flag in FLAGS:
        value = getattr(query, flag)
        if value is not None:
            items = items.filter(**{flag: value})
    if query.q.strip():
        text = query.q.strip()
        items = items.filter(Q(code__icontains=text) | Q(name__icontains=text) | Q(keywords__icontains=text))
    # One version of a code is in force at a time, so the code alone orders the pages and is the cursor.
    if query.cursor:
        items = items.filter(code__gt=query.cursor)
    rows = list(items.order_by("code")[: query.limit + 1])
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    return ServiceItemListOut(
        items=[ServiceItemOut(**_fields(i)) for i in rows], next=rows[-1].code if more else None
    )


@router.get(
    "/{code}",
    response={200: ServiceItemDetailOut, **ERRORS},
    summary="服务事项办事指南（含申请材料；?version= 查看历史版本）",
    operation_id="service_item_detail",
)
def service_item_detail(
    request: HttpRequest,
    code: str,
    version: QueryEx[int | None, P(ge=1, description="版本号；不填为现行版本")] = None,
) -> ServiceItemDetailOut:
    # A version asked for by number may be retired or superseded, never a draft (not published).
    items = (
        ServiceItem.objects.in_force()
        if version is None
        else ServiceItem.objects.filter(version=version, status__in=IN_FORCE)
    ).filter(code=code)
    item = items.prefetch_related("materials").first()
    if item is None:
        message = "事项不存在或未在实施" if version is None else "事项的该版本不存在或未发布"
        raise NotFound(message, code="item_not_found", details={"code": code, "version": version})
    return ServiceItemDetailOut(
        **_fields(item),
        status=item.status,
        office_suffix=item.office_suffix,
        legal_basis=item.legal_basis,
        conditions=item.conditions,
        procedure=item.procedure,
        fee=item.fee,
        channels=list(item.channels),
        windows=item.windows,
        keywords=item.keywords,
        materials=[
            MaterialOut(
                id=m.pk,
                order=m.order,
                name=m.name,
                form=m.form,
                form_label=m.get_form_display(),
                count=m.count,
                need=m.need,
                need_label=m.get_need_display(),
                note=m.note,
                sample=m.sample,
            )
            for m in item.materials.all()
        ],
    )
