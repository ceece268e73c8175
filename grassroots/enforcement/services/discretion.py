"""Discretion (裁量基准, 行政处罚法 第三十四条): the power's table gives, for the level the officer selects, the range
of the fine; an amount outside it needs a written reason and the head's sign-off. And 第四十五条: once the party has
been told of the proposed penalty, the decision may not be heavier because they stated their case or asked for a
hearing (a heavier one would need a new 告知). Each refusal has a stable code."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from grassroots.core.errors import InvalidInput

from ..choices import CaseOutcome, CasePenaltyKind, DiscretionLevel
from ..models import EnforcementCase, Power
from ..permissions import is_head

MAX_AMOUNT = Decimal("1e10")


@dataclass(frozen=True)
class Range:
    """The fine's range at one level of a power's table (None: no bound on that side)."""

    level: str
    minimum: Decimal | None
    maximum: Decimal | None
    measure: str = ""

    def covers(self, amount: Decimal) -> bool:
        return (self.minimum is None or amount >= self.minimum) and (
            self.maximum is None or amount <= self.maximum
        )

    def text(self) -> str:
        label = DiscretionLevel(self.level).label
        if self.minimum is None and self.maximum is None:
            return f"{label}：{self.measure or '不设罚款幅度'}"
        low = "—" if self.minimum is None else f"{self.minimum:.2f}"
        high = "—" if self.maximum is None else f"{self.maximum:.2f}"
        return f"{label}：{low}–{high} 元"


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def amount_of(value: Any, *, code: str = "penalty_bad_amount") -> Decimal:
    """A fine as the case keeps it: non-negative, to the fen."""
    amount = _decimal(value if value not in (None, "") else "0")
    if amount is None or amount < 0 or amount >= MAX_AMOUNT:
        raise InvalidInput("罚款金额应为非负数", code=code)
    return amount.quantize(Decimal("0.01"))


def proposed_range(power: Power, level: str) -> Range:
    """The range the power's table gives for `level`; refused when the table has no row for it."""
    if level not in DiscretionLevel.values:
        raise InvalidInput("请选择裁量阶次", code="discretion_level_required")
    for row in power.discretion or []:
        if row.get("level") == level:
            return Range(
                level=level,
                minimum=_decimal(row.get("min")),
                maximum=_decimal(row.get("max")),
                measure=str(row.get("measure") or ""),
            )
    raise InvalidInput(
        f"该职权的裁量基准没有“{DiscretionLevel(level).label}”阶次",
        code="discretion_level_unknown",
        details={"level": level},
    )


@dataclass(frozen=True)
class Checked:
    """A penalty checked against the table: the range, whether the amount lies in it, and who signed off."""

    range: Range
    amount: Decimal
    within: bool
    reason: str
    approver: Any


def check_penalty(
    *,
    case: EnforcementCase,
    level: str,
    kind: str,
    amount: Any,
    reason: str = "",
    approver: Any = None,
) -> Checked:
    """A penalty of `kind` (and `amount` for a fine) at `level` of the case's power. Outside the range it needs a
    written reason and a head of the case's unit as `approver`."""
    if kind not in CasePenaltyKind.values:
        raise InvalidInput("请选择处罚种类", code="penalty_kind_required")
    money = amount_of(amount)
    rng = proposed_range(case.power, level)
    if level == DiscretionLevel.NONE:
        raise InvalidInput(
            "裁量阶次为“不予处罚”的，应作出不予行政处罚决定", code="discretion_level_no_penalty"
        )
    if kind == CasePenaltyKind.FINE and money <= 0:
        raise InvalidInput("罚款须填写金额", code="penalty_amount_required")
    if kind != CasePenaltyKind.FINE and money != 0:
        raise InvalidInput("只有罚款填写金额", code="penalty_amount_not_fine")
    within = kind != CasePenaltyKind.FINE or rng.covers(money)
    reason = reason.strip()
    if not within:
        if not reason:
            raise InvalidInput(
                f"罚款 {money:.2f} 元超出裁量幅度（{rng.text()}），须书面说明理由",
                code="discretion_reason_required",
                details={"min": str(rng.minimum), "max": str(rng.maximum)},
            )
        if approver is None or not is_head(approver, case.unit):
            raise InvalidInput(
                "超出裁量幅度须经负责人批准", code="discretion_approval_required", details={"level": level}
            )
    return Checked(
        range=rng, amount=money, within=within, reason=reason if not within else "", approver=approver
    )


def guard_not_heavier_than_notified(case: EnforcementCase, *, kind: str, amount: Decimal) -> None:
    """第四十五条: after 告知, the same kind with no larger fine, or a warning; nothing heavier."""
    if case.notified_at is None:
        return
    same_or_lighter = kind in (case.notified_kind, CasePenaltyKind.WARNING)
    notified = case.notified_amount or Decimal(0)
    if not same_or_lighter or amount > notified:
        raise InvalidInput(
            f"已告知拟作出的处罚为{CasePenaltyKind(case.notified_kind).label} {notified:.2f} 元，"
            "不得因当事人陈述、申辩或要求听证而加重处罚（行政处罚法第四十五条）",
            code="penalty_heavier_than_notified",
            details={"notified_kind": case.notified_kind, "notified_amount": str(notified)},
        )


def guard_outcome(outcome: str) -> CaseOutcome:
    if outcome not in CaseOutcome.values:
        raise InvalidInput("请选择处理结果", code="outcome_required")
    return CaseOutcome(outcome)
