"""The item list, the inspector pool and declared relations through the services: rules, audit rows, stale versions,
and who may change which unit's lists."""

import datetime as dt

import pytest

from grassroots.audit.labels import action_label
from grassroots.audit.models import AuditEntry
from grassroots.conftest import World, make_person
from grassroots.core.errors import Conflict, Forbidden, InvalidInput
from grassroots.people.choices import Role

from ..models import DeclaredRelation, InspectionItem, Inspector
from ..selectors import inspector_pool_rows
from ..services import (
    inspector_register,
    inspector_set_active,
    inspector_update,
    item_create,
    item_set_published,
    item_update,
    relation_declare,
    relation_remove,
)
from .support import KIND, Office, build_office, make_plan


@pytest.fixture
def office(world: World) -> Office:
    return build_office(world)


def audited(action: str, obj: object) -> AuditEntry:
    return AuditEntry.objects.get(action=action, object_id=str(obj.pk))  # type: ignore[attr-defined]


# -- items --------------------------------------------------------------------------------------------------------


def test_an_item_is_created_with_its_check_points_cleaned_and_audited(world: World, office: Office) -> None:
    item = item_create(
        actor=office.dora,
        code=" SCJG-002 ",
        name="特种设备使用单位检查",
        unit=world.agency,
        target_kind=KIND,
        checklist=["  查验使用登记证 ", "", "查验定期检验报告", "查验使用登记证"],
        published=False,
    )
    assert item.code == "SCJG-002" and item.checklist == ["查验使用登记证", "查验定期检验报告"]
    assert not item.published
    assert audited("inspectionitem.create", item).detail["checklist"] == 2
    assert action_label("inspectionitem.create") == "新增抽查事项"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"code": "SCJG-001"}, "draw_item_code_taken"),
        ({"code": " "}, "draw_item_code_required"),
        ({"name": ""}, "draw_item_name_required"),
        ({"target_kind": "people.person"}, "draw_bad_target_kind"),
        ({"checklist": ["很长" * 101]}, "draw_line_too_long"),
    ],
)
def test_a_bad_item_is_refused_and_nothing_is_written(
    world: World, office: Office, fields: dict, code: str
) -> None:
    values = {"code": "SCJG-003", "name": "检查", "unit": world.agency, "target_kind": KIND} | fields
    with pytest.raises(InvalidInput) as refused:
        item_create(actor=office.dora, **values)
    assert refused.value.code == code
    assert InspectionItem.objects.count() == 1  # the office's own item
    assert not AuditEntry.objects.filter(action="inspectionitem.create").exclude(actor_id=None).exists()


def test_an_item_is_edited_by_version_and_the_change_audited(world: World, office: Office) -> None:
    item = office.item
    item_update(
        actor=office.dora,
        item=item,
        version=item.version,
        code=item.code,
        name=item.name,
        unit=world.agency,
        target_kind=KIND,
        legal_basis="《食品安全法》第一百一十条、第一百一十三条",
        checklist=["查验许可证", "查验从业人员健康证明"],
    )
    assert item.version == 2 and item.checklist == ["查验许可证", "查验从业人员健康证明"]
    changes = audited("inspectionitem.update", item).detail["changes"]
    assert set(changes) == {"legal_basis", "checklist"} and changes["checklist"]["from"] == []
    with pytest.raises(Conflict) as stale:
        item_update(
            actor=office.dora,
            item=item,
            version=1,
            code="X-1",
            name="旧页面",
            unit=world.agency,
            target_kind=KIND,
        )
    assert stale.value.code == "stale_draw_list"
    item.refresh_from_db()
    assert item.code == "SCJG-001" and item.version == 2


def test_items_are_published_and_withdrawn_once_each(world: World, office: Office) -> None:
    item = item_create(
        actor=office.dora, code="SCJG-004", name="检查", unit=world.agency, target_kind=KIND, published=False
    )
    item_set_published(actor=office.dora, item=item, version=item.version, published=True)
    assert item.published and audited("inspectionitem.publish", item).actor_id == office.dora.pk
    with pytest.raises(Conflict) as again:
        item_set_published(actor=office.dora, item=item, version=item.version, published=True)
    assert again.value.code == "draw_item_unchanged"
    with pytest.raises(Conflict) as stale:
        item_set_published(actor=office.dora, item=item, version=1, published=False)
    assert stale.value.code == "stale_draw_list"
    item_set_published(actor=office.dora, item=item, version=item.version, published=False)
    assert not item.published and audited("inspectionitem.unpublish", item)
    assert action_label("inspectionitem.publish") == "抽查事项公开"
    assert action_label("inspectionitem.unpublish") == "抽查事项取消公开"


def test_only_managers_of_the_unit_change_its_items(world: World, office: Office) -> None:
    olga = make_person("olga", "欧阳", Role.DEPARTMENT_STAFF, unit=world.command_room)
    for actor in (world.carol, office.inspectors[0].person, olga):
        with pytest.raises(Forbidden):
            item_set_published(actor=actor, item=office.item, version=office.item.version, published=False)
    with pytest.raises(Forbidden):  # Dora may not hand her item to a unit she does not manage
        item_update(
            actor=office.dora,
            item=office.item,
            version=office.item.version,
            code="SCJG-001",
            name="检查",
            unit=world.command_room,
            target_kind=KIND,
        )
    office.item.refresh_from_db()
    assert office.item.published and office.item.unit == world.agency


# -- inspectors ---------------------------------------------------------------------------------------------------


def test_an_inspector_is_registered_once_with_a_unique_certificate(world: World, office: Office) -> None:
    nina = make_person("nina", "宋七", Role.INSPECTOR, unit=world.agency)
    inspector = inspector_register(
        actor=office.dora,
        person=nina,
        certificate_no="330421100077",
        valid_to=dt.date(2029, 6, 30),
        unit=world.agency,
        fields=["食品", " 特种设备 ", "食品"],
    )
    assert inspector.fields == ["食品", "特种设备"]
    assert audited("inspector.create", inspector).detail["valid_to"] == "2029-06-30"
    with pytest.raises(InvalidInput) as twice:
        inspector_register(
            actor=office.dora,
            person=nina,
            certificate_no="X",
            valid_to=dt.date(2029, 1, 1),
            unit=world.agency,
        )
    assert twice.value.code == "draw_inspector_exists"
    other = make_person("omar", "唐八", Role.INSPECTOR, unit=world.agency)
    with pytest.raises(InvalidInput) as taken:
        inspector_register(
            actor=office.dora,
            person=other,
            certificate_no="330421100077",
            valid_to=dt.date(2029, 1, 1),
            unit=world.agency,
        )
    assert taken.value.code == "draw_certificate_taken"
    with pytest.raises(Forbidden):
        inspector_register(
            actor=office.dora,
            person=other,
            certificate_no="Y",
            valid_to=dt.date(2029, 1, 1),
            unit=world.command_room,
        )
    assert not Inspector.objects.filter(person=other).exists()


def test_an_inspector_is_edited_by_version_and_the_change_audited(world: World, office: Office) -> None:
    ivan = office.expired
    inspector_update(
        actor=office.dora,
        inspector=ivan,
        version=ivan.version,
        certificate_no=ivan.certificate_no,
        valid_to=dt.date(2031, 12, 31),
        unit=world.agency,
        fields=["食品"],
    )
    assert ivan.certificate_valid_to == dt.date(2031, 12, 31) and ivan.version == 2
    changes = audited("inspector.update", ivan).detail["changes"]
    assert changes["certificate_valid_to"] == {"from": "2020-01-01", "to": "2031-12-31"}
    with pytest.raises(Conflict) as stale:
        inspector_update(
            actor=office.dora,
            inspector=ivan,
            version=1,
            certificate_no="旧页面",
            valid_to=dt.date(2020, 1, 1),
            unit=world.agency,
        )
    assert stale.value.code == "stale_draw_list"
    ivan.refresh_from_db()
    assert ivan.certificate_no == "330421109999"


def test_a_deactivated_inspector_leaves_the_pool_and_comes_back(world: World, office: Office) -> None:
    plan = make_plan(world, office)
    first = office.inspectors[0]
    inspector_set_active(actor=office.dora, inspector=first, version=first.version, active=False)
    assert str(first.pk) not in {row["id"] for row in inspector_pool_rows(plan)}
    assert audited("inspector.deactivate", first).detail["certificate_no"] == first.certificate_no
    with pytest.raises(Conflict):
        inspector_set_active(actor=office.dora, inspector=first, version=first.version, active=False)
    with pytest.raises(Conflict) as stale:
        inspector_set_active(actor=office.dora, inspector=first, version=1, active=True)
    assert stale.value.code == "stale_draw_list"
    inspector_set_active(actor=office.lena, inspector=first, version=first.version, active=True)
    assert str(first.pk) in {row["id"] for row in inspector_pool_rows(plan)}
    assert audited("inspector.reactivate", first).actor_id == office.lena.pk
    assert action_label("inspector.deactivate") == "执法人员移出名录库"
    with pytest.raises(Forbidden):
        inspector_set_active(actor=world.carol, inspector=first, version=first.version, active=False)


# -- relations ----------------------------------------------------------------------------------------------------


def test_relations_are_declared_and_withdrawn_with_audit_rows(world: World, office: Office) -> None:
    qian, sun = office.inspectors[0], office.inspectors[1]
    mine = relation_declare(
        actor=qian.person, inspector=qian, target_kind=KIND, target_id="17", reason="配偶经营"
    )
    recorded = relation_declare(
        actor=office.dora, inspector=sun, target_kind=KIND, target_id="17", reason="亲属"
    )
    assert audited("declaredrelation.create", mine).actor_id == qian.person.pk
    with pytest.raises(Forbidden):  # one inspector does not declare for another
        relation_declare(actor=qian.person, inspector=sun, target_kind=KIND, target_id="18", reason="亲属")
    with pytest.raises(InvalidInput) as no_reason:
        relation_declare(actor=office.dora, inspector=sun, target_kind=KIND, target_id="18", reason=" ")
    assert no_reason.value.code == "draw_relation_reason"
    relation_remove(actor=office.dora, relation=recorded)
    assert not DeclaredRelation.objects.filter(pk=recorded.pk).exists()
    entry = AuditEntry.objects.get(action="declaredrelation.delete")
    assert entry.object_id == str(recorded.pk) and entry.detail["target"] == f"{KIND}:17"
    assert action_label("declaredrelation.delete") == "删除回避申报"
    with pytest.raises(Conflict):
        relation_remove(actor=office.dora, relation=recorded)
    with pytest.raises(Forbidden):
        relation_remove(actor=world.carol, relation=mine)
    assert DeclaredRelation.objects.filter(pk=mine.pk).exists()
