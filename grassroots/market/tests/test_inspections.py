"""Inspections on the table: arranged by hand or drawn, recorded on site with a checklist and photos, findings
rectified and re-checked against a working-day clock, penalties recorded; each step audited and refused with a
stable code when it may not be taken."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.core.errors import Conflict, DomainError, Forbidden
from grassroots.demo.photos import sample_jpeg
from grassroots.draws.services.plans import draw_publish, plan_draw, plan_freeze, plan_redraw
from grassroots.draws.tests.support import build_office, make_plan
from grassroots.workflow.models import Clock

from ..choices import Conclusion, FindingStatus, InspectionKind, InspectionStatus
from ..models import Inspection, Penalty
from ..registry import plan_pool
from ..services.inspection_steps import inspection_penalize, inspection_recheck, inspection_record
from ..services.inspections import inspection_cancel, inspection_create
from .support import make_entity

JPEG = sample_jpeg()


def photo(name: str = "现场.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG, content_type="image/jpeg")


@pytest.fixture
def office(world):
    return build_office(world)


@pytest.fixture
def routine(world, office):
    entity = make_entity(world, 1)
    inspectors = [office.inspectors[0].person, office.inspectors[1].person]
    return inspection_create(
        actor=office.dora,
        entity=entity,
        kind=InspectionKind.ROUTINE,
        unit=world.agency,
        inspectors=inspectors,
        items=[office.item],
    )


def test_arranging_needs_certified_inspectors_and_an_operating_entity(world, office):
    entity = make_entity(world, 1)
    with pytest.raises(DomainError) as exc:
        inspection_create(
            actor=office.dora,
            entity=entity,
            kind="routine",
            unit=world.agency,
            inspectors=[office.expired.person],
        )
    assert exc.value.code == "inspector_not_certified"
    closed = make_entity(world, 2, status="deregistered")
    with pytest.raises(DomainError) as exc:
        inspection_create(
            actor=office.dora,
            entity=closed,
            kind="routine",
            unit=world.agency,
            inspectors=[office.inspectors[0].person],
        )
    assert exc.value.code == "entity_not_operating"
    with pytest.raises(DomainError) as exc:
        inspection_create(
            actor=office.dora,
            entity=entity,
            kind="random",
            unit=world.agency,
            inspectors=[office.inspectors[0].person],
        )
    assert exc.value.code == "inspection_bad_kind"
    assert not Inspection.objects.exists()


def test_a_compliant_inspection_closes_and_lowers_nothing_it_should_not(routine, office):
    inspector = office.inspectors[0].person
    inspection_record(
        actor=inspector, inspection=routine, conclusion=Conclusion.COMPLIANT, summary="现场规范"
    )
    routine.refresh_from_db()
    assert routine.status == InspectionStatus.CLOSED and routine.inspected_at and routine.version == 2
    assert routine.number.startswith("JC-")
    assert AuditEntry.objects.filter(action="inspection.record", object_id=str(routine.pk)).exists()
    with pytest.raises(Conflict) as exc:
        inspection_record(actor=inspector, inspection=routine, conclusion=Conclusion.COMPLIANT)
    assert exc.value.code == "invalid_transition"


def test_only_the_named_inspectors_record(routine, office):
    with pytest.raises(Forbidden) as exc:
        inspection_record(
            actor=office.inspectors[4].person, inspection=routine, conclusion=Conclusion.COMPLIANT
        )
    assert exc.value.code == "not_permitted"


def test_problems_need_findings_and_a_photo_and_open_a_working_day_clock(routine, office):
    inspector = office.inspectors[0].person
    cases: list[tuple[dict[str, Any], str]] = [
        ({"findings": []}, "finding_required"),
        ({"findings": [{"description": "冷藏柜温度超标"}]}, "photo_required"),
        ({"findings": [{"description": "x"}], "photos": [photo()], "rectify_days": 0}, "rectify_days_bad"),
    ]
    for kwargs, code in cases:
        with pytest.raises(DomainError) as exc:
            inspection_record(actor=inspector, inspection=routine, conclusion=Conclusion.PROBLEMS, **kwargs)
        assert exc.value.code == code
    bad = SimpleUploadedFile("x.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    with pytest.raises(DomainError) as exc:
        inspection_record(
            actor=inspector,
            inspection=routine,
            conclusion=Conclusion.PROBLEMS,
            findings=[{"description": "x"}],
            photos=[bad],
        )
    assert exc.value.code == "unsupported_file_type"
    routine.refresh_from_db()
    assert routine.status == InspectionStatus.ASSIGNED and routine.version == 1  # nothing half-written
    inspection_record(
        actor=inspector,
        inspection=routine,
        conclusion=Conclusion.PROBLEMS,
        findings=[
            {"description": "冷藏柜温度超标", "item_id": office.item.pk},
            {"description": "从业人员健康证过期"},
        ],
        rectify_days=5,
        photos=[photo()],
    )
    routine.refresh_from_db()
    assert routine.status == InspectionStatus.RECTIFYING
    findings = list(routine.findings.all())
    assert len(findings) == 2 and {f.status for f in findings} == {FindingStatus.OPEN}
    clock = Clock.objects.get(workflow="inspection", object_id=routine.pk, name="rectification")
    assert timezone.localdate(clock.due_at) == findings[0].rectify_by
    assert routine.photos.count() == 1
    assert "近一年检查发现问题 1 次" in " ".join(
        routine.entity.__class__.objects.get(pk=routine.entity_id).risk_reasons
    )


def test_recheck_confirms_some_then_all_and_a_penalty_is_recorded(routine, office):
    inspector = office.inspectors[0].person
    inspection_record(
        actor=inspector,
        inspection=routine,
        conclusion=Conclusion.PROBLEMS,
        findings=[{"description": "冷藏柜温度超标"}, {"description": "健康证过期"}],
        photos=[photo()],
    )
    first, second = routine.findings.order_by("pk")
    with pytest.raises(DomainError) as exc:
        inspection_recheck(actor=inspector, inspection=routine, rectified=[first.pk], photos=[photo()])
    assert exc.value.code == "note_required"
    inspection_recheck(
        actor=inspector, inspection=routine, rectified=[first.pk], note="健康证未办", photos=[photo()]
    )
    routine.refresh_from_db()
    assert routine.status == InspectionStatus.RECTIFYING
    first.refresh_from_db(), second.refresh_from_db()
    assert (
        first.status == FindingStatus.RECTIFIED
        and second.status == FindingStatus.OPEN
        and second.rechecks == 1
    )
    penalty = inspection_penalize(
        actor=office.dora,
        inspection=routine,
        decision_no="嘉市监西罚〔2026〕1号",
        kind="fine",
        procedure="simple",
        amount="2000",
        violation="从业人员未取得健康证明从事接触直接入口食品的工作",
        legal_basis="《食品安全法》第一百二十六条",
        decided_on=timezone.localdate(),
    )
    assert penalty.amount == 2000 and Penalty.objects.count() == 1
    with pytest.raises(DomainError) as exc:
        inspection_penalize(
            actor=office.dora,
            inspection=routine,
            decision_no="嘉市监西罚〔2026〕1号",
            kind="warning",
            procedure="simple",
            amount="0",
            violation="x",
            legal_basis="y",
            decided_on=timezone.localdate(),
        )
    assert exc.value.code == "penalty_duplicate"
    inspection_recheck(actor=inspector, inspection=routine, rectified=[second.pk], photos=[photo()])
    routine.refresh_from_db()
    assert routine.status == InspectionStatus.CLOSED and routine.closed_at
    assert not Clock.objects.filter(workflow="inspection", object_id=routine.pk, state="running").exists()


def test_the_simple_procedure_is_capped_by_law(world, office):
    entity = make_entity(world, 3, kind="individual")
    inspection = inspection_create(
        actor=office.dora,
        entity=entity,
        kind="routine",
        unit=world.agency,
        inspectors=[office.inspectors[0].person],
    )
    inspection_record(
        actor=office.inspectors[0].person,
        inspection=inspection,
        conclusion=Conclusion.PROBLEMS,
        findings=[{"description": "x"}],
        photos=[photo()],
    )
    with pytest.raises(DomainError) as exc:
        inspection_penalize(
            actor=office.dora,
            inspection=inspection,
            decision_no="N1",
            kind="fine",
            procedure="simple",
            amount="500",
            violation="x",
            legal_basis="y",
            decided_on=timezone.localdate(),
        )
    assert exc.value.code == "penalty_simple_limit"


def test_cancel_needs_a_reason_and_the_unit(routine, office):
    with pytest.raises(Forbidden):
        inspection_cancel(actor=office.inspectors[0].person, inspection=routine, reason="停业")
    inspection_cancel(actor=office.dora, inspection=routine, reason="已停业")
    routine.refresh_from_db()
    assert routine.status == InspectionStatus.CANCELLED and routine.cancel_reason == "已停业"


def test_a_draw_makes_inspections_and_publication_waits_for_every_result(world, office):
    entities = [
        make_entity(world, n, food_class="catering_large", key_tags=["school_canteen"]) for n in range(1, 4)
    ]
    plan = make_plan(world, office, rates={"A": "1", "B": "1", "C": "1", "D": "1"})
    plan_freeze(actor=office.dora, plan=plan, targets=plan_pool(plan))
    draw = plan_draw(actor=office.dora, plan=plan)
    made = list(Inspection.objects.filter(draw=draw).order_by("entity_id"))
    assert [i.entity_id for i in made] == [e.pk for e in entities]
    assert all(i.kind == InspectionKind.RANDOM and i.inspectors.count() == 2 for i in made)
    assert made[0].due_on == timezone.localdate(draw.results_due_at)
    with pytest.raises(DomainError) as exc:
        draw_publish(actor=office.dora, plan=plan, summary="结果")
    assert exc.value.code == "draw_results_incomplete"
    for inspection in made:
        inspector = inspection.inspectors.first()
        inspection_record(actor=inspector, inspection=inspection, conclusion=Conclusion.COMPLIANT)
    draw_publish(actor=office.dora, plan=plan, summary="全部未发现问题")
    plan.refresh_from_db()
    assert plan.status == "published"


def test_a_redraw_cancels_what_nobody_recorded(world, office):
    for n in range(1, 4):
        make_entity(world, n, food_class="catering_large")
    plan = make_plan(world, office, rates={"A": "1", "B": "1", "C": "1", "D": "1"})
    plan_freeze(actor=office.dora, plan=plan, targets=plan_pool(plan))
    draw = plan_draw(actor=office.dora, plan=plan)
    first = Inspection.objects.filter(draw=draw).order_by("pk")[0]
    inspection_record(actor=first.inspectors.first(), inspection=first, conclusion=Conclusion.COMPLIANT)
    plan_redraw(
        actor=office.dora, plan=plan, reason="执法人员调整", approved_by=office.lena, targets=plan_pool(plan)
    )
    statuses = set(Inspection.objects.filter(draw=draw).exclude(pk=first.pk).values_list("status", flat=True))
    assert statuses == {InspectionStatus.CANCELLED}
    first.refresh_from_db()
    assert first.status == InspectionStatus.CLOSED
