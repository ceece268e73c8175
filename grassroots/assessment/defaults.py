"""The schemes every installation starts with (admins edit them afterwards): the seeds' joint scoring of dispatched
agencies (Zhenhai 60/40, Shangyu class B 50/40/10; the descriptions name no district, since the schemes serve
any deployment) and one scheme each for townships, villages, grids and grid
workers. Weights are points out of 100 per computed part; deductions and bonuses are per counted item, capped."""

from decimal import Decimal
from typing import Any

# (code, name, subject kind, unit kind, agency class, description,
#  [(part name, weight %, method, rater, [(indicator, points)], [(basis, direction, points, cap)])])
SCHEMES: list[tuple[str, str, str, str, str, str, list[tuple[Any, ...]]]] = [
    (
        "zhenhai-agency",
        "派驻机构考核（镇街 60%、部门 40%）",
        "unit",
        "dispatched_agency",
        "",
        "派驻机构由镇（街道）统筹，考核权重按镇（街道）占 60%、部门占 40% 分配。",
        [
            (
                "镇街考核",
                60,
                "computed",
                "",
                [
                    ("on_time_handling", 30),
                    ("on_time_completion", 20),
                    ("rework", 15),
                    ("accurate_dispatch", 15),
                    ("satisfaction", 20),
                ],
                [
                    ("overdue_handle", "deduct", 1, 20),
                    ("supervised", "deduct", 2, 10),
                    ("overdue_meeting_task", "deduct", 1, 10),
                ],
            ),
            ("部门考核", 40, "manual", "department", [], []),
        ],
    ),
    (
        "shangyu-agency-b",
        "B 类派驻机构考核（乡镇 50%、部门 40%、行风效能 10%）",
        "unit",
        "dispatched_agency",
        "B",
        "B 类派驻机构实行以乡镇为主、部门为辅的双重管理，考核按驻地乡镇 50%、主管部门 40%、行风效能 10% 确定。",
        [
            (
                "乡镇考核",
                50,
                "computed",
                "",
                [
                    ("on_time_handling", 35),
                    ("on_time_completion", 25),
                    ("rework", 10),
                    ("accurate_dispatch", 10),
                    ("satisfaction", 20),
                ],
                [
                    ("overdue_handle", "deduct", 1, 20),
                    ("supervised", "deduct", 2, 10),
                    ("overdue_meeting_task", "deduct", 1, 10),
                ],
            ),
            ("主管部门考核", 40, "manual", "department", [], []),
            ("行风效能", 10, "manual", "district", [], []),
        ],
    ),
    (
        "township",
        "乡镇（街道）综合考核",
        "township",
        "",
        "",
        "四个平台运行情况：办结、按期、满意、问题不出村，重启与督办扣分。",
        [
            (
                "指标考核",
                100,
                "computed",
                "",
                [
                    ("completion", 15),
                    ("on_time_completion", 25),
                    ("on_time_handling", 15),
                    ("satisfaction", 15),
                    ("solved_in_village", 15),
                    ("accurate_dispatch", 5),
                    ("rework", 5),
                    ("extension", 5),
                ],
                [("reopened", "deduct", 1, 10), ("supervised", "deduct", "0.5", 10)],
            )
        ],
    ),
    (
        "village",
        "村（社区）考核",
        "village",
        "",
        "",
        "村社区综合管理目标考核中的事件处置部分。",
        [
            (
                "指标考核",
                100,
                "computed",
                "",
                [
                    ("on_time_completion", 30),
                    ("on_time_handling", 20),
                    ("satisfaction", 20),
                    ("solved_in_village", 20),
                    ("valid_reports", 10),
                ],
                [("overdue_close", "deduct", "0.5", 10)],
            )
        ],
    ),
    (
        "grid",
        "网格考核",
        "grid",
        "",
        "",
        "网格的发现、核实与处置成效。",
        [
            (
                "指标考核",
                100,
                "computed",
                "",
                [
                    ("valid_reports", 30),
                    ("on_time_verification", 20),
                    ("on_time_completion", 20),
                    ("satisfaction", 15),
                    ("solved_in_village", 15),
                ],
                [],
            )
        ],
    ),
    (
        "grid-worker",
        "网格员考核",
        "person",
        "",
        "",
        "网格员的有效上报与按时核查，有效上报另行加分。",
        [
            (
                "指标考核",
                100,
                "computed",
                "",
                [("valid_reports", 60), ("on_time_verification", 40)],
                [("valid_report", "bonus", "0.2", 10)],
            )
        ],
    ),
]


def load_default_schemes(scheme_model: Any, part_model: Any, item_model: Any, adjustment_model: Any) -> int:
    """Create the default schemes that are missing (by code); returns how many were created."""
    created = 0
    for code, name, kind, unit_kind, agency_class, description, parts in SCHEMES:
        if scheme_model.objects.filter(code=code).exists():
            continue
        scheme = scheme_model.objects.create(
            code=code,
            name=name,
            subject_kind=kind,
            unit_kind=unit_kind,
            agency_class=agency_class,
            description=description,
        )
        for position, (part_name, weight, method, rater, items, adjustments) in enumerate(parts):
            part = part_model.objects.create(
                scheme=scheme,
                name=part_name,
                weight=Decimal(weight),
                method=method,
                rater=rater,
                position=position,
            )
            item_model.objects.bulk_create(
                item_model(part=part, indicator=indicator, weight=Decimal(points))
                for indicator, points in items
            )
            adjustment_model.objects.bulk_create(
                adjustment_model(
                    part=part,
                    basis=basis,
                    direction=direction,
                    points=Decimal(str(points)),
                    cap=None if cap is None else Decimal(cap),
                )
                for basis, direction, points, cap in adjustments
            )
        created += 1
    return created
