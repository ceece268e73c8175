"""Weekly and monthly analysis (周研判、月分析): ask for one, watch it being built (HTMX polls the job), then read
the printable page or download the workbook. The report is built in the background (see services.runner)."""

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.core.scope import scope_of
from grassroots.core.watermark import export_reason, watermark_of, watermark_xlsx
from grassroots.people.actors import person_of

from ..areas import area_resolve
from ..choices import JobStatus, PeriodKind
from ..excel import Table, report_tables
from ..indicators import Rate
from ..models import ReportJob
from ..periods import period_parse
from ..permissions import require_viewer
from ..services import export_record, report_job_create
from .common import PERIOD_INPUT, area_options, export_response, parse_filters, period_context, wants_export

REPORT_PERIOD_KINDS = [
    (PeriodKind.WEEK, "周研判"),
    (PeriodKind.MONTH, "月分析"),
    (PeriodKind.QUARTER, "季度分析"),
    (PeriodKind.YEAR, "年度分析"),
    (PeriodKind.CUSTOM, "专题分析（自定义）"),
]


def visible_jobs(user: Any) -> Any:
    """Reports of areas within the user's scope (a report shows figures of its area only; areas stop at villages,
    so a grid's scope sees its village's reports)."""
    area_scope = scope_of(user).widened_to(12)
    return ReportJob.objects.select_related("requested_by").filter(area_scope.q(region_field="area_code"))


def access_job(user: Any, job_id: int) -> ReportJob:
    job = visible_jobs(user).filter(pk=job_id).first()
    if job is None:
        raise Http404("报告不存在或不在您的管辖范围内")
    return job


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    require_viewer(request.user)
    filters = parse_filters(request, default_period=request.GET.get("pk") or PeriodKind.WEEK)
    jobs = list(visible_jobs(request.user).order_by("-created_at")[:30])
    if wants_export(request):
        table = Table(
            "jobs",
            "分析报告",
            ["报告", "区域", "周期", "申请人", "申请时间", "状态"],
            [
                [
                    str(j.get_kind_display()),
                    j.area_name,
                    j.period_label,
                    j.requested_by.name,
                    f"{timezone.localtime(j.created_at):%Y-%m-%d %H:%M}",
                    str(j.get_status_display()),
                ]
                for j in jobs
            ],
        )
        return export_response(request, [table], what="assessment.reports", filename="分析报告", params={})
    return render(
        request,
        "assessment/reports.html",
        {
            "filters": filters,
            "area_options": area_options(request.user, filters.area),
            "jobs": jobs,
            "report_kinds": REPORT_PERIOD_KINDS,
            **period_context(filters),
        },
    )


@login_required
@require_POST
def report_create(request: HttpRequest) -> HttpResponse:
    require_viewer(request.user)
    area = area_resolve(request.user, request.POST.get("area"))
    kind = request.POST.get("pk", PeriodKind.MONTH)
    if kind == PeriodKind.CUSTOM:
        key = f"{request.POST.get('from', '')}~{request.POST.get('to', '')}"
    else:
        key = request.POST.get(
            PERIOD_INPUT.get(PeriodKind(kind) if kind in PeriodKind.values else PeriodKind.MONTH, "p_month"),
            "",
        )
    try:
        period = period_parse(key)
    except Exception as exc:  # InvalidInput: back to the form with the reason
        from django.contrib import messages

        messages.error(request, getattr(exc, "message", "统计周期有误"))
        return redirect(reverse("assessment:reports") + f"?pk={kind}&area={area.param}")
    job = report_job_create(actor=person_of(request), period=period, area=area)
    return redirect("assessment:report", job_id=job.pk)


def _tables(job: ReportJob) -> list[Table]:
    return list(report_tables(job.data).values())


def _charts(d: dict[str, Any]) -> dict[str, Any]:
    trend = d["trend"]
    on_time = [
        Rate(trend["closed_on_time"][i], trend["due_close"][i]).percent for i in range(len(trend["labels"]))
    ]
    return {
        "trend": {
            "labels": trend["labels"],
            "reported": trend["reported"],
            "closed": trend["closed"],
            "on_time": [None if v is None else float(v) for v in on_time],
        },
        "platforms": [{"name": p["label"], "value": p["count"]} for p in d["platforms"]],
        "levels": {
            "labels": [lv["label"] for lv in d["levels"]],
            "values": [lv["count"] for lv in d["levels"]],
        },
    }


@login_required
def report_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    """The report page; while the job runs, a progress panel that HTMX refreshes every second."""
    require_viewer(request.user)
    job = access_job(request.user, job_id)
    done = job.status == JobStatus.DONE
    if done and wants_export(request):
        return export_response(
            request,
            _tables(job),
            what="assessment.report",
            filename=f"{job.area_name}{job.period_key}分析",
            params={"job": job.pk},
        )
    context: dict[str, Any] = {"job": job, "done": done}
    if getattr(request, "htmx", False) and request.GET.get("fragment") == "progress":
        if done:
            response = HttpResponse()
            response["HX-Refresh"] = "true"  # swap the whole page in once the report is ready
            return response
        return render(request, "assessment/_report_progress.html", context)
    if done:
        tables = {t.name: t for t in _tables(job)}
        context |= {
            "data": job.data,
            "tables": tables,
            "period_label": job.data["period"]["label"],
            "charts": _charts(job.data),
        }
    return render(request, "assessment/report.html", context)


@login_required
def report_download(request: HttpRequest, job_id: int) -> HttpResponse | FileResponse:
    """The stored report, once a reason is given: a watermarked copy, audited with the reason."""
    require_viewer(request.user)
    job = access_job(request.user, job_id)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404("报告尚未生成")
    reason = export_reason(request, title=f"{job.area_name}{job.get_kind_display()}{job.period_key}")
    if isinstance(reason, HttpResponse):
        return reason
    person = person_of(request)
    try:
        with job.file.open("rb") as handle:
            data = watermark_xlsx(handle.read(), watermark_of(person, reason))
    except FileNotFoundError:
        raise Http404("报告文件已不存在，请重新生成") from None
    export_record(
        actor=person,
        what="assessment.report.xlsx",
        reason=reason,
        params={"job": job.pk, "period": job.period_key, "area": job.area_code},
        rows=0,
    )
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"{job.area_name}{job.get_kind_display()}{job.period_key}.xlsx",
    )
