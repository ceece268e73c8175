"""The audit administrator's pages: search the log, and export what the search found (.xlsx, itself audited)."""

import io
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from grassroots.core.watermark import export_reason, watermark_of, watermark_workbook
from grassroots.core.workbooks import XLSX, write_sheet
from grassroots.people.actors import person_of
from grassroots.people.choices import Role

from .labels import CHANNEL_LABELS, action_label, object_type_label
from .models import AuditEntry, AuditHead
from .selectors import AuditFilter, audit_search
from .services import audit_record

PAGE_SIZE = 50
EXPORT_LIMIT = 50_000


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label=_("操作人"), required=False, max_length=100)
    action = forms.CharField(label=_("动作代码"), required=False, max_length=64)
    obj = forms.CharField(label=_("对象"), required=False, max_length=100)
    since = forms.DateField(label=_("起始日期"), required=False)
    until = forms.DateField(label=_("截止日期"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("起始日期晚于截止日期"))
        return data


def _may_read_log(user: Any) -> bool:
    """The audit administrator, and the break-glass superuser; nobody else reads the log."""
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.AUDIT_ADMIN))


def _filters(request: HttpRequest) -> tuple[AuditSearchForm, AuditFilter]:
    if not _may_read_log(request.user):
        raise PermissionDenied(_("只有审计管理员可以查阅审计日志"))
    form = AuditSearchForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, AuditFilter(**form.cleaned_data)
    return form, AuditFilter()


def audit_log(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    paginator = Paginator(audit_search(filters=filters).select_related(None), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = [
        {
            "entry": e,
            "action": action_label(e.action),
            "object_type": object_type_label(e.object_type),
            "channel": CHANNEL_LABELS.get(e.channel, e.channel),
        }
        for e in page.object_list
    ]
    actions = sorted(
        (
            (code, action_label(code))
            for code in AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
        ),
        key=lambda pair: pair[1],
    )
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "actions": actions,
        "head": AuditHead.objects.filter(pk=1).first(),
    }
    return render(request, "audit/log.html", context)


def audit_export(request: HttpRequest) -> HttpResponse:
    """What the search found, once a reason is given: watermarked with the exporter, and itself audited."""
    _form, filters = _filters(request)
    reason = export_reason(request, title=str(_("导出审计日志")))
    if isinstance(reason, HttpResponse):
        return reason
    person = person_of(request)
    entries = list(audit_search(filters=filters)[:EXPORT_LIMIT])
    headers = [
        "编号",
        "链序号",
        "时间",
        "操作人",
        "动作",
        "动作代码",
        "对象类型",
        "对象编号",
        "对象",
        "结果",
        "来源地址",
        "渠道",
        "请求编号",
    ]
    widths = [10, 10, 20, 14, 20, 22, 16, 12, 30, 8, 16, 8, 34]
    rows = [
        [
            e.id,
            e.seq,
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_label,
            action_label(e.action),
            e.action,
            object_type_label(e.object_type),
            e.object_id,
            e.object_repr,
            e.get_result_display(),
            e.ip or "",
            CHANNEL_LABELS.get(e.channel, e.channel),
            e.request_id,
        ]
        for e in entries
    ]
    workbook = Workbook()
    workbook.remove(workbook.active)
    write_sheet(workbook, "审计日志", headers, widths, rows)
    watermark_workbook(workbook, watermark_of(person, reason))
    buffer = io.BytesIO()
    workbook.save(buffer)
    with transaction.atomic():
        audit_record(
            actor=person,
            action="audit.export",
            object_type="audit.auditentry",
            detail={"reason": reason, "filters": filters.as_detail(), "rows": len(rows)},
        )
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.xlsx"'
    return response
