"""The live queue as an Excel workbook: every row of the list as filtered (not one page), only what the viewer may
see, the reporter masked as the viewer would see them, at most `MAX_ROWS` rows, audited, in a fixed number of
queries however many rows there are."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from grassroots.assessment.excel import Table, tables_workbook
from grassroots.core.errors import InvalidInput
from grassroots.core.watermark import Watermark
from grassroots.people.selectors import personal_data, sees_personal_data

from .models import Assignment, Event
from .selectors import hides_reporter, light_of, open_items, order_label
from .services.exports import event_list_export_record
from .templatetags.event_pages import LIGHT_LABELS

MAX_ROWS = 10_000
# The reporter's fields the workbook carries (no email: a list for a meeting has no use for it).
REPORTER_COLUMNS = ("reporter_name", "reporter_phone")
WHAT = "events.queue.xlsx"
HEADERS = [
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
    "督办",
    "督办期限",
    "待审批",
    "反映人",
    "反映人电话",
]


@dataclass(frozen=True)
class Export:
    content: bytes
    rows: int


def _local(value: dt.datetime | None) -> dt.datetime | None:
    """Excel has no time zones: the local wall-clock time, as the page shows it."""
    return timezone.localtime(value).replace(tzinfo=None) if value is not None else None


def _place(event: Event) -> str | None:
    if event.grid is not None:
        return f"{event.village.name if event.village else ''} {event.grid.name}".strip()
    return event.village.name if event.village else None


def _reporter(viewer: Any, event: Event) -> tuple[list[str | None], bool]:
    """The reporter's name and phone as `viewer` would see them, and whether they go out unmasked to someone else."""
    if event.anonymous:
        return [gettext("匿名"), None], False
    hidden = hides_reporter(viewer, event)
    shown = personal_data(
        viewer=None if hidden else viewer,
        name=event.reporter_name,
        phone=event.reporter_phone,
        subject_id=None if hidden else event.reporter_id,
    )
    unmasked = (
        not hidden
        and sees_personal_data(viewer, event.reporter_id)
        and event.reporter_id != getattr(viewer, "pk", None)
        and bool(event.reporter_name or event.reporter_phone)
    )
    return [shown["name"] or None, shown["phone"] or None], unmasked


def queue_export(
    *,
    viewer: Any,
    events: QuerySet[Event],
    params: dict[str, Any],
    note: str,
    now: dt.datetime,
    mark: Watermark,
) -> Export:
    """`events` (already filtered to the viewer's scope and sorted as the list) as a workbook watermarked with
    `mark`; refused when more than `MAX_ROWS`. The export (with its reason) and each unmasked reporter are
    audited."""
    total = events.count()
    if total > MAX_ROWS:
        raise InvalidInput(
            f"符合条件的事件共 {total:,} 件，超过单次导出上限 {MAX_ROWS:,} 件，请缩小筛选范围（如上报日期）后再导出",
            code="export_too_large",
            details={"rows": total, "max": MAX_ROWS},
        )
    rows = events.annotate(**open_items()).prefetch_related(
        # Whose unit was assigned the event decides whether its reporter is hidden (`hides_reporter`).
        Prefetch("assignments", queryset=Assignment.objects.only("id", "event_id", "unit_id"))
    )
    table = Table(name="events", title=gettext("事件队列"), headers=HEADERS, note=note)
    unmasked: list[Event] = []
    for e in rows:
        reporter, shown = _reporter(viewer, e)
        if shown:
            unmasked.append(e)
        light = light_of(overdue=e.overdue, warn_at=e.warn_at, deadline=e.deadline, now=now)
        table.rows.append(
            [
                e.number or gettext("待编号"),
                e.title,
                e.event_type.name,
                e.get_source_display(),
                e.get_status_display(),
                e.get_level_display(),
                _place(e),
                e.address or None,
                e.holder_unit.name if e.holder_unit else None,
                _local(e.reported_at),
                _local(e.deadline),
                str(LIGHT_LABELS[light]) if light else gettext("无时限"),
                order_label(e) or None,
                _local(getattr(e, "order_deadline", None)),
                gettext("延期申请待审批") if getattr(e, "awaiting_approval", False) else None,
                *reporter,
            ]
        )
    event_list_export_record(
        actor=viewer,
        what=WHAT,
        reason=mark.reason,
        params=params,
        rows=len(table.rows),
        unmasked=unmasked,
        fields=REPORTER_COLUMNS,
    )
    return Export(content=tables_workbook([table], mark=mark), rows=len(table.rows))
