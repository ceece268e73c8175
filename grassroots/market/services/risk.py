"""The credit risk class A–D (信用风险分类) computed from an entity's record, and its manual override.

The rule is documented in docs/market.md; keep the two in step. Inspections and penalties (the inspection app,
not built yet) add their points through `register_risk_factor`."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.core.errors import DomainError
from grassroots.people.actors import Actor
from grassroots.workcal.calendar import local_today

from ..choices import KEY_TAGS, AbnormalReason, Demonstration, FoodClass, RiskClass
from ..models import MarketEntity

FOOD_POINTS = {
    FoodClass.PRODUCTION: 2,
    FoodClass.CATERING_LARGE: 2,
    FoodClass.CANTEEN: 2,
    FoodClass.SALES: 1,
    FoodClass.CATERING_SMALL: 1,
}
DEMONSTRATION_POINTS = {
    Demonstration.STREET: -1,
    Demonstration.COUNTY: -1,
    Demonstration.CITY: -2,
    Demonstration.PROVINCE: -2,
}
KEY_TAG_CAP = 2


@dataclass(frozen=True)
class Factor:
    points: int
    reason: str  # in Chinese, shown on the entity's page


# A factor source: (entity, today) → its factors. Inspections and penalties register one here.
RiskFactorSource = Callable[[MarketEntity, dt.date], list[Factor]]
_sources: list[RiskFactorSource] = []


def register_risk_factor(source: RiskFactorSource) -> None:
    if source not in _sources:
        _sources.append(source)


def class_for(points: int) -> str:
    if points <= 0:
        return RiskClass.A
    if points <= 2:
        return RiskClass.B
    if points <= 4:
        return RiskClass.C
    return RiskClass.D


def risk_factors(entity: MarketEntity, *, today: dt.date | None = None) -> list[Factor]:
    """What counts towards the entity's class. Reads its licences and open listings (prefetch them for many)."""
    today = today or local_today()
    factors = []
    for listing in entity.abnormal_listings.all():
        if listing.removed_on is None:
            points = 4 if listing.reason == AbnormalReason.FALSE_INFORMATION else 3
            factors.append(Factor(points, f"列入经营异常名录：{listing.get_reason_display()}"))
    for licence in entity.licences.all():
        if licence.valid_to < today:
            factors.append(Factor(2, f"{licence.get_kind_display()}已过期（{licence.valid_to:%Y-%m-%d}）"))
    if entity.food_class in FOOD_POINTS:
        factors.append(Factor(FOOD_POINTS[FoodClass(entity.food_class)], entity.get_food_class_display()))
    tags = [tag for tag in entity.key_tags if tag in KEY_TAGS]
    if tags:
        names = "、".join(KEY_TAGS[tag] for tag in tags)
        factors.append(Factor(min(len(tags), KEY_TAG_CAP), f"重点监管对象：{names}"))
    if entity.demonstration in DEMONSTRATION_POINTS:
        demo = Demonstration(entity.demonstration)
        factors.append(Factor(DEMONSTRATION_POINTS[demo], f"示范创建：{entity.get_demonstration_display()}"))
    for source in _sources:
        factors.extend(source(entity, today))
    return factors


def risk_compute(entity: MarketEntity, *, today: dt.date | None = None) -> tuple[str, list[str]]:
    factors = risk_factors(entity, today=today)
    points = sum(f.points for f in factors)
    reasons = [f"{f.reason}（{f.points:+d}）" for f in factors]
    return class_for(points), reasons


def risk_refresh(entity: MarketEntity, *, today: dt.date | None = None) -> bool:
    """Recompute and store the class (the override stays in force). True if anything changed."""
    computed, reasons = risk_compute(entity, today=today)
    effective = entity.risk_override or computed
    if (computed, reasons, effective) == (entity.risk_computed, entity.risk_reasons, entity.risk_class):
        return False
    entity.risk_computed, entity.risk_reasons, entity.risk_class = computed, reasons, effective
    MarketEntity.objects.filter(pk=entity.pk).update(
        risk_computed=computed, risk_reasons=reasons, risk_class=effective, updated_at=timezone.now()
    )
    return True


def risk_override_set(*, actor: Actor, entity: MarketEntity, risk_class: str, reason: str) -> MarketEntity:
    """Override the computed class (or clear the override with ""); a reason is required and the change audited."""
    reason = reason.strip()
    if not reason:
        raise DomainError("调整风险分类必须填写理由", code="reason_required")
    if risk_class and risk_class not in RiskClass.values:
        raise DomainError("风险分类只能是 A、B、C、D", code="bad_risk_class")
    with transaction.atomic():
        before = entity.risk_class
        now = timezone.now()
        entity.risk_override = risk_class
        entity.risk_override_reason = reason if risk_class else ""
        entity.overridden_by = actor if risk_class else None
        entity.overridden_at = now if risk_class else None
        entity.risk_class = risk_class or entity.risk_computed
        MarketEntity.objects.filter(pk=entity.pk).update(
            risk_override=entity.risk_override,
            risk_override_reason=entity.risk_override_reason,
            overridden_by=entity.overridden_by,
            overridden_at=entity.overridden_at,
            risk_class=entity.risk_class,
            version=F("version") + 1,
            updated_at=now,
        )
        detail = {"from": before, "to": entity.risk_class, "computed": entity.risk_computed, "reason": reason}
        if risk_class:
            audit_record(actor=actor, action="marketentity.risk_override", obj=entity, detail=detail)
        else:
            audit_record(actor=actor, action="marketentity.risk_override_clear", obj=entity, detail=detail)
    entity.refresh_from_db(fields=["version"])
    return entity
