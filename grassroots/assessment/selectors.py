"""Reads that carry the assessment rules: indicator tables with rankings, scheme results (live or published),
the leader dashboard, drill-down lists and the weekly/monthly analysis. Everything is scoped by `figures`."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from grassroots.events.models import EventType
from grassroots.geo.models import Grid
from grassroots.org.choices import PlatformKind
from grassroots.org.models import Unit

from . import figures as fig
from . import trends
from .choices import SubjectKind
from .indicators import INDICATORS, Rate, rate_of
from .models import Assessment, AssessmentResult, ManualRating, Scheme, SchemePart
from .periods import Period
from .scoring import PartScore, SchemeDef, ranks, scheme_def, subject_score

# -- indicator tables with ranking ------------------------------------------------------------------------------


@dataclass
class RankedFigures:
    figures: fig.SubjectFigures
    rank: int | None = None
    previous_rank: int | None = None

    @property
    def change(self) -> int | None:
        """Places moved up since the previous period (negative: down)."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank


def rank_by(figures: list[fig.SubjectFigures], indicator: str) -> list[int | None]:
    values = [f.rate(indicator).value for f in figures]
    if not INDICATORS[indicator].higher_is_better:
        values = [None if v is None else 1 - v for v in values]
    return ranks(values)


def indicator_table(
    *,
    viewer: Any,
    kind: str,
    period: Period,
    area: fig.Area,
    sort: str,
    as_of: dt.datetime | None = None,
) -> list[RankedFigures]:
    """Every subject of `kind` with its figures, ranked by `sort`, with its rank in the previous period."""
    indicator = INDICATORS[sort]
    earlier = [indicator.numerator, indicator.denominator]
    if indicator.numerator == "dispatched_ok":
        earlier += ["dispatched", "returned"]
    current = fig.figures_by_subject(
        viewer=viewer, kind=kind, period=period, area=area, as_of=as_of, previous_names=earlier
    )
    previous_figures = [
        fig.SubjectFigures(
            f.subject,
            fig.ind.with_derived({n: f.counts.get(f"prev_{n}", 0) for n in earlier if n in fig.COUNTS}),
        )
        for f in current
    ]
    if sort == "platform_share":
        total = sum(p.counts.get("reported", 0) for p in previous_figures)
        for p in previous_figures:
            p.counts["reported_scope"] = total
    now_ranks = rank_by(current, sort)
    before = rank_by(previous_figures, sort)
    rows = [RankedFigures(f, r, b) for f, r, b in zip(current, now_ranks, before, strict=True)]
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.figures.subject.code))
    return rows


# -- scheme results ----------------------------------------------------------------------------------------------


@dataclass
class ScoredRow:
    subject: fig.Subject
    counts: dict[str, int]
    parts: list[PartScore]
    score: Decimal | None
    grade: str
    rank: int | None = None
    previous_rank: int | None = None
    previous_score: Decimal | None = None

    @property
    def change(self) -> int | None:
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank

    def rate(self, code: str) -> Rate:
        return rate_of(code, self.counts)


@dataclass
class AssessmentTable:
    scheme: Scheme
    definition: SchemeDef
    period: Period
    area: fig.Area
    as_of: dt.datetime
    rows: list[ScoredRow]
    published: Assessment | None = None
    previous_published: bool = False


def schemes_active() -> QuerySet[Scheme]:
    items = Prefetch("parts", queryset=SchemePart.objects.prefetch_related("items", "adjustments"))
    return Scheme.objects.filter(is_active=True).prefetch_related(items)


def eligible_units(scheme: Scheme) -> set[str] | None:
    """Unit subjects the scheme is for (None: every subject of its kind)."""
    if scheme.subject_kind != SubjectKind.UNIT or not (scheme.unit_kind or scheme.agency_class):
        return None
    units = Unit.objects.all()
    if scheme.unit_kind:
        units = units.filter(kind=scheme.unit_kind)
    if scheme.agency_class:
        units = units.filter(agency_class=scheme.agency_class)
    return {str(pk) for pk in units.values_list("pk", flat=True)}


def ratings_for(scheme: Scheme, period: Period) -> dict[str, dict[int, list[Decimal]]]:
    """Manual scores by subject and part for the period."""
    out: dict[str, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    rows = ManualRating.objects.filter(part__scheme=scheme, period_key=period.key).values_list(
        "subject_key", "part_id", "score"
    )
    for subject_key, part_id, score in rows:
        out[subject_key][part_id].append(Decimal(score))
    return out


def assessment_live(
    *, viewer: Any, scheme: Scheme, period: Period, area: fig.Area, as_of: dt.datetime
) -> list[ScoredRow]:
    """Scores of every eligible subject, computed now from the records (not stored)."""
    definition = scheme_def(scheme)
    figures = fig.figures_by_subject(
        viewer=viewer,
        kind=scheme.subject_kind,
        period=period,
        area=area,
        as_of=as_of,
        extra=definition.count_names(),
    )
    eligible = eligible_units(scheme)
    if eligible is not None:
        figures = [f for f in figures if f.key in eligible]
    ratings = ratings_for(scheme, period)
    rows = []
    for f in figures:
        scored = subject_score(definition, f.counts, ratings.get(f.key, {}))
        rows.append(ScoredRow(f.subject, f.counts, scored.parts, scored.score, scored.grade))
    for row, rank in zip(rows, ranks([r.score for r in rows]), strict=True):
        row.rank = rank
    return rows


def assessment_stored(assessment: Assessment) -> list[ScoredRow]:
    """The rows of the current version of a published assessment, exactly as stored."""
    results = AssessmentResult.objects.filter(assessment=assessment, version=assessment.version).order_by(
        "subject_code"
    )
    return [
        ScoredRow(
            fig.Subject(r.subject_key, r.subject_name, r.subject_code, r.subject_parent),
            {k: int(v) for k, v in r.counts.items()},
            [PartScore.from_json(p) for p in r.parts],
            r.score,
            r.grade,
            r.rank,
        )
        for r in results
    ]


def assessment_published(scheme: Scheme, period: Period, area: fig.Area) -> Assessment | None:
    return Assessment.objects.filter(scheme=scheme, period_key=period.key, area_code=area.code).first()


def assessment_table(
    *, viewer: Any, scheme: Scheme, period: Period, area: fig.Area, as_of: dt.datetime | None = None
) -> AssessmentTable:
    """The published results if the period is frozen, else live ones; with the previous period's ranks."""
    published = assessment_published(scheme, period, area)
    if published is not None:
        rows = assessment_stored(published)
        as_of = published.as_of
    else:
        as_of = fig.as_of_default(as_of)
        rows = assessment_live(viewer=viewer, scheme=scheme, period=period, area=area, as_of=as_of)
    previous_period = period.previous()
    previous = assessment_published(scheme, previous_period, area)
    if previous is not None:
        before = assessment_stored(previous)
    else:
        before = assessment_live(viewer=viewer, scheme=scheme, period=previous_period, area=area, as_of=as_of)
    by_key = {r.subject.key: r for r in before}
    for row in rows:
        old = by_key.get(row.subject.key)
        if old is not None:
            row.previous_rank, row.previous_score = old.rank, old.score
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.subject.code))
    return AssessmentTable(
        scheme,
        scheme_def(scheme),
        period,
        area,
        as_of,
        rows,
        published,
        previous_published=previous is not None,
    )


# -- the leader dashboard ------------------------------------------------------------------------------------------


def ranking_kind(area: fig.Area) -> str:
    """What a dashboard ranks: townships in a district, villages in a township, grids in a village."""
    return {
        "": SubjectKind.DISTRICT,
        "district": SubjectKind.TOWNSHIP,
        "township": SubjectKind.VILLAGE,
        "village": SubjectKind.GRID,
    }[str(area.level)]


@dataclass
class Dashboard:
    period: Period
    area: fig.Area
    totals: dict[str, int]
    buckets: list[Period]
    trend: dict[str, list[int]]
    ranking_kind: str
    ranking: list[RankedFigures]
    overdue_units: list[tuple[fig.Subject, dict[str, int]]]
    platforms: list[tuple[str, str, int]] = field(default_factory=list)

    def rate(self, code: str) -> Rate:
        return rate_of(code, self.totals)


DASHBOARD_RANK_BY = "on_time_completion"
EVENT_NAMES = [n for n, c in fig.COUNTS.items() if c.relation == fig.Relation.EVENT]
HANDLING_NAMES = ["dispatched", "returned", "due_handle", "handled_on_time", "overdue_handle"]
PLATFORM_COUNTS = [f"reported_{k.value}" for k in PlatformKind]
LEVEL_COUNTS = ["closed_l1", "closed_l2", "closed_l3", "closed_l4"]
# What the dashboard reads from events; reported, closed and closed_low are sums of these.
DASHBOARD_EVENT_NAMES = [
    *PLATFORM_COUNTS,
    *LEVEL_COUNTS,
    "rated",
    "satisfied",
    "due_close",
    "closed_of_due",
    "closed_on_time",
    "overdue_close",
]
RANK_NAMES = ["due_close", "closed_on_time"]


def with_sums(counts: dict[str, int]) -> dict[str, int]:
    """Add the counts that are sums of others (reported over the platforms, closed over the levels)."""
    out = dict(counts)
    if all(n in out for n in PLATFORM_COUNTS):
        out["reported"] = sum(out[n] for n in PLATFORM_COUNTS)
    if all(n in out for n in LEVEL_COUNTS):
        out["closed"] = sum(out[n] for n in LEVEL_COUNTS)
        out["closed_low"] = out["closed_l1"] + out["closed_l2"]
    return fig.ind.with_derived(out)


def dashboard(*, viewer: Any, period: Period, area: fig.Area, as_of: dt.datetime | None = None) -> Dashboard:
    """The leader dashboard in two scans: events grouped by the ranked subject and the trend's buckets (for the
    reported, closing and due moments), with the previous period's ranking counts alongside; and assignments
    grouped by unit. Totals, ranking, trend and overdue units are sums of their rows."""
    as_of = fig.as_of_default(as_of)
    window = fig.window_of(period.start, period.end, as_of)
    before = fig.window_of(period.previous().start, period.previous().end, as_of)
    kind = ranking_kind(area)
    buckets = period.buckets()
    events = fig.cube(
        fig.Relation.EVENT,
        viewer=viewer,
        area=area,
        spans=[fig.Span(window, DASHBOARD_EVENT_NAMES), fig.Span(before, RANK_NAMES, "prev_")],
        keys={"subject": fig.key_expr(fig.Relation.EVENT, kind), "trend": trends.trend_key(buckets, window)},
    )
    handling = fig.cube(
        fig.Relation.ASSIGNMENT,
        viewer=viewer,
        area=area,
        spans=[fig.Span(window, HANDLING_NAMES)],
        keys={"unit": fig.key_expr(fig.Relation.ASSIGNMENT, SubjectKind.UNIT)},
    )
    names = DASHBOARD_EVENT_NAMES + [f"prev_{n}" for n in RANK_NAMES]
    totals = rollup_total(events, names) | rollup_total(handling, HANDLING_NAMES)
    totals = with_sums(totals)
    trend = {name: [0] * len(buckets) for name in ("reported", "closed", "due_close", "closed_on_time")}
    for row in events:
        rb, cb, db = trends.trend_unpack(row["trend"], buckets)
        if rb >= 0:
            trend["reported"][rb] += sum(row[n] for n in PLATFORM_COUNTS)
        if cb >= 0:
            trend["closed"][cb] += sum(row[n] for n in LEVEL_COUNTS)
        if db >= 0:
            trend["due_close"][db] += row["due_close"]
            trend["closed_on_time"][db] += row["closed_on_time"]
    by_subject = fig.rollup(events, lambda r: r["subject"], names)
    by_subject.pop(None, None)
    subjects = fig.subjects_of(kind, area, by_subject.keys())
    zero = dict.fromkeys(names, 0)
    current = [fig.SubjectFigures(s, with_sums(by_subject.get(s.key, zero))) for s in subjects]
    previous = [
        fig.SubjectFigures(f.subject, {n: f.counts[f"prev_{n}"] for n in RANK_NAMES}) for f in current
    ]
    now_ranks = rank_by(current, DASHBOARD_RANK_BY)
    before_ranks = rank_by(previous, DASHBOARD_RANK_BY)
    ranking = [RankedFigures(f, r, b) for f, r, b in zip(current, now_ranks, before_ranks, strict=True)]
    ranking.sort(key=lambda r: (r.rank is None, r.rank or 0, r.figures.subject.code))
    by_unit = fig.rollup(handling, lambda r: r["unit"], HANDLING_NAMES)
    units = {
        s.key: s
        for s in fig.subjects_of(SubjectKind.UNIT, fig.Area("", ""), by_unit.keys(), only_extra=True)
        if s.key in by_unit
    }
    overdue = sorted(
        ((units[k], c) for k, c in by_unit.items() if k in units and c.get("overdue_handle")),
        key=lambda item: (-item[1]["overdue_handle"], item[0].code),
    )
    platforms = [(k.value, str(k.label), totals.get(f"reported_{k.value}", 0)) for k in PlatformKind]
    return Dashboard(period, area, totals, buckets, trend, kind, ranking, overdue[:10], platforms)


def rollup_total(rows: list[dict[str, Any]], names: list[str]) -> dict[str, int]:
    return fig.rollup(rows, lambda r: None, names).get(None, dict.fromkeys(names, 0))


def hotspots(
    *, viewer: Any, period: Period, area: fig.Area, type_code: str = "", as_of: dt.datetime | None = None
) -> dict[str, Any]:
    """GeoJSON of the area's grids, each with the number of events reported in it (of one type if given), and how
    many were reported in no grid, so the map's total can be read against the cards' count of reports."""
    counts = trends.hotspot_counts(viewer=viewer, area=area, period=period, type_code=type_code, as_of=as_of)
    unplaced = counts.pop(None, 0)
    grids = Grid.objects.select_related("village").order_by("code")
    if area.code:
        grids = grids.filter(code__startswith=area.code)
    features = [
        {
            "type": "Feature",
            "geometry": g.boundary,
            "properties": {
                "id": g.pk,
                "name": g.name,
                "village": g.village.name,
                "count": counts.get(g.pk, 0),
            },
        }
        for g in grids.only("pk", "name", "code", "boundary", "village__name")
    ]
    return {
        "type": "FeatureCollection",
        "features": features,
        "max": max(counts.values(), default=0),
        "total": sum(counts.values()),
        "unplaced": unplaced,
    }


def major_types() -> list[EventType]:
    return list(EventType.objects.filter(parent__isnull=True, is_active=True).order_by("code"))


# -- weekly and monthly analysis ---------------------------------------------------------------------------------

REPORT_RATES = [
    "completion",
    "on_time_completion",
    "on_time_handling",
    "rework",
    "accurate_dispatch",
    "extension",
    "valid_reports",
    "on_time_verification",
    "satisfaction",
    "solved_in_village",
]
REPORT_COUNTS = ["reported", "registered", "dispatched", "closed", "overdue_close"]


def _rate_json(rate: Rate) -> dict[str, Any]:
    return {
        "n": rate.numerator,
        "d": rate.denominator,
        "v": None if rate.percent is None else str(rate.percent),
    }


def _change(now: int, before: int) -> str | None:
    if not before:
        return None
    return str(((Decimal(now) - before) / before * 100).quantize(Decimal("0.1")))


def report_data(
    *,
    viewer: Any,
    period: Period,
    area: fig.Area,
    as_of: dt.datetime | None = None,
    progress: Any = None,
) -> dict[str, Any]:
    """Everything a weekly or monthly analysis shows, as JSON-ready data (stored with the report job, so the page
    and the workbook show the same numbers). `progress(percent, message)` is told how far it has got."""
    as_of = fig.as_of_default(as_of)

    def step(percent: int, message: str) -> None:
        if progress is not None:
            progress(percent, message)

    window = fig.window_of(period.start, period.end, as_of)
    before_window = fig.window_of(period.previous().start, period.previous().end, as_of)
    kind = ranking_kind(area)
    level_key = {SubjectKind.TOWNSHIP: "township", SubjectKind.VILLAGE: "village", SubjectKind.GRID: "grid"}

    def spans(names: list[str]) -> list[fig.Span]:
        return [fig.Span(window, names), fig.Span(before_window, names, "prev_")]

    step(5, "汇总事件")
    located = {
        "township": fig.key_expr(fig.Relation.EVENT, SubjectKind.TOWNSHIP),
        "village": fig.key_expr(fig.Relation.EVENT, SubjectKind.VILLAGE),
        "grid": fig.key_expr(fig.Relation.EVENT, SubjectKind.GRID),
    }
    events = fig.cube(fig.Relation.EVENT, viewer=viewer, area=area, spans=spans(EVENT_NAMES), keys=located)
    step(30, "汇总派遣任务")
    handling_names = [*HANDLING_NAMES, "handled", "reworked"]
    assignment_keys = {
        "unit": fig.key_expr(fig.Relation.ASSIGNMENT, SubjectKind.UNIT),
        "township": fig.key_expr(fig.Relation.ASSIGNMENT, SubjectKind.TOWNSHIP),
        "village": fig.key_expr(fig.Relation.ASSIGNMENT, SubjectKind.VILLAGE),
        "grid": fig.key_expr(fig.Relation.ASSIGNMENT, SubjectKind.GRID),
    }
    handling = fig.cube(
        fig.Relation.ASSIGNMENT, viewer=viewer, area=area, spans=spans(handling_names), keys=assignment_keys
    )
    step(45, "汇总现场核实")
    verify_names = ["due_verify", "verified_on_time"]
    verification = fig.cube(
        fig.Relation.VERIFICATION, viewer=viewer, area=area, spans=spans(verify_names), keys={}
    )
    all_names = EVENT_NAMES + handling_names + verify_names
    prefixed = all_names + [f"prev_{n}" for n in all_names]
    sums = rollup_total(events + handling + verification, prefixed)
    totals = fig.ind.with_derived({n: sums[n] for n in all_names})
    before = fig.ind.with_derived({n: sums[f"prev_{n}"] for n in all_names})
    step(55, "计算趋势")
    buckets, trend = trends.trend_cube(viewer=viewer, area=area, period=period, as_of=as_of)
    step(70, "计算排名")
    key_name = level_key[SubjectKind(kind)] if kind in level_key else None
    ranking: list[RankedFigures] = []
    if key_name is not None:
        rank_names = ["reported", "due_close", "closed_of_due", "closed_on_time", "rated", "satisfied"]
        both = rank_names + [f"prev_{n}" for n in rank_names]
        by_subject = fig.rollup(events, lambda r: r[key_name], both)
        handled = fig.rollup(handling, lambda r: r[key_name], ["due_handle", "handled_on_time"])
        by_subject.pop(None, None)
        subjects = fig.subjects_of(kind, area, by_subject.keys())
        current = [
            fig.SubjectFigures(
                sub,
                {
                    **{n: by_subject.get(sub.key, {}).get(n, 0) for n in rank_names},
                    **{n: handled.get(sub.key, {}).get(n, 0) for n in ("due_handle", "handled_on_time")},
                },
            )
            for sub in subjects
        ]
        previous = [
            fig.SubjectFigures(
                f.subject, {n: by_subject.get(f.key, {}).get(f"prev_{n}", 0) for n in rank_names}
            )
            for f in current
        ]
        now_ranks, before_ranks = (
            rank_by(current, "on_time_completion"),
            rank_by(previous, "on_time_completion"),
        )
        ranking = [RankedFigures(f, r, b) for f, r, b in zip(current, now_ranks, before_ranks, strict=True)]
        ranking.sort(key=lambda r: (r.rank is None, r.rank or 0, r.figures.subject.code))
    step(80, "统计超期单位与热点")
    by_unit = fig.rollup(handling, lambda r: r["unit"], HANDLING_NAMES)
    by_unit.pop(None, None)
    units = {
        s.key: s
        for s in fig.subjects_of(SubjectKind.UNIT, fig.Area("", ""), by_unit.keys(), only_extra=True)
        if s.key in by_unit
    }
    overdue = sorted(
        ((units[k], c) for k, c in by_unit.items() if k in units and c.get("due_handle")),
        key=lambda item: (-item[1]["overdue_handle"], item[0].code),
    )[:15]
    spots = fig.rollup(events, lambda r: r["grid"], ["reported"])
    spots.pop(None, None)
    top_grids = sorted(
        ((int(k), c["reported"]) for k, c in spots.items() if c["reported"]), key=lambda kv: -kv[1]
    )[:10]
    grid_names = {
        g.pk: (g.name, g.village.name)
        for g in Grid.objects.filter(pk__in=[k for k, _ in top_grids]).select_related("village")
    }
    data: dict[str, Any] = {
        "period": {"key": period.key, "label": period.label, "kind": period.kind},
        "previous": {"key": period.previous().key, "label": period.previous().label},
        "area": {"code": area.code, "name": area.name},
        "as_of": timezone.localtime(as_of).isoformat(),
        "as_of_label": f"{timezone.localtime(as_of):%Y-%m-%d %H:%M}",
        "counts": [
            {
                "name": n,
                "label": fig.ind.count_label(n),
                "now": totals.get(n, 0),
                "before": before.get(n, 0),
                "change": _change(totals.get(n, 0), before.get(n, 0)),
            }
            for n in REPORT_COUNTS
        ],
        "rates": [
            {
                "code": code,
                "label": INDICATORS[code].label,
                "definition": INDICATORS[code].definition,
                "higher_is_better": INDICATORS[code].higher_is_better,
                "now": _rate_json(rate_of(code, totals)),
                "before": _rate_json(rate_of(code, before)),
            }
            for code in REPORT_RATES
        ],
        "platforms": [
            {"kind": k.value, "label": str(k.label), "count": totals.get(f"reported_{k.value}", 0)}
            for k in PlatformKind
        ],
        "levels": [
            {"level": level, "label": label, "count": totals.get(f"closed_l{level}", 0)}
            for level, label in (
                (1, "一级（网格）"),
                (2, "二级（村社）"),
                (3, "三级（乡镇）"),
                (4, "四级（区县）"),
            )
        ],
        "trend": {
            "labels": [b.short_label for b in buckets],
            **{name: values for name, values in trend.items()},
        },
        "ranking_kind": kind,
        "ranking": [
            {
                "name": r.figures.subject.name,
                "parent": r.figures.subject.parent,
                "rank": r.rank,
                "change": r.change,
                "reported": r.figures.counts.get("reported", 0),
                "due_close": r.figures.counts.get("due_close", 0),
                **{
                    code: _rate_json(r.figures.rate(code))
                    for code in ("completion", "on_time_completion", "on_time_handling", "satisfaction")
                },
            }
            for r in ranking
        ],
        "overdue_units": [
            {
                "name": s.name,
                "kind": s.parent,
                "due": c.get("due_handle", 0),
                "overdue": c.get("overdue_handle", 0),
                "on_time": _rate_json(Rate(c.get("handled_on_time", 0), c.get("due_handle", 0))),
            }
            for s, c in overdue
        ],
        "hot_grids": [
            {"name": grid_names.get(k, ("", ""))[0], "village": grid_names.get(k, ("", ""))[1], "count": n}
            for k, n in top_grids
        ],
    }
    data["findings"] = findings(data)
    step(90, "生成研判意见")
    return data


def findings(data: dict[str, Any]) -> list[str]:
    """Plain sentences for the 研判 section, from the figures only (no judgement invented)."""
    out: list[str] = []
    counts = {c["name"]: c for c in data["counts"]}
    reported = counts["reported"]
    if reported["change"] is not None:
        trend = "增长" if Decimal(reported["change"]) >= 0 else "下降"
        out.append(
            f"本期上报事件 {reported['now']} 件，较上期（{reported['before']} 件）{trend} "
            f"{abs(Decimal(reported['change']))}%。"
        )
    else:
        out.append(f"本期上报事件 {reported['now']} 件。")
    total = sum(p["count"] for p in data["platforms"])
    if total:
        top = max(data["platforms"], key=lambda p: p["count"])
        out.append(
            f"从平台分布看，{top['label']}事件最多，占 {Decimal(top['count'] * 100 / total).quantize(Decimal('0.01'))}%。"
        )
    rates = {r["code"]: r for r in data["rates"]}
    for code in ("on_time_completion", "on_time_handling", "satisfaction", "solved_in_village"):
        now, before = rates[code]["now"]["v"], rates[code]["before"]["v"]
        if now is None:
            continue
        text = f"{rates[code]['label']} {now}%"
        if before is not None:
            delta = Decimal(now) - Decimal(before)
            text += f"，较上期{'提高' if delta >= 0 else '下降'} {abs(delta)} 个百分点"
        out.append(text + "。")
    if data["overdue_units"] and data["overdue_units"][0]["overdue"]:
        names = "、".join(u["name"] for u in data["overdue_units"][:3] if u["overdue"])
        out.append(f"超期处置较多的单位：{names}，建议督办。")
    if data["hot_grids"]:
        hot = data["hot_grids"][0]
        out.append(f"事件最集中的网格为{hot['village']}{hot['name']}（{hot['count']} 件），建议加强巡查。")
    return out


def units_by_key(keys: Iterable[str]) -> dict[str, Unit]:
    return {str(u.pk): u for u in Unit.objects.filter(pk__in=[int(k) for k in keys if k.isdigit()])}
