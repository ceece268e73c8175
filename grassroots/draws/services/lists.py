"""The item list and the inspector pool (一单两库), and declared relations (回避).

Each write is atomic and audited; an edit is a compare-and-set on the row's version, so a stale form is a 409. A
person changes only the lists of the units they manage (permissions.managed_units); None is the system."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F, Model

from grassroots.audit.services import audit_record
from grassroots.core.errors import Conflict, InvalidInput
from grassroots.org.models import Unit
from grassroots.people.models import Person

from ..choices import TargetKind
from ..models import DeclaredRelation, InspectionItem, Inspector
from ..permissions import guard_relation, guard_unit

CHECKPOINT_MAX = 200  # characters in one check point
CHECKPOINTS_MAX = 100


def clean_lines(values: Iterable[str], *, max_chars: int, what: str, field: str) -> list[str]:
    """Stripped, non-empty, without repeats, in the order given."""
    out: list[str] = []
    for value in values:
        line = str(value).strip()
        if not line or line in out:
            continue
        if len(line) > max_chars:
            raise InvalidInput(
                f"{what}每条不超过 {max_chars} 个字：{line[:20]}…",
                code="draw_line_too_long",
                details={"field": field},
            )
        out.append(line)
    return out


def stale(what: str) -> Conflict:
    return Conflict(f"{what}已被他人修改，请刷新后重试", code="stale_draw_list")


def changes_of(obj: Model, values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Which of `values` differ from the row's, as {field: {from, to}} for the audit row (dates as text)."""

    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else value

    return {
        name: {"from": plain(getattr(obj, name)), "to": plain(value)}
        for name, value in values.items()
        if getattr(obj, name) != value
    }


# -- 抽查事项清单 ------------------------------------------------------------------------------------------------


def item_values(
    *, code: str, name: str, unit: Unit, target_kind: str, legal_basis: str, checklist: Iterable[str]
) -> dict[str, Any]:
    points = clean_lines(checklist, max_chars=CHECKPOINT_MAX, what="检查要点", field="checklist")
    values: dict[str, Any] = {
        "code": code.strip(),
        "name": name.strip(),
        "unit_id": unit.pk,
        "target_kind": target_kind,
        "legal_basis": legal_basis.strip(),
        "checklist": points,
    }
    if not values["code"]:
        raise InvalidInput("请填写事项编码", code="draw_item_code_required", details={"field": "code"})
    if not values["name"]:
        raise InvalidInput("请填写抽查事项名称", code="draw_item_name_required", details={"field": "name"})
    if target_kind not in TargetKind.values:
        raise InvalidInput(
            f"不支持的检查对象类型：{target_kind}",
            code="draw_bad_target_kind",
            details={"field": "target_kind"},
        )
    if len(points) > CHECKPOINTS_MAX:
        raise InvalidInput(
            f"检查要点不超过 {CHECKPOINTS_MAX} 条",
            code="draw_too_many_points",
            details={"field": "checklist"},
        )
    return values


def item_code_free(code: str, *, exclude: int | None = None) -> None:
    if InspectionItem.objects.filter(code=code).exclude(pk=exclude or 0).exists():
        raise InvalidInput(f"事项编码 {code} 已存在", code="draw_item_code_taken", details={"field": "code"})


@transaction.atomic
def item_create(
    *,
    actor: Any,
    code: str,
    name: str,
    unit: Unit,
    target_kind: str,
    legal_basis: str = "",
    checklist: Iterable[str] = (),
    published: bool = True,
) -> InspectionItem:
    guard_unit(actor, unit.pk)
    values = item_values(
        code=code, name=name, unit=unit, target_kind=target_kind, legal_basis=legal_basis, checklist=checklist
    )
    item_code_free(values["code"])
    item = InspectionItem.objects.create(published=published, **values)
    detail = {"code": item.code, "published": published, "checklist": len(item.checklist)}
    audit_record(actor=actor, action="inspectionitem.create", obj=item, detail=detail)
    return item


@transaction.atomic
def item_update(
    *,
    actor: Any,
    item: InspectionItem,
    version: int,
    code: str,
    name: str,
    unit: Unit,
    target_kind: str,
    legal_basis: str = "",
    checklist: Iterable[str] = (),
) -> InspectionItem:
    """Change an item of the list (its unit may move to another unit the person manages)."""
    guard_unit(actor, item.unit_id)
    guard_unit(actor, unit.pk)
    values = item_values(
        code=code, name=name, unit=unit, target_kind=target_kind, legal_basis=legal_basis, checklist=checklist
    )
    item_code_free(values["code"], exclude=item.pk)
    changes = changes_of(item, values)
    if (
        InspectionItem.objects.filter(pk=item.pk, version=version).update(version=F("version") + 1, **values)
        != 1
    ):
        raise stale("抽查事项")
    item.refresh_from_db()
    audit_record(actor=actor, action="inspectionitem.update", obj=item, detail={"changes": changes})
    return item


@transaction.atomic
def item_set_published(*, actor: Any, item: InspectionItem, version: int, published: bool) -> InspectionItem:
    """Publish an item (一单 is public) or take it off the public list; plans choose among published items."""
    guard_unit(actor, item.unit_id)
    if item.published == published:
        state = "已公开" if published else "未公开"
        raise Conflict(f"该抽查事项{state}", code="draw_item_unchanged")
    changed = InspectionItem.objects.filter(pk=item.pk, version=version, published=not published).update(
        published=published, version=F("version") + 1
    )
    if changed != 1:
        raise stale("抽查事项")
    item.refresh_from_db()
    detail = {"code": item.code}
    if published:
        audit_record(actor=actor, action="inspectionitem.publish", obj=item, detail=detail)
    else:
        audit_record(actor=actor, action="inspectionitem.unpublish", obj=item, detail=detail)
    return item


# -- 执法人员名录库 ----------------------------------------------------------------------------------------------


def inspector_values(
    *, certificate_no: str, valid_to: dt.date, unit: Unit, fields: Iterable[str] | None
) -> dict[str, Any]:
    values = {
        "certificate_no": certificate_no.strip(),
        "certificate_valid_to": valid_to,
        "unit_id": unit.pk,
        "fields": clean_lines(fields or (), max_chars=40, what="执法领域", field="fields"),
    }
    if not values["certificate_no"]:
        raise InvalidInput(
            "请填写执法证号", code="draw_certificate_required", details={"field": "certificate_no"}
        )
    return values


def certificate_free(certificate_no: str, *, exclude: int | None = None) -> None:
    if Inspector.objects.filter(certificate_no=certificate_no).exclude(pk=exclude or 0).exists():
        raise InvalidInput(
            f"执法证号 {certificate_no} 已在名录库中",
            code="draw_certificate_taken",
            details={"field": "certificate_no"},
        )


@transaction.atomic
def inspector_register(
    *,
    actor: Any,
    person: Person,
    certificate_no: str,
    valid_to: dt.date,
    unit: Unit,
    fields: list[str] | None = None,
) -> Inspector:
    guard_unit(actor, unit.pk)
    values = inspector_values(certificate_no=certificate_no, valid_to=valid_to, unit=unit, fields=fields)
    if Inspector.objects.filter(person=person).exists():
        raise InvalidInput(
            f"{person.name} 已在执法人员名录库中", code="draw_inspector_exists", details={"field": "person"}
        )
    certificate_free(values["certificate_no"])
    inspector = Inspector.objects.create(person=person, **values)
    detail = {"certificate_no": inspector.certificate_no, "valid_to": valid_to.isoformat()}
    audit_record(actor=actor, action="inspector.create", obj=inspector, detail=detail)
    return inspector


@transaction.atomic
def inspector_update(
    *,
    actor: Any,
    inspector: Inspector,
    version: int,
    certificate_no: str,
    valid_to: dt.date,
    unit: Unit,
    fields: list[str] | None = None,
) -> Inspector:
    """Change the certificate, its validity, the unit or the fields (the person stays)."""
    guard_unit(actor, inspector.unit_id)
    guard_unit(actor, unit.pk)
    values = inspector_values(certificate_no=certificate_no, valid_to=valid_to, unit=unit, fields=fields)
    certificate_free(values["certificate_no"], exclude=inspector.pk)
    changes = changes_of(inspector, values)
    if (
        Inspector.objects.filter(pk=inspector.pk, version=version).update(version=F("version") + 1, **values)
        != 1
    ):
        raise stale("执法人员信息")
    inspector.refresh_from_db()
    audit_record(actor=actor, action="inspector.update", obj=inspector, detail={"changes": changes})
    return inspector


@transaction.atomic
def inspector_set_active(*, actor: Any, inspector: Inspector, version: int, active: bool) -> Inspector:
    """Take an inspector out of the pool (no longer drawn) or put them back; frozen pools keep what they had."""
    guard_unit(actor, inspector.unit_id)
    if inspector.active == active:
        raise Conflict(
            "该执法人员已在库" if active else "该执法人员已移出名录库", code="draw_inspector_unchanged"
        )
    changed = Inspector.objects.filter(pk=inspector.pk, version=version, active=not active).update(
        active=active, version=F("version") + 1
    )
    if changed != 1:
        raise stale("执法人员信息")
    inspector.refresh_from_db()
    detail = {"certificate_no": inspector.certificate_no}
    if active:
        audit_record(actor=actor, action="inspector.reactivate", obj=inspector, detail=detail)
    else:
        audit_record(actor=actor, action="inspector.deactivate", obj=inspector, detail=detail)
    return inspector


# -- 回避申报 -----------------------------------------------------------------------------------------------------


@transaction.atomic
def relation_declare(
    *, actor: Any, inspector: Inspector, target_kind: str, target_id: str, reason: str
) -> DeclaredRelation:
    """Record a relation with a target (the inspector's own declaration, or a manager of their unit recording it);
    declaring the same target again replaces the reason."""
    guard_relation(actor, inspector)
    reason = reason.strip()
    if not reason:
        raise InvalidInput("请填写回避事由", code="draw_relation_reason", details={"field": "reason"})
    if target_kind not in TargetKind.values:
        raise InvalidInput(f"不支持的检查对象类型：{target_kind}", code="draw_bad_target_kind")
    relation, _created = DeclaredRelation.objects.update_or_create(
        inspector=inspector, target_kind=target_kind, target_id=str(target_id), defaults={"reason": reason}
    )
    audit_record(
        actor=actor,
        action="declaredrelation.create",
        obj=relation,
        detail={"target": f"{target_kind}:{target_id}", "reason": reason},
    )
    return relation


@transaction.atomic
def relation_remove(*, actor: Any, relation: DeclaredRelation) -> None:
    """Withdraw a declared relation; draws frozen before keep it in their pools."""
    guard_relation(actor, relation.inspector)
    detail = {
        "inspector": relation.inspector_id,
        "target": f"{relation.target_kind}:{relation.target_id}",
        "reason": relation.reason,
    }
    if DeclaredRelation.objects.filter(pk=relation.pk).delete()[0] != 1:
        raise Conflict("该回避申报已被删除", code="stale_draw_list")
    audit_record(
        actor=actor,
        action="declaredrelation.delete",
        object_type="draws.declaredrelation",
        object_id=str(relation.pk),
        object_repr=str(relation),
        detail=detail,
    )
