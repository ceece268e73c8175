"""A market-supervision office in the personas' world (grassroots/conftest.py): Dora (department staff of 西塘市场监管所)
runs the draws, Lena leads the township, five inspectors of the office (Ivan's certificate expired) and a target pool
of plain rows, as the enterprise registry will pass them."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from grassroots.conftest import World, make_person
from grassroots.people.choices import Role
from grassroots.people.models import Person

from ..models import DrawPlan, InspectionItem, Inspector
from ..services import inspector_register, item_create, plan_create

KIND = "market.entity"


@dataclass
class Office:
    dora: Person
    lena: Person
    item: InspectionItem
    inspectors: list[Inspector]
    expired: Inspector


def pool(per_class: dict[str, int] | None = None) -> list[dict[str, Any]]:
    per_class = per_class or {"A": 100, "B": 50, "C": 10, "D": 3}
    return [
        {"id": f"{risk}{i:03d}", "kind": KIND, "risk": risk, "label": f"西塘{risk}{i:03d}商行"}
        for risk, n in per_class.items()
        for i in range(n)
    ]


def build_office(world: World) -> Office:
    lena = make_person("lena", "陆丽娜", Role.LEADER, division=world.township)
    item = item_create(
        actor=None,
        code="SCJG-001",
        name="食品经营者落实食品安全主体责任情况检查",
        unit=world.agency,
        target_kind=KIND,
        legal_basis="《食品安全法》第一百一十条",
    )
    names = ["钱一", "孙二", "周三", "吴四", "郑五"]
    inspectors = []
    for n, name in enumerate(names, start=1):
        person = make_person(f"insp{n}", name, Role.INSPECTOR, unit=world.agency)
        inspectors.append(
            inspector_register(
                actor=None,
                person=person,
                certificate_no=f"33042110{n:04d}",
                valid_to=dt.date(2030, 12, 31),
                unit=world.agency,
                fields=["食品"],
            )
        )
    ivan = make_person("ivan", "冯六", Role.INSPECTOR, unit=world.agency)
    expired = inspector_register(
        actor=None,
        person=ivan,
        certificate_no="330421109999",
        valid_to=dt.date(2020, 1, 1),
        unit=world.agency,
    )
    return Office(dora=world.dora, lena=lena, item=item, inspectors=inspectors, expired=expired)


def make_plan(world: World, office: Office, **kw: Any) -> DrawPlan:
    kw.setdefault("name", "2026年度食品经营者双随机抽查")
    kw.setdefault("units", [world.agency])
    kw.setdefault("items", [office.item])
    kw.setdefault("target_filter", "西塘镇在营食品经营者")
    return plan_create(actor=office.dora, **kw)
