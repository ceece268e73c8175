"""An export of personal data in a real browser: the queue's export button opens the reason form (事由) instead of a
file, an empty reason is refused in Chinese, and the workbook downloaded after a reason carries the exporter, the
time and the reason in its page header; the audit row keeps the reason."""

import openpyxl
import pytest
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.events import services
from grassroots.events.catalogue import load_catalogue
from grassroots.events.choices import Source
from grassroots.events.models import EventType, TimeLimit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_the_operator_gives_a_reason_and_downloads_a_watermarked_queue(world, open_as, tmp_path):
    load_catalogue(EventType, TimeLimit)  # a transactional test's flush empties what the migration loaded
    event = services.event_report(
        actor=world.oscar,
        event_type=EventType.objects.get(code="ZF0103"),
        source=Source.PHONE,
        title="夜间施工噪音",
        lon=120.885,
        lat=30.945,
        reporter_name="刘德华",
        reporter_phone="13912345678",
        reported_at=timezone.now(),
    ).event

    page = open_as(world.oscar)
    page.goto("/command/?status=all")
    page.wait_for_selector(f"#row-{event.pk}")
    page.click('[data-testid="queue-export"]')
    page.wait_for_selector('[data-testid="export-reason-form"]')
    assert "/command/export/" in page.url and "status=all" in page.url

    page.click('[data-testid="export-reason-submit"]')
    page.wait_for_selector("text=请填写导出事由")
    assert not AuditEntry.objects.filter(action="export").exists()

    page.fill('[data-testid="export-reason"]', "核查反映人身份后回访")
    with page.expect_download() as download_info:
        page.click('[data-testid="export-reason-submit"]')
    path = tmp_path / "queue.xlsx"
    download_info.value.save_as(path)
    book = openpyxl.load_workbook(path)
    header = book.active.oddHeader.center.text
    assert f"导出人：{world.oscar.name}（{world.oscar.username}）" in header
    assert "事由：核查反映人身份后回访" in header and f"导出时间：{timezone.localdate():%Y-%m-%d}" in header
    rows = list(book.active.iter_rows(values_only=True))
    assert any(row and "13912345678" in row for row in rows)
    export = AuditEntry.objects.get(action="export", object_type="events.export")
    assert export.detail["reason"] == "核查反映人身份后回访" and export.detail["params"] == {"status": "all"}
