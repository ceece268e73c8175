"""The rules of a power's discretion table (裁量基准) and of publishing a power, shared by the import, the publish
service and the pages: each rule a named check with a fixed code and a Chinese message.

A table has at most one row per level (不予 / 减轻 / 从轻 / 一般 / 从重); a row's minimum is not above its maximum;
不予处罚 carries no fine; and the ranges climb with the levels: 减轻 ≤ 从轻 ≤ 一般 ≤ 从重, compared by their maximum
(国办发〔2022〕27号 splits a range into tiers from light to heavy)."""

from decimal import Decimal
from typing import Any, NamedTuple

from ..choices import DiscretionLevel, PowerCategory
from .powers_columns import amount_json

LEVEL_ORDER = [level.value for level in DiscretionLevel]  # lightest first
LEVEL_LABELS = {level.value: str(level.label) for level in DiscretionLevel}


class Problem(NamedTuple):
    """One broken rule: `row` is the index of the row of the table (None: the power), `field` the value to point at."""

    row: int | None
    field: str
    code: str
    message: str


def yuan(value: Any) -> str:
    """An amount as a person reads it: 2,000 or 1,234.5."""
    number = Decimal(str(value))
    text = f"{number:,.2f}"
    return text.removesuffix(".00") if text.endswith(".00") else text.rstrip("0")


def _number(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def discretion_problems(rows: list[dict[str, Any]]) -> list[Problem]:
    """What is wrong with a table (rows as the JSON keeps them: level, circumstances, min, max, measure)."""
    problems = []
    seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        level = row.get("level")
        label = LEVEL_LABELS.get(str(level), str(level))
        if level not in LEVEL_LABELS:
            problems.append(Problem(index, "level", "discretion_level_unknown", f"未知的裁量阶次“{level}”"))
            continue
        if level in seen:
            message = f"{label}已在本职权的裁量基准中出现过，每个阶次只能有一行"
            problems.append(Problem(index, "level", "discretion_level_repeated", message))
            continue
        seen[level] = index
        low, high = _number(row.get("min")), _number(row.get("max"))
        if (low is not None and low < 0) or (high is not None and high < 0):
            message = "金额不能为负数"
            problems.append(
                Problem(index, "min" if low is not None and low < 0 else "max", "amount_negative", message)
            )
        elif low is not None and high is not None and low > high:
            message = f"最低金额 {yuan(low)} 元高于最高金额 {yuan(high)} 元"
            problems.append(Problem(index, "min", "discretion_min_above_max", message))
        if level == DiscretionLevel.NONE and any(x is not None and x > 0 for x in (low, high)):
            message = "不予处罚的阶次不设罚款金额（金额留空或填 0）"
            problems.append(Problem(index, "max", "discretion_none_with_fine", message))
    problems.extend(_order_problems(rows, seen))
    return problems


def _order_problems(rows: list[dict[str, Any]], seen: dict[str, int]) -> list[Problem]:
    """A heavier level whose maximum is below a lighter level's maximum (levels without a maximum are skipped)."""
    problems = []
    previous: tuple[str, Decimal] | None = None
    for level in LEVEL_ORDER[1:]:  # 不予处罚 has no range
        if level not in seen:
            continue
        index = seen[level]
        high = _number(rows[index].get("max"))
        if high is None or high < 0:
            continue
        if previous is not None and high < previous[1]:
            lighter, lighter_max = previous
            message = (
                f"{LEVEL_LABELS[level]}的最高金额 {yuan(high)} 元低于{LEVEL_LABELS[lighter]}的 {yuan(lighter_max)} 元："
                "各阶次应按 减轻 ≤ 从轻 ≤ 一般 ≤ 从重 排列"
            )
            problems.append(Problem(index, "max", "discretion_levels_out_of_order", message))
            continue
        previous = (level, high)
    return problems


def discretion_normal(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The table in the stored form: lightest level first, each row with the five keys, amounts as numbers."""

    def key(row: dict[str, Any]) -> int:
        level = row.get("level")
        return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)

    return [
        {
            "level": row.get("level"),
            "circumstances": (row.get("circumstances") or "").strip(),
            "min": amount_json(_number(row.get("min"))),
            "max": amount_json(_number(row.get("max"))),
            "measure": (row.get("measure") or "").strip(),
        }
        for row in sorted(rows, key=key)
    ]


def publish_problems(*, category: str, penalty_basis: str, discretion: list[dict[str, Any]]) -> list[Problem]:
    """Why a power cannot be published as it is: a penalty without the article that punishes (罚则), or a
    discretion table that breaks its rules (行政处罚法 第三十四条: what is published must hold)."""
    problems = []
    if category == PowerCategory.PENALTY and not penalty_basis.strip():
        message = "行政处罚职权须填写处罚依据（罚则）才能公布"
        problems.append(Problem(None, "penalty_basis", "power_penalty_basis_missing", message))
    if discretion_problems(discretion):
        message = "裁量基准有误，更正后才能公布"
        problems.append(Problem(None, "discretion", "power_discretion_invalid", message))
    return problems
