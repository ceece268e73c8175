"""The columns of the catalogue workbook (事项清单 Excel) and how a cell becomes a field value.

One sheet of items and one of their materials; the headers are Chinese and every column must be present (a missing
column would otherwise blank a field of every item). A cell accepts a choice's code or its Chinese name, so the
file the export writes is also the template an import reads.
"""

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from grassroots.core.workbooks import CellError, Column, choice, flag_of, text

from ..choices import Channel, DecidingLevel, ItemKind, MaterialForm, MaterialNeed

ITEMS_SHEET = "事项"
MATERIALS_SHEET = "申请材料"

# Letters, digits and hyphens, starting with a letter: XK330421001, GG330421012, 许可 lists' ASCII codes.
CODE_RE = re.compile(r"^[A-Z][A-Z0-9-]{3,31}$")
SUFFIX_RE = re.compile(r"^[A-Z][A-Z0-9]{0,15}$")
LIST_SEPARATORS = re.compile(r"[、,，;；/\s]+")
MAX_LIMIT = Decimal("9999.9")

flag = flag_of()


def code(value: Any) -> str:
    raw = text(value).upper()
    if not raw:
        raise CellError("请填写事项编码")
    if not CODE_RE.match(raw):
        raise CellError(f"事项编码“{raw}”格式不正确：应为 4–32 位大写字母、数字或连字符，以字母开头")
    return raw


def required_text(what: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        raw = text(value)
        if not raw:
            raise CellError(f"请填写{what}")
        return raw

    return parse


def text_or(default: str) -> Callable[[Any], str]:
    return lambda value: text(value) or default


def office_suffix(value: Any) -> str:
    raw = text(value).upper() or "BMFW"
    if not SUFFIX_RE.match(raw):
        raise CellError(f"后台办理科室“{raw}”应为单位代码的后缀，如 BMFW、MZB")
    return raw


def limit(value: Any) -> Decimal | None:
    """A limit in working days: positive, at most one decimal place; an empty cell is no limit."""
    raw = text(value).removesuffix("个工作日").removesuffix("工作日").strip()
    if not raw:
        return None
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise CellError(f"时限“{raw}”应为工作日数，如 5") from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_LIMIT:
        raise CellError(f"时限“{raw}”应为大于 0 的工作日数")
    if amount != amount.quantize(Decimal("0.1")):
        raise CellError(f"时限“{raw}”最多保留一位小数")
    return amount


def whole(what: str, *, default: int, minimum: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        raw = text(value)
        if not raw:
            return default
        try:
            number = int(Decimal(raw))
        except InvalidOperation:
            raise CellError(f"{what}“{raw}”应为整数") from None
        if Decimal(raw) != number or not minimum <= number <= 999:
            raise CellError(f"{what}“{raw}”应为 {minimum}–999 的整数")
        return number

    return parse


_CHANNEL_NAMES = {str(c.label): c.value for c in Channel} | {c.value: c.value for c in Channel}


def channels(value: Any) -> list[str]:
    """Channels as a list in the choices' order, from names separated by 、 or commas ("窗口、网上")."""
    raw = text(value)
    if not raw:
        raise CellError("请填写办理渠道，如“窗口、网上”")
    found = set()
    for part in LIST_SEPARATORS.split(raw):
        if not part:
            continue
        value = _CHANNEL_NAMES.get(part) or _CHANNEL_NAMES.get(part.lower())
        if value is None:
            names = "、".join(str(c.label) for c in Channel)
            raise CellError(f"未知的办理渠道“{part}”，应为：{names}")
        found.add(value)
    return channels_ordered(found)


def channels_ordered(values: Any) -> list[str]:
    chosen = set(values or ())
    return [c.value for c in Channel if c.value in chosen]


def channels_label(values: list[str]) -> str:
    return "、".join(str(Channel(v).label) for v in channels_ordered(values))


ITEM_COLUMNS = (
    Column("事项编码", "code", code, 16),
    Column("事项名称", "name", required_text("事项名称"), 30),
    Column("事项类型", "kind", choice(ItemKind, "事项类型"), 12),
    Column("实施机关", "department", required_text("实施机关"), 20),
    Column(
        "办理层级",
        "deciding_level",
        choice(DecidingLevel, "办理层级", {"乡镇": "township", "村": "village"}),
    ),
    Column("后台办理科室", "office_suffix", office_suffix, 12),
    Column("设定依据", "legal_basis", text, 40),
    Column("受理条件", "conditions", text, 40),
    Column("办理流程", "procedure", text, 40),
    Column("收费标准", "fee", text_or("不收费")),
    Column("办理渠道", "channels", channels, 18),
    Column("受理窗口", "windows", text_or("综合受理窗口"), 16),
    Column("法定时限（工作日）", "statutory_limit", limit, 10),
    Column("承诺时限（工作日）", "promised_limit", limit, 10),
    Column("到现场次数", "required_visits", whole("到现场次数", default=1, minimum=0), 8),
    Column("最多跑一次", "at_most_once", flag, 8),
    Column("零跑腿", "zero_visit", flag, 8),
    Column("不见面", "no_meeting", flag, 8),
    Column("中心镇（街道）清单", "in_central", flag, 10),
    Column("发展型乡镇清单", "in_developing", flag, 10),
    Column("生态型乡镇清单", "in_ecological", flag, 10),
    Column("村级可办", "at_village", flag, 8),
    Column("关键词", "keywords", text, 20),
)
MATERIAL_COLUMNS = (
    Column("事项编码", "item_code", code, 16),
    Column("序号", "order", whole("序号", default=0, minimum=1), 6),
    Column("材料名称", "name", required_text("材料名称"), 36),
    Column(
        "材料形式", "form", choice(MaterialForm, "材料形式", {"原件和复印件": "both", "电子": "electronic"})
    ),
    Column("份数", "count", whole("份数", default=1, minimum=1), 6),
    Column(
        "必要性",
        "need",
        choice(
            MaterialNeed, "必要性", {"必须": "required", "视情况提供": "conditional", "容缺": "tolerated"}
        ),
        12,
    ),
    Column("填报说明", "note", text, 30),
    Column("样表", "sample", text, 30),
)
ITEM_FIELDS = tuple(c.field for c in ITEM_COLUMNS)
MATERIAL_FIELDS = ("order", "name", "form", "count", "need", "note", "sample")
