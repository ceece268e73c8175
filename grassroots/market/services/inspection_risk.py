"""What inspections and penalties add to an entity's risk class (docs/market.md, 信用风险分类). Reads through
`.all()` so a caller classifying many entities prefetches `penalties` and `inspections__findings`."""

import datetime as dt

from django.utils.timezone import localdate

from ..choices import Conclusion, FindingStatus, PenaltyKind
from ..models import MarketEntity
from .risk import Factor

PENALTY_YEARS = 2
PENALTY_CAP = 4
PROBLEM_CAP = 2


def inspection_factors(entity: MarketEntity, today: dt.date) -> list[Factor]:
    factors: list[Factor] = []
    penalty_since = today - dt.timedelta(days=365 * PENALTY_YEARS + 1)
    penalties = [p for p in entity.penalties.all() if p.decided_on >= penalty_since]
    if penalties:
        points = min(sum(1 if p.kind == PenaltyKind.WARNING else 2 for p in penalties), PENALTY_CAP)
        factors.append(Factor(points, f"近 {PENALTY_YEARS} 年受到行政处罚 {len(penalties)} 次"))
    year_ago = today - dt.timedelta(days=365)
    recent = [i for i in entity.inspections.all() if i.inspected_at and localdate(i.inspected_at) >= year_ago]
    problems = [i for i in recent if i.conclusion == Conclusion.PROBLEMS]
    if problems:
        factors.append(Factor(min(len(problems), PROBLEM_CAP), f"近一年检查发现问题 {len(problems)} 次"))
    overdue = [
        f
        for i in recent
        for f in i.findings.all()
        if f.late or (f.status == FindingStatus.OPEN and f.rectify_by < today)
    ]
    if overdue:
        factors.append(Factor(1, f"问题逾期未整改 {len(overdue)} 项"))
    latest = max(recent, key=lambda i: i.inspected_at or dt.datetime.min, default=None)
    if latest is not None and latest.conclusion == Conclusion.COMPLIANT and not penalties:
        factors.append(Factor(-1, f"最近一次检查未发现问题（{latest.inspected_at:%Y-%m-%d}）"))
    return factors
