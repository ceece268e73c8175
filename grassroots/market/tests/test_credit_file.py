"""The credit file (信用档案): one timeline, newest first, of licences, 经营异常名录, inspections, findings, re-checks,
penalties, risk overrides and complaint events; staff read all of it (out of scope: 404), print it and export it
(audited, contact masked by role); anyone reads the public part under /s/credit/ without the internal lines."""

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from grassroots.audit.models import AuditEntry
from grassroots.conftest import World, make_person
from grassroots.demo.photos import sample_jpeg
from grassroots.draws.services.plans import draw_publish, plan_draw, plan_freeze
from grassroots.draws.tests.support import Office, build_office, make_plan
from grassroots.events.models import Event
from grassroots.events.tests.views_support import report
from grassroots.people.choices import Role
from grassroots.workcal.calendar import local_today

from ..choices import Conclusion, InspectionKind
from ..models import Inspection, MarketEntity
from ..registry import plan_pool
from ..services.abnormal import abnormal_comply, abnormal_list, abnormal_remove
from ..services.credit_file import credit_public, credit_timeline
from ..services.inspection_steps import inspection_penalize, inspection_recheck, inspection_record
from ..services.inspections import inspection_create
from ..services.risk import risk_override_set
from .support import add_licence, make_entity

JPEG = sample_jpeg()
FINDING = "冷藏柜温度超标未及时处理"
RECHECK_NOTE = "复查确认冷藏柜已维修"
COMPLAINT = "顾客反映该店出售变质熟食"
OVERRIDE_REASON = "群众多次投诉食品问题"
VIOLATION = "销售超过保质期的预包装食品"
DECISION = "嘉市监西罚〔2026〕18号"
PHONE = "13905731234"


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("现场.jpg", JPEG, content_type="image/jpeg")


def days_ago(n: int, hour: int = 10) -> dt.datetime:
    day = local_today() - dt.timedelta(days=n)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def inspected(
    office: Office, entity: MarketEntity, *, arranged: int, found: int, fixed: int, **kw: Any
) -> Inspection:
    """A routine (or complaint) inspection that found a problem, then a re-check that confirmed it rectified."""
    inspector = office.inspectors[0].person
    inspection = inspection_create(
        actor=office.lena,
        entity=entity,
        kind=kw.pop("kind", InspectionKind.ROUTINE),
        unit=office.inspectors[0].unit,
        inspectors=[inspector, office.inspectors[1].person],
        now=days_ago(arranged),
        **kw,
    )
    inspection_record(
        actor=inspector,
        inspection=inspection,
        conclusion=Conclusion.PROBLEMS,
        findings=[{"description": FINDING}],
        photos=[photo()],
        now=days_ago(found),
    )
    first = inspection.findings.get()
    inspection_recheck(
        actor=inspector,
        inspection=inspection,
        rectified=[first.pk],
        note=RECHECK_NOTE,
        photos=[photo()],
        now=days_ago(fixed),
    )
    return inspection


@pytest.fixture
def office(world: World) -> Office:
    return build_office(world)


@pytest.fixture
def record(world: World, office: Office) -> MarketEntity:
    """An entity with a bit of everything, each on its own day (days ago): licence issued 1835 and expired 10,
    listed 300, complied 200, removed 195, complaint 150, complaint inspection arranged 140 and recorded with a
    finding 130, re-checked 100 (late), penalty 90, 双随机 drawn 60 and recorded 50 (published), override today."""
    entity = make_entity(world, 1, food_class="catering_small")
    add_licence(entity, valid_to=local_today() - dt.timedelta(days=10), number="JY13304210000001")
    listing = abnormal_list(
        actor=office.dora,
        entity=entity,
        reason="no_annual_report",
        triggered_on=local_today() - dt.timedelta(days=305),
        listed_on=local_today() - dt.timedelta(days=300),
    )
    abnormal_comply(actor=office.dora, listing=listing, complied_on=local_today() - dt.timedelta(days=200))
    abnormal_remove(
        actor=office.dora,
        listing=listing,
        reason="已补报年度报告",
        removed_on=local_today() - dt.timedelta(days=195),
    )
    # The draw first: its pool is every operating entity in the office's area.
    plan = make_plan(world, office, rates={"A": "1", "B": "1", "C": "1", "D": "1"})
    plan_freeze(actor=office.dora, plan=plan, targets=plan_pool(plan))
    draw = plan_draw(actor=office.dora, plan=plan)
    drawn = Inspection.objects.get(draw=draw, entity=entity)
    Inspection.objects.filter(pk=drawn.pk).update(created_at=days_ago(60))
    drawn.refresh_from_db()
    inspection_record(
        actor=drawn.inspectors.first(), inspection=drawn, conclusion=Conclusion.COMPLIANT, now=days_ago(50)
    )
    draw_publish(actor=office.dora, plan=plan, summary="未发现问题")

    event = report(world.alice, code="SC0102", title=COMPLAINT)
    Event.objects.filter(pk=event.pk).update(reported_at=days_ago(150))
    complaint = inspected(
        office, entity, arranged=140, found=130, fixed=100, kind=InspectionKind.COMPLAINT, event=event
    )
    inspection_penalize(
        actor=office.dora,
        inspection=complaint,
        decision_no=DECISION,
        kind="fine",
        procedure="general",
        amount="5000",
        violation=VIOLATION,
        legal_basis="《食品安全法》第一百二十四条",
        decided_on=local_today() - dt.timedelta(days=90),
        now=days_ago(90, hour=16),
    )
    petra = make_person("petra", "孙雅", Role.PLATFORM_COORDINATOR, division=world.township)
    risk_override_set(actor=petra, entity=entity, risk_class="D", reason=OVERRIDE_REASON)
    entity.refresh_from_db()
    return entity


def test_the_timeline_holds_every_kind_newest_first(record, office):
    entries = credit_timeline(entity=record, viewer=office.lena)
    seen = [(e.kind, e.title.split("：")[0].split("（")[0], e.public) for e in entries]
    assert seen == [
        ("risk", "人工调整风险分类为 D 类", False),
        ("licence", "食品经营许可证已过期", True),
        ("inspection", "双随机抽查", True),
        ("inspection", "安排双随机抽查", False),
        ("penalty", "行政处罚", True),
        ("recheck", "复查", False),
        ("finding", "逾期整改完成", False),
        ("finding", "发现问题", False),
        ("inspection", "投诉举报核查", False),
        ("inspection", "安排投诉举报核查", False),
        ("event", "投诉举报", False),
        ("abnormal", "移出经营异常名录", True),
        ("abnormal", "已履行义务，待移出经营异常名录", False),
        ("abnormal", "列入经营异常名录", True),
        ("licence", "取得食品经营许可证", True),
    ]
    dates = [e.on for e in entries]
    assert dates == sorted(dates, reverse=True)
    by_kind = {e.kind: e for e in reversed(entries)}  # the newest of each kind
    penalty = by_kind["penalty"]
    assert (
        DECISION in penalty.detail and "5,000.00 元" in penalty.detail and "第一百二十四条" in penalty.detail
    )
    assert "钱一、孙二" in next(e for e in entries if e.title.startswith("投诉举报核查")).detail
    assert FINDING in next(e for e in entries if e.title.startswith("发现问题")).detail
    assert RECHECK_NOTE in by_kind["recheck"].detail
    assert OVERRIDE_REASON in by_kind["risk"].detail
    assert COMPLAINT in by_kind["event"].title and by_kind["event"].url
    assert "已补报年度报告" in by_kind["abnormal"].detail
    complaint = Inspection.objects.get(entity=record, kind=InspectionKind.COMPLAINT)
    page = reverse("market:inspection", args=[complaint.pk])
    assert by_kind["finding"].url == by_kind["recheck"].url == penalty.url == page


def test_the_public_part_has_only_the_public_lines(record):
    entries = credit_public(entity=record)
    assert [e.kind for e in entries] == [
        "licence",
        "inspection",
        "penalty",
        "abnormal",
        "abnormal",
        "licence",
    ]
    assert all(e.public and not e.note and not e.url for e in entries)
    assert not any(FINDING in e.detail or RECHECK_NOTE in e.detail for e in entries)


def test_the_public_page_needs_no_login_and_never_shows_internal_lines(record):
    anonymous = Client()
    MarketEntity.objects.filter(pk=record.pk).update(status="deregistered")
    found = anonymous.get(reverse("public_credit:search"), {"q": record.uscc.lower()})
    assert found.status_code == 302 and found["Location"] == reverse(
        "public_credit:entity", args=[record.uscc]
    )
    by_name = anonymous.get(reverse("public_credit:search"), {"q": record.name})
    assert by_name["Location"] == found["Location"]
    partial = anonymous.get(reverse("public_credit:search"), {"q": record.name[:6]}).content.decode()
    assert "没有找到该市场主体" in partial and record.uscc not in partial

    page = anonymous.get(found["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    for shown in (
        record.name,
        record.uscc,
        "注销",
        "JY13304210000001",
        "已过期",
        "未按规定报送年度报告",
        "已补报年度报告",
        "双随机抽查：未发现问题",
        "西塘市场监管所",
        DECISION,
        VIOLATION,
    ):
        assert shown in html, shown
    for hidden in (
        PHONE,
        "139****1234",
        "沈国强",
        FINDING,
        RECHECK_NOTE,
        COMPLAINT,
        OVERRIDE_REASON,
        "风险",
        "D 类",
        "投诉",
        "整改",
        "钱一",
        "孙二",
        "已履行义务",
    ):
        assert hidden not in html, hidden
    assert "/market/" not in html  # no way into the staff pages
    assert anonymous.get(reverse("public_credit:entity", args=["91330421MA0000000X"])).status_code == 404
    assert anonymous.get(reverse("public_credit:entity", args=["not-a-code"])).status_code == 404


def test_an_unpublished_random_result_stays_off_the_public_page(world, office):
    entity = make_entity(world, 2)
    plan = make_plan(world, office, rates={"A": "1", "B": "1", "C": "1", "D": "1"})
    plan_freeze(actor=office.dora, plan=plan, targets=plan_pool(plan))
    drawn = Inspection.objects.get(draw=plan_draw(actor=office.dora, plan=plan), entity=entity)
    inspection_record(actor=drawn.inspectors.first(), inspection=drawn, conclusion=Conclusion.COMPLIANT)
    assert not [e for e in credit_public(entity=entity) if e.kind == "inspection"]
    internal = [
        e for e in credit_timeline(entity=entity, viewer=office.lena) if e.title.startswith("双随机抽查")
    ]
    assert len(internal) == 1 and internal[0].public and "结果尚未公示" in internal[0].note


def test_staff_read_the_whole_file_filtered_by_kind_and_out_of_scope_is_404(world, record, office):
    url = reverse("market:credit", args=[record.pk])
    assert world.client_for(world.carol).get(url).status_code == 404  # village B staff; the entity is in A
    inspector = world.client_for(office.inspectors[0].person)
    html = inspector.get(url).content.decode()
    for shown in (FINDING, RECHECK_NOTE, OVERRIDE_REASON, DECISION, PHONE):
        assert shown in html, shown
    # The complaint event is shown only to those who may see the event itself (links_of's rule).
    assert COMPLAINT not in html
    assert COMPLAINT in world.client_for(office.lena).get(url).content.decode()
    assert AuditEntry.objects.filter(action="personal_data.read", object_id=str(record.pk)).exists()
    filtered = inspector.get(url, {"kind": ["penalty", "abnormal"]}).content.decode()
    assert DECISION in filtered and "列入经营异常名录" in filtered and FINDING not in filtered
    fragment = inspector.get(
        url, {"kind": "finding"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="credit-timeline"
    )
    body = fragment.content.decode()
    assert FINDING in body and DECISION not in body and "<html" not in body
    alice = world.client_for(world.alice).get(url).content.decode()
    assert "139****1234" in alice and PHONE not in alice


def test_the_print_view_is_an_a4_page(world, record, office):
    url = reverse("market:credit", args=[record.pk])
    page = world.client_for(office.lena).get(url, {"print": "1", "reason": "年度信用评价"})
    html = page.content.decode()
    assert "market-credit_print.css" in html and "市场主体信用档案" in html and DECISION in html
    assert "topbar" not in html and "<style" not in html  # the A4 sheet's rules are a static file (the CSP)
    css = (Path(settings.BASE_DIR) / "grassroots/static/css/pages/market-credit_print.css").read_text()
    assert "size: A4" in css and "@media print" in css


def read_rows(content: bytes) -> tuple[list[list[Any]], dict[str, Any]]:
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[:5] == ["日期", "类别", "事项", "详情", "公示/内部"])
    facts = {r[0]: r[1] for r in book.worksheets[1].iter_rows(min_row=3, values_only=True)}
    return rows[start + 1 :], facts


def test_the_export_is_a_real_workbook_one_row_per_entry_and_audited(world, record, office):
    url = reverse("market:credit_export", args=[record.pk])
    inspector = office.inspectors[0].person
    response = world.client_for(inspector).get(url, {"reason": "行政处罚前核查"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows, facts = read_rows(response.content)
    entries = credit_timeline(entity=record, viewer=inspector)
    assert len(rows) == len(entries)
    first = rows[0]
    assert first[0].date() == entries[0].on and first[1] == "风险分类" and first[4] == "内部"
    penalty = next(r for r in rows if r[1] == "行政处罚")
    assert DECISION in penalty[3] and penalty[4] == "公示"
    assert facts["联系电话"] == PHONE and facts["法定代表人（经营者）"] == "沈国强"
    audit = AuditEntry.objects.get(action="marketentity.credit_export", object_id=str(record.pk))
    assert audit.actor_id == inspector.pk and audit.detail["rows"] == len(entries)
    assert AuditEntry.objects.filter(
        action="personal_data.read", object_id=str(record.pk), detail__purpose="导出市场主体信用档案"
    ).exists()

    masked = world.client_for(world.alice).get(url, {"kind": "penalty", "reason": "核对处罚记录"})
    rows, facts = read_rows(masked.content)
    assert [r[1] for r in rows] == ["行政处罚"]
    assert facts["联系电话"] == "139****1234" and facts["法定代表人（经营者）"] != "沈国强"
    assert AuditEntry.objects.filter(action="marketentity.credit_export").count() == 2
    assert world.client_for(world.carol).get(url).status_code == 404


def count_queries(fn: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_the_record(world, record, office):
    client = world.client_for(office.lena)
    url = reverse("market:credit", args=[record.pk])
    before_entries = len(credit_timeline(entity=record, viewer=office.lena))
    before = count_queries(lambda: credit_timeline(entity=record, viewer=office.lena))
    before_page = count_queries(lambda: client.get(url))
    for n in range(10):
        inspected(office, record, arranged=40 - n, found=30 - n, fixed=20 - n)
    after_entries = len(credit_timeline(entity=record, viewer=office.lena))
    assert after_entries == before_entries + 10 * 5
    assert count_queries(lambda: credit_timeline(entity=record, viewer=office.lena)) == before
    assert count_queries(lambda: client.get(url)) == before_page
    # The public part: licences, listings, published 双随机 results, penalties; nothing internal is read.
    assert count_queries(lambda: credit_public(entity=record)) == 4


def test_the_export_and_the_print_view_ask_for_a_reason_and_send_nothing_without_one(world, record, office):
    client = world.client_for(office.lena)
    for url, query in (
        (reverse("market:credit_export", args=[record.pk]), {"kind": "penalty"}),
        (reverse("market:credit", args=[record.pk]), {"print": "1"}),
    ):
        asked = client.get(url, query)
        html = asked.content.decode()
        assert asked.status_code == 200 and "导出事由" in html and PHONE not in html and DECISION not in html
        assert client.get(url, {**query, "reason": ""}).status_code == 400
    assert not AuditEntry.objects.filter(action__startswith="marketentity.credit_").exists()


def test_the_export_and_the_print_view_carry_the_watermark_and_the_audit_rows_the_reason(
    world, record, office
):
    lena = office.lena
    client = world.client_for(lena)
    stamp = f"导出人：{lena.name}（{lena.username}）"
    response = client.get(reverse("market:credit_export", args=[record.pk]), {"reason": "行政处罚前核查"})
    book = load_workbook(io.BytesIO(response.content))
    for sheet in book.worksheets:
        assert stamp in sheet.oddHeader.center.text and "事由：行政处罚前核查" in sheet.oddHeader.center.text
    assert stamp in book.properties.description
    export = AuditEntry.objects.get(action="marketentity.credit_export", object_id=str(record.pk))
    assert export.detail["reason"] == "行政处罚前核查"

    page = client.get(reverse("market:credit", args=[record.pk]), {"print": "1", "reason": "年度信用评价"})
    assert stamp in page.content.decode() and "事由：年度信用评价" in page.content.decode()
    printed = AuditEntry.objects.get(action="marketentity.credit_print", object_id=str(record.pk))
    assert printed.detail["reason"] == "年度信用评价" and printed.actor_id == lena.pk
