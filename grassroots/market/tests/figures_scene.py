"""A small market world in the personas' township (西塘镇), made with the services at fixed moments of early 2025,
for the figures' tests: six entities (one deregistered), hand-arranged inspections with findings and penalties,
and four 双随机 draws of three plans (one superseded by a re-draw, one never published). The hand-counted
figures of March 2025 are in test_indicators.py.

Three inspecting units: 西塘市场监管所 (the world's agency; inspectors 钱一 孙二 周三 吴四 郑五 of
draws.tests.support), 执法一队 (徐甲, 徐乙: plan 一) and 执法二队 (严丙, 严丁: plans 二 and 三). Each plan draws
from a unit of exactly two inspectors, so who is drawn is known without knowing the seed."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.assessment.periods import CHINA
from grassroots.conftest import World, make_person
from grassroots.demo.photos import sample_jpeg
from grassroots.draws.models import Draw, DrawPlan
from grassroots.draws.services import inspector_register, plan_create
from grassroots.draws.services.plans import draw_publish, plan_draw, plan_freeze, plan_redraw
from grassroots.draws.tests.support import Office, build_office
from grassroots.org.choices import UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person

from ..choices import Conclusion, InspectionKind, RiskClass
from ..models import Inspection, MarketEntity
from ..registry import plan_pool
from ..services.inspection_steps import inspection_penalize, inspection_recheck, inspection_record
from ..services.inspections import inspection_cancel, inspection_create
from ..services.risk import risk_override_set
from .support import make_entity

JPEG = sample_jpeg()


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, tzinfo=CHINA)


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("现场.jpg", JPEG, content_type="image/jpeg")


@contextmanager
def now_is(moment: dt.datetime) -> Iterator[None]:
    """The services that take no `now` (freeze, re-draw, publish) run at `moment`."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@dataclass
class Scene:
    world: World
    office: Office
    lena: Person  # leader of 西塘镇: manages the plans
    petra: Person  # platform coordinator of 西塘镇: approves the re-draw
    units: dict[str, Unit]
    squad: dict[str, Person]  # the two squads' inspectors: x1 x2 (一队), y1 y2 (二队)
    entities: dict[str, MarketEntity]
    inspections: dict[str, Inspection] = field(default_factory=dict)
    draws: dict[str, Draw] = field(default_factory=dict)
    plans: dict[str, DrawPlan] = field(default_factory=dict)

    def inspector(self, n: int) -> Person:
        """钱一 … 郑五 (1 … 5) of the market-supervision office."""
        return self.office.inspectors[n - 1].person


def make_squad(
    world: World, code: str, name: str, people: list[tuple[str, str]], first_no: int
) -> tuple[Unit, list[Person]]:
    """A unit of the township with its certified inspectors (people: username, name)."""
    unit = Unit.objects.create(
        code=f"330421102-{code}", name=name, kind=UnitKind.TOWNSHIP_OFFICE, division=world.township
    )
    persons = []
    for n, (username, person_name) in enumerate(people):
        person = make_person(username, person_name, Role.INSPECTOR, unit=unit)
        inspector_register(
            actor=None,
            person=person,
            certificate_no=f"3304211{first_no + n:05d}",
            valid_to=dt.date(2030, 12, 31),
            unit=unit,
        )
        persons.append(person)
    return unit, persons


def _entities(world: World, lena: Person) -> dict[str, MarketEntity]:
    classes = {"E1": "A", "E2": "A", "E3": "B", "E4": "C", "E5": "D", "E6": "B"}
    out = {}
    for n, (name, risk) in enumerate(classes.items(), start=1):
        entity = make_entity(
            world,
            n,
            in_grid_b=name in ("E4", "E5"),
            name=f"西塘测试商店{name}",
            status="deregistered" if name == "E6" else "operating",
        )
        out[name] = risk_override_set(
            actor=lena, entity=entity, risk_class=RiskClass(risk), reason="测试用风险分类"
        )
    return out


def _draw(s: Scene, name: str, unit: Unit, rates: dict[str, str], moment: dt.datetime) -> Draw:
    plan = s.plans.get(name)
    if plan is None:
        plan = plan_create(
            actor=s.lena, name=f"2025年双随机抽查计划{name}", units=[unit], items=[s.office.item], rates=rates
        )
        s.plans[name] = plan
        with now_is(moment - dt.timedelta(hours=1)):
            plan_freeze(actor=s.lena, plan=plan, targets=plan_pool(plan))
    return plan_draw(actor=s.lena, plan=plan, now=moment)


def _record(s: Scene, inspection: Inspection, actor: Person, moment: dt.datetime, **kw: object) -> None:
    if kw.get("findings"):
        kw.setdefault("photos", [photo()])
    conclusion = Conclusion.PROBLEMS if kw.get("findings") else Conclusion.COMPLIANT
    inspection_record(actor=actor, inspection=inspection, conclusion=conclusion, now=moment, **kw)  # type: ignore[arg-type]


def _arrange(s: Scene, name: str, entity: str, kind: str, inspectors: list[int], moment: dt.datetime) -> None:
    s.inspections[name] = inspection_create(
        actor=s.office.dora,
        entity=s.entities[entity],
        kind=kind,
        unit=s.world.agency,
        inspectors=[s.inspector(n) for n in inspectors],
        items=[s.office.item],
        campaign="春季食品安全专项检查" if kind == InspectionKind.CAMPAIGN else "",
        now=moment,
    )


def build_scene(world: World) -> Scene:
    office = build_office(world)
    lena = office.lena
    petra = make_person("petra", "孙雅", Role.PLATFORM_COORDINATOR, division=world.township)
    squad1, (x1, x2) = make_squad(world, "ZFYD", "执法一队", [("x1", "徐甲"), ("x2", "徐乙")], 100)
    squad2, (y1, y2) = make_squad(world, "ZFED", "执法二队", [("y1", "严丙"), ("y2", "严丁")], 200)
    s = Scene(
        world=world,
        office=office,
        lena=lena,
        petra=petra,
        units={"agency": world.agency, "squad1": squad1, "squad2": squad2},
        squad={"x1": x1, "x2": x2, "y1": y1, "y2": y2},
        entities=_entities(world, lena),
    )
    _hand_inspections(s)
    _random_inspections(s)
    return s


def _hand_inspections(s: Scene) -> None:
    # R1: routine, E1, 钱一 + 孙二; arranged in February, compliant on 3 March.
    _arrange(s, "R1", "E1", InspectionKind.ROUTINE, [1, 2], at(2, 25))
    _record(s, s.inspections["R1"], s.inspector(1), at(3, 3))
    # R2: routine, E2, 钱一; one finding due 7 March (3 working days), rectified on 6 March; fined ¥2,000.
    _arrange(s, "R2", "E2", InspectionKind.ROUTINE, [1], at(3, 3))
    _record(s, s.inspections["R2"], s.inspector(1), at(3, 4), findings=[{"description": "健康证过期"}],
            rectify_days=3)  # fmt: skip
    r2 = s.inspections["R2"]
    inspection_recheck(actor=s.inspector(1), inspection=r2, rectified=[r2.findings.get().pk], photos=[photo()],
                       now=at(3, 6))  # fmt: skip
    inspection_penalize(actor=s.office.dora, inspection=r2, decision_no="嘉市监西罚〔2025〕1号", kind="fine",
                        procedure="simple", amount="2000", violation="从业人员健康证过期",
                        legal_basis="《食品安全法》第一百二十六条", decided_on=dt.date(2025, 3, 6),
                        now=at(3, 6, 15))  # fmt: skip
    # C1: campaign, E4, 孙二 + 周三; two findings due 13 March; on 17 March one is rectified (late), the other
    # gets a new deadline (19 March) and stays open; fined ¥10,000 on 20 March.
    _arrange(s, "C1", "E4", InspectionKind.CAMPAIGN, [2, 3], at(3, 10))
    c1 = s.inspections["C1"]
    _record(s, c1, s.inspector(2), at(3, 11), findings=[{"description": "冷藏柜温度超标"},
            {"description": "过期食品未下架"}], rectify_days=2)  # fmt: skip
    first = c1.findings.order_by("pk").first()
    assert first is not None
    inspection_recheck(actor=s.inspector(2), inspection=c1, rectified=[first.pk], note="过期食品仍未下架",
                       rectify_days=2, photos=[photo()], now=at(3, 17))  # fmt: skip
    inspection_penalize(actor=s.office.dora, inspection=c1, decision_no="嘉市监西罚〔2025〕2号", kind="fine",
                        procedure="general", amount="10000", violation="销售超过保质期的食品",
                        legal_basis="《食品安全法》第一百二十四条", decided_on=dt.date(2025, 3, 20),
                        now=at(3, 20, 15))  # fmt: skip
    # R4: routine, E3, 吴四; arranged 20 March, not yet inspected.
    _arrange(s, "R4", "E3", InspectionKind.ROUTINE, [4], at(3, 20))
    # R5: routine, E1, 郑五; arranged 25 March, cancelled the next day.
    _arrange(s, "R5", "E1", InspectionKind.ROUTINE, [5], at(3, 25))
    inspection_cancel(actor=s.office.dora, inspection=s.inspections["R5"], reason="重复安排", now=at(3, 26))
    # R6: routine, E5, 钱一; arranged and inspected in April.
    _arrange(s, "R6", "E5", InspectionKind.ROUTINE, [1], at(4, 2))
    _record(s, s.inspections["R6"], s.inspector(1), at(4, 3))


def _random_inspections(s: Scene) -> None:
    squad1, squad2 = s.units["squad1"], s.units["squad2"]
    x1 = s.squad["x1"]
    # 计划二 (二队): the D class only; drawn 10 February (results due 10 March), E5 never inspected, never published.
    s.draws["feb"] = _draw(s, "二", squad2, {"A": "0", "B": "0", "C": "0", "D": "1"}, at(2, 10))
    # 计划一 (一队): half of A, all of B, C, D; drawn 24 February (results due 24 March); the four targets inspected
    # 3–6 March, E4 with one finding due 12 March and rectified that day; published on 20 March.
    s.draws["p1"] = _draw(s, "一", squad1, {"A": "0.5", "B": "1", "C": "1", "D": "1"}, at(2, 24))
    drawn = {i.entity_id: i for i in Inspection.objects.filter(draw=s.draws["p1"])}
    e = s.entities
    a_drawn = e["E1"] if e["E1"].pk in drawn else e["E2"]
    for day, entity in enumerate([a_drawn, e["E3"], e["E4"], e["E5"]], start=3):
        inspection = drawn[entity.pk]
        s.inspections[f"P1-{entity.name[-2:]}"] = inspection
        if entity.pk == e["E4"].pk:
            _record(s, inspection, x1, at(3, day), findings=[{"description": "索证索票不全"}], rectify_days=5)
            inspection_recheck(actor=x1, inspection=inspection, rectified=[inspection.findings.get().pk],
                               photos=[photo()], now=at(3, 12))  # fmt: skip
        else:
            _record(s, inspection, x1, at(3, day))
    with now_is(at(3, 20, 16)):
        draw_publish(actor=s.lena, plan=s.plans["一"], summary="本次抽查 4 户，发现问题 1 户，已整改")
    # 计划三 (二队): the B class; drawn 12 March, re-drawn (superseded) and drawn again on 14 March; not inspected.
    s.draws["m1"] = _draw(s, "三", squad2, {"A": "0", "B": "1", "C": "0", "D": "0"}, at(3, 12))
    with now_is(at(3, 13)):
        plan_redraw(actor=s.lena, plan=s.plans["三"], reason="执法人员调整", approved_by=s.petra,
                    targets=plan_pool(s.plans["三"]))  # fmt: skip
    s.draws["m2"] = _draw(s, "三", squad2, {}, at(3, 14))
    s.inspections["M2"] = Inspection.objects.get(draw=s.draws["m2"])
    s.inspections["FEB"] = Inspection.objects.get(draw=s.draws["feb"])
