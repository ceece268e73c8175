"""The weekly and monthly analysis (分析报告): the figures of a period beside the previous one, rankings, the units'
handling and the findings in words, as one JSON-ready dict that the report job renders (`excel.py`)."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from grassroots.geo.models import Grid
from grassroots.org.choices import PlatformKind
from grassroots.org.models import Unit

from . import figures as fig
from . import trends
from .choices import SubjectKind
from .indicators import INDICATORS, Rate, rate_of
from .periods import Period
from .selectors import EVENT_NAMES, HANDLING_NAMES, RankedFigures, rank_by, ranking_kind, rollup_total

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

    # Grouped by the ranked subject only (a district's or a province's report reads township summaries); the
    # hot spots below are the one figure by grid.
    key_name = level_key[SubjectKind(kind)] if kind in level_key else None
    ranked = {key_name: kind} if key_name is not None else {}
    step(5, "汇总事件")
    events = fig.cube(fig.Relation.EVENT, viewer=viewer, area=area, spans=spans(EVENT_NAMES), keys=ranked)
    step(30, "汇总派遣任务")
    handling_names = [*HANDLING_NAMES, "handled", "reworked"]
    handling = fig.cube(
        fig.Relation.ASSIGNMENT,
        viewer=viewer,
        area=area,
        spans=spans(handling_names),
        keys={"unit": SubjectKind.UNIT, **ranked},
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
    by_grid = fig.cube(
        fig.Relation.EVENT,
        viewer=viewer,
        area=area,
        spans=[fig.Span(window, ["reported"])],
        keys={"grid": SubjectKind.GRID},
    )
    spots = fig.rollup(by_grid, lambda r: r["grid"], ["reported"])
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
