"""The plan form and the list pages through HTTP: what each role sees, the forms' errors in Chinese, 403 for a role
that does not keep the lists and 404 outside one's units."""

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.audit.models import AuditEntry
from grassroots.conftest import World, make_person
from grassroots.market.tests.support import make_entity
from grassroots.people.choices import Role
from grassroots.people.models import Person

from ..models import DeclaredRelation, DrawPlan, InspectionItem, Inspector
from ..services import inspector_register, item_create, plan_freeze
from .support import KIND, Office, build_office, make_plan, pool


@pytest.fixture
def office(world: World) -> Office:
    return build_office(world)


def plan_data(world: World, office: Office, **changes: Any) -> dict[str, Any]:
    data = {
        "name": "2026年下半年食品抽查",
        "units": [world.agency.pk],
        "items": [office.item.pk],
        "target_filter": "西塘镇食品经营者",
        "rate_A": "2",
        "rate_B": "4",
        "rate_C": "12.5",
        "rate_D": "100",
        "inspectors_per_target": "2",
        "joint_key": "",
    }
    data.update(changes)
    return data


def test_dora_creates_a_plan_with_rates_typed_as_percentages(world: World, office: Office) -> None:
    client = world.client_for(office.dora)
    listing = client.get(reverse("draws:plans")).content.decode()
    assert reverse("draws:plan_new") in listing and reverse("draws:items") in listing
    form = client.get(reverse("draws:plan_new")).content.decode()
    # The defaults A 1% B 4% C 20% D 100%, shown as percentages.
    assert [re.search(rf'name="rate_{r}"[^>]*value="([^"]+)"', form).group(1) for r in "ABCD"] == [  # type: ignore[union-attr]
        "1",
        "4",
        "20",
        "100",
    ]
    done = client.post(reverse("draws:plan_new"), plan_data(world, office))
    plan = DrawPlan.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("draws:plan", args=[plan.pk])
    assert plan.rates == {"A": "0.02", "B": "0.04", "C": "0.125", "D": "1"}
    assert list(plan.items.all()) == [office.item] and plan.created_by == office.dora
    assert "A 类 2%" in client.get(reverse("draws:plan", args=[plan.pk])).content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"inspectors_per_target": "1"}, "确保该值大于或等于2"),
        ({"rate_B": "120"}, "确保该值小于或等于100"),
        ({"units": []}, "这个字段是必填项"),
        ({"name": ""}, "这个字段是必填项"),
    ],
)
def test_a_bad_plan_form_answers_422_in_chinese_and_writes_nothing(
    world: World, office: Office, changes: dict, message: str
) -> None:
    page = world.client_for(office.dora).post(reverse("draws:plan_new"), plan_data(world, office, **changes))
    assert page.status_code == 422 and message in page.content.decode()
    assert not DrawPlan.objects.exists() and not AuditEntry.objects.filter(action="drawplan.create").exists()


def test_an_unpublished_item_is_not_offered(world: World, office: Office) -> None:
    draft = item_create(
        actor=None, code="SCJG-008", name="未公开", unit=world.agency, target_kind=KIND, published=False
    )
    client = world.client_for(office.dora)
    assert "SCJG-008" not in client.get(reverse("draws:plan_new")).content.decode()
    refused = client.post(reverse("draws:plan_new"), plan_data(world, office, items=[draft.pk]))
    assert refused.status_code == 422 and not DrawPlan.objects.exists()


def test_a_draft_is_edited_and_a_stale_or_frozen_plan_refused(world: World, office: Office) -> None:
    plan = make_plan(world, office)
    client = world.client_for(office.dora)
    url = reverse("draws:plan_edit", args=[plan.pk])
    assert (
        reverse("draws:plan_edit", args=[plan.pk])
        in client.get(reverse("draws:plan", args=[plan.pk])).content.decode()
    )
    assert "2026年度食品经营者双随机抽查" in client.get(url).content.decode()
    saved = client.post(url, plan_data(world, office, version=plan.version, name="改名后的计划"))
    assert saved.status_code == 302
    plan.refresh_from_db()
    assert plan.name == "改名后的计划" and plan.rates["C"] == "0.125" and plan.version == 2
    stale = client.post(url, plan_data(world, office, version=1, name="旧页面"))
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    plan_freeze(actor=office.dora, plan=plan, targets=pool())
    page = client.get(url).content.decode()
    assert "不能再修改" in page and "保存计划" not in page
    frozen = client.post(url, plan_data(world, office, version=plan.version + 1, name="冻结后"))
    assert frozen.status_code == 409
    plan.refresh_from_db()
    assert plan.name == "改名后的计划"


def test_who_keeps_plans_and_lists(world: World, office: Office) -> None:
    plan = make_plan(world, office)
    inspector = office.inspectors[0]
    staff_urls = [
        reverse("draws:plan_new"),
        reverse("draws:items"),
        reverse("draws:item_new"),
        reverse("draws:inspectors"),
        reverse("draws:inspector_new"),
    ]
    # An inspector reads the plan but keeps nothing: no button, 403 on the pages.
    qian = world.client_for(inspector.person)
    assert "新建抽查计划" not in qian.get(reverse("draws:plans")).content.decode()
    assert qian.get(reverse("draws:plan_edit", args=[plan.pk])).status_code == 403
    for url in staff_urls:
        assert qian.get(url).status_code == 403, url
        assert world.client_for(world.carol).get(url).status_code == 403, url
    assert qian.post(reverse("draws:plan_new"), plan_data(world, office)).status_code == 403
    assert not DrawPlan.objects.exclude(pk=plan.pk).exists()
    # Staff of another unit: the lists are empty for them and this office's rows are 404.
    olga = world.client_for(make_person("olga", "欧阳", Role.DEPARTMENT_STAFF, unit=world.command_room))
    assert office.item.code not in olga.get(reverse("draws:items")).content.decode()
    assert inspector.certificate_no not in olga.get(reverse("draws:inspectors")).content.decode()
    for url in [
        reverse("draws:plan_edit", args=[plan.pk]),
        reverse("draws:item", args=[office.item.pk]),
        reverse("draws:inspector", args=[inspector.pk]),
    ]:
        assert olga.get(url).status_code == 404, url
    version = {"version": office.item.version}
    assert olga.post(reverse("draws:item_unpublish", args=[office.item.pk]), version).status_code == 404
    assert olga.post(reverse("draws:inspector_deactivate", args=[inspector.pk]), version).status_code == 404
    office.item.refresh_from_db()
    inspector.refresh_from_db()
    assert office.item.published and inspector.active
    # The township's leader keeps the office's lists.
    lena = world.client_for(office.lena)
    assert office.item.code in lena.get(reverse("draws:items")).content.decode()


def test_items_are_created_edited_and_published_from_the_pages(world: World, office: Office) -> None:
    client = world.client_for(office.dora)
    data = {
        "code": "SCJG-010",
        "name": "食品销售者检查",
        "legal_basis": "《食品安全法》",
        "unit": world.agency.pk,
        "target_kind": KIND,
        "checklist": "查验许可证\r\n\r\n查验进货查验记录\r\n",
    }
    assert client.post(reverse("draws:item_new"), data).status_code == 302
    item = InspectionItem.objects.get(code="SCJG-010")
    assert item.checklist == ["查验许可证", "查验进货查验记录"] and not item.published
    taken = client.post(reverse("draws:item_new"), data | {"name": "重复"})
    assert taken.status_code == 422 and "事项编码 SCJG-010 已存在" in taken.content.decode()
    edit_url = reverse("draws:item", args=[item.pk])
    assert "查验许可证\n查验进货查验记录" in client.get(edit_url).content.decode()
    saved = client.post(edit_url, data | {"version": item.version, "checklist": "查验许可证"})
    assert saved.status_code == 302
    item.refresh_from_db()
    assert item.checklist == ["查验许可证"] and item.version == 2
    assert client.post(edit_url, data | {"version": 1}).status_code == 409
    client.post(reverse("draws:item_publish", args=[item.pk]), {"version": item.version})
    item.refresh_from_db()
    assert item.published
    stale = client.post(reverse("draws:item_unpublish", args=[item.pk]), {"version": 1}, follow=True)
    assert "已被他人修改" in stale.content.decode()
    item.refresh_from_db()
    assert item.published


def test_the_inspector_pool_page_marks_certificates_and_keeps_relations(world: World, office: Office) -> None:
    soon = inspector_register(
        actor=None,
        person=make_person("nina", "宋七", Role.INSPECTOR, unit=world.agency),
        certificate_no="330421100077",
        valid_to=dt.date.today() + dt.timedelta(days=10),
        unit=world.agency,
    )
    client = world.client_for(office.dora)
    listing = client.get(reverse("draws:inspectors")).content.decode()
    row = lambda i: listing.split(f'data-testid="inspector-{i.certificate_no}"')[1].split("</tr>")[0]  # noqa: E731
    assert "已过期" in row(office.expired) and "30 天内到期" in row(soon)
    assert "已过期" not in row(office.inspectors[0]) and "到期" not in row(office.inspectors[0])
    entity = make_entity(world, 1)
    url = reverse("draws:relation_add", args=[soon.pk])
    missing = client.post(url, {"target": "91330421MA0000999X", "reason": "亲属"})
    assert missing.status_code == 422 and "未找到" in missing.content.decode()
    assert client.post(url, {"target": entity.uscc.lower(), "reason": "配偶经营"}).status_code == 302
    relation = DeclaredRelation.objects.get(inspector=soon)
    assert (relation.target_kind, relation.target_id) == (KIND, str(entity.pk))
    page = client.get(reverse("draws:inspector", args=[soon.pk])).content.decode()
    assert entity.name in page and entity.uscc in page
    delete = reverse("draws:relation_delete", args=[soon.pk, relation.pk])
    assert client.post(delete).status_code == 302 and not DeclaredRelation.objects.exists()


def test_public_lists_show_what_is_published_and_no_personal_data(world: World, office: Office) -> None:
    item_create(
        actor=None, code="SCJG-011", name="未公开事项", unit=world.agency, target_kind=KIND, published=False
    )
    gone = office.inspectors[4]
    Inspector.objects.filter(pk=gone.pk).update(active=False)
    anonymous = Client()
    items = anonymous.get(reverse("public_draws:items")).content.decode()
    assert office.item.code in items and "SCJG-011" not in items and "市场主体" in items
    people = anonymous.get(reverse("public_draws:inspectors")).content.decode()
    assert office.inspectors[0].person.name in people and office.inspectors[0].certificate_no in people
    assert (
        gone.certificate_no not in people and "已过期" in people
    )  # Ivan's expired certificate shows as such
    assert "13812345678" not in people and "11010519491231002X" not in people
    plans = anonymous.get(reverse("public_draws:plans")).content.decode()
    assert reverse("public_draws:items") in plans and reverse("public_draws:inspectors") in plans


def counted(get: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert get().status_code == 200
    return len(queries)


def test_list_pages_keep_their_query_counts(world: World, office: Office) -> None:
    client, anonymous = world.client_for(office.dora), Client()
    pages = [
        lambda: client.get(reverse("draws:items")),
        lambda: client.get(reverse("draws:inspectors")),
        lambda: anonymous.get(reverse("public_draws:items")),
        lambda: anonymous.get(reverse("public_draws:inspectors")),
    ]
    [counted(p) for p in pages]  # warm the per-process caches
    few = [counted(p) for p in pages]
    for n in range(5):
        item_create(actor=None, code=f"SCJG-1{n:02d}", name="检查", unit=world.agency, target_kind=KIND)
        person: Person = make_person(f"extra{n}", f"新人{n}", Role.INSPECTOR, unit=world.agency)
        inspector_register(
            actor=None,
            person=person,
            certificate_no=f"9{n:05d}",
            valid_to=dt.date(2030, 1, 1),
            unit=world.agency,
        )
    assert [counted(p) for p in pages] == few and max(few) <= 12, few
