"""Writes on units and platforms: one at a time, checked first, audited in the same transaction.

The admin pages add units and platforms through these, with the audit codes the admin wrote before (`unit.create`,
`platform.create`); changes and deletions stay with the audited admin. The demo loads its organisation in bulk
(grassroots/demo/organisation.py) under its one `demo.load` row.
"""

from collections.abc import Iterable

from django.db import transaction

from grassroots.audit.services import audit_record
from grassroots.core.errors import InvalidInput
from grassroots.geo.models import Division
from grassroots.people.models import Person

from .choices import AgencyClass, PlatformKind, UnitKind
from .models import Platform, Unit


def unit_errors(*, code: str, name: str, kind: str, agency_class: str) -> dict[str, str]:
    """What is wrong with a new unit, by field (empty when nothing is): the table's own rules, said in words."""
    errors: dict[str, str] = {}
    if not code.strip():
        errors["code"] = "请填写单位编码"
    elif Unit.objects.filter(code=code).exists():
        errors["code"] = f"单位编码“{code}”已存在"
    if not name.strip():
        errors["name"] = "请填写单位名称"
    if kind not in UnitKind.values:
        errors["kind"] = "未知的单位类型"
    is_agency = kind == UnitKind.DISPATCHED_AGENCY
    # Mirrors the table's check constraint, with a message instead of an IntegrityError.
    if is_agency and agency_class not in (AgencyClass.A, AgencyClass.B):
        errors["agency_class"] = "派驻机构须注明 A 类或 B 类"
    if not is_agency and agency_class:
        errors["agency_class"] = "只有派驻机构分 A 类、B 类"
    return errors


@transaction.atomic
def unit_create(
    *,
    actor: Person | None,
    code: str,
    name: str,
    kind: UnitKind,
    division: Division,
    agency_class: AgencyClass = AgencyClass.NONE,
    parent: Unit | None = None,
    is_active: bool = True,
) -> Unit:
    """A new unit; `actor` None is the system."""
    errors = unit_errors(code=code, name=name, kind=kind, agency_class=agency_class)
    if errors:
        raise InvalidInput("单位信息有误", details=errors)
    unit = Unit.objects.create(
        code=code,
        name=name,
        kind=kind,
        division=division,
        agency_class=agency_class,
        parent=parent,
        is_active=is_active,
    )
    audit_record(actor=actor, action="unit.create", obj=unit, detail={"code": code, "kind": str(kind)})
    return unit


@transaction.atomic
def platform_create(
    *,
    actor: Person | None,
    township: Division,
    kind: PlatformKind,
    lead_unit: Unit | None = None,
    office: Unit | None = None,
    members: Iterable[Unit] = (),
) -> Platform:
    """A township's platform of this kind (one of each per township), with its lead, office and member units."""
    if Platform.objects.filter(township=township, kind=kind).exists():
        raise InvalidInput(
            "平台信息有误", details={"kind": f"{township.name}已有{PlatformKind(kind).label}平台"}
        )
    platform = Platform.objects.create(township=township, kind=kind, lead_unit=lead_unit, office=office)
    units = list(members)
    platform.members.set(units)
    codes = sorted(unit.code for unit in units)
    audit_record(
        actor=actor,
        action="platform.create",
        obj=platform,
        detail={"township": township.code, "kind": str(kind), "members": codes},
    )
    return platform
