"""The live queue's new filters in a real browser: the operator narrows the list by the reported date range (both
ends inclusive, a reversed range refused in Chinese), to the events under an open supervision order (督办中) and to
those with a request awaiting approval (待审批); each filter is a link; the Excel export holds exactly the list as
filtered, with Chinese headers."""

import datetime as dt

import openpyxl
import pytest
from django.utils import timezone

from grassroots.events import services
from grassroots.events.catalogue import load_catalogue
from grassroots.events.choices import Source
from grassroots.events.models import Event, EventType, TimeLimit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

ROWS = "#queue-table tbody tr[data-href]"


def report(world, title: str, *, days_ago: int = 0) -> Event:
    reported_at = timezone.now() - dt.timedelta(days=days_ago)
    return services.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="ZF0103"),
        source=Source.PATROL,
        title=title,
        lon=120.885,
        lat=30.945,
        reported_at=reported_at,
    ).event


def dispatched(world, title: str) -> Event:
    event = report(world, title)
    services.event_register(actor=world.oscar, event=event)
    services.event_dispatch(actor=world.oscar, event=event, lead_unit_id=world.agency.pk)
    return Event.objects.get(pk=event.pk)


def shown(page) -> list[int]:
    return [int(row.get_attribute("id").removeprefix("row-")) for row in page.locator(ROWS).all()]


def local_day(event: Event) -> str:
    return timezone.localtime(event.reported_at).date().isoformat()


def test_the_operator_filters_by_dates_supervision_and_pending_requests_and_exports_the_list(
    world, open_as, tmp_path
):
    load_catalogue(EventType, TimeLimit)  # a transactional test's flush empties what the migration loaded
    old = report(world, "三十天前的占道经营", days_ago=30)
    middle = report(world, "十天前的乱堆放", days_ago=10)
    recent = report(world, "今天的私搭乱建")
    supervised = dispatched(world, "领导督办的违建")
    services.event_supervise(actor=world.oscar, event=supervised, days=1, note="三日内拆除")
    pending = dispatched(world, "申请延期的整治")
    services.event_sign(actor=world.dora, event=pending)
    services.event_request_extension(
        actor=world.dora, event=Event.objects.get(pk=pending.pk), days=2, reason="需协调产权单位"
    )

    page = open_as(world.oscar)
    page.goto("/command/")
    page.wait_for_selector(f"#row-{old.pk}")
    assert set(shown(page)) == {old.pk, middle.pk, recent.pk, supervised.pk, pending.pk}

    # The date range is inclusive at both ends: a one-day range keeps that day's report.
    page.fill("#filter-reported_from", local_day(middle))
    page.fill("#filter-reported_to", local_day(middle))
    page.locator("#filter-reported_to").dispatch_event("change")
    page.wait_for_selector(f"#row-{recent.pk}", state="detached")
    assert shown(page) == [middle.pk]
    assert f"reported_from={local_day(middle)}" in page.url and f"reported_to={local_day(middle)}" in page.url

    # A reversed range is refused in Chinese, and the link of a range opens the same rows.
    page.fill("#filter-reported_from", local_day(recent))
    page.locator("#filter-reported_from").dispatch_event("change")
    page.wait_for_selector("text=开始日期不能晚于结束日期")
    page.goto(f"/command/?reported_from={local_day(old)}&reported_to={local_day(middle)}")
    assert set(shown(page)) == {old.pk, middle.pk}

    # 督办中: only the event under an open supervision order.
    page.goto("/command/")
    page.check("#filter-supervised")
    page.wait_for_selector(f"#row-{old.pk}", state="detached")
    assert shown(page) == [supervised.pk]
    assert "supervised=1" in page.url
    assert "督办" in page.inner_text(f"#row-{supervised.pk}")

    # 待审批: only the event whose unit asked for more time and waits for an answer.
    page.uncheck("#filter-supervised")
    page.wait_for_selector(f"#row-{old.pk}")
    page.check("#filter-pending")
    page.wait_for_selector(f"#row-{old.pk}", state="detached")
    assert shown(page) == [pending.pk]
    assert "pending=1" in page.url
    assert "待审批" in page.inner_text(f"#row-{pending.pk}")

    # The export holds the list as filtered: here every event reported in the last two weeks.
    page.goto(f"/command/?reported_from={local_day(middle)}")
    listed = shown(page)
    assert set(listed) == {middle.pk, recent.pk, supervised.pk, pending.pk}
    page.click('[data-testid="queue-export"]')
    page.fill('[data-testid="export-reason"]', "周例会通报")
    with page.expect_download() as download_info:
        page.click('[data-testid="export-reason-submit"]')
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / "queue.xlsx"
    download.save_as(path)
    sheet = openpyxl.load_workbook(path).active
    values = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(values) if row and row[0] == "编号")
    headers = values[header_at]
    assert {"编号", "标题", "分类", "来源", "状态", "层级", "上报时间", "期限", "灯色", "督办"} <= set(
        headers
    )
    numbers = [row[0] for row in values[header_at + 1 :] if row and row[0]]
    expected = list(Event.objects.filter(pk__in=listed).values_list("pk", "number"))
    by_pk = dict(expected)
    assert numbers == [by_pk[pk] for pk in listed]
    row_of = {row[0]: dict(zip(headers, row, strict=False)) for row in values[header_at + 1 :] if row[0]}
    assert row_of[supervised.number]["督办"].startswith("督办")
    assert row_of[middle.number]["督办"] in (None, "—", "")
