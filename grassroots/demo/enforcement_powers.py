"""The demo township's power list (权力清单): exactly 1,073 powers exercised by 西塘镇's units, like the 1,073
enforcement powers moved down to Xitang (seed 000), built from the templates of `enforcement_powers_data`.

Mostly penalties (CF) with a few seizures (QZ) and inspections (JC); most penalties carry a five-level discretion
table cut from the statutory range (减轻 below it, then 从轻 / 一般 / 从重 in its lower 30%, middle and upper 30%),
some only three levels or none; about 95% published. The same seed gives the same list; written in bulk, one
summary audit row."""

import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from grassroots.audit.services import audit_record
from grassroots.core.scope import code_prefix_q
from grassroots.enforcement.choices import PowerCategory
from grassroots.enforcement.models import Power
from grassroots.enforcement.services.powers_rules import yuan
from grassroots.org.models import Unit

from .enforcement_powers_data import CIRCUMSTANCES, FIELDS, FieldSpec
from .names import DISTRICT_CODE

XITANG = "330421102"
POWER_COUNT = 1073  # seed 000: 西塘镇 took over 1,073 enforcement powers
FULL_TABLE_SHARE = 0.85  # of the penalties with a fine: the others have three levels (5%) or none (10%)
PUBLISHED_SHARE = 0.95
DIGITS = "〇一二三四五六七八九"
# A violation named without its doer can be split into the powers over organisations and over persons.
SPLITTABLE = ("擅自", "在", "未", "违规", "非法", "露天", "乱扔", "随地", "占用", "损毁")


@dataclass
class _Item:
    field: int  # index in FIELDS
    category: str
    text: str  # the violation (CF) or the measure itself (QZ, JC)
    law: str
    fine: tuple[int, int] | None = None
    who: str = ""  # "单位" or "个人" for a split power


def demo_powers() -> QuerySet[Power]:
    """The powers of the demo district's units."""
    return Power.objects.filter(code_prefix_q("unit__division__code", DISTRICT_CODE))


def delete_demo_powers() -> None:
    demo_powers().delete()


def chinese_number(n: int) -> str:
    """1–199 in Chinese numerals, as article numbers are written (第十二条, 第一百零五条)."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    text = f"{DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else DIGITS[tens]) + "十"
    elif hundreds and units:
        text += "零"
    return text + (DIGITS[units] if units else "")


def law_title(law: str) -> str:
    national = law.endswith("法") and not law.startswith("浙江")
    return f"《中华人民共和国{law}》" if national else f"《{law}》"


def _expand(template: str, laws: tuple[str, ...]) -> list[_Item]:
    """The penalties of one act template (fields and category are set by the caller)."""
    parts = template.split("|")
    text, (fine_text, law) = parts[0], parts[-1].split("@")
    lists = [p.split("、") for p in parts[1:-1] if p]
    low, _, high = fine_text.partition("-")
    fine = (int(low), int(high)) if fine_text else None
    if not lists:
        texts = [text]
    elif len(lists) == 1:
        texts = [text.format(a) for a in lists[0]]
    else:
        texts = [text.format(a, b) for a in lists[0] for b in lists[1]]
    return [_Item(-1, PowerCategory.PENALTY, t, laws[int(law)], fine) for t in texts]


def _items() -> list[_Item]:
    """Every power of the list, field by field: penalties, then seizures and inspections; split to the count."""
    items: list[_Item] = []
    for index, spec in enumerate(FIELDS):
        for template in spec.acts:
            for item in _expand(template, spec.laws):
                item.field = index
                items.append(item)
        others = ((PowerCategory.COMPULSION, spec.seizures), (PowerCategory.INSPECTION, spec.inspections))
        for category, templates in others:
            for template in templates:
                text, fillers = template.split("|")
                items += [_Item(index, category, text.format(f), spec.laws[0]) for f in fillers.split("、")]
    return _split(items, POWER_COUNT - len(items))


def _split(items: list[_Item], wanted: int) -> list[_Item]:
    """Split `wanted` penalties into one over organisations and one over persons, taking fields in turn."""
    candidates = [
        i
        for i, item in enumerate(items)
        if item.category == PowerCategory.PENALTY and item.text.startswith(SPLITTABLE)
    ]
    by_field: dict[int, list[int]] = {}
    for i in candidates:
        by_field.setdefault(items[i].field, []).append(i)
    chosen: set[int] = set()
    while len(chosen) < wanted and any(by_field.values()):
        for queue in by_field.values():
            if queue and len(chosen) < wanted:
                chosen.add(queue.pop(0))
    out: list[_Item] = []
    for i, item in enumerate(items):
        if i in chosen:
            out += [
                _Item(item.field, item.category, item.text, item.law, item.fine, who)
                for who in ("单位", "个人")
            ]
        else:
            out.append(item)
    return out


def _nice(value: float, top: int) -> int:
    step = 10 if top <= 1000 else 100 if top <= 20000 else 1000 if top <= 200000 else 10000
    return max(step, round(value / step) * step)


def _fine_text(low: int | None, high: int) -> str:
    if low is None:
        return f"处 {yuan(high)} 元以下罚款"
    return f"处 {yuan(low)} 元以上 {yuan(high)} 元以下罚款"


def discretion_table(fine: tuple[int, int], levels: int, rng: random.Random) -> list[dict[str, Any]]:
    """Five levels (不予 / 减轻 / 从轻 / 一般 / 从重) or three (从轻 / 一般 / 从重) of a statutory range."""
    low, high = fine
    first = _nice(low + (high - low) * 0.3, high)
    second = max(first, _nice(low + (high - low) * 0.7, high))
    rows = [
        ("none", None, None, "不予行政处罚，责令改正并予以批评教育"),
        ("mitigated", None, low, f"责令改正，可以处警告或者 {yuan(low)} 元以下罚款"),
        ("lighter", low, first, f"责令改正，{_fine_text(low, first)}"),
        ("general", first, second, f"责令改正，{_fine_text(first, second)}"),
        ("heavier", second, high, f"责令改正，{_fine_text(second, high)}"),
    ]
    chosen = rows if levels == 5 else rows[2:]
    return [
        {
            "level": level,
            "circumstances": rng.choice(CIRCUMSTANCES[level]),
            "min": a,
            "max": b,
            "measure": measure,
        }
        for level, a, b, measure in chosen
    ]


def _power(item: _Item, code: str, unit_id: int, rng: random.Random) -> Power:
    spec: FieldSpec = FIELDS[item.field]
    article = rng.randint(8, 60)
    basis = f"{law_title(item.law)}第{chinese_number(article)}条"
    violation = item.text if item.category == PowerCategory.PENALTY else ""
    if item.category == PowerCategory.PENALTY:
        name = f"对{item.text}的行政处罚" + (f"（{item.who}）" if item.who else "")
        penalty_article = article + rng.randint(12, 40)
        measure = "责令改正，给予警告" if item.fine is None else f"责令改正，{_fine_text(*item.fine)}"
        penalty_basis = f"{law_title(item.law)}第{chinese_number(penalty_article)}条：违反规定，{item.text}的，由有关部门{measure}。"
        roll = rng.random()
        levels = (
            0
            if item.fine is None
            else 5
            if roll < FULL_TABLE_SHARE
            else 3
            if roll < FULL_TABLE_SHARE + 0.05
            else 0
        )
        table = discretion_table(item.fine, levels, rng) if item.fine and levels else []
    else:
        name, penalty_basis, table = item.text, "", []
    return Power(
        code=code,
        name=name[:300],
        category=item.category,
        violation=violation,
        basis=basis,
        penalty_basis=penalty_basis,
        unit_id=unit_id,
        field=spec.name,
        discretion=table,
        published=rng.random() < PUBLISHED_SHARE,
    )


def demo_power_rows(*, seed: int, units: dict[str, int]) -> list[Power]:
    """The list, not yet saved: `units` are 西塘镇's unit ids by code (its squad at least)."""
    rng = random.Random(f"{seed}:powers")
    sequence: dict[tuple[str, int], int] = {}
    powers = []
    for item in _items():
        key = (str(item.category), item.field)
        sequence[key] = sequence.get(key, 0) + 1
        code = f"{item.category}{DISTRICT_CODE}{item.field + 1:02d}{sequence[key]:03d}"
        unit_id = units.get(f"{XITANG}-{FIELDS[item.field].unit}") or units[f"{XITANG}-ZFZD"]
        powers.append(_power(item, code, unit_id, rng))
    assert len(powers) == POWER_COUNT, len(powers)
    return powers


def build_demo_powers(*, seed: int) -> int:
    """Build 西塘镇's list (nothing if the demo already has powers, or has no 西塘镇); the number built."""
    if demo_powers().exists():
        return 0
    units = dict(Unit.objects.filter(division__code=XITANG).values_list("code", "pk"))
    if f"{XITANG}-ZFZD" not in units:
        return 0
    powers = demo_power_rows(seed=seed, units=units)
    with transaction.atomic():
        Power.objects.bulk_create(powers, batch_size=500)
        audit_record(
            actor=None,
            action="demo.powers",
            object_type="geo.division",
            object_id=XITANG,
            object_repr="西塘镇权力清单（演示）",
            detail={
                "seed": seed,
                "powers": len(powers),
                "published": sum(p.published for p in powers),
                "with_discretion": sum(bool(p.discretion) for p in powers),
            },
        )
    return len(powers)
