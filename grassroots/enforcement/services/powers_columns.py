"""The columns of the power-list workbook (权力清单 Excel) and how a cell becomes a value.

Two sheets: the powers, and their discretion rows (裁量基准, one row per power and level). Headers are Chinese and
every column must be present, except 实施主体名称, which the export writes for reading and the import ignores (the
unit is found by its code). A choice cell takes its code or its Chinese name, so the export is also the template.
"""

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from grassroots.core.workbooks import NO, YES, CellError, Column, choice, flag_of, text

from ..choices import DiscretionLevel, PowerCategory

POWERS_SHEET = "职权"
DISCRETION_SHEET = "裁量基准"
UNIT_NAME_HEADER = "实施主体名称"  # written by the export, ignored by the import

# The category's two letters, then 4–38 capital letters, digits or hyphens: CF33042101 0001 without the space.
CODE_RE = re.compile(r"^(CF|QZ|JC|QT)[0-9A-Z][0-9A-Z-]{3,37}$")
UNIT_CODE_RE = re.compile(r"^[0-9A-Za-z-]{1,32}$")
MAX_AMOUNT = Decimal("1000000000")  # ten hundred million yuan: anything above is a typing mistake
CENT = Decimal("0.01")


def limited(what: str, length: int, *, required: bool = False) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        raw = text(value)
        if required and not raw:
            raise CellError(f"请填写{what}")
        if len(raw) > length:
            raise CellError(f"{what}过长：最多 {length} 个字，现有 {len(raw)} 个")
        return raw

    return parse


def code(value: Any) -> str:
    raw = text(value).upper()
    if not raw:
        raise CellError("请填写职权编码")
    if not CODE_RE.match(raw):
        raise CellError(
            f"职权编码“{raw}”格式不正确：应为 6–40 位大写字母、数字或连字符，以职权类型代码 CF、QZ、JC 或 QT 开头"
        )
    return raw


def unit_code(value: Any) -> str:
    raw = text(value)
    if not raw:
        raise CellError("请填写实施主体编码")
    if not UNIT_CODE_RE.match(raw):
        raise CellError(f"实施主体编码“{raw}”格式不正确：应为单位编码，如 330421102-ZFZD")
    return raw


category = choice(PowerCategory, "职权类型", {"处罚": "CF", "强制": "QZ", "检查": "JC", "其他": "QT"})
level = choice(
    DiscretionLevel,
    "裁量阶次",
    {"不予": "none", "减轻": "mitigated", "从轻": "lighter", "一般": "general", "从重": "heavier"},
)


flag = flag_of(YES | {"已公布"}, NO | {"未公布"})


def amount(value: Any) -> Decimal | None:
    """Yuan, not negative, at most two decimals; an empty cell is no amount (a warning, an order to correct)."""
    if isinstance(value, bool):
        raise CellError("金额应为数字（元）")
    raw = text(value).replace(",", "").replace("，", "").removesuffix("元").strip()
    if not raw:
        return None
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise CellError(f"金额“{raw}”应为数字（元），如 2000") from None
    if not number.is_finite():
        raise CellError(f"金额“{raw}”应为数字（元），如 2000")
    if number < 0:
        raise CellError(f"金额“{raw}”不能为负数")
    if number > MAX_AMOUNT:
        raise CellError(f"金额“{raw}”过大：不超过 10 亿元")
    if number != number.quantize(CENT):
        raise CellError(f"金额“{raw}”最多保留两位小数")
    return number


def amount_json(value: Decimal | None) -> int | float | None:
    """An amount as the discretion JSON stores it: whole yuan as an integer, else a float of two decimals."""
    if value is None:
        return None
    value = value.quantize(CENT)
    return int(value) if value == value.to_integral_value() else float(value)


POWER_COLUMNS = (
    Column("职权编码", "code", code, 18),
    Column("职权名称", "name", limited("职权名称", 300, required=True), 40),
    Column("职权类型", "category", category, 12),
    Column("执法领域", "field", limited("执法领域", 60), 12),
    Column("实施主体编码", "unit_code", unit_code, 18),
    Column("违法行为", "violation", limited("违法行为", 2000), 40),
    Column("设定依据", "basis", limited("设定依据", 4000), 40),
    Column("处罚依据", "penalty_basis", limited("处罚依据", 4000), 40),
    Column("是否公布", "published", flag, 10),
)
DISCRETION_COLUMNS = (
    Column("职权编码", "power_code", code, 18),
    Column("裁量阶次", "level", level, 12),
    Column("适用情形", "circumstances", limited("适用情形", 1000, required=True), 40),
    Column("最低金额（元）", "min", amount, 14),
    Column("最高金额（元）", "max", amount, 14),
    Column("处罚标准", "measure", limited("处罚标准", 1000), 40),
)
# The exported sheet: the unit's name beside its code, for whoever reads the file.
EXPORT_POWER_HEADERS = [c.header for c in POWER_COLUMNS[:5]] + [UNIT_NAME_HEADER]
EXPORT_POWER_HEADERS += [c.header for c in POWER_COLUMNS[5:]]
POWER_FIELDS = ("name", "category", "field", "violation", "basis", "penalty_basis", "published")
