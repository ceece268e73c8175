"""The catalogue's Excel import and export, its staff pages and the public 办事指南, with real .xlsx files written by
openpyxl: good files, bad rows (all listed, nothing written), re-imports, new versions, and who may do what."""

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from grassroots.audit.models import AuditEntry
from grassroots.conftest import make_person
from grassroots.people.choices import Role
from grassroots.workflow.choices import CatalogueStatus

from .. import services
from ..models import ServiceItem, ServiceMaterial
from ..services.catalogue_io import catalogue_import
from .catalogue_files import ITEM_HEADERS, good_file, item_row, material_row, write_workbook
from .support import build_centre, make_item

pytestmark = pytest.mark.django_db


def run_import(actor: Any, path: Path, **options: Any) -> Any:
    return catalogue_import(actor=actor, data=path.read_bytes(), source=path.name, **options)


@pytest.fixture
def sam(world):
    return make_person("sam", "孙建明", Role.SYSTEM_ADMIN, division=world.district)


# -- import -----------------------------------------------------------------------------------------------------


def test_a_good_file_creates_published_items_with_their_materials(world, sam, tmp_path):
    result = run_import(sam, good_file(tmp_path), publish_now=True)

    assert result.errors == []
    assert sorted(result.created) == ["GG330421101", "XK330421102"] and result.published == result.created
    permit = ServiceItem.objects.in_force().get(code="XK330421102")
    assert permit.kind == "XK" and permit.statutory_limit == Decimal(20) and permit.promised_limit == 5
    assert permit.channels == ["window"] and permit.in_ecological and not permit.in_developing
    assert [(m.order, m.name, m.need, m.count) for m in permit.materials.all()] == [
        (1, "建房申请表", "required", 1),
        (2, "四邻意见书", "conditional", 1),
        (3, "户口簿", "tolerated", 2),
    ]
    allowance = ServiceItem.objects.in_force().get(code="GG330421101")
    assert (
        allowance.at_village
        and allowance.channels == ["window", "online"]
        and allowance.office_suffix == "MZB"
    )
    assert allowance.materials.get().form == "both"
    entry = AuditEntry.objects.get(action="serviceitem.import")
    assert entry.actor_id == sam.pk and entry.detail["created"] == ["GG330421101", "XK330421102"]


def test_a_file_with_bad_rows_lists_every_one_and_writes_nothing(world, sam, tmp_path):
    make_item("GG330421001", "既有事项")
    before = (ServiceItem.objects.count(), ServiceMaterial.objects.count())
    path = write_workbook(
        tmp_path / "bad.xlsx",
        [
            item_row("GG330421101", "高龄津贴申领"),
            item_row("12-345", "编码错误"),
            item_row("GG330421103", "类型错误", {"事项类型": "许可证"}),
            item_row("GG330421104", "承诺超期", {"法定时限（工作日）": 10, "承诺时限（工作日）": 15}),
            item_row("GG330421101", "重复编码"),
            item_row("GG330421106", "零跑腿却要到场", {"零跑腿": "是", "到现场次数": 1}),
            item_row("GG330421107", "标识错误", {"不见面": "也许"}),
        ],
        [
            material_row("GG330421101", "申请人身份证"),
            material_row("QR330421999", "无主材料"),
            material_row("GG330421101", "户口簿", {"材料形式": "扫描件"}),
        ],
    )

    result = run_import(sam, path, publish_now=True)

    found = {(e.sheet, e.row, e.column) for e in result.errors}
    assert found == {
        ("事项", 3, "事项编码"),
        ("事项", 4, "事项类型"),
        ("事项", 5, "承诺时限（工作日）"),
        ("事项", 6, "事项编码"),
        ("事项", 7, "到现场次数"),
        ("事项", 8, "不见面"),
        ("申请材料", 3, "事项编码"),
        ("申请材料", 4, "材料形式"),
    }
    messages = {(e.sheet, e.row): e.message for e in result.errors}
    assert "格式不正确" in messages[("事项", 3)]
    assert messages[("事项", 4)].startswith("未知的事项类型“许可证”")
    assert messages[("事项", 5)] == "承诺时限不得长于法定时限"
    assert messages[("事项", 6)] == "事项编码 GG330421101 与第 2 行重复"
    assert messages[("事项", 7)] == "零跑腿事项的到现场次数应为 0"
    assert messages[("申请材料", 3)] == "事项编码 QR330421999 不在“事项”工作表中"
    assert (ServiceItem.objects.count(), ServiceMaterial.objects.count()) == before
    assert AuditEntry.objects.get(action="serviceitem.import").result == "failed"


def test_a_file_without_a_column_is_refused_by_name(world, sam, tmp_path):
    workbook = Workbook()
    workbook.active.title = "事项"
    workbook.active.append(["事项编码", "事项名称"])
    workbook.active.append(["GG330421101", "高龄津贴申领"])
    workbook.save(tmp_path / "short.xlsx")

    result = run_import(sam, tmp_path / "short.xlsx")

    assert result.errors[0].message.startswith("缺少列：事项类型、实施机关")
    assert result.errors[1].message == "缺少工作表“申请材料”"
    assert not ServiceItem.objects.exists()


def test_importing_the_same_file_twice_changes_nothing_the_second_time(world, sam, tmp_path):
    path = good_file(tmp_path)
    run_import(sam, path, publish_now=True)
    rows = list(ServiceItem.objects.values_list("pk", "code", "version", "status", "valid_from"))
    materials = list(ServiceMaterial.objects.values_list("pk", flat=True))

    again = run_import(sam, path, publish_now=True)

    assert again.errors == [] and again.created == again.changed == again.published == []
    assert sorted(again.unchanged) == ["GG330421101", "XK330421102"]
    assert list(ServiceItem.objects.values_list("pk", "code", "version", "status", "valid_from")) == rows
    assert list(ServiceMaterial.objects.values_list("pk", flat=True)) == materials


def test_a_changed_row_makes_a_new_version_and_an_application_keeps_the_old_one(world, sam, tmp_path):
    c = build_centre(world)
    application = services.application_apply(
        actor=c.wendy,
        item_code=c.permit.code,
        applicant_name="沈国强",
        materials_received=[m.pk for m in c.permit.materials.all()],
    )
    exported = tmp_path / "export.xlsx"
    exported.write_bytes(world.client_for(sam).get(reverse("convenience:catalogue_export")).content)
    workbook = load_workbook(exported)
    sheet = workbook["事项"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == c.permit.code:
            row[header.index("承诺时限（工作日）")].value = 3
    workbook["申请材料"].append([c.permit.code, 4, "不动产权证书", "复印件", 1, "必需", "", ""])
    workbook.save(exported)

    drafted = run_import(sam, exported)  # first as a draft: the version in force does not move

    assert drafted.changed == [c.permit.code] and drafted.unchanged == [c.service.code]
    draft = ServiceItem.objects.get(code=c.permit.code, status=CatalogueStatus.DRAFT)
    assert draft.version == 2 and draft.promised_limit == 3 and draft.materials.count() == 4
    assert ServiceItem.objects.in_force().get(code=c.permit.code).pk == c.permit.pk

    published = run_import(sam, exported, publish_now=True)  # the same file again, now published

    assert sorted(published.unchanged) == sorted([c.permit.code, c.service.code])
    assert published.published == [c.permit.code]
    assert ServiceItem.objects.in_force().get(code=c.permit.code).pk == draft.pk
    c.permit.refresh_from_db()
    assert c.permit.valid_until is not None and c.permit.materials.count() == 3  # the old version as it was
    application.refresh_from_db()
    assert application.item_id == c.permit.pk
    assert ServiceItem.objects.filter(code=c.service.code).count() == 1
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "serviceitem.export",
        "serviceitem.import",
        "serviceitem.draft",
        "serviceitem.publish",
    }


def test_an_exported_workbook_reads_back_as_the_same_catalogue(world, sam, tmp_path):
    run_import(sam, good_file(tmp_path), publish_now=True)
    response = world.client_for(sam).get(reverse("convenience:catalogue_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    items = list(workbook["事项"].iter_rows(values_only=True))
    assert list(items[0]) == ITEM_HEADERS
    permit = dict(zip(ITEM_HEADERS, next(r for r in items if r[0] == "XK330421102"), strict=True))
    assert permit["事项类型"] == "行政许可" and permit["承诺时限（工作日）"] == 5 and permit["零跑腿"] == "否"
    assert len(list(workbook["申请材料"].iter_rows(min_row=2))) == 4
    path = tmp_path / "round.xlsx"
    path.write_bytes(response.content)

    again = run_import(sam, path, publish_now=True)

    assert again.errors == [] and sorted(again.unchanged) == ["GG330421101", "XK330421102"]
    assert ServiceItem.objects.count() == 2


# -- the pages --------------------------------------------------------------------------------------------------


def upload(client: Any, path: Path, **data: Any) -> Any:
    with path.open("rb") as handle:
        return client.post(reverse("convenience:catalogue_import"), {"file": handle, **data})


def test_an_upload_of_the_wrong_type_or_size_is_refused(world, sam, tmp_path, settings):
    client = world.client_for(sam)
    csv = tmp_path / "清单.csv"
    csv.write_text("事项编码,事项名称\n", encoding="utf-8")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("这不是 Excel", encoding="utf-8")

    assert "只能上传 Excel 文件（.xlsx）" in upload(client, csv).content.decode()
    assert "文件内容不是 Excel（.xlsx）格式" in upload(client, fake).content.decode()
    settings.CATALOGUE_IMPORT_MAX_BYTES = 1024
    too_big = upload(client, good_file(tmp_path))
    assert too_big.status_code == 422 and "文件过大：不得超过" in too_big.content.decode()
    assert not ServiceItem.objects.exists()


def test_the_import_page_shows_each_bad_row_then_takes_the_fixed_file(world, sam, tmp_path):
    client = world.client_for(sam)
    bad = write_workbook(
        tmp_path / "bad.xlsx",
        [item_row("GG330421101", "高龄津贴申领", {"承诺时限（工作日）": 30})],
        [material_row("GG330421101", "申请人身份证")],
    )
    page = upload(client, bad, publish_now="1")
    text = page.content.decode()
    assert page.status_code == 422 and "发现 1 处错误，未导入任何内容" in text
    assert "第 2 行" in text and "承诺时限不得长于法定时限" in text
    assert not ServiceItem.objects.exists()

    done = upload(client, good_file(tmp_path), publish_now="1")

    assert done.status_code == 302 and done["Location"] == reverse("convenience:catalogue")
    listing = client.get(done["Location"]).content.decode()
    assert "导入完成：新增 2 项" in listing and "高龄津贴申领" in listing


def test_an_import_without_publishing_leaves_drafts_to_publish_from_the_item_page(world, sam, tmp_path):
    client = world.client_for(sam)
    done = upload(client, good_file(tmp_path))
    assert done["Location"].endswith("?status=draft")
    assert "高龄津贴申领" in client.get(done["Location"]).content.decode()
    assert not ServiceItem.objects.in_force().exists()
    page = client.get(reverse("convenience:catalogue_item", args=["GG330421101"])).content.decode()
    assert "发布此草稿" in page

    client.post(reverse("convenience:catalogue_publish", args=["GG330421101"]))

    assert ServiceItem.objects.in_force().get().code == "GG330421101"


def test_everyone_on_the_desk_reads_the_catalogue_and_only_admins_import(world, sam, tmp_path):
    c = build_centre(world)
    head = make_person("cora", "曹静", Role.PLATFORM_COORDINATOR, unit=c.unit, division=world.township)
    other = make_person(
        "otto", "欧阳平", Role.PLATFORM_COORDINATOR, unit=world.agency, division=world.township
    )
    readers = (c.wendy, world.bob, world.dora, head, other, sam)  # clerk, agent, back office, heads, admin
    for person in readers:
        client = world.client_for(person)
        assert client.get(reverse("convenience:catalogue")).status_code == 200, person.username
        assert client.get(reverse("convenience:catalogue_item", args=[c.permit.code])).status_code == 200
        assert client.get(reverse("convenience:catalogue_export")).status_code == 200
    for person, allowed in ((sam, True), (head, True), (other, False), (c.wendy, False), (world.bob, False)):
        client = world.client_for(person)
        expected = 200 if allowed else 403
        assert client.get(reverse("convenience:catalogue_import")).status_code == expected, person.username
        if not allowed:
            assert upload(client, good_file(tmp_path)).status_code == 403
    assert world.client_for(world.alice).get(reverse("convenience:catalogue")).status_code == 200  # an agent
    assert world.client_for(world.oscar).get(reverse("convenience:catalogue")).status_code == 403
    client.logout()
    anonymous = client.get(reverse("convenience:catalogue"))
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    assert ServiceItem.objects.count() == 2


def test_the_list_counts_each_township_types_list_and_filters(world, sam, django_assert_max_num_queries):
    c = build_centre(world)  # the permit is on the central list; the service is on it and at villages
    make_item(
        "QR330421003", "独生子女证明", kind="QR", in_developing=True, in_ecological=True, no_meeting=True
    )
    make_item("JF330421004", "临时救助", kind="JF", in_central=False, in_ecological=True, at_village=True)
    client = world.client_for(c.wendy)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("convenience:catalogue"))

    counts = {
        key: page.context["counts"][key] for key in ("all", "central", "developing", "ecological", "village")
    }
    assert counts == {"all": 4, "central": 3, "developing": 1, "ecological": 2, "village": 2}
    village = client.get(reverse("convenience:catalogue"), {"list": "village"}).context["page"]
    assert [i.code for i in village] == ["GG330421001", "JF330421004"]
    flagged = client.get(reverse("convenience:catalogue"), {"flag": "no_meeting"}).context["page"]
    assert [i.code for i in flagged] == ["QR330421003"]
    found = client.get(reverse("convenience:catalogue"), {"q": "宅基地"}).context["page"]
    assert [i.code for i in found] == [c.permit.code]
    item = client.get(reverse("convenience:catalogue_item", args=[c.permit.code])).content.decode()
    assert "四邻意见书" in item and "视情形提供" in item and "发布此草稿" not in item


# -- the public guide -------------------------------------------------------------------------------------------


def test_a_resident_finds_an_item_by_name_keyword_or_code_and_reads_its_guide(client, world):
    c = build_centre(world)
    ServiceItem.objects.filter(pk=c.service.pk).update(keywords="老人 补贴")
    ServiceItem.objects.create(
        code="XK330421009", name="草稿里的事项", kind="XK", department="嘉善县民政局", statutory_limit=20
    )

    def codes(**params: str) -> list[str]:
        return [i.code for i in client.get(reverse("public_service:guide"), params).context["page"]]

    assert codes(q="高龄") == [c.service.code]
    assert codes(q="补贴") == [c.service.code]
    assert codes(q=c.permit.code.lower()) == [c.permit.code]
    assert codes(village="1") == [c.service.code]
    assert codes() == [c.service.code, c.permit.code]  # in code order; the draft never shows
    assert client.get(reverse("public_service:guide_item", args=["XK330421009"])).status_code == 404

    guide = client.get(reverse("public_service:guide_item", args=[c.permit.code])).content.decode()
    for text in (
        "农村宅基地建房审批",
        "办事指南",
        "申请人身份证",
        "可容缺",
        "视情形提供",
        "承诺办结时限",
        "窗口、网上",
    ):
        assert text in guide
    assert "data-print" in guide  # the print button (static/js/behaviours.js; no inline script under the CSP)
    assert c.centre.name in guide  # where to apply: the centres whose list carries it
