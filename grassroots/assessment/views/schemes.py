"""Assessment schemes: their configuration, a period's results (live, or frozen once published) with grades and
rank changes, publishing and re-running, and the raters' page for manual parts."""

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from grassroots.core.errors import DomainError
from grassroots.people.actors import person_of

from ..areas import area_resolve
from ..choices import AdjustmentBasis, PartMethod, SubjectKind
from ..excel import Table
from ..indicators import INDICATORS
from ..models import Assessment, ManualRating, Scheme, SchemePart, plain
from ..periods import period_parse
from ..permissions import may_publish, require_viewer
from ..selectors import assessment_table, schemes_active
from ..services import assessment_publish, assessment_rerun, manual_rating_record
from .common import (
    Filters,
    area_options,
    change_cell,
    export_response,
    paginate,
    parse_filters,
    parse_period,
    period_context,
    rateable_parts,
    rating_area,
    rating_subjects,
    wants_export,
)


def _scheme(scheme_id: int) -> Scheme:
    scheme = schemes_active().filter(pk=scheme_id).first()
    if scheme is None:
        raise Http404("考核方案不存在")
    return scheme


@login_required
def scheme_list(request: HttpRequest) -> HttpResponse:
    require_viewer(request.user)
    filters = parse_filters(request)
    order = list(SubjectKind.values)
    schemes = sorted(schemes_active(), key=lambda s: (order.index(s.subject_kind), s.code))
    return render(
        request,
        "assessment/schemes.html",
        {
            "schemes": schemes,
            "filters": filters,
            "indicators": INDICATORS,
            "methods": PartMethod,
            **period_context(filters),
        },
    )


def _part_tip(part: Any) -> str:
    if part.method == PartMethod.MANUAL:
        return f"{part.raters} 位评分人的平均分" if part.raters else "尚无评分"
    bits = []
    for item in part.items:
        value = "—" if item.rate is None else f"{(item.rate * 100).quantize(Decimal('0.01'))}%"
        bits.append(f"{INDICATORS[item.indicator].label} {value}（{plain(item.weight)}分）")
    for adj in part.adjustments:
        sign = "−" if adj.direction == "deduct" else "+"
        bits.append(f"{AdjustmentBasis(adj.basis).label} {adj.count} 项 {sign}{plain(adj.points)}")
    return "；".join(bits)


def _grade_css(grade: str) -> str:
    return {"A": "green", "B": "green", "C": "yellow", "D": "red", "E": "red"}.get(grade, "")


@login_required
def scheme_results(request: HttpRequest, scheme_id: int) -> HttpResponse:
    """A period's results: frozen if published, else computed live."""
    require_viewer(request.user)
    scheme = _scheme(scheme_id)
    filters = parse_filters(request, default_kind=scheme.subject_kind)
    filters.params.pop("subject", None)
    table = assessment_table(viewer=request.user, scheme=scheme, period=filters.period, area=filters.area)
    parts = list(scheme.parts.all())
    headers = [
        "名次",
        "升降",
        "名称",
        "所属",
        *(f"{p.name}（{plain(p.weight)}%）" for p in parts),
        "其中扣分",
        "其中加分",
        "总分",
        "等次",
    ]
    export = Table(
        "results",
        f"{scheme.name} {filters.area.name} {filters.period.label}",
        headers,
        [
            [
                r.rank,
                r.change,
                r.subject.name,
                r.subject.parent,
                *(p.score for p in r.parts),
                sum((p.deductions for p in r.parts), Decimal(0)),
                sum((p.bonuses for p in r.parts), Decimal(0)),
                r.score,
                r.grade or "待评",
            ]
            for r in table.rows
        ],
        note=f"已发布（第 {table.published.version} 版）"
        if table.published
        else "未发布：实时计算，数据变化时结果随之变化",
    )
    if wants_export(request):
        return export_response(
            request,
            [export],
            what=f"assessment.results.{scheme.code}",
            filename=export.title,
            params=filters.params,
        )
    page = paginate(request, table.rows)
    lines = [
        {
            "row": r,
            "change": change_cell(r.change),
            "parts": [{"score": p.score, "method": p.method, "tip": _part_tip(p)} for p in r.parts],
            "deductions": sum((p.deductions for p in r.parts), Decimal(0)),
            "bonuses": sum((p.bonuses for p in r.parts), Decimal(0)),
            "grade_css": _grade_css(r.grade),
        }
        for r in page.object_list
    ]
    grades = {g: sum(1 for r in table.rows if r.grade == g) for g in "ABCDE"}
    manual_parts = [p for p in parts if p.method == PartMethod.MANUAL]
    return render(
        request,
        "assessment/scheme_results.html",
        {
            "scheme": scheme,
            "parts": parts,
            "table": table,
            "page": page,
            "lines": lines,
            "grades": grades,
            "pending": sum(1 for r in table.rows if r.score is None),
            "manual_parts": manual_parts,
            "filters": filters,
            "area_options": area_options(request.user, filters.area),
            "may_publish": may_publish(request.user),
            "export_query": filters.query(export="xlsx", table="results"),
            "error": request.GET.get("error", ""),
            **period_context(filters),
        },
    )


def _back(scheme: Scheme, period_key: str, area: str, **extra: str) -> str:
    return (
        reverse("assessment:scheme", args=[scheme.pk])
        + "?"
        + urlencode({"period": period_key, "area": area, **extra})
    )


@login_required
@require_POST
def scheme_publish(request: HttpRequest, scheme_id: int) -> HttpResponse:
    require_viewer(request.user)
    scheme = _scheme(scheme_id)
    area = area_resolve(request.user, request.POST.get("area"))
    try:
        period = period_parse(request.POST.get("period", ""))
        assessment_publish(
            actor=person_of(request),
            scheme=scheme,
            period=period,
            area=area,
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_back(scheme, request.POST.get("period", ""), area.param))
    messages.success(request, f"已发布 {period.label} 考核结果，之后的数据变化不再影响该结果")
    return redirect(_back(scheme, period.key, area.param))


@login_required
@require_POST
def scheme_rerun(request: HttpRequest, scheme_id: int) -> HttpResponse:
    require_viewer(request.user)
    scheme = _scheme(scheme_id)
    area = area_resolve(request.user, request.POST.get("area"))
    assessment = get_object_or_404(
        Assessment, scheme=scheme, period_key=request.POST.get("period", ""), area_code=area.code
    )
    try:
        done = assessment_rerun(
            actor=person_of(request), assessment=assessment, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_back(scheme, assessment.period_key, area.param, rerun="1"))
    messages.success(request, f"已重新计算，当前为第 {done.version} 版（旧版本保留备查）")
    return redirect(_back(scheme, assessment.period_key, area.param))


# -- manual ratings ----------------------------------------------------------------------------------------------


@login_required
def rating_list(request: HttpRequest) -> HttpResponse:
    """评分任务: the manual parts this person rates (county departments reach assessment only through this)."""
    period, errors = parse_period(request)
    parts = rateable_parts(request)
    if not parts:
        raise Http404("您没有需要录入的评分")
    return render(
        request,
        "assessment/rating_list.html",
        {"parts": parts, "period": period, "errors": errors},
    )


@login_required
def ratings(request: HttpRequest, part_id: int) -> HttpResponse:
    """Enter this period's scores for a manual part: one row per subject the person may rate."""
    part = get_object_or_404(
        SchemePart.objects.select_related("scheme"),
        pk=part_id,
        method=PartMethod.MANUAL,
        scheme__is_active=True,
    )
    area = rating_area(request)
    period, period_errors = parse_period(request)
    filters = Filters(
        period=period, area=area, errors=period_errors, params={"period": period.key, "area": area.code}
    )
    subjects = rating_subjects(request, part, area)
    if not subjects:
        raise Http404("您不是该项的评分人")
    rater: Any = request.user
    mine = {
        r.subject_key: r for r in ManualRating.objects.filter(part=part, period_key=period.key, rater=rater)
    }
    values: dict[str, dict[str, str]] = {
        s.key: {
            "score": str(mine[s.key].score) if s.key in mine else "",
            "note": mine[s.key].note if s.key in mine else "",
        }
        for s, _ in subjects
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        saved = 0
        for subject, _ in subjects:
            score = request.POST.get(f"score-{subject.key}", "").strip()
            note = request.POST.get(f"note-{subject.key}", "").strip()
            values[subject.key] = {"score": score, "note": note}
            if not score:
                continue
            old = mine.get(subject.key)
            if old is not None and str(old.score) == score and old.note == note:
                continue
            try:
                manual_rating_record(
                    actor=person_of(request),
                    part=part,
                    subject_key=subject.key,
                    period=period,
                    score=score,
                    note=note,
                )
                saved += 1
            except DomainError as exc:
                details = exc.details if isinstance(exc.details, dict) else {}
                errors[subject.key] = (
                    f"{exc.message}（{details['score']}）" if details.get("score") else exc.message
                )
        if not errors:
            published = Assessment.objects.filter(scheme=part.scheme, period_key=period.key).exists()
            text = f"已保存 {saved} 项评分"
            if published:
                text += "；该期考核已发布，重新计算后评分才会计入结果"
            messages.success(request, text)
            return redirect(reverse("assessment:ratings", args=[part.pk]) + filters.query())
    if wants_export(request):
        table = Table(
            "ratings",
            f"{part.scheme.name}·{part.name} {period.label}",
            [str(SubjectKind(part.scheme.subject_kind).label), "所属", "得分", "评语"],
            [[s.name, s.parent, values[s.key]["score"] or None, values[s.key]["note"]] for s, _ in subjects],
        )
        return export_response(
            request,
            [table],
            what="assessment.ratings",
            filename=table.title,
            params={"part": part.pk, "period": period.key},
        )
    rows = [
        {
            "subject": s,
            "score": values[s.key]["score"],
            "note": values[s.key]["note"],
            "error": errors.get(s.key, ""),
        }
        for s, _ in subjects
    ]
    return render(
        request,
        "assessment/ratings.html",
        {
            "part": part,
            "scheme": part.scheme,
            "rows": rows,
            "errors": errors,
            "filters": filters,
            "kind_label": SubjectKind(part.scheme.subject_kind).label,
            **period_context(filters),
        },
    )
