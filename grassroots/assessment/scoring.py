"""Scores from figures: Σ weight × indicator − deductions + bonuses, clamped to 0–100, parts weighted into a total,
graded A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E (bands from the scheme), ranked with ties sharing a place.

Pure functions over plain data, so a stored (published) assessment and a live one are scored by the same code.

- A computed part's base is the weighted mean of its available indicators on a 100-point scale:
  100 × Σ wᵢ·vᵢ / Σ wᵢ over the indicators that have a denominator (vᵢ is the rate, or 1 − rate for rates where
  lower is better: rework, extension). With weights summing to 100 and every rate available this is Σ wᵢ·vᵢ.
  An indicator with nothing due ("—") is left out rather than scored 0 or 100; a part with none has no score.
- Each adjustment is min(points × count, cap); deductions are subtracted, bonuses added, then the part is clamped.
- A manual part's score is the mean of its raters' scores.
- The total is Σ partweight% × part score, clamped; it exists only when every part has a score ("待评" otherwise).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .choices import AdjustmentBasis, AdjustmentDirection, PartMethod
from .indicators import INDICATORS, rate_of

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

# The count each adjustment basis multiplies.
BASIS_COUNT = {
    AdjustmentBasis.OVERDUE_CLOSE: "overdue_close",
    AdjustmentBasis.OVERDUE_HANDLE: "overdue_handle",
    AdjustmentBasis.RETURNED: "returned",
    AdjustmentBasis.REWORKED: "reworked",
    AdjustmentBasis.SUPERVISED: "supervised",
    AdjustmentBasis.URGED: "urged",
    AdjustmentBasis.REOPENED: "reopened",
    AdjustmentBasis.VALID_REPORT: "reports_valid",
    AdjustmentBasis.OVERDUE_MEETING_TASK: "overdue_meeting_task",
}


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def clamp(value: Decimal, low: Decimal = ZERO, high: Decimal = HUNDRED) -> Decimal:
    return max(low, min(high, value))


@dataclass(frozen=True)
class ItemDef:
    indicator: str
    weight: Decimal


@dataclass(frozen=True)
class AdjustmentDef:
    basis: str
    direction: str
    points: Decimal
    cap: Decimal | None


@dataclass(frozen=True)
class PartDef:
    id: int
    name: str
    weight: Decimal
    method: str
    rater: str = ""
    items: tuple[ItemDef, ...] = ()
    adjustments: tuple[AdjustmentDef, ...] = ()


@dataclass(frozen=True)
class SchemeDef:
    id: int
    name: str
    subject_kind: str
    parts: tuple[PartDef, ...]
    bands: tuple[Decimal, Decimal, Decimal, Decimal] = (Decimal(90), Decimal(75), Decimal(60), Decimal(40))

    def count_names(self) -> list[str]:
        names: list[str] = []
        for part in self.parts:
            for item in part.items:
                names += [INDICATORS[item.indicator].numerator, INDICATORS[item.indicator].denominator]
            names += [BASIS_COUNT[AdjustmentBasis(a.basis)] for a in part.adjustments]
        return list(dict.fromkeys(names))


def scheme_def(scheme: Any) -> SchemeDef:
    """The plain definition of a Scheme row (parts, items and adjustments prefetched or fetched here)."""
    parts = []
    for part in scheme.parts.all():
        parts.append(
            PartDef(
                id=part.pk,
                name=part.name,
                weight=Decimal(part.weight),
                method=part.method,
                rater=part.rater,
                items=tuple(ItemDef(i.indicator, Decimal(i.weight)) for i in part.items.all()),
                adjustments=tuple(
                    AdjustmentDef(a.basis, a.direction, Decimal(a.points), a.cap)
                    for a in part.adjustments.all()
                ),
            )
        )
    bands = (
        Decimal(scheme.grade_a),
        Decimal(scheme.grade_b),
        Decimal(scheme.grade_c),
        Decimal(scheme.grade_d),
    )
    return SchemeDef(scheme.pk, scheme.name, scheme.subject_kind, tuple(parts), bands)


@dataclass
class ItemScore:
    indicator: str
    weight: Decimal
    rate: Decimal | None  # the rate in [0, 1], None when nothing fell due
    value: Decimal | None  # the rate as scored (1 − rate where lower is better)


@dataclass
class AdjustmentScore:
    basis: str
    direction: str
    count: int
    points: Decimal  # after the cap


@dataclass
class PartScore:
    part_id: int
    name: str
    weight: Decimal
    method: str
    base: Decimal | None = None
    deductions: Decimal = ZERO
    bonuses: Decimal = ZERO
    score: Decimal | None = None
    raters: int = 0
    items: list[ItemScore] = field(default_factory=list)
    adjustments: list[AdjustmentScore] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        def num(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "part_id": self.part_id,
            "name": self.name,
            "weight": str(self.weight),
            "method": self.method,
            "base": num(self.base),
            "deductions": str(self.deductions),
            "bonuses": str(self.bonuses),
            "score": num(self.score),
            "raters": self.raters,
            "items": [
                {
                    "indicator": i.indicator,
                    "weight": str(i.weight),
                    "rate": num(i.rate),
                    "value": num(i.value),
                }
                for i in self.items
            ],
            "adjustments": [
                {"basis": a.basis, "direction": a.direction, "count": a.count, "points": str(a.points)}
                for a in self.adjustments
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "PartScore":
        def dec(value: str | None) -> Decimal | None:
            return None if value is None else Decimal(value)

        return cls(
            part_id=data["part_id"],
            name=data["name"],
            weight=Decimal(data["weight"]),
            method=data["method"],
            base=dec(data["base"]),
            deductions=Decimal(data["deductions"]),
            bonuses=Decimal(data["bonuses"]),
            score=dec(data["score"]),
            raters=data.get("raters", 0),
            items=[
                ItemScore(i["indicator"], Decimal(i["weight"]), dec(i["rate"]), dec(i["value"]))
                for i in data.get("items", [])
            ],
            adjustments=[
                AdjustmentScore(a["basis"], a["direction"], a["count"], Decimal(a["points"]))
                for a in data.get("adjustments", [])
            ],
        )


def part_score(part: PartDef, counts: Mapping[str, int], ratings: Iterable[Decimal] = ()) -> PartScore:
    out = PartScore(part.id, part.name, part.weight, part.method)
    if part.method == PartMethod.MANUAL:
        scores = [Decimal(s) for s in ratings]
        out.raters = len(scores)
        if scores:
            out.base = q2(sum(scores, ZERO) / len(scores))
            out.score = clamp(out.base)
        return out
    weighted = ZERO
    available = ZERO
    for item in part.items:
        rate = rate_of(item.indicator, dict(counts)).value
        value = None
        if rate is not None:
            value = rate if INDICATORS[item.indicator].higher_is_better else 1 - rate
            weighted += item.weight * value
            available += item.weight
        out.items.append(ItemScore(item.indicator, item.weight, rate, value))
    for adjustment in part.adjustments:
        count = int(counts.get(BASIS_COUNT[AdjustmentBasis(adjustment.basis)], 0))
        points = adjustment.points * count
        if adjustment.cap is not None:
            points = min(points, Decimal(adjustment.cap))
        out.adjustments.append(AdjustmentScore(adjustment.basis, adjustment.direction, count, points))
        if adjustment.direction == AdjustmentDirection.DEDUCT:
            out.deductions += points
        else:
            out.bonuses += points
    if available > 0:
        out.base = q2(HUNDRED * weighted / available)
        out.score = q2(clamp(out.base - out.deductions + out.bonuses))
    elif not part.items and part.adjustments:
        # A part of adjustments only starts from full marks.
        out.base = HUNDRED
        out.score = q2(clamp(HUNDRED - out.deductions + out.bonuses))
    return out


def grade_of(score: Decimal | None, bands: tuple[Decimal, Decimal, Decimal, Decimal]) -> str:
    if score is None:
        return ""
    for letter, low in zip("ABCD", bands, strict=True):
        if score >= low:
            return letter
    return "E"


@dataclass
class SubjectScore:
    parts: list[PartScore]
    score: Decimal | None
    grade: str


def subject_score(
    scheme: SchemeDef, counts: Mapping[str, int], ratings: Mapping[int, Iterable[Decimal]] | None = None
) -> SubjectScore:
    """The scored parts and the total of one subject; `ratings` are the manual scores by part id."""
    ratings = ratings or {}
    parts = [part_score(p, counts, ratings.get(p.id, ())) for p in scheme.parts]
    total: Decimal | None = None
    if parts and all(p.score is not None for p in parts):
        total = q2(clamp(sum((p.weight * (p.score or ZERO) / HUNDRED for p in parts), ZERO)))
    return SubjectScore(parts, total, grade_of(total, scheme.bands))


def ranks(scores: list[Decimal | None]) -> list[int | None]:
    """Competition ranking, highest first: 1, 2, 2, 4; no score, no rank."""
    ordered = sorted((s for s in scores if s is not None), reverse=True)
    first: dict[Decimal, int] = {}
    for index, score in enumerate(ordered):
        first.setdefault(score, index + 1)
    return [None if s is None else first[s] for s in scores]
