"""The demo's year at 西塘市场监管所: the item list and the inspector pool, draws anyone can re-run, published draws
with every result, a current draw partly recorded, the year's findings and fines near seed 000's (65 problems,
¥200,000), records as the services leave them, and work waiting for the demo inspector login.

The district, its entities and the year are built once for the module inside a transaction rolled back at the end.
"""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from grassroots.demo.district import build_demo_district, reset_demo_district
from grassroots.demo.market import build_demo_market, demo_entities
from grassroots.demo.market_complaints import build_demo_complaint_inspections
from grassroots.demo.market_inspections import (
    InspectionsResult,
    build_demo_inspections,
    demo_inspections,
    demo_items,
    demo_plans,
    office_of_xitang,
)
from grassroots.demo.names import DEMO_PASSWORD
from grassroots.demo.simclock import SimulatedClock, simulated_time
from grassroots.draws.models import DeclaredRelation, Draw, Inspector
from grassroots.draws.services.verify import draw_verify
from grassroots.events import services as events
from grassroots.events.models import Event, EventType
from grassroots.market.choices import Conclusion, FindingStatus, InspectionStatus, Procedure
from grassroots.market.models import Finding, InspectionHistory, Penalty
from grassroots.market.permissions import inspections_visible_to
from grassroots.market.services.risk import risk_compute
from grassroots.people.models import Person
from grassroots.workcal.calendar import SHANGHAI
from grassroots.workflow.choices import ClockState
from grassroots.workflow.models import Clock, Link

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any) -> Iterator[InspectionsResult]:
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo_district(seed=7)
        build_demo_market(seed=7)
        yield build_demo_inspections(seed=7)
        transaction.set_rollback(True)


def test_the_item_list_and_the_inspector_pool_are_published(built: InspectionsResult) -> None:
    items = list(demo_items())
    assert 8 <= len(items) <= 12 and all(i.published and "《" in i.legal_basis for i in items)
    assert all(4 <= len(i.checklist) <= 8 for i in items)
    pool = list(Inspector.objects.filter(unit__division__code__startswith="330421"))
    assert 10 <= len(pool) <= 14
    today = timezone.localdate()
    assert sum(i.certificate_valid_to < today for i in pool) == 1
    assert sum(today <= i.certificate_valid_to <= today + dt.timedelta(days=30) for i in pool) == 1
    assert DeclaredRelation.objects.filter(inspector__in=pool).count() >= 3
    newest = Person.objects.filter(inspector__in=pool).latest("pk")  # one the demo added to the office
    assert newest.unit is not None and newest.unit.code == "330421102-SCJG"
    assert newest.check_password(DEMO_PASSWORD)


def test_every_draw_verifies_and_every_published_one_has_all_its_results(built: InspectionsResult) -> None:
    plans = list(demo_plans().order_by("pk"))
    assert [p.status for p in plans] == ["published", "published", "drawn"]
    for draw in Draw.objects.filter(plan__in=plans).select_related("snapshot", "plan"):
        assert draw_verify(draw) == [], draw.plan.name
        inspections = list(demo_inspections().filter(draw=draw))
        assert len(inspections) == len(draw.assigned) > 0
        clock = Clock.objects.get(workflow="draws", object_id=draw.pk, name="publication")
        if draw.plan.status == "published":
            assert all(i.status != InspectionStatus.ASSIGNED and i.conclusion for i in inspections)
            assert draw.results_published_at and draw.results_due_at
            assert draw.results_published_at <= draw.results_due_at
            assert clock.state == ClockState.STOPPED and not clock.overdue
        else:
            waiting = [i for i in inspections if i.status == InspectionStatus.ASSIGNED]
            assert 0 < len(waiting) < len(inspections)  # partly recorded
            assert clock.state == ClockState.RUNNING
            assert draw.results_due_at is not None and draw.results_due_at > timezone.now()


def test_the_years_findings_and_fines_are_near_xitangs(built: InspectionsResult) -> None:
    findings = Finding.objects.filter(inspection__in=demo_inspections())
    assert 54 <= findings.count() <= 70  # planned 54, the draws add up to 10
    penalties = Penalty.objects.filter(entity__in=demo_entities())
    total = penalties.aggregate(n=Sum("amount"))["n"]
    assert Decimal(180_000) <= total <= Decimal(220_000)
    assert {"fine", "warning"} <= set(penalties.values_list("kind", flat=True))
    for penalty in penalties.select_related("inspection", "entity"):
        assert penalty.inspection is not None and penalty.inspection.findings.exists()
        assert penalty.decided_on <= timezone.localdate(penalty.recorded_at)
        assert penalty.decision_no.startswith("嘉市监") and "《" in penalty.legal_basis
        if penalty.procedure == Procedure.SIMPLE:
            assert penalty.amount <= (200 if penalty.entity.kind == "individual" else 3000)
    assert built.inspections >= 250


def test_rectifications_are_mostly_on_time_some_late_a_few_open(built: InspectionsResult) -> None:
    findings = list(Finding.objects.filter(inspection__in=demo_inspections()).select_related("inspection"))
    open_ = [f for f in findings if f.status == FindingStatus.OPEN]
    late = [f for f in findings if f.late]
    assert 1 <= len(open_) <= 15 and 3 <= len(late) <= len(findings) // 3
    for finding in findings:
        inspection = finding.inspection
        running = Clock.objects.filter(
            workflow="inspection", object_id=inspection.pk, name="rectification", state=ClockState.RUNNING
        ).first()
        if finding.status == FindingStatus.OPEN:
            assert inspection.status == InspectionStatus.RECTIFYING and running is not None
            assert timezone.localdate(running.due_at) == finding.rectify_by
        else:
            assert finding.rectified_at is not None and finding.rechecks >= 1
    closed = demo_inspections().filter(status=InspectionStatus.CLOSED)
    assert not closed.filter(closed_at__isnull=True).exists()
    assert not Clock.objects.filter(
        workflow="inspection", object_id__in=closed.values("pk"), state=ClockState.RUNNING
    ).exists()


def test_every_step_is_on_the_inspections_history(built: InspectionsResult) -> None:
    inspections = demo_inspections().annotate(steps=Count("history"))
    for inspection in inspections.prefetch_related("history", "photos", "findings", "items"):
        actions = [h.action for h in inspection.history.all()]
        assert actions[0] == "create"
        recorded = inspection.status != InspectionStatus.ASSIGNED
        assert ("record" in actions) == recorded
        if recorded:  # every check point of every item answered
            assert len(inspection.checklist) == sum(len(i.checklist) for i in inspection.items.all()) > 0
        if inspection.conclusion == Conclusion.PROBLEMS:
            assert inspection.photos.filter(stage="record").exists()
            assert actions.count("recheck") == inspection.photos.filter(stage="recheck").count()
    stamps = InspectionHistory.objects.filter(inspection__in=demo_inspections(), action="record")
    assert all(h.at == h.inspection.inspected_at for h in stamps.select_related("inspection"))
    assert demo_inspections().filter(kind="campaign").exclude(campaign="").count() >= 40
    assert demo_inspections().filter(kind="routine").count() >= 100


def test_the_demo_inspector_has_work_waiting(built: InspectionsResult) -> None:
    login = Person.objects.get(username="inspector")
    waiting = demo_inspections().filter(inspectors=login, status=InspectionStatus.ASSIGNED)
    assert waiting.exists()
    assert set(waiting.values_list("pk", flat=True)) <= set(
        inspections_visible_to(login).values_list("pk", flat=True)
    )
    current = Draw.objects.get(plan__status="drawn", plan__in=demo_plans())
    assert str(login.inspector.pk) in {row["id"] for row in current.snapshot.inspectors}


def test_the_risk_classes_are_recomputed_from_the_record(built: InspectionsResult) -> None:
    entities = demo_entities().filter(inspections__isnull=False).distinct()
    reasons = " ".join(r for e in entities for r in e.risk_reasons)
    assert "近一年检查发现问题" in reasons and "受到行政处罚" in reasons
    for entity in entities.prefetch_related(
        "licences", "abnormal_listings", "penalties", "inspections__findings"
    ):
        assert risk_compute(entity) == (entity.risk_computed, entity.risk_reasons)


def test_building_again_adds_nothing_and_reset_deletes_it(built: InspectionsResult) -> None:
    assert build_demo_inspections(seed=7).inspections == 0
    with transaction.atomic():
        reset_demo_district()
        assert not demo_items().exists() and not demo_plans().exists()
        assert not Inspector.objects.exists() and not Penalty.objects.exists()
        transaction.set_rollback(True)


def _complaint_signed_by_the_office(days_ago: int) -> Event:
    """A phoned-in complaint about a restaurant's kitchen, verified, registered, dispatched to 西塘市场监管所 and
    signed there, `days_ago` days ago, through the event services."""
    people = {u: Person.objects.get(username=u) for u in ("operator", "dispatcher", "gridworker")}
    office = office_of_xitang()
    assert office is not None and people["gridworker"].grid is not None
    grid = people["gridworker"].grid
    start = timezone.localdate() - dt.timedelta(days=days_ago)
    clock = SimulatedClock(dt.datetime.combine(start, dt.time(10), tzinfo=SHANGHAI))
    with simulated_time(clock):
        event = events.event_report(
            actor=people["operator"],
            event_type=EventType.objects.filter(code="SC0103").latest("pk"),
            source="phone",
            title="餐馆后厨卫生差",
            description="顾客来电反映餐馆后厨脏乱、餐具不消毒",
            lon=grid.label_lon,
            lat=grid.label_lat,
            reporter_name="张先生",
            reporter_phone="13800000000",
        ).event
        steps = [
            lambda: events.event_verify(actor=people["operator"], event=event, verifier=people["gridworker"]),
            lambda: events.event_verify(actor=people["gridworker"], event=event, valid=True, note="情况属实"),
            lambda: events.event_register(actor=people["operator"], event=event),
            lambda: events.event_dispatch(
                actor=people["dispatcher"], event=event, lead_unit_id=office.office.pk
            ),
            lambda: events.event_sign(actor=office.manager, event=event),
        ]
        for step in steps:
            clock.set(clock.moment + dt.timedelta(minutes=20))
            step()
    return event


def test_a_market_complaint_signed_by_the_office_is_checked_on_site(built: InspectionsResult) -> None:
    with transaction.atomic():
        event = _complaint_signed_by_the_office(days_ago=6)
        assert build_demo_complaint_inspections(seed=7) == 1
        inspection = demo_inspections().get(kind="complaint")
        assert inspection.event_id == event.pk and inspection.status != InspectionStatus.ASSIGNED
        assert inspection.created_at > event.reported_at and inspection.entity.industry_code.startswith("H62")
        assert Link.objects.filter(
            source_workflow="event", source_id=event.pk, target_workflow="inspection", target_id=inspection.pk
        ).exists()
        assert build_demo_complaint_inspections(seed=7) == 0
        reset_demo_district()  # the inspection goes before the event it points at
        assert not Event.objects.exists() and not demo_inspections().exists()
        transaction.set_rollback(True)
