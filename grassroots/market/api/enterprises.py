"""The enterprise registry through the API (/api/v1/enterprises): the list in the caller's scope, one entity's credit
file by id or by USCC, and the manual override of its risk class.

Views only parse input, load through `permissions.visible_to`/`access_entity` (404 out of scope) and call one service.
The legal representative and phone are masked unless the caller may see them (`permissions.sees_contact`); every
unmasked read is audited, a list page in one write.
"""

from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest
from ninja import P, Query, Router
from ninja.params import QueryEx

from grassroots.audit.services import audit_record_read
from grassroots.core.cursors import page_after
from grassroots.core.errors import DomainError, Forbidden, InvalidInput
from grassroots.core.masking import mask_name, mask_phone
from grassroots.events.schemas import ErrorOut
from grassroots.people.actors import person_of as viewer_of
from grassroots.people.models import Person
from grassroots.workcal.calendar import local_today

from ..choices import KEY_TAGS, RiskClass
from ..models import AbnormalListing, MarketEntity
from ..permissions import access_entity, contact_of, may_override_risk, sees_contact, visible_to
from ..selectors import EntityFilters, entities_filtered
from ..services.risk import risk_factors, risk_override_set
from .schemas import (
    EnterpriseAbnormalListingOut,
    EnterpriseContactOut,
    EnterpriseDetailOut,
    EnterpriseGridOut,
    EnterpriseLicenceOut,
    EnterpriseListItemOut,
    EnterpriseListOut,
    EnterpriseListQuery,
    EnterpriseRiskFactorOut,
    EnterpriseRiskOut,
    EnterpriseRiskOverrideIn,
)

router = Router(tags=["enterprises"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
CONTACT_FIELDS = ["legal_rep", "phone"]
NOT_FOUND = "市场主体不存在或不在您的管辖范围内"


# -- answers ------------------------------------------------------------------------------------------------


def _list_fields(entity: MarketEntity, contact: dict[str, Any], *, abnormal: bool) -> dict[str, Any]:
    grid = entity.grid
    return {
        "id": entity.pk,
        "uscc": entity.uscc,
        "name": entity.name,
        "kind": entity.kind,
        "kind_label": entity.get_kind_display(),
        "status": entity.status,
        "status_label": entity.get_status_display(),
        "contact": EnterpriseContactOut(**contact),
        "address": entity.address,
        "region_code": entity.region_code,
        "grid": EnterpriseGridOut(id=grid.pk, code=grid.code, name=grid.name) if grid else None,
        "industry_code": entity.industry_code,
        "industry_name": entity.industry_name,
        "food_class": entity.food_class,
        "key_tags": list(entity.key_tags),
        "risk_class": entity.risk_class,
        "risk_overridden": bool(entity.risk_override),
        "abnormal": abnormal,
        "registered_on": entity.registered_on,
        "created_at": entity.created_at,
        "updated_at": entity.updated_at,
        "version": entity.version,
    }


def _masked(entity: MarketEntity) -> dict[str, Any]:
    return {"legal_rep": mask_name(entity.legal_rep), "phone": mask_phone(entity.phone), "masked": True}


def _shown(entity: MarketEntity) -> dict[str, Any]:
    return {"legal_rep": entity.legal_rep, "phone": entity.phone, "masked": False}


def _risk(entity: MarketEntity) -> EnterpriseRiskOut:
    factors = risk_factors(entity)
    by = entity.overridden_by
    return EnterpriseRiskOut(
        risk_class=entity.risk_class,
        label=str(RiskClass(entity.risk_class).label),
        computed=entity.risk_computed,
        computed_label=str(RiskClass(entity.risk_computed).label),
        overridden=bool(entity.risk_override),
        override_reason=entity.risk_override_reason,
        overridden_by=by.name if by is not None else None,
        overridden_at=entity.overridden_at,
        factors=[EnterpriseRiskFactorOut(points=f.points, reason=f.reason) for f in factors],
        points=sum(f.points for f in factors),
    )


def enterprise_detail_of(person: Person, entity: MarketEntity, *, purpose: str) -> EnterpriseDetailOut:
    """The entity's credit file as `person` may see it (loaded by `access_entity`); an unmasked read is audited."""
    prefetch_related_objects([entity], "licences", "abnormal_listings")  # risk_factors reads both
    today = local_today()
    open_listings = [x for x in entity.abnormal_listings.all() if x.removed_on is None]
    return EnterpriseDetailOut(
        **_list_fields(entity, contact_of(person, entity, purpose=purpose), abnormal=bool(open_listings)),
        lon=entity.lon,
        lat=entity.lat,
        food_class_label=entity.get_food_class_display(),
        demonstration=entity.demonstration,
        demonstration_label=entity.get_demonstration_display(),
        key_tag_labels=[KEY_TAGS.get(tag, tag) for tag in entity.key_tags],
        licences=[
            EnterpriseLicenceOut(
                id=lic.pk,
                kind=lic.kind,
                kind_label=lic.get_kind_display(),
                number=lic.number,
                issuer=lic.issuer,
                valid_from=lic.valid_from,
                valid_to=lic.valid_to,
                expired=lic.valid_to < today,
                days_left=(lic.valid_to - today).days,
            )
            for lic in entity.licences.all()
        ],
        abnormal_listings=[
            EnterpriseAbnormalListingOut(
                id=x.pk,
                reason=x.reason,
                reason_label=x.get_reason_display(),
                triggered_on=x.triggered_on,
                list_due_on=x.list_due_on,
                listed_on=x.listed_on,
                listed_late=x.listed_late,
                complied_on=x.complied_on,
                remove_due_on=x.remove_due_on,
                note=x.note,
            )
            for x in open_listings
        ],
        risk=_risk(entity),
        may_override_risk=may_override_risk(person),
    )


# -- the list -----------------------------------------------------------------------------------------------


def _with_key_tag(rows: QuerySet[MarketEntity], tag: str) -> QuerySet[MarketEntity]:
    if connection.features.supports_json_field_contains:  # PostgreSQL: jsonb @>
        return rows.filter(key_tags__contains=[tag])
    # SQLite keeps the list as JSON text; a tag is a plain identifier, so its quoted form finds the element.
    return rows.filter(key_tags__icontains=f'"{tag}"')


def _listed_now() -> Exists:
    return Exists(AbnormalListing.objects.filter(entity=OuterRef("pk"), removed_on__isnull=True))


@router.get(
    "",
    response={200: EnterpriseListOut, **ERRORS},
    summary="市场主体列表（按范围，新登记的在前，游标分页）",
    operation_id="enterprise_list",
)
def enterprise_list(request: HttpRequest, query: Query[EnterpriseListQuery]) -> EnterpriseListOut:
    person = viewer_of(request)
    filters = EntityFilters(
        q=query.q.strip(),
        status=query.status or "",
        risk_class=query.risk_class or "",
        grid_id=query.grid,
        industry=query.industry.upper(),
    )
    rows = entities_filtered(visible_to(person), filters).select_related("grid")
    rows = rows.annotate(abnormal_open=_listed_now())
    if query.key_tag:
        if query.key_tag not in KEY_TAGS:
            raise InvalidInput(
                "重点监管标签不正确",
                code="unknown_key_tag",
                details={"key_tag": f"可选：{', '.join(KEY_TAGS)}"},
            )
        rows = _with_key_tag(rows, query.key_tag)
    if query.abnormal is not None:
        rows = rows.filter(_listed_now()) if query.abnormal else rows.exclude(_listed_now())
    ordered = rows.order_by("-created_at", "-id")
    page, after = page_after(ordered, field="created_at", cursor=query.cursor, limit=query.limit)
    shows = sees_contact(person)
    if shows and page:  # one audit write for the page
        audit_record_read(actor=person, objects=page, fields=CONTACT_FIELDS, purpose="api.enterprises.list")
    items = []
    for entity in page:
        contact = _shown(entity) if shows else _masked(entity)
        listed = bool(entity.abnormal_open)  # type: ignore[attr-defined]
        items.append(EnterpriseListItemOut(**_list_fields(entity, contact, abnormal=listed)))
    return EnterpriseListOut(items=items, next=after)


# -- one entity ---------------------------------------------------------------------------------------------


@router.get(
    "/by-uscc/{uscc}",
    response={200: EnterpriseDetailOut, **ERRORS},
    summary="按统一社会信用代码查询市场主体信用档案",
    operation_id="enterprise_by_uscc",
)
def enterprise_by_uscc(request: HttpRequest, uscc: str) -> EnterpriseDetailOut:
    person = viewer_of(request)
    rows = visible_to(person).select_related("grid", "overridden_by")
    entity = rows.filter(uscc=uscc.strip().upper()).first()
    if entity is None:
        raise Http404(NOT_FOUND)
    return enterprise_detail_of(person, entity, purpose="api.enterprises.detail")


@router.get(
    "/{entity_id}",
    response={200: EnterpriseDetailOut, **ERRORS},
    summary="市场主体信用档案：许可证、经营异常名录、风险分类及其依据",
    operation_id="enterprise_detail",
)
def enterprise_detail(request: HttpRequest, entity_id: int) -> EnterpriseDetailOut:
    person = viewer_of(request)
    entity = access_entity(person, entity_id)
    return enterprise_detail_of(person, entity, purpose="api.enterprises.detail")


# -- the risk override --------------------------------------------------------------------------------------


def _override(request: HttpRequest, entity_id: int, *, risk_class: str, reason: str) -> EnterpriseDetailOut:
    person = viewer_of(request)
    entity = access_entity(person, entity_id)
    if not may_override_risk(person):
        raise Forbidden("只有平台协调员和领导可以调整风险分类", code="not_permitted")
    try:
        risk_override_set(actor=person, entity=entity, risk_class=risk_class, reason=reason)
    except DomainError as exc:
        if type(exc) is DomainError:  # the service's refusals of the input: 422 like every other bad input
            raise InvalidInput(exc.message, code=exc.code, details=exc.details) from exc
        raise
    purpose = "api.enterprises.risk_override" if risk_class else "api.enterprises.risk_override_clear"
    return enterprise_detail_of(person, access_entity(person, entity_id), purpose=purpose)


@router.post(
    "/{entity_id}/risk-override",
    response={200: EnterpriseDetailOut, **ERRORS},
    summary="人工调整风险分类（平台协调员、领导；须填写理由，留痕）",
    operation_id="enterprise_risk_override",
)
def enterprise_risk_override(
    request: HttpRequest, entity_id: int, payload: EnterpriseRiskOverrideIn
) -> EnterpriseDetailOut:
    return _override(request, entity_id, risk_class=payload.risk_class, reason=payload.reason)


@router.delete(
    "/{entity_id}/risk-override",
    response={200: EnterpriseDetailOut, **ERRORS},
    summary="取消人工调整，恢复按规则计算的风险分类（平台协调员、领导；须填写理由，留痕）",
    operation_id="enterprise_risk_override_clear",
)
def enterprise_risk_override_clear(
    request: HttpRequest,
    entity_id: int,
    reason: QueryEx[str, P(min_length=1, max_length=500, description="取消调整的理由")],
) -> EnterpriseDetailOut:
    return _override(request, entity_id, risk_class="", reason=reason)
