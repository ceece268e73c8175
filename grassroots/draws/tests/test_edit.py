"""Creating and editing a draft plan through the services: the rules, the audit row, the stale version, the freeze."""

import pytest

from grassroots.audit.labels import action_label
from grassroots.audit.models import AuditEntry
from grassroots.conftest import World
from grassroots.core.errors import Conflict, Forbidden, InvalidInput
from grassroots.org.models import Unit

from ..choices import PlanStatus
from ..models import DrawPlan
from ..services import item_create, plan_create, plan_freeze, plan_update
from .support import KIND, Office, build_office, make_plan, pool


@pytest.fixture
def office(world: World) -> Office:
    return build_office(world)


def edit(plan: DrawPlan, office: Office, world: World, **changes: object) -> DrawPlan:
    fields: dict = {
        "actor": office.dora,
        "plan": plan,
        "version": plan.version,
        "name": plan.name,
        "units": [world.agency],
        "items": [office.item],
        "target_filter": plan.target_filter,
        "rates": plan.rates,
        "inspectors_per_target": plan.inspectors_per_target,
        "joint_key": plan.joint_key,
    }
    fields.update(changes)
    return plan_update(**fields)


def test_a_draft_is_edited_and_the_change_is_audited_with_before_and_after(
    world: World, office: Office
) -> None:
    plan = make_plan(world, office)
    edit(
        plan,
        office,
        world,
        name=" 2026年度食品抽查（修订） ",
        rates={"A": "0.02", "B": "0.04", "C": "0.2", "D": "1"},
    )
    plan.refresh_from_db()
    assert plan.name == "2026年度食品抽查（修订）" and plan.rates["A"] == "0.02" and plan.version == 2
    entry = AuditEntry.objects.get(action="drawplan.update", object_id=str(plan.pk))
    assert entry.actor_id == office.dora.pk
    assert entry.detail["changes"]["rates"]["from"]["A"] == "0.01"
    assert entry.detail["changes"]["name"]["to"] == "2026年度食品抽查（修订）"
    assert "units" not in entry.detail["changes"]  # only what changed
    assert action_label("drawplan.update") == "抽查计划修改"


def test_an_edit_from_a_stale_page_is_refused_and_changes_nothing(world: World, office: Office) -> None:
    plan = make_plan(world, office)
    seen = plan.version
    edit(plan, office, world, name="第一次修改")
    stale = DrawPlan.objects.get(pk=plan.pk)
    with pytest.raises(Conflict) as refused:
        edit(stale, office, world, version=seen, name="第二次修改")
    assert refused.value.code == "stale_draw_plan"
    plan.refresh_from_db()
    assert plan.name == "第一次修改" and plan.version == seen + 1
    assert AuditEntry.objects.filter(action="drawplan.update").count() == 1


def test_a_frozen_plan_is_not_edited(world: World, office: Office) -> None:
    plan = make_plan(world, office)
    plan_freeze(actor=office.dora, plan=plan, targets=pool())
    with pytest.raises(Conflict) as refused:
        edit(plan, office, world, name="冻结后修改")
    assert refused.value.code == "draw_plan_not_draft"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FROZEN and plan.name != "冻结后修改"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"name": "  "}, "draw_name_required"),
        ({"inspectors_per_target": 1}, "draw_two_inspectors"),
        ({"units": []}, "draw_no_unit"),
        ({"rates": {"A": "1.5", "B": "0", "C": "0", "D": "1"}}, "draw_bad_rate"),
        ({"rates": {"A": "百分之一", "B": "0", "C": "0", "D": "1"}}, "draw_bad_rate"),
    ],
)
def test_bad_fields_are_refused_in_chinese_and_nothing_changes(
    world: World, office: Office, changes: dict, code: str
) -> None:
    plan = make_plan(world, office)
    with pytest.raises(InvalidInput) as refused:
        edit(plan, office, world, **changes)
    assert refused.value.code == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in refused.value.message)
    plan.refresh_from_db()
    assert plan.version == 1 and not AuditEntry.objects.filter(action="drawplan.update").exists()


def test_only_published_items_go_into_a_plan(world: World, office: Office) -> None:
    draft = item_create(
        actor=None, code="SCJG-009", name="未公开事项", unit=world.agency, target_kind=KIND, published=False
    )
    with pytest.raises(InvalidInput) as on_create:
        make_plan(world, office, items=[office.item, draft])
    assert on_create.value.code == "draw_item_unpublished" and "SCJG-009" in on_create.value.message
    assert not DrawPlan.objects.exists()
    assert not AuditEntry.objects.filter(action="drawplan.create").exists()
    plan = make_plan(world, office)
    with pytest.raises(InvalidInput):
        edit(plan, office, world, items=[draft])
    assert list(plan.items.all()) == [office.item]


def test_nobody_edits_a_plan_they_do_not_manage_or_moves_it_out_of_reach(
    world: World, office: Office
) -> None:
    plan = make_plan(world, office)
    with pytest.raises(Forbidden):
        edit(plan, office, world, actor=world.carol)
    with pytest.raises(Forbidden):
        edit(plan, office, world, units=[world.command_room])  # Dora does not manage the command room
    plan.refresh_from_db()
    assert list(plan.units.all()) == [world.agency] and plan.version == 1
    # Lena leads the township: she may add another unit of it.
    edit(plan, office, world, actor=office.lena, units=[world.agency, world.command_room])
    assert set(plan.units.all()) == {world.agency, world.command_room}


def test_a_plan_is_created_with_the_default_rates_and_audited(world: World, office: Office) -> None:
    plan = plan_create(actor=office.dora, name="新计划", units=Unit.objects.filter(pk=world.agency.pk))
    assert plan.rates == {"A": "0.01", "B": "0.04", "C": "0.2", "D": "1"}
    assert AuditEntry.objects.filter(action="drawplan.create", object_id=str(plan.pk)).exists()
