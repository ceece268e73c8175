"""Weekly and monthly analysis built as background jobs: progress, the printable page, the workbook with its
charts, one runner per job, and the run_reports worker."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from grassroots.assessment import figures as fig
from grassroots.assessment.choices import JobStatus
from grassroots.assessment.models import ReportJob
from grassroots.assessment.periods import period_parse
from grassroots.assessment.services import report_job_claim, report_job_create, report_job_run
from grassroots.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
TOWNSHIP = fig.Area("330421102", "西塘镇")


def test_a_monthly_report_is_built_and_shown_with_its_figures(scenario, django_capture_on_commit_callbacks):
    client = scenario.world.client_for(scenario.leo)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/assessment/reports/new/", {"pk": "month", "p_month": "2026-03", "area": TOWNSHIP.code}
        )
    job = ReportJob.objects.get()
    assert response["Location"] == f"/assessment/reports/{job.pk}/"
    assert job.status == JobStatus.DONE and job.progress == 100
    counts = {c["name"]: c["now"] for c in job.data["counts"]}
    assert counts["reported"] == 13 and counts["closed"] == 8
    page = client.get(response["Location"]).content.decode()
    assert "西塘镇2026年3月月分析" in page and "研判意见" in page and "上报事件 13 件" in page


def test_the_workbook_has_the_figures_rankings_and_charts(scenario):
    created = report_job_create(actor=scenario.leo, period=period_parse("2026-03"), area=TOWNSHIP)
    job = report_job_run(job_id=created.pk)
    assert job is not None
    book = load_workbook(io.BytesIO(job.file.read()))
    assert book.sheetnames == [
        "概况",
        "平台分布",
        "层级分布",
        "趋势",
        "排名",
        "超期单位",
        "热点网格",
        "研判意见",
    ]
    assert all(book[name]._charts for name in ("平台分布", "层级分布", "趋势", "超期单位"))
    summary = [[c.value for c in row] for row in book["概况"].iter_rows()]
    assert ["上报数", 13, 1, "1200.0"] in [row[:4] for row in summary]


def test_a_running_report_shows_progress_and_the_page_polls_it(scenario):
    job = report_job_create(actor=scenario.leo, period=period_parse("2026"), area=TOWNSHIP)
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=35, message="计算趋势")
    client = scenario.world.client_for(scenario.leo)
    page = client.get(f"/assessment/reports/{job.pk}/").content.decode()
    assert "计算趋势" in page and 'hx-trigger="every 1s"' in page
    fragment = client.get(f"/assessment/reports/{job.pk}/?fragment=progress", HTTP_HX_REQUEST="true")
    assert "35%" in fragment.content.decode() and "<html" not in fragment.content.decode()
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    report_job_run(job_id=job.pk)
    done = client.get(f"/assessment/reports/{job.pk}/?fragment=progress", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_a_job_is_claimed_by_one_runner_only_and_a_dead_runners_job_is_taken_over(scenario):
    job = report_job_create(actor=scenario.leo, period=period_parse("2026-03"), area=TOWNSHIP)
    assert report_job_claim(job_id=job.pk) is not None
    assert report_job_claim(job_id=job.pk) is None
    ReportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=30))
    assert report_job_claim(job_id=job.pk) is not None


def test_the_worker_builds_what_is_queued(scenario, settings):
    settings.ASSESSMENT_REPORT_RUNNER = "worker"
    job = report_job_create(actor=scenario.leo, period=period_parse("2026-W11"), area=TOWNSHIP)
    call_command("run_reports", "--once")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.kind == "weekly"


def test_a_failed_report_says_so(scenario, monkeypatch):
    created = report_job_create(actor=scenario.leo, period=period_parse("2026-03"), area=TOWNSHIP)

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("grassroots.assessment.services.report_data", broken)
    job = report_job_run(job_id=created.pk)
    assert job is not None and job.status == JobStatus.FAILED and "boom" in job.error
    page = scenario.world.client_for(scenario.leo).get(f"/assessment/reports/{job.pk}/").content.decode()
    assert "报告生成失败" in page


def test_downloads_and_table_exports_of_a_report_are_audited_and_scoped(scenario):
    job = report_job_run(
        job_id=report_job_create(actor=scenario.leo, period=period_parse("2026-03"), area=TOWNSHIP).pk
    )
    assert job is not None
    client = scenario.world.client_for(scenario.leo)
    download = f"/assessment/reports/{job.pk}/download/"
    asked = client.get(download)
    assert asked.status_code == 200 and "导出事由" in asked.content.decode()
    assert not AuditEntry.objects.filter(action="export").exists()
    response = client.get(download, {"reason": "月度分析会"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    stamp = f"导出人：{scenario.leo.name}（{scenario.leo.username}）"
    assert all(
        stamp in s.oddHeader.center.text and "事由：月度分析会" in s.oddHeader.center.text for s in book
    )
    assert book["平台分布"]._charts, "the stored report's charts survive the watermark"
    table = client.get(f"/assessment/reports/{job.pk}/?export=xlsx&table=ranking")
    assert table.status_code == 200 and "导出事由" in table.content.decode()
    table = client.get(f"/assessment/reports/{job.pk}/?export=xlsx&reason=周例会通报&table=ranking")
    sheet = load_workbook(io.BytesIO(table.content)).active
    assert sheet["A1"].value == "村社区排名" and stamp in sheet.oddHeader.center.text
    assert sorted(AuditEntry.objects.filter(action="export").values_list("detail__reason", flat=True)) == [
        "周例会通报",
        "月度分析会",
    ]
    assert (
        scenario.world.client_for(scenario.world.alice).get(f"/assessment/reports/{job.pk}/").status_code
        == 404
    )
