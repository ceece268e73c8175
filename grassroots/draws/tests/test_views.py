"""The staff pages and the public page, through HTTP as a user would."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.conftest import World, make_person
from grassroots.people.choices import Role
from grassroots.people.models import Person

from ..algorithm import DrawInputs, run_draw
from ..models import DrawPlan
from ..pools import _PROVIDERS, register_pool, unregister_pool
from .support import KIND, Office, build_office, make_plan, pool


@pytest.fixture
def office(world: World) -> Iterator[Office]:
    registered = _PROVIDERS.get(KIND)  # the registry's own provider, put back afterwards
    register_pool(KIND, lambda plan: pool())
    yield build_office(world)
    unregister_pool(KIND)
    if registered is not None:
        register_pool(KIND, registered)


def act(world: World, who: Person, plan: DrawPlan, action: str, **data: Any) -> Any:
    return world.client_for(who).post(reverse("draws:act", args=[plan.pk, action]), data)


def test_dora_freezes_draws_and_publishes_from_the_plan_page(world: World, office: Office) -> None:
    plan = make_plan(world, office)
    page = world.client_for(office.dora).get(reverse("draws:plan", args=[plan.pk]))
    assert page.status_code == 200 and "冻结名录并公布种子承诺值" in page.content.decode()
    assert act(world, office.dora, plan, "freeze").status_code == 302
    plan.refresh_from_db()
    snapshot = plan.snapshots.get()
    public = world.client_for(world.carol).get(reverse("public_draws:plan", args=[plan.pk])).content.decode()
    assert snapshot.seed_hash in public and snapshot.targets_digest in public
    assert snapshot.seed not in public  # the seed stays secret until the draw
    assert act(world, office.dora, plan, "draw").status_code == 302
    draw = plan.draws.get()
    anonymous = Client()
    public = anonymous.get(reverse("public_draws:draw", args=[draw.pk])).content.decode()
    names = {p["name"] for p in draw.snapshot.inspectors}
    assert draw.seed in public and any(name in public for name in names)
    assert "13812345678" not in public and "11010519491231002X" not in public
    bad = act(world, office.dora, plan, "publish", summary="")
    assert bad.status_code == 422
    assert act(world, office.dora, plan, "publish", summary="检查 8 户，均未发现问题。").status_code == 302
    assert "均未发现问题" in anonymous.get(reverse("public_draws:plan", args=[plan.pk])).content.decode()


def test_anyone_re_runs_the_draw_from_the_published_data(world: World, office: Office) -> None:
    plan = make_plan(world, office)
    act(world, office.dora, plan, "freeze")
    act(world, office.dora, plan, "draw")
    data = Client().get(reverse("public_draws:draw_data", args=[plan.draws.get().pk])).json()
    again = run_draw(
        seed=data["seed"],
        targets=data["targets"],
        inspectors=data["inspectors"],
        inputs=DrawInputs.from_json(data["inputs"]),
    )
    assert again == data["result"]


def test_a_re_draw_from_the_page_needs_an_approver(world: World, office: Office) -> None:
    plan = make_plan(world, office)
    act(world, office.dora, plan, "freeze")
    act(world, office.dora, plan, "draw")
    refused = act(world, office.dora, plan, "redraw", reason="人员病假")
    assert refused.status_code == 422
    plan.refresh_from_db()
    assert plan.status == "drawn"
    done = act(world, office.dora, plan, "redraw", reason="人员病假", approver=office.lena.pk)
    assert done.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "frozen" and plan.snapshots.count() == 2


def test_who_sees_and_who_manages(world: World, office: Office) -> None:
    plan = make_plan(world, office)
    url = reverse("draws:plan", args=[plan.pk])
    assert world.client_for(world.carol).get(reverse("draws:plans")).status_code == 403
    inspector = office.inspectors[0].person
    page = world.client_for(inspector).get(url)
    assert page.status_code == 200 and 'data-testid="actions"' not in page.content.decode()
    assert act(world, inspector, plan, "freeze").status_code == 403
    assert world.client_for(office.lena).get(url).status_code == 200
    other = make_person("olga", "欧阳", Role.DEPARTMENT_STAFF, unit=world.command_room)
    assert world.client_for(other).get(url).status_code == 404
    assert plan.name not in world.client_for(other).get(reverse("draws:plans")).content.decode()
    # A draft is not public yet.
    assert world.client_for(other).get(reverse("public_draws:plan", args=[plan.pk])).status_code == 404


def test_list_pages_keep_their_query_counts(world: World, office: Office) -> None:
    client = world.client_for(office.dora)

    def counts() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as staff:
            assert client.get(reverse("draws:plans")).status_code == 200
        with CaptureQueriesContext(connection) as public:
            assert client.get(reverse("public_draws:plans")).status_code == 200
        return len(staff), len(public)

    def add_plans(n: int) -> None:
        for k in range(n):
            plan = make_plan(world, office, name=f"计划{k}")
            act(world, office.dora, plan, "freeze")
            act(world, office.dora, plan, "draw")

    add_plans(1)
    counts()  # warm the per-process reference caches
    few = counts()
    add_plans(4)
    assert counts() == few and few[0] <= 10 and few[1] <= 10, few
