"""The live queue of the command room: the events in the viewer's scope, filtered, with counters per light and
status that refresh themselves, saved filters, and bulk steps that go through the services one event at a time.

One view answers three ways: the whole page, the results (table and pager) when HTMX swaps `#queue-results`
after a filter change, and the counters alone when `#queue-counts` polls.
"""

import datetime as dt
from dataclasses import replace
from typing import Any, cast
from urllib.parse import quote, urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.choices import flatten_choices
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from grassroots.assessment.excel import XLSX
from grassroots.core.errors import DomainError, InvalidInput
from grassroots.core.watermark import export_reason, watermark_of

from .. import services
from ..choices import OPEN_STATUSES
from ..exports import queue_export as queue_export_workbook
from ..forms import STATUS_ALL, STATUS_OPEN, BulkForm, QueueFilterForm, SavedFilterForm
from ..models import Event, SavedFilter
from ..permissions import access_event
from ..selectors import (
    EventFilters,
    dispatch_units,
    events_list,
    light_of,
    open_items,
    order_label,
    queue_counts,
)
from ..services.filters import saved_filter_delete as delete_saved_filter
from ..services.filters import saved_filter_save as save_filter
from .common import ACTING_ROLES, QUEUE_ROLES, for_roles, has_role, is_fragment, viewer_of

PER_PAGE = 50
MAX_FAILURES_SHOWN = 20


def _filters(form: QueueFilterForm) -> EventFilters:
    values = form.filter_values()
    status = values.get("status") or STATUS_OPEN
    statuses: list[str] = []
    if status == STATUS_OPEN:
        statuses = sorted(OPEN_STATUSES)
    elif status != STATUS_ALL:
        statuses = [status]
    return EventFilters(
        statuses=statuses,
        level=values.get("level"),
        platform=values.get("platform", ""),
        type_code=values.get("type", ""),
        source=values.get("source", ""),
        grid=values.get("grid", ""),
        holder_unit_id=values.get("unit"),
        light=values.get("light", ""),
        reported_from=_day_start(values.get("reported_from")),
        # Both ends are inclusive: the range ends just before the day after `reported_to` begins.
        reported_to=_day_start(values.get("reported_to"), days=1, less=dt.timedelta(microseconds=1)),
        supervised=bool(values.get("supervised")),
        pending_request=bool(values.get("pending")),
        q=values.get("q", ""),
    )


def _day_start(
    day: dt.date | None, *, days: int = 0, less: dt.timedelta = dt.timedelta(0)
) -> dt.datetime | None:
    """The local midnight starting `day` (+ `days`), less `less`; None for no day."""
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=days), dt.time.min)) - less


def _query(form: QueueFilterForm, **changes: Any) -> str:
    """The query string of the current filters (and sort), with `changes`; empty values are left out."""
    values = {**form.filter_values(), "sort": getattr(form, "cleaned_data", {}).get("sort") or "", **changes}
    return urlencode({k: v for k, v in values.items() if v not in (None, "")})


def _sorted(events: QuerySet[Event], sort: str) -> QuerySet[Event]:
    if sort == "due":
        return events.order_by(F("deadline").asc(nulls_last=True), "-reported_at", "-id")
    return events


LIGHT_COUNT_LABELS = {"red": _("红灯"), "yellow": _("黄灯"), "green": _("绿灯")}


def _count_items(form: QueueFilterForm, counts: dict[str, Any]) -> list[dict[str, Any]]:
    """The counters as links: each sets its own filter and clears the other (light or status)."""
    values = form.filter_values()
    status, light = values.get("status") or STATUS_OPEN, values.get("light", "")
    items = [
        {
            "kind": "total",
            "key": "open",
            "label": _("未办结"),
            "n": counts["total"],
            "query": _query(form, status="", light="", page=""),
            "active": status == STATUS_OPEN and not light,
        }
    ]
    items += [
        {
            "kind": "light",
            "key": key,
            "label": label,
            "n": counts["lights"][key],
            "query": _query(form, status="", light=key, page=""),
            "active": light == key,
        }
        for key, label in LIGHT_COUNT_LABELS.items()
    ]
    items += [
        {
            "kind": "status",
            "key": value,
            "label": label,
            "n": n,
            "query": _query(form, status=value, light="", page=""),
            "active": status == value and not light,
        }
        for value, label, n in counts["statuses"]
    ]
    return items


def _listed(form: QueueFilterForm, viewer: Any, now: dt.datetime) -> tuple[EventFilters, QuerySet[Event]]:
    """The filters the form selects and the events they list; a filter the selector refuses is shown on the form
    and the default list is given instead."""
    filters = _filters(form)
    try:
        return filters, events_list(viewer=viewer, filters=filters, now=now)
    except InvalidInput as exc:
        for field, message in (exc.details or {}).items():
            form.add_error(field if field in form.fields else None, message)
        filters = EventFilters(statuses=sorted(OPEN_STATUSES))
        return filters, events_list(viewer=viewer, filters=filters, now=now)


@for_roles(QUEUE_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    form = QueueFilterForm(request.GET, viewer=viewer)
    form.is_valid()
    now = timezone.now()
    filters, events = _listed(form, viewer, now)
    # The counters ignore the light and status filters: they are the choices those filters offer.
    counts = queue_counts(
        events=events_list(viewer=viewer, filters=replace(filters, light="", statuses=()), now=now), now=now
    )
    context: dict[str, Any] = {
        "form": form,
        "count_items": _count_items(form, counts),
        "query": _query(form),
    }
    if is_fragment(request, "queue-counts"):
        return render(request, "events/_queue_counts.html", context)
    page = Paginator(
        _sorted(events, form.cleaned_data.get("sort") or "new").annotate(**open_items()), PER_PAGE
    ).get_page(request.GET.get("page"))
    rows = [
        {
            "e": e,
            "light": light_of(overdue=e.overdue, warn_at=e.warn_at, deadline=e.deadline, now=now),
            "order": order_label(e),
        }
        for e in page.object_list
    ]
    acting = has_role(viewer, ACTING_ROLES)
    context |= {
        "page": page,
        "rows": rows,
        "acting": acting,
        "page_links": {n: _query(form, page=n) for n in page.paginator.get_elided_page_range(page.number)}
        if page.paginator.num_pages > 1
        else {},
    }
    if is_fragment(request, "queue-results"):
        return render(request, "events/_queue_results.html", {**context, "fragment": True})
    context |= {
        "saved_filters": list(SavedFilter.objects.filter(person=viewer)),
        "save_form": SavedFilterForm(initial={"query": context["query"]}),
        "bulk_form": BulkForm(units=dispatch_units(region_code=viewer.region_code)) if acting else None,
    }
    return render(request, "events/queue.html", context)


def _described(form: QueueFilterForm) -> str:
    """The filters in words, for the export's heading (a choice by its label, not its code)."""
    parts = []
    for key, value in form.filter_values().items():
        field = form.fields[key]
        shown = value
        if isinstance(field, forms.BooleanField):
            shown = _("是")
        elif isinstance(field, forms.ChoiceField):
            pairs = cast(list[tuple[Any, Any]], list(flatten_choices(cast(Any, field.choices))))
            shown = {str(k): label for k, label in pairs}.get(str(value), value)
        parts.append(f"{field.label}：{shown}")
    return "；".join(parts) or str(_("未办结（默认）"))


@for_roles(QUEUE_ROLES)
def queue_export(request: HttpRequest) -> HttpResponse:
    """The list as filtered (every page, in the list's order) as an Excel workbook, once the reason is given (a GET
    shows the form asking for it; the filters stay in the query)."""
    viewer = viewer_of(request)
    form = QueueFilterForm(request.GET, viewer=viewer)
    form.is_valid()
    now = timezone.now()
    events = _listed(form, viewer, now)[1]
    if form.errors:
        messages.error(request, _("筛选条件有误，请先修改再导出"))
        return _back(request, _query(form))
    reason = export_reason(request, title=str(_("导出事件队列")))
    if isinstance(reason, HttpResponse):
        return reason
    local = timezone.localtime(now)
    try:
        export = queue_export_workbook(
            viewer=viewer,
            events=_sorted(events, form.cleaned_data.get("sort") or "new"),
            params={k: str(v) for k, v in form.filter_values().items()},
            note=f"导出时间 {local:%Y-%m-%d %H:%M} · 筛选条件：{_described(form)}",
            now=now,
            mark=watermark_of(viewer, reason, at=now),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(request, _query(form))
    response = HttpResponse(export.content, content_type=XLSX)
    filename = quote(f"事件队列{local:%Y%m%d-%H%M}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _back(request: HttpRequest, query: str) -> HttpResponse:
    query = query.lstrip("?")
    return redirect(f"{reverse('events:queue')}?{query}" if query else reverse("events:queue"))


BULK_LABELS = {"register": _("立案"), "dispatch": _("派遣"), "supervise": _("督办")}


@for_roles(ACTING_ROLES)
@require_POST
def queue_bulk(request: HttpRequest) -> HttpResponse:
    """Take one step on each selected event through its service; report what failed, event by event."""
    viewer = viewer_of(request)
    form = BulkForm(request.POST, units=dispatch_units(region_code=viewer.region_code))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _back(request, request.POST.get("back", ""))
    data = form.cleaned_data
    action = data["bulk_action"]
    done: list[str] = []
    failed: list[str] = []
    for event_id in data["ids"]:
        try:
            event = access_event(viewer, event_id)
        except Http404:
            failed.append(f"#{event_id}：事件不存在或不在您的管辖范围内")
            continue
        try:
            if action == "register":
                services.event_register(actor=viewer, event=event, note=data["note"])
            elif action == "dispatch":
                services.event_dispatch(
                    actor=viewer,
                    event=event,
                    lead_unit_id=data["lead_unit"],
                    mode=data["mode"] or "assigned",
                    note=data["note"],
                )
            else:
                services.event_supervise(
                    actor=viewer,
                    event=event,
                    kind=data["supervise_kind"] or "supervise",
                    days=data["days"] or 1,
                    note=data["note"],
                )
        except DomainError as exc:
            failed.append(f"{event.number}：{exc.message}")
            continue
        done.append(event.number or str(event.pk))
    label = BULK_LABELS[action]
    if done:
        messages.success(request, f"批量{label}：成功 {len(done)} 件")
    if failed:
        messages.error(request, f"批量{label}：{len(failed)} 件未能处理")
        for line in failed[:MAX_FAILURES_SHOWN]:
            messages.error(request, line)
        if len(failed) > MAX_FAILURES_SHOWN:
            messages.error(request, f"……另有 {len(failed) - MAX_FAILURES_SHOWN} 件未列出")
    return _back(request, data.get("back") or "")


@for_roles(QUEUE_ROLES)
@require_POST
def saved_filter_save(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    form = SavedFilterForm(request.POST)
    query = request.POST.get("query", "")
    if form.is_valid():
        try:
            saved = save_filter(
                person=viewer, name=form.cleaned_data["name"], query=form.cleaned_data["query"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已保存常用筛选“{saved.name}”")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return _back(request, query)


@for_roles(QUEUE_ROLES)
@require_POST
def saved_filter_delete(request: HttpRequest, filter_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    try:
        delete_saved_filter(person=viewer, filter_id=filter_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除常用筛选"))
    return _back(request, request.POST.get("back", ""))
