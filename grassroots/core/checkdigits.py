"""Identifiers with check digits (DOMAIN.md §9): unified social credit code and resident ID number."""

import datetime as dt
from collections.abc import Callable

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
_ID_CHECK = "10X98765432"


def uscc_check_char(body: str) -> str:
    """The 18th character for the first 17 of a USCC (GB 32100)."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(body, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    if len(code) != 18 or any(ch not in USCC_ALPHABET for ch in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


# GB 32100-2015 table 1: registration-authority code (position 1) → its entity-type codes (position 2).
USCC_AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常住新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": ("旅游", {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地代表机构", "9": "其他"}),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商（市场监管）", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": ("农业", {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"}),
    "Y": ("其他", {"1": "其他"}),
}
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # GB 11714: digits 0–9, letters A–Z = 10–35
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_code_check_char(body: str) -> str:
    """The 9th character for the first 8 of an organisation code (GB 11714): 11 − Σ mod 11, 10 → X, 11 → 0."""
    total = sum(_ORG_ALPHABET.index(ch) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def uscc_problems(code: str, *, division_exists: Callable[[str], bool] | None = None) -> list[str]:
    """What is wrong with a unified social credit code (GB 32100-2015), in Chinese; [] when it is valid.

    `division_exists` answers whether positions 3–8 name a current county-level division (GB/T 2260); without it
    the division code is only checked to be six digits."""
    if len(code) != 18:
        return [f"统一社会信用代码应为 18 位，实为 {len(code)} 位"]
    bad = sorted({ch for ch in code if ch not in USCC_ALPHABET})
    if bad:
        return [f"含有不允许的字符：{'、'.join(bad)}（不使用 I、O、Z、S、V 及小写字母）"]
    problems = []
    authority = USCC_AUTHORITIES.get(code[0])
    if authority is None:
        problems.append(f"第 1 位登记管理部门代码“{code[0]}”不存在")
    elif code[1] not in authority[1]:
        problems.append(f"第 2 位机构类别代码“{code[1]}”不属于登记管理部门“{authority[0]}”")
    division = code[2:8]
    if not division.isdigit():
        problems.append(f"第 3–8 位登记管理机关行政区划码“{division}”应为 6 位数字")
    elif division_exists is not None and not division_exists(division):
        problems.append(f"第 3–8 位行政区划码“{division}”不是现行有效的县级区划")
    org = code[8:17]
    if org_code_check_char(org[:8]) != org[8]:
        problems.append(f"第 9–17 位组织机构代码“{org}”校验码错误")
    if uscc_check_char(code[:17]) != code[17]:
        problems.append("第 18 位校验码错误")
    return problems


def uscc_build(*, authority: str, kind: str, division: str, org_body: str) -> str:
    """A valid code from its parts: both check characters computed (demo data and tests)."""
    body = authority + kind + division + org_body + org_code_check_char(org_body)
    return body + uscc_check_char(body)


def id_number_check_char(body: str) -> str:
    """The 18th character for the first 17 digits of a resident ID number (GB 11643)."""
    total = sum(int(ch) * w for ch, w in zip(body, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_valid_id_number(number: str) -> bool:
    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return id_number_check_char(number[:17]) == number[17]
