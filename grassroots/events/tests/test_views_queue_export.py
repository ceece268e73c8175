"""The live queue's date range, 督办中 and 待审批 filters, and its Excel export: exactly the list as filtered
(every page, in order, within the viewer's scope), the reporter masked as the viewer would see them, bounded,
audited, and a fixed number of queries however many rows."""

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.events import exports, services
from grassroots.events.choices import Source, Status
from grassroots.events.models import Event
from grassroots.geo.models import Division

from .api_support import cast_of
from .views_support import IN_GRID_B, page_text, report

pytestmark = pytest.mark.django_db
QUEUE = "/command/"
EXPORT = "/command/export/"
REASON = {"reason": "周例会通报"}
REPORTER = {"reporter_name": "刘德华", "reporter_phone": "13912345678"}


def row_ids(response: Any) -> list[int]:
    assert response.status_code == 200
    return [row["e"].pk for row in response.context["rows"]]


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def dispatched(world: Any, title: str) -> Event:
    event = report(world.alice, title=title)
    services.event_register(actor=world.oscar, event=event)
    services.event_dispatch(actor=world.oscar, event=event, lead_unit_id=world.agency.pk)
    return Event.objects.get(pk=event.pk)


def sheet_rows(response: Any) -> tuple[list[str], list[dict[str, Any]]]:
    assert response.status_code == 200, response
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(values) if row and row[0] == "编号")
    headers = list(values[header_at])
    return headers, [dict(zip(headers, row, strict=True)) for row in values[header_at + 1 :] if row[0]]


@pytest.fixture
def days(world: Any) -> dict[str, Event]:
    """Three reports on three days: the first just after midnight, the last just before it."""
    base = timezone.localdate() - dt.timedelta(days=10)
    return {
        "first": report(world.alice, title="第一天", reported_at=at(base, 0, 1)),
        "second": report(world.alice, title="第二天", reported_at=at(base + dt.timedelta(days=1), 12)),
        "third": report(world.alice, title="第三天", reported_at=at(base + dt.timedelta(days=2), 23, 59)),
    }


def test_the_date_range_includes_both_end_days(world, days):
    client = world.client_for(world.oscar)
    first = timezone.localdate(days["first"].reported_at)
    third = timezone.localdate(days["third"].reported_at)
    names = {e.pk: name for name, e in days.items()}

    def listed(**query: Any) -> set[str]:
        return {names[pk] for pk in row_ids(client.get(QUEUE, query))}

    assert listed(reported_from=first, reported_to=first) == {"first"}
    assert listed(reported_from=third, reported_to=third) == {"third"}
    assert listed(reported_from=first + dt.timedelta(days=1)) == {"second", "third"}
    assert listed(reported_to=first + dt.timedelta(days=1)) == {"first", "second"}


def test_a_reversed_range_is_refused_in_chinese_and_selects_no_range(world, days):
    first = timezone.localdate(days["first"].reported_at)
    response = world.client_for(world.oscar).get(
        QUEUE, {"reported_from": first + dt.timedelta(days=2), "reported_to": first}
    )
    assert "开始日期不能晚于结束日期" in response.context["form"].errors["reported_to"][0]
    assert len(row_ids(response)) == 3
    fragment = world.client_for(world.oscar).get(
        QUEUE,
        {"reported_from": first + dt.timedelta(days=2), "reported_to": first},
        headers={"HX-Request": "true", "HX-Target": "queue-results"},
    )
    assert "开始日期不能晚于结束日期" in page_text(fragment)


def test_an_unreadable_date_is_an_error_next_to_its_field(world, days):
    response = world.client_for(world.oscar).get(QUEUE, {"reported_from": "2026-13-40"})
    assert "请填写有效日期" in response.context["form"].errors["reported_from"][0]


def test_supervised_lists_only_events_under_an_open_order(world):
    open_order = dispatched(world, "督办中")
    services.event_supervise(actor=world.oscar, event=open_order, days=2)
    resolved = dispatched(world, "督办已办结")
    order = services.event_supervise(actor=world.oscar, event=resolved, days=2)
    order.resolved_at = timezone.now()
    order.save()
    dispatched(world, "未督办")
    response = world.client_for(world.oscar).get(QUEUE, {"supervised": "1"})
    assert row_ids(response) == [open_order.pk]
    assert 'data-testid="supervised"' in page_text(response)
    assert 'name="supervised" value="1"' in page_text(response) and "checked" in page_text(response)


def test_pending_lists_only_events_whose_request_awaits_approval(world):
    sam = cast_of(world).sam
    waiting = dispatched(world, "延期待批")
    services.event_request_extension(actor=world.dora, event=waiting, days=2, reason="需协调")
    decided = dispatched(world, "延期已批")
    request = services.event_request_extension(actor=world.dora, event=decided, days=2, reason="需协调")
    services.event_decide_extension(
        actor=sam, event=Event.objects.get(pk=decided.pk), request_id=request.pk, approve=True
    )
    dispatched(world, "没有申请")
    response = world.client_for(world.oscar).get(QUEUE, {"pending": "1"})
    assert row_ids(response) == [waiting.pk]
    assert 'data-testid="pending"' in page_text(response)


def test_the_export_is_every_page_of_the_list_as_filtered_in_order(world):
    for i in range(55):
        report(world.alice, title=f"第{i}件", code="ZF0101" if i % 2 else "ZF0103")
    report(world.oscar, code="SC0101", source=Source.PHONE, title="无证小吃摊", **IN_GRID_B)
    client = world.client_for(world.oscar)
    query = {"type": "ZF01", "sort": "due"}
    listed = row_ids(client.get(QUEUE, query)) + row_ids(client.get(QUEUE, {**query, "page": 2}))
    assert len(listed) == 55
    headers, rows = sheet_rows(client.get(EXPORT, {**query, **REASON}))
    assert headers[:12] == [
        "编号",
        "标题",
        "分类",
        "来源",
        "状态",
        "层级",
        "网格/村社",
        "地址",
        "责任单位",
        "上报时间",
        "期限",
        "灯色",
    ]
    numbers = dict(Event.objects.values_list("pk", "number"))
    assert [row["编号"] for row in rows] == [numbers[pk] for pk in listed]
    assert (
        rows[0]["来源"] == "网格巡查" and rows[0]["状态"] == "已上报" and rows[0]["灯色"].startswith("绿灯")
    )


def test_the_export_keeps_to_the_viewers_scope(world):
    mine = report(world.alice, title="本镇事件")
    theirs = report(world.alice, title="外镇事件")
    elsewhere = Division.objects.create(
        code="330421103", name="姚庄镇", level="township", kind="town", parent=world.district
    )
    Event.objects.filter(pk=theirs.pk).update(region_code="33042110300101", township=elsewhere)
    _, rows = sheet_rows(world.client_for(world.oscar).get(EXPORT, {"status": "all", **REASON}))
    assert [row["标题"] for row in rows] == [mine.title]


def test_the_reporter_is_masked_as_the_viewer_sees_it_and_unmasked_reads_are_audited(world):
    event = report(world.oscar, source=Source.PHONE, title="噪音扰民", **REPORTER)
    leo = cast_of(world).leo
    _, rows = sheet_rows(world.client_for(world.oscar).get(EXPORT, REASON))
    assert (rows[0]["反映人"], rows[0]["反映人电话"]) == ("刘德华", "13912345678")
    export = AuditEntry.objects.get(action="export", object_type="events.export", actor_id=world.oscar.pk)
    assert export.detail["rows"] == 1 and export.detail["unmasked"] == 1
    read = AuditEntry.objects.get(action="personal_data.read", actor_id=world.oscar.pk)
    assert read.object_id == str(event.pk) and read.detail["purpose"] == exports.WHAT

    _, rows = sheet_rows(world.client_for(leo).get(EXPORT, REASON))
    assert rows[0]["反映人"] == "刘*华" and rows[0]["反映人电话"] == "139****5678"
    assert AuditEntry.objects.get(action="export", actor_id=leo.pk).detail["unmasked"] == 0
    assert not AuditEntry.objects.filter(action="personal_data.read", actor_id=leo.pk).exists()


def test_the_export_shows_the_supervision_order_and_a_pending_request(world):
    event = dispatched(world, "督办并申请延期")
    order = services.event_supervise(actor=world.oscar, event=event, days=2)
    services.event_request_extension(
        actor=world.dora, event=Event.objects.get(pk=event.pk), days=1, reason="需协调"
    )
    _, rows = sheet_rows(world.client_for(world.oscar).get(EXPORT, REASON))
    assert rows[0]["督办"] == "督办"
    assert rows[0]["督办期限"] == timezone.localtime(order.deadline).replace(tzinfo=None, microsecond=0)
    assert rows[0]["待审批"] == "延期申请待审批"
    assert rows[0]["责任单位"] == world.agency.name


def test_an_export_over_the_bound_is_refused_with_a_message(world, monkeypatch):
    monkeypatch.setattr(exports, "MAX_ROWS", 2)
    for i in range(3):
        report(world.alice, title=f"第{i}件")
    response = world.client_for(world.oscar).get(EXPORT, {"light": "green", **REASON})
    assert response.status_code == 302 and response.url == "/command/?light=green"
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "共 3 件" in message and "上限 2 件" in message
    assert not AuditEntry.objects.filter(action="export").exists()


def test_an_export_with_a_bad_filter_is_sent_back_to_the_queue(world):
    response = world.client_for(world.oscar).get(
        EXPORT, {"reported_from": "2026-05-02", "reported_to": "2026-05-01", **REASON}
    )
    assert response.status_code == 302
    assert "筛选条件有误" in str(next(iter(get_messages(response.wsgi_request))))


@pytest.mark.parametrize("who", ["alice", "bob", "dora"])
def test_people_outside_the_command_room_cannot_export(world, who):
    report(world.alice, title="河边私搭简易棚")
    assert world.client_for(getattr(world, who)).get(EXPORT, REASON).status_code == 404


def test_the_export_costs_the_same_few_queries_for_three_rows_or_forty(world, django_assert_max_num_queries):
    def some(n: int) -> None:
        for i in range(n):
            event = report(world.oscar, source=Source.PHONE, title=f"第{i}件", **REPORTER)
            if i % 3 == 0:
                services.event_supervise(actor=world.oscar, event=event, days=1)

    some(3)
    client = world.client_for(world.oscar)
    client.get(EXPORT, REASON)  # warm the per-process caches (working calendar, catalogue)
    # 16: session, person, the filter form's types, grids and units, count, rows, assignments, the audit rows
    # in their savepoint (4), the session's save (3), and at most one look at the working calendar's overrides.
    with django_assert_max_num_queries(16):
        client.get(EXPORT, REASON)
    some(37)
    with django_assert_max_num_queries(16):
        response = client.get(EXPORT, {"status": "all", **REASON})
    assert len(sheet_rows(response)[1]) == 40
    assert Event.objects.exclude(status=Status.REPORTED).count() == 0


def test_without_a_reason_the_export_asks_for_one_and_sends_no_file(world):
    report(world.oscar, source=Source.PHONE, title="噪音扰民", **REPORTER)
    client = world.client_for(world.oscar)
    asked = client.get(EXPORT, {"status": "all"})
    assert asked.status_code == 200 and asked["Content-Type"].startswith("text/html")
    assert "导出事由" in page_text(asked) and 'name="status" value="all"' in page_text(asked)
    blank = client.get(EXPORT, {"status": "all", "reason": "  "})
    assert blank.status_code == 400 and "请填写导出事由" in page_text(blank)
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_workbook_carries_the_exporters_watermark_and_the_audit_row_its_reason(world):
    report(world.oscar, source=Source.PHONE, title="噪音扰民", **REPORTER)
    response = world.client_for(world.oscar).get(EXPORT, {"reason": "核查反映人身份 & 回访"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    stamp = f"导出人：{world.oscar.name}（{world.oscar.username}）"
    assert (
        stamp in sheet.oddHeader.center.text and "事由：核查反映人身份 && 回访" in sheet.oddHeader.center.text
    )
    assert stamp in sheet.oddFooter.left.text
    assert stamp in book.properties.description and "核查反映人身份 & 回访" in book.properties.description
    export = AuditEntry.objects.get(action="export", object_type="events.export")
    assert export.detail["reason"] == "核查反映人身份 & 回访" and export.detail["rows"] == 1
