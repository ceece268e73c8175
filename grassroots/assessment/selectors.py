"""Reads that carry the assessment rules: indicator tables with rankings, scheme results (live or published),
the leader dashboard and drill-down lists (the weekly/monthly analysis is `analysis.py`). Everything is scoped
by `figures`."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

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
        keys={"subject": kind, "trend": trends.TrendKey(tuple(buckets), window)},
    )
    handling = fig.cube(
        fig.Relation.ASSIGNMENT,
        viewer=viewer,
        area=area,
        spans=[fig.Span(window, HANDLING_NAMES)],
        keys={"unit": SubjectKind.UNIT},
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
    return list(EventType.objects.in_force().filter(parent__isnull=True, is_active=True).order_by("code"))
