"""Freeze, draw, verify, re-draw and publish through the services, on the database."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from grassroots.audit.labels import action_label
from grassroots.audit.models import AuditEntry
from grassroots.conftest import World
from grassroots.core.errors import Forbidden, InvalidInput
from grassroots.workcal.calendar import get_calendar
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.choices import ClockState
from grassroots.workflow.models import Clock

from ..algorithm import seed_commitment
from ..choices import PlanStatus
from ..models import Draw
from ..services import draw_publish, plan_draw, plan_freeze, plan_redraw, relation_declare
from .support import KIND, Office, build_office, make_plan, pool

ALL = {"A": "1", "B": "1", "C": "1", "D": "1"}


@pytest.fixture
def office(world: World) -> Office:
    return build_office(world)


def verify(draw: Draw) -> tuple[bool, str]:
    out = io.StringIO()
    try:
        call_command("verify_draw", str(draw.pk), stdout=out)
    except CommandError as exc:
        return False, out.getvalue() + str(exc)
    return True, out.getvalue()


def test_a_draw_re_run_from_the_stored_data_matches(world: World, office: Office) -> None:
    plan = make_plan(world, office)
    snapshot = plan_freeze(actor=office.dora, plan=plan, targets=pool())
    assert plan.status == PlanStatus.FROZEN
    assert snapshot.seed_hash == seed_commitment(snapshot.seed)
    draw = plan_draw(actor=office.dora, plan=plan)
    assert plan.status == PlanStatus.DRAWN
    # Defaults A 1% B 4% C 20% D 100%: round(1.00)=1, round(2.0)=2, round(2.0)=2, 3.
    assert {r: c["drawn"] for r, c in draw.result["classes"].items()} == {"A": 1, "B": 2, "C": 2, "D": 3}
    assert len(draw.assigned) == 8 and not draw.unassigned
    ok, out = verify(draw)
    assert ok and out.startswith("MATCH"), out
    assert AuditEntry.objects.filter(action="drawplan.draw", object_id=str(plan.pk)).exists()
    assert action_label("drawplan.draw") == "抽查计划抽取"


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        ("pool", "检查对象名录已变化"),
        ("inspectors", "执法人员名录已变化"),
        ("seed", "种子与事先公布的承诺值不符"),
        ("result", "抽取结果与记录不同"),
    ],
)
def test_a_changed_pool_row_seed_or_result_is_detected(
    world: World, office: Office, tamper: str, message: str
) -> None:
    plan = make_plan(world, office)
    plan_freeze(actor=office.dora, plan=plan, targets=pool())
    draw = plan_draw(actor=office.dora, plan=plan)
    snapshot = draw.snapshot
    if tamper == "pool":
        snapshot.targets[0]["risk"] = "D" if snapshot.targets[0]["risk"] != "D" else "A"
        snapshot.save()
    elif tamper == "inspectors":
        snapshot.inspectors[0]["valid_to"] = "2099-01-01"
        snapshot.save()
    elif tamper == "seed":
        draw.seed = "ab" * 32
        draw.save()
    else:
        draw.result["targets"][0]["inspectors"].reverse()
        draw.save()
    ok, out = verify(Draw.objects.get(pk=draw.pk))
    assert not ok and message in out, out
    assert "MISMATCH" in out


def test_conflicts_in_the_record_are_never_drawn(world: World, office: Office) -> None:
    a = office.inspectors[0]
    targets = pool({"D": 6})
    first = make_plan(world, office, name="上半年", rates=ALL)
    plan_freeze(actor=office.dora, plan=first, targets=targets)
    earlier = plan_draw(actor=office.dora, plan=first)
    last = {row["id"]: set(row["inspectors"]) for row in earlier.assigned}
    relation_declare(actor=a.person, inspector=a, target_kind=KIND, target_id="D000", reason="配偶经营")
    second = make_plan(world, office, name="下半年", rates=ALL)
    plan_freeze(actor=office.dora, plan=second, targets=targets)
    draw = plan_draw(actor=office.dora, plan=second)
    assert draw.inputs["previous"] == {f"{KIND}:{k}": sorted(v) for k, v in last.items()}
    for row in draw.assigned:
        chosen = set(row["inspectors"])
        assert str(office.expired.pk) not in chosen
        assert not chosen & last[row["id"]]
        if row["id"] == "D000":
            assert str(a.pk) not in chosen
    # Five valid inspectors, two excluded as last time's: three remain, so every target gets two.
    assert len(draw.assigned) == 6 and not draw.unassigned


def test_a_target_without_two_eligible_inspectors_is_recorded_as_unassigned(
    world: World, office: Office
) -> None:
    for inspector in office.inspectors[:4]:
        relation_declare(actor=None, inspector=inspector, target_kind=KIND, target_id="D001", reason="亲属")
    plan = make_plan(world, office, rates=ALL)
    plan_freeze(actor=office.dora, plan=plan, targets=pool({"D": 2}))
    draw = plan_draw(actor=office.dora, plan=plan)
    [row] = draw.unassigned
    assert row["id"] == "D001" and row["eligible"] == 1
    assert "回避 4" in row["reason"] and "证件过期 1" in row["reason"]


def test_a_joint_draw_inspects_a_target_once(world: World, office: Office) -> None:
    targets = pool({"D": 4, "C": 10})
    one = make_plan(world, office, name="市场监管所", rates=ALL, joint_key="2026-联合-01")
    plan_freeze(actor=office.dora, plan=one, targets=targets[:8])
    plan_draw(actor=office.dora, plan=one)
    two = make_plan(world, office, name="综合执法队", rates=ALL, joint_key="2026-联合-01")
    plan_freeze(actor=office.dora, plan=two, targets=targets)
    draw = plan_draw(actor=office.dora, plan=two)
    assert {r["id"] for r in draw.assigned} == {t["id"] for t in targets[8:]}


def test_a_re_draw_needs_a_reason_and_another_approver_and_keeps_both_draws(
    world: World, office: Office
) -> None:
    plan = make_plan(world, office)
    plan_freeze(actor=office.dora, plan=plan, targets=pool())
    first = plan_draw(actor=office.dora, plan=plan)
    with pytest.raises(InvalidInput) as no_reason:
        plan_redraw(actor=office.dora, plan=plan, reason=" ", approved_by=office.lena, targets=pool())
    assert no_reason.value.code == "redraw_reason_required"
    with pytest.raises(InvalidInput) as self_approved:
        plan_redraw(
            actor=office.lena, plan=plan, reason="执法人员病假", approved_by=office.dora, targets=pool()
        )
    assert self_approved.value.code == "redraw_self_approval"
    with pytest.raises(Forbidden):
        plan_redraw(
            actor=office.dora, plan=plan, reason="执法人员病假", approved_by=world.carol, targets=pool()
        )
    snapshot = plan_redraw(
        actor=office.dora, plan=plan, reason="两名执法人员病假", approved_by=office.lena, targets=pool()
    )
    assert plan.status == PlanStatus.FROZEN and snapshot.sequence == 2
    assert snapshot.seed_hash != first.seed_hash
    with pytest.raises(InvalidInput):
        plan_draw(actor=office.lena, plan=plan)
    second = plan_draw(actor=office.dora, plan=plan)
    assert (second.sequence, second.reason, second.approved_by) == (2, "两名执法人员病假", office.lena)
    first.refresh_from_db()
    assert first.superseded_at is not None and second.current
    assert Clock.objects.get(workflow="draws", object_id=first.pk).result == "superseded"
    assert verify(first)[0] and verify(second)[0]


def test_publishing_stops_the_twenty_working_day_clock(world: World, office: Office) -> None:
    plan = make_plan(world, office)
    plan_freeze(actor=office.dora, plan=plan, targets=pool())
    draw = plan_draw(actor=office.dora, plan=plan)
    clock = Clock.objects.get(workflow="draws", object_id=draw.pk, name="publication")
    assert clock.state == ClockState.RUNNING and draw.results_due_at == clock.due_at
    calendar = get_calendar()
    assert clock.budget_seconds == calendar.unit_seconds(LimitUnit.WORKING_DAYS) * 20
    # Counted from the day after the draw, the due time falls on the 20th working day.
    start = timezone.localdate(draw.drawn_at)
    assert clock.due_at is not None
    due = timezone.localtime(clock.due_at - dt.timedelta(seconds=1)).date()
    days = [start + dt.timedelta(days=n) for n in range(1, (due - start).days + 1)]
    assert sum(calendar.is_workday(day) for day in days) == 20 and calendar.is_workday(due)
    with pytest.raises(InvalidInput):
        draw_publish(actor=office.dora, plan=plan, summary="")
    draw_publish(actor=office.dora, plan=plan, summary="检查 8 户，发现问题 2 处，已责令整改。")
    clock.refresh_from_db()
    assert clock.state == ClockState.STOPPED and clock.result == "published" and not clock.overdue
    assert plan.status == PlanStatus.PUBLISHED


def test_only_managers_of_the_plans_units_may_freeze(world: World, office: Office) -> None:
    plan = make_plan(world, office)
    with pytest.raises(Forbidden):
        plan_freeze(actor=world.carol, plan=plan, targets=pool())
    with pytest.raises(Forbidden):
        plan_freeze(actor=office.inspectors[0].person, plan=plan, targets=pool())
    plan_freeze(actor=office.lena, plan=plan, targets=pool())
