"""Division and grid codes (DOMAIN.md §3): the enclosing division of a code, and validation (lengths, digit
ranges and parent prefixes). Who may see which code is not here: that is `grassroots.core.scope`."""

from .choices import DivisionKind, DivisionLevel

CODE_LENGTH = {DivisionLevel.DISTRICT: 6, DivisionLevel.TOWNSHIP: 9, DivisionLevel.VILLAGE: 12}
GRID_CODE_LENGTH = 14
LEVEL_BY_LENGTH = {length: level for level, length in CODE_LENGTH.items()}
PARENT_LEVEL = {DivisionLevel.TOWNSHIP: DivisionLevel.DISTRICT, DivisionLevel.VILLAGE: DivisionLevel.TOWNSHIP}

# The 3-digit part of a township or village code says what kind of division it is.
KIND_RANGES: dict[str, tuple[int, int]] = {
    DivisionKind.STREET: (1, 99),
    DivisionKind.TOWN: (100, 199),
    DivisionKind.XIANG: (200, 399),
    DivisionKind.ZONE: (400, 599),
    DivisionKind.RESIDENTS: (1, 199),
    DivisionKind.VILLAGERS: (200, 399),
}
KINDS_BY_LEVEL = {
    DivisionLevel.DISTRICT: {DivisionKind.DISTRICT, DivisionKind.COUNTY},
    DivisionLevel.TOWNSHIP: {DivisionKind.STREET, DivisionKind.TOWN, DivisionKind.XIANG, DivisionKind.ZONE},
    DivisionLevel.VILLAGE: {DivisionKind.RESIDENTS, DivisionKind.VILLAGERS},
}


# The enclosing division of a code (codes nest). A code shorter than the level comes back whole.


def code_at(code: str, level: str) -> str:
    return code[: CODE_LENGTH[DivisionLevel(level)]]


def district_of(code: str) -> str:
    return code[:6]


def township_of(code: str) -> str:
    return code[:9]


def village_of(code: str) -> str:
    return code[:12]


def division_code_errors(code: str, kind: str, parent_code: str | None) -> list[str]:
    """Every problem with a division code, in Chinese, or an empty list."""
    if not code.isdigit():
        return [f"区划代码“{code}”只能包含数字"]
    level = LEVEL_BY_LENGTH.get(len(code))
    if level is None:
        return [f"区划代码“{code}”长度为 {len(code)} 位，应为 6、9 或 12 位"]
    errors = []
    if kind not in KINDS_BY_LEVEL[level]:
        errors.append(f"区划代码“{code}”是{level.label}级，类型“{kind}”不适用")
    if level == DivisionLevel.DISTRICT:
        if code[2:] == "0000" or code[4:] == "00":
            errors.append(f"区县代码“{code}”不能以 00 结尾（那是省或市级代码）")
        if parent_code:
            errors.append(f"区县代码“{code}”不应有上级区划")
        return errors
    part = int(code[-3:])
    low, high = KIND_RANGES.get(kind, (1, 999))
    if not low <= part <= high:
        errors.append(
            f"区划代码“{code}”末三位 {part:03d} 不在“{_kind_label(kind)}”的范围 {low:03d}–{high:03d} 内"
        )
    if not parent_code:
        errors.append(f"区划代码“{code}”缺少上级区划")
    elif parent_code != code[: CODE_LENGTH[PARENT_LEVEL[level]]]:
        errors.append(f"区划代码“{code}”与上级代码“{parent_code}”前缀不一致")
    return errors


def grid_code_errors(code: str, village_code: str) -> list[str]:
    if not code.isdigit() or len(code) != GRID_CODE_LENGTH:
        return [f"网格代码“{code}”应为 14 位数字"]
    errors = []
    if village_of(code) != village_code:
        errors.append(f"网格代码“{code}”前 12 位应为所属村社区代码“{village_code}”")
    if code[12:] == "00":
        errors.append(f"网格代码“{code}”的顺序号不能为 00")
    return errors


def _kind_label(kind: str) -> str:
    try:
        return str(DivisionKind(kind).label)
    except ValueError:
        return kind
