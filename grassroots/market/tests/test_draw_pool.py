"""The registry feeds the 双随机 engine: a plan of the market office draws from the operating entities of its area,
and the draw re-runs from what was stored."""

from grassroots.draws.pools import target_pool
from grassroots.draws.services.plans import plan_draw, plan_freeze
from grassroots.draws.services.verify import draw_verify
from grassroots.draws.tests.support import build_office, make_plan

from ..registry import plan_pool
from .support import make_entity


def test_a_plan_draws_from_the_registry_of_its_units_area(world):
    entities = [make_entity(world, n) for n in range(1, 5)]
    make_entity(world, 9, status="deregistered")
    office = build_office(world)
    plan = make_plan(world, office)
    rows = plan_pool(plan)
    assert [r["id"] for r in rows] == [e.pk for e in entities]  # operating ones only, in id order
    assert {r["kind"] for r in rows} == {"market.entity"} and rows[0]["label"] == entities[0].name
    assert target_pool(plan) == rows  # registered with the engine when Django started
    plan_freeze(actor=office.dora, plan=plan, targets=rows)
    draw = plan_draw(actor=office.dora, plan=plan)
    assert draw_verify(draw) == []
