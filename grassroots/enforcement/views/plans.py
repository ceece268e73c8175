"""The staff's pages of plans and daily reports, under /enforcement/plans/: a unit's yearly plan with its monthly
split and progress, the stations with their posts and roster (and each shift's report), the daily reports with
their timeliness, and the quarterly bulletin (printable, and as .xlsx). Views check input and call the services;
a unit outside the viewer's scope is a 404."""

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.core.errors import DomainError
from grassroots.org.models import Unit
from grassroots.people.actors import person_of
from grassroots.people.models import Person

from ..models import InspectionPlan, PlanShare, Post, RosterShift, Station
from ..models.plans import PostKind, ShiftKind
from ..services.daily_reports import report_hours
from ..services.plan_figures import (
    XLSX,
    bulletin_export,
    bulletin_rows,
    counted_reports,
    plan_completion,
    quarter_of,
    report_timeliness,
)
from ..services.plans import (
    certified_officers,
    may_manage_plans,
    period_of,
    plan_consistent,
    plan_month_move,
    plan_months_derive,
    plan_units_visible_to,
    plan_year_create,
    post_create,
    roster_assign,
    roster_remove,
    station_create,
)

MONTH_NAMES = [f"{m}月" for m in range(1, 13)]


def _unit(request: HttpRequest, unit_id: int) -> tuple[Person, Unit]:
    person = person_of(request)
    unit = plan_units_visible_to(person).select_related("division").filter(pk=unit_id).first()
    if unit is None:
        raise Http404("单位不存在或不在您的管辖范围内")
    return person, unit


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _fail(request: HttpRequest, exc: DomainError) -> None:
    if exc.status == 403:
        raise PermissionDenied(exc.message) from exc
    messages.error(request, exc.message)


def _float(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


@login_required
def plan_units(request: HttpRequest) -> HttpResponse:
    """The enforcement units in scope (those with officers in the pool or with plans), this year's figures."""
    person = person_of(request)
    year = _int(request.GET.get("year"), timezone.localdate().year)
    units = (
        plan_units_visible_to(person)
        .filter(pk__in=[*Unit.objects.filter(inspectors__isnull=False).values_list("pk", flat=True)])
        .order_by("code")
    )
    first, last = period_of(year)
    rows = [
        {
            "unit": unit,
            "plan": InspectionPlan.objects.filter(unit=unit, year=year, month__isnull=True).first(),
            "completion": plan_completion(unit=unit, first=first, last=last),
            "timeliness": report_timeliness(unit=unit, first=first, last=last),
        }
        for unit in units
    ]
    return render(request, "enforcement/plan_units.html", {"rows": rows, "year": year})


def _share_grid(plan: InspectionPlan) -> list[dict[str, Any]]:
    """Officer by officer: the year's share, each month's share with what was reported, and the year's rate
    (three queries: the year's reports are summed here)."""
    months = {
        (officer, month): target
        for officer, month, target in PlanShare.objects.filter(plan__parent=plan).values_list(
            "officer", "plan__month", "target"
        )
    }
    first, last = period_of(plan.year)
    done: dict[tuple[int, int], int] = {}
    for officer, day, checked in counted_reports(unit=plan.unit, first=first, last=last).values_list(
        "officer", "day", "checked"
    ):
        done[(officer, day.month)] = done.get((officer, day.month), 0) + checked
    rows = []
    for share in plan.shares.select_related("officer").order_by("officer__name"):
        cells: list[dict[str, Any]] = [
            {
                "month": m,
                "planned": months.get((share.officer_id, m)),
                "done": done.get((share.officer_id, m), 0),
            }
            for m in range(1, 13)
        ]
        year_done = sum(c["done"] for c in cells)
        rate = min(year_done, share.target) / share.target if share.target else None
        rows.append({"share": share, "cells": cells, "done": year_done, "rate": rate})
    return rows


@login_required
def plan_year(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    """The unit's yearly plan: its split, the months, progress; or the form that makes it."""
    person, unit = _unit(request, unit_id)
    plan = InspectionPlan.objects.filter(unit=unit, year=year, month__isnull=True).first()
    manage = may_manage_plans(person, unit)
    first, last = period_of(year)
    if request.method == "POST":
        if plan is not None or not manage:
            raise PermissionDenied("年度计划已编制或您不能编制计划")
        officers = {
            i.person: request.POST.get(f"target_{i.person_id}", "").strip()
            for i in certified_officers(unit, first, last)
        }
        chosen = {o: t for o, t in officers.items() if t not in ("", "0")}
        try:
            plan_year_create(
                actor=person, unit=unit, year=year, shares=chosen, note=request.POST.get("note", "")
            )
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, f"已编制 {year} 年度计划")
        return redirect(reverse("enforcement:plan_year", args=[unit.pk, year]))
    context: dict[str, Any] = {
        "unit": unit,
        "year": year,
        "nav_year": year,
        "plan": plan,
        "may_manage": manage,
        "months": MONTH_NAMES,
        "completion": plan_completion(unit=unit, first=first, last=last),
        "timeliness": report_timeliness(unit=unit, first=first, last=last),
    }
    if plan is None:
        context["candidates"] = certified_officers(unit, first, last)
    else:
        context["grid"] = _share_grid(plan)
        context["derived"] = plan.months.exists()
        context["consistent"] = plan_consistent(plan)
        context["month_plans"] = plan.months.order_by("month")
    return render(request, "enforcement/plan_year.html", context)


@login_required
@require_POST
def plan_derive(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    person, unit = _unit(request, unit_id)
    plan = InspectionPlan.objects.filter(unit=unit, year=year, month__isnull=True).first()
    if plan is None:
        raise Http404("没有该年度计划")
    try:
        plan_months_derive(actor=person, plan=plan)
        messages.success(request, "已下达 12 个月度计划")
    except DomainError as exc:
        _fail(request, exc)
    return redirect(reverse("enforcement:plan_year", args=[unit.pk, year]))


@login_required
@require_POST
def plan_move(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    person, unit = _unit(request, unit_id)
    plan = InspectionPlan.objects.filter(unit=unit, year=year, month__isnull=True).first()
    share = (
        PlanShare.objects.select_related("officer")
        .filter(plan=plan, officer_id=_int(request.POST.get("officer"), 0))
        .first()
        if plan is not None
        else None
    )
    if plan is None or share is None:
        raise Http404("没有该计划或人员")
    try:
        plan_month_move(
            actor=person,
            plan=plan,
            officer=share.officer,
            from_month=_int(request.POST.get("from_month"), 0),
            to_month=_int(request.POST.get("to_month"), 0),
            count=_int(request.POST.get("count"), 0),
        )
        messages.success(request, "已调整月度计划")
    except DomainError as exc:
        _fail(request, exc)
    return redirect(reverse("enforcement:plan_year", args=[unit.pk, year]))


# -- stations and roster --------------------------------------------------------------------------------------


def _week_start(request: HttpRequest) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    return day - dt.timedelta(days=day.weekday())


@login_required
def stations(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The unit's stations with their posts, and the roster of one week with each shift's report."""
    person, unit = _unit(request, unit_id)
    start = _week_start(request)
    days = [start + dt.timedelta(days=n) for n in range(7)]
    shifts = (
        RosterShift.objects.filter(post__station__unit=unit, day__gte=days[0], day__lte=days[-1])
        .select_related("post__station", "officer")
        .prefetch_related("reports")
    )
    by_post: dict[int, dict[dt.date, list[RosterShift]]] = {}
    for shift in shifts:
        by_post.setdefault(shift.post_id, {}).setdefault(shift.day, []).append(shift)
    station_rows = [
        {
            "station": station,
            "posts": [
                {"post": post, "days": [by_post.get(post.pk, {}).get(day, []) for day in days]}
                for post in station.posts.all()
            ],
        }
        for station in Station.objects.filter(unit=unit).prefetch_related("posts")
    ]
    context = {
        "unit": unit,
        "nav_year": days[0].year,
        "days": days,
        "previous": days[0] - dt.timedelta(days=7),
        "next": days[0] + dt.timedelta(days=7),
        "station_rows": station_rows,
        "may_manage": may_manage_plans(person, unit),
        "officers": certified_officers(unit, days[0], days[0]),
        "post_kinds": PostKind.choices,
        "shift_kinds": ShiftKind.choices,
        "today": timezone.localdate(),
    }
    return render(request, "enforcement/plan_stations.html", context)


@login_required
@require_POST
def stations_change(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Add a station, a post or a shift, or take a shift off the roster (`what` names which)."""
    person, unit = _unit(request, unit_id)
    data = request.POST
    what = data.get("what")
    try:
        if what == "station":
            station_create(
                actor=person,
                unit=unit,
                name=data.get("name", ""),
                address=data.get("address", ""),
                lon=_float(data.get("lon")),
                lat=_float(data.get("lat")),
            )
            messages.success(request, "已设立执法站")
        elif what == "post":
            station = Station.objects.filter(unit=unit, pk=_int(data.get("station"), 0)).first()
            if station is None:
                raise Http404("执法站不存在")
            post_create(actor=person, station=station, name=data.get("name", ""), kind=data.get("kind", ""))
            messages.success(request, "已设岗")
        elif what == "shift":
            post = (
                Post.objects.select_related("station__unit")
                .filter(station__unit=unit, pk=_int(data.get("post"), 0))
                .first()
            )
            officer = Person.objects.filter(pk=_int(data.get("officer"), 0)).first()
            day = dt.date.fromisoformat(data.get("day", "")) if data.get("day") else None
            if post is None or officer is None or day is None:
                messages.error(request, "请选择岗位、人员和日期")
            else:
                roster_assign(actor=person, post=post, officer=officer, day=day, kind=data.get("kind", ""))
                messages.success(request, f"已排班：{officer.name} {day:%m-%d}")
        elif what == "unshift":
            shift = (
                RosterShift.objects.select_related("post__station__unit")
                .filter(post__station__unit=unit, pk=_int(data.get("shift"), 0))
                .first()
            )
            if shift is None:
                raise Http404("班次不存在")
            roster_remove(actor=person, shift=shift)
            messages.success(request, "已删除班次")
    except DomainError as exc:
        _fail(request, exc)
    except ValueError:
        messages.error(request, "日期格式不正确")
    return redirect(
        reverse("enforcement:plan_stations", args=[unit.pk]) + f"?week={request.POST.get('week', '')}"
    )


# -- daily reports and the bulletin ---------------------------------------------------------------------------


@login_required
def daily_reports(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The unit's daily reports of one month (or only the late ones), with the month's timeliness."""
    _person, unit = _unit(request, unit_id)
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        first, last = period_of(year, month)
    except ValueError:
        first, last = period_of(today.year, today.month)
    timeliness = report_timeliness(unit=unit, first=first, last=last)
    records = timeliness.late_records if request.GET.get("late") == "1" else timeliness.records
    page = Paginator(
        records.select_related("officer", "shift__post__station").order_by("-day", "officer__name"), 50
    ).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "nav_year": first.year,
        "first": first,
        "timeliness": timeliness,
        "page": page,
        "late_only": request.GET.get("late") == "1",
        "hours": report_hours(),
        "previous": (first - dt.timedelta(days=1)).strftime("%Y-%m"),
        "next": (last + dt.timedelta(days=1)).strftime("%Y-%m"),
    }
    return render(request, "enforcement/plan_reports.html", context)


def _quarter(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year)
    quarter = _int(request.GET.get("quarter"), (today.month - 1) // 3 + 1)
    if not (1 <= quarter <= 4 and 2000 <= year <= 2100):
        raise Http404("季度不正确")
    return year, quarter


@login_required
def bulletin(request: HttpRequest, unit_id: int) -> HttpResponse:
    """季度通报, printable: per officer planned, done, rate and late reports, and the unit's total."""
    _person, unit = _unit(request, unit_id)
    year, quarter = _quarter(request)
    first, last = quarter_of(year, quarter)
    context = {
        "unit": unit,
        "year": year,
        "quarter": quarter,
        "first": first,
        "last": last,
        "rows": bulletin_rows(unit=unit, first=first, last=last),
        "today": timezone.localdate(),
    }
    return render(request, "enforcement/plan_bulletin.html", context)


@login_required
def bulletin_xlsx(request: HttpRequest, unit_id: int) -> HttpResponse:
    person, unit = _unit(request, unit_id)
    year, quarter = _quarter(request)
    data = bulletin_export(actor=person, unit=unit, year=year, quarter=quarter)
    response = HttpResponse(data, content_type=XLSX)
    name = f"{unit.name}-{year}年第{quarter}季度执法计划完成情况通报"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.xlsx"
    return response


urlpatterns = [
    path("", plan_units, name="plans"),
    path("<int:unit_id>/<int:year>/", plan_year, name="plan_year"),
    path("<int:unit_id>/<int:year>/derive/", plan_derive, name="plan_derive"),
    path("<int:unit_id>/<int:year>/move/", plan_move, name="plan_move"),
    path("<int:unit_id>/stations/", stations, name="plan_stations"),
    path("<int:unit_id>/stations/change/", stations_change, name="plan_stations_change"),
    path("<int:unit_id>/reports/", daily_reports, name="plan_reports"),
    path("<int:unit_id>/bulletin/", bulletin, name="plan_bulletin"),
    path("<int:unit_id>/bulletin.xlsx", bulletin_xlsx, name="plan_bulletin_xlsx"),
]
