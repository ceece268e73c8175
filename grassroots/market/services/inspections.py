"""Arranging inspections: by hand (日常、专项、投诉举报核查) or from a draw's assignments (双随机), and cancelling one
that nobody went to. The steps on site are in `inspection_steps.py`; the table is `rules.TABLE`."""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.core.errors import Forbidden, InvalidInput
from grassroots.draws.models import Draw, InspectionItem, Inspector
from grassroots.org.models import Unit
from grassroots.people.models import Person
from grassroots.workcal.calendar import local_today
from grassroots.workflow.choices import LinkKind
from grassroots.workflow.links import RecordRef, link_records

from ..choices import EntityStatus, InspectionKind, InspectionStatus
from ..models import Inspection, InspectionHistory, MarketEntity
from ..permissions import may_arrange_inspection, visible_to
from .inspection_common import WORKFLOW, authorize, commit

_TZ8 = dt.timezone(dt.timedelta(hours=8))


def _number(inspection: Inspection) -> str:
    return f"JC-{inspection.created_at.astimezone(_TZ8):%Y%m%d}-{inspection.pk:06d}"


def certified(persons: Sequence[Person], *, on: dt.date) -> None:
    """Every inspector holds an enforcement certificate in the pool, valid on the day (执法证)."""
    pool = {
        i.person_id: i
        for i in Inspector.objects.filter(person__in=persons).select_related("person")
        if i.active
    }
    bad = [p.name for p in persons if p.pk not in pool or pool[p.pk].certificate_valid_to < on]
    if bad:
        raise InvalidInput(
            f"以下人员不在执法人员名录库或执法证已过期：{'、'.join(bad)}",
            code="inspector_not_certified",
            details={"persons": bad},
        )


def _history(inspection: Inspection, actor: Any, now: dt.datetime, note: str, data: dict[str, Any]) -> None:
    InspectionHistory.objects.create(
        inspection=inspection,
        action="create",
        from_status="",
        to_status=inspection.status,
        actor=actor,
        at=now,
        note=note,
        data=data,
    )


@transaction.atomic
def inspection_create(
    *,
    actor: Any,
    entity: MarketEntity,
    kind: str,
    unit: Unit,
    inspectors: Iterable[Person],
    items: Iterable[InspectionItem] = (),
    due_on: dt.date | None = None,
    campaign: str = "",
    event: Any = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Inspection:
    """Arrange an inspection of `entity` by certified inspectors of `unit`. 双随机 inspections come from draws only."""
    now = now or timezone.now()
    if not may_arrange_inspection(actor) or not visible_to(actor).filter(pk=entity.pk).exists():
        raise Forbidden("您无权安排对该市场主体的检查", code="not_permitted")
    if kind not in InspectionKind.values or kind == InspectionKind.RANDOM:
        raise InvalidInput("检查类型应为日常检查、专项检查或投诉举报核查", code="inspection_bad_kind")
    if entity.status != EntityStatus.OPERATING:
        raise InvalidInput(
            f"{entity.name}登记状态为“{entity.get_status_display()}”，不能安排检查",
            code="entity_not_operating",
        )
    persons = list(dict.fromkeys(inspectors))
    if not persons:
        raise InvalidInput("请至少选择一名检查人员", code="inspector_required")
    certified(persons, on=timezone.localdate(now))
    if kind == InspectionKind.CAMPAIGN and not campaign.strip():
        raise InvalidInput("专项检查须填写专项行动名称", code="campaign_required")
    if kind == InspectionKind.COMPLAINT and event is None:
        raise InvalidInput("投诉举报核查须关联投诉举报事件", code="event_required")
    if due_on is not None and due_on < local_today():
        raise InvalidInput("应检查日期不能早于今天", code="due_in_past")
    inspection = Inspection.objects.create(
        entity=entity,
        kind=kind,
        unit=unit,
        campaign=campaign.strip(),
        event=event,
        due_on=due_on,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    inspection.number = _number(inspection)
    Inspection.objects.filter(pk=inspection.pk).update(number=inspection.number)
    inspection.inspectors.set(persons)
    inspection.items.set(list(items))
    data = {"kind": kind, "inspectors": [p.pk for p in persons], "event": getattr(event, "pk", None)}
    _history(inspection, actor, now, note, data)
    audit_record(actor=actor, action="inspection.create", obj=inspection, detail=data)
    if event is not None:
        link_records(
            actor=actor,
            source=RecordRef("event", event.pk),
            target=RecordRef(WORKFLOW, inspection.pk),
            kind=LinkKind.BECAME,
        )
    return inspection


def inspections_from_draw(draw: Draw, actor: Any) -> int:
    """Each market entity the draw assigned becomes a 双随机 inspection by its drawn inspectors, due when the
    results are due. Runs inside the draw's transaction; returns how many were made."""
    rows = [r for r in draw.assigned if r["kind"] == "market.entity" and str(r["id"]).isdigit()]
    known = set(MarketEntity.objects.filter(pk__in=[int(r["id"]) for r in rows]).values_list("pk", flat=True))
    rows = [r for r in rows if int(r["id"]) in known and r["inspectors"]]
    if not rows:
        return 0
    inspectors = {
        str(i.pk): i for i in Inspector.objects.filter(pk__in={p for r in rows for p in r["inspectors"]})
    }
    items = list(draw.plan.items.filter(target_kind="market.entity"))
    due_on = timezone.localdate(draw.results_due_at) if draw.results_due_at else None
    now = draw.drawn_at
    made = 0
    for row in rows:
        drawn = [inspectors[p] for p in row["inspectors"] if p in inspectors]
        inspection = Inspection.objects.create(
            entity_id=int(row["id"]),
            kind=InspectionKind.RANDOM,
            unit_id=drawn[0].unit_id,
            draw=draw,
            due_on=due_on,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        inspection.number = _number(inspection)
        Inspection.objects.filter(pk=inspection.pk).update(number=inspection.number)
        inspection.inspectors.set([i.person_id for i in drawn])
        inspection.items.set(items)
        _history(inspection, actor, now, "", {"draw": draw.pk, "inspectors": [i.person_id for i in drawn]})
        made += 1
    audit_record(actor=actor, action="inspection.from_draw", obj=draw, detail={"inspections": made})
    return made


def inspections_superseded(draw: Draw, actor: Any) -> int:
    """A re-draw cancels the superseded draw's inspections nobody has recorded yet; recorded ones stay on record."""
    now = timezone.now()
    cancelled = 0
    for inspection in Inspection.objects.filter(draw=draw, status=InspectionStatus.ASSIGNED):
        commit(
            inspection,
            actor=actor,
            action="cancel",
            to=InspectionStatus.CANCELLED,
            now=now,
            note="重新抽取，原抽取结果作废",
            cancel_reason="重新抽取，原抽取结果作废",
        )
        cancelled += 1
    return cancelled


@transaction.atomic
def inspection_cancel(
    *, actor: Any, inspection: Inspection, reason: str, now: dt.datetime | None = None
) -> None:
    """取消 an inspection nobody went to, with a reason. A 双随机 one is only cancelled by a re-draw."""
    authorize(inspection, actor, "cancel")
    if not reason.strip():
        raise InvalidInput("取消检查须说明理由", code="reason_required")
    if inspection.kind == InspectionKind.RANDOM:
        raise InvalidInput("双随机抽查任务不能单独取消，须经批准重新抽取", code="random_not_cancellable")
    commit(
        inspection,
        actor=actor,
        action="cancel",
        to=InspectionStatus.CANCELLED,
        now=now or timezone.now(),
        note=reason.strip(),
        cancel_reason=reason.strip(),
    )
