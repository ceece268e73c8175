"""The item list and the inspector pool (一单两库), and declared relations (回避)."""

import datetime as dt
from typing import Any

from django.db import transaction

from grassroots.audit.services import audit_record
from grassroots.org.models import Unit
from grassroots.people.models import Person

from ..models import DeclaredRelation, InspectionItem, Inspector


@transaction.atomic
def item_create(
    *,
    actor: Any,
    code: str,
    name: str,
    unit: Unit,
    target_kind: str,
    legal_basis: str = "",
    published: bool = True,
) -> InspectionItem:
    item = InspectionItem.objects.create(
        code=code, name=name, unit=unit, target_kind=target_kind, legal_basis=legal_basis, published=published
    )
    audit_record(actor=actor, action="inspectionitem.create", obj=item)
    return item


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
    inspector = Inspector.objects.create(
        person=person,
        certificate_no=certificate_no,
        certificate_valid_to=valid_to,
        unit=unit,
        fields=fields or [],
    )
    audit_record(actor=actor, action="inspector.create", obj=inspector)
    return inspector


@transaction.atomic
def relation_declare(
    *, actor: Any, inspector: Inspector, target_kind: str, target_id: str, reason: str
) -> DeclaredRelation:
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
