"""The enterprise registry API as a client speaks it (bearer tokens): scope (404 out of it), the legal
representative and phone masked by role with the unmasked reads audited, the list's filters and keyset pages in a
fixed number of queries, the credit file, and the risk override (403 `not_permitted` for the wrong role)."""

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.conftest import World, make_person
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.people.services import api_token_create
from grassroots.workcal.calendar import local_today

from ..choices import AbnormalReason
from ..models import MarketEntity
from ..services.abnormal import abnormal_list
from .support import add_licence, make_entity, people, uscc

pytestmark = pytest.mark.django_db


class Caller:
    """One person's API client, signed in with a bearer token as an app would be."""

    def __init__(self, person: Person) -> None:
        _, key = api_token_create(actor=None, person=person, name="测试")
        self.person = person
        self.client = Client(headers={"Authorization": f"Bearer {key}"})

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params)

    def ids(self, **params: Any) -> list[int]:
        response = self.get("/enterprises", **params)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["items"]]

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")

    def delete(self, path: str, **params: Any) -> Any:
        return self.client.delete(f"/api/v1{path}?{urlencode(params)}")


@pytest.fixture
def cast(world: World) -> dict[str, Caller]:
    """Ivan the inspector and Petra the coordinator (township, phone shown), Gina the grid worker of grid_b, Alice
    the grid worker of grid_a, Lena a township leader (may override, phone masked)."""
    persons = people(world) | {
        "alice": world.alice,
        "lena": make_person("lena", "陆丽娜", Role.LEADER, division=world.township),
    }
    return {name: Caller(person) for name, person in persons.items()}


def reads() -> Any:
    return AuditEntry.objects.filter(action="personal_data.read")


# -- scope --------------------------------------------------------------------------------------------------


def test_an_entity_out_of_the_callers_scope_is_404_by_id_by_uscc_and_for_the_override(world, cast):
    in_a = make_entity(world, 1)
    in_b = make_entity(world, 2, in_grid_b=True)
    elsewhere = make_entity(world, 3, region_code="330421001001", grid=None)
    alice, ivan = cast["alice"], cast["ivan"]

    assert alice.ids() == [in_a.pk]
    assert set(ivan.ids()) == {in_a.pk, in_b.pk}
    for response in (
        alice.get(f"/enterprises/{in_b.pk}"),
        alice.get(f"/enterprises/by-uscc/{in_b.uscc}"),
        alice.post(f"/enterprises/{in_b.pk}/risk-override", {"risk_class": "D", "reason": "测试"}),
        ivan.get(f"/enterprises/{elsewhere.pk}"),
        ivan.get("/enterprises/999999"),
        ivan.get("/enterprises/by-uscc/913304210000000000"),
    ):
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "message": "市场主体不存在或不在您的管辖范围内"}
    assert alice.get(f"/enterprises/by-uscc/{in_a.uscc.lower()}").json()["id"] == in_a.pk


def test_without_a_token_everything_is_401(world, cast):
    entity = make_entity(world, 1)
    for response in (
        Client().get("/api/v1/enterprises"),
        Client().get(f"/api/v1/enterprises/{entity.pk}"),
        Client(headers={"Authorization": "Bearer nope"}).get("/api/v1/enterprises"),
    ):
        assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


# -- personal data ------------------------------------------------------------------------------------------


def test_a_grid_worker_and_a_leader_see_the_contact_masked_and_nothing_is_audited(world, cast):
    entity = make_entity(world, 1)
    masked = {"legal_rep": "沈*强", "phone": "139****1234", "masked": True}

    (listed,) = cast["alice"].get("/enterprises").json()["items"]
    assert listed["contact"] == masked
    assert cast["alice"].get(f"/enterprises/{entity.pk}").json()["contact"] == masked
    assert cast["lena"].get(f"/enterprises/by-uscc/{entity.uscc}").json()["contact"] == masked
    assert not reads().exists()


def test_the_inspector_sees_the_contact_and_a_list_page_is_one_audit_write(world, cast):
    entities = [make_entity(world, n, in_grid_b=bool(n % 2)) for n in range(1, 5)]
    ivan = cast["ivan"]

    with CaptureQueriesContext(connection) as captured:
        page = ivan.get("/enterprises").json()
    assert {row["contact"]["phone"] for row in page["items"]} == {"13905731234"}
    assert all(row["contact"]["masked"] is False for row in page["items"])
    inserts = [q["sql"] for q in captured if q["sql"].startswith('INSERT INTO "audit_')]
    assert len(inserts) == 1
    rows = list(reads().order_by("id"))
    assert {r.object_id for r in rows} == {str(e.pk) for e in entities}
    assert {(r.actor_id, r.detail["purpose"]) for r in rows} == {(ivan.person.pk, "api.enterprises.list")}
    assert rows[0].detail["fields"] == ["legal_rep", "phone"]

    detail = ivan.get(f"/enterprises/{entities[0].pk}").json()
    assert detail["contact"] == {"legal_rep": "沈国强", "phone": "13905731234", "masked": False}
    entry = reads().latest("id")
    assert (entry.object_id, entry.detail["purpose"]) == (str(entities[0].pk), "api.enterprises.detail")


# -- the list -----------------------------------------------------------------------------------------------


def test_the_list_filters_by_name_code_class_status_grid_industry_tag_and_listing(world, cast):
    shop = make_entity(world, 1, name="红菱村便利店")
    canteen = make_entity(
        world, 2, name="鸦鹊村小学食堂", in_grid_b=True, food_class="canteen", key_tags=["school_canteen"]
    )
    software = make_entity(world, 12, name="西塘软件公司", industry_code="I6510", industry_name="软件开发")
    closed = make_entity(world, 13, name="已注销商行", status="deregistered")
    abnormal_list(
        actor=None, entity=software, reason=AbnormalReason.NO_ANNUAL_REPORT, triggered_on=local_today()
    )
    petra = cast["petra"]

    assert petra.ids(q="食堂") == [canteen.pk]
    assert petra.ids(q=uscc(12)[:15]) == [closed.pk, software.pk]  # a code prefix: MA00001x
    assert petra.ids(q=uscc(2).lower()) == [canteen.pk]
    assert set(petra.ids(risk_class="A")) == {shop.pk, closed.pk}
    assert set(petra.ids(risk_class="C")) == {canteen.pk, software.pk}  # canteen +2, tag +1; listing +3
    assert petra.ids(status="deregistered") == [closed.pk]
    assert petra.ids(grid=world.grid_b.pk) == [canteen.pk]
    assert petra.ids(industry="i65") == [software.pk]
    assert petra.ids(key_tag="school_canteen") == [canteen.pk]
    assert petra.ids(key_tag="cold_chain") == []
    assert petra.ids(abnormal="true") == [software.pk]
    assert software.pk not in petra.ids(abnormal="false") and len(petra.ids(abnormal="false")) == 3
    (row,) = petra.get("/enterprises", abnormal="true").json()["items"]
    assert (row["abnormal"], row["risk_class"], row["grid"]["id"]) == (True, "C", world.grid_a.pk)

    for params, code in (
        ({"key_tag": "unknown"}, "unknown_key_tag"),
        ({"risk_class": "E"}, "invalid_input"),
        ({"industry": "H6210X"}, "invalid_input"),
        ({"cursor": "nonsense"}, "invalid_cursor"),
    ):
        refused = petra.get("/enterprises", **params)
        assert refused.status_code == 422 and refused.json()["code"] == code, params


def test_pages_follow_one_another_without_a_row_twice_or_missing(world, cast):
    entities = [make_entity(world, n, in_grid_b=bool(n % 2)) for n in range(1, 12)]
    # An import writes many rows in one instant: the id breaks the tie.
    same = timezone.now() - dt.timedelta(days=1)
    MarketEntity.objects.filter(pk__in=[e.pk for e in entities[2:8]]).update(created_at=same)
    ivan = cast["ivan"]

    seen: list[int] = []
    cursor = None
    for _ in range(10):
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = ivan.get("/enterprises", **params).json()
        seen += [row["id"] for row in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 11
    assert set(seen) == {e.pk for e in entities}
    day_old = sorted((e.pk for e in entities[2:8]), reverse=True)
    assert seen == sorted(set(seen) - set(day_old), reverse=True) + day_old  # newest first, then by id


def test_the_list_takes_the_same_number_of_queries_whatever_the_page_size(world, cast):
    def count(caller: Caller, limit: int) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = caller.get("/enterprises", limit=limit)
        assert response.status_code == 200
        return len(captured), len(response.json()["items"])

    for n in range(1, 21):
        entity = make_entity(world, n, in_grid_b=bool(n % 2), key_tags=["cold_chain"])
        if n % 3 == 0:
            add_licence(entity, valid_to=local_today() + dt.timedelta(days=n))
    for name in ("ivan", "alice"):  # with the audit write, and masked
        caller = cast[name]
        count(caller, 2)  # warm the per-process reference caches
        few, shown_few = count(caller, 2)
        many, shown_many = count(caller, 20)
        assert shown_few == 2 and shown_many > 2
        assert few == many and many <= 5, (name, few, many)


# -- one entity's credit file -------------------------------------------------------------------------------


def test_the_credit_file_has_licences_open_listings_and_the_risk_factors(world, cast):
    entity = make_entity(world, 1, food_class="sales", key_tags=["cold_chain"])
    today = local_today()
    expired = add_licence(entity, valid_to=today - dt.timedelta(days=3))
    listing = abnormal_list(
        actor=None,
        entity=entity,
        reason=AbnormalReason.UNREACHABLE,
        triggered_on=today - dt.timedelta(days=2),
    )

    detail = cast["petra"].get(f"/enterprises/by-uscc/{entity.uscc}").json()

    assert detail["id"] == entity.pk and detail["abnormal"] is True
    assert [(x["id"], x["expired"], x["days_left"]) for x in detail["licences"]] == [(expired.pk, True, -3)]
    (open_listing,) = detail["abnormal_listings"]
    assert (open_listing["id"], open_listing["reason"]) == (listing.pk, "unreachable")
    risk = detail["risk"]
    assert [f["points"] for f in risk["factors"]] == [3, 2, 1, 1] and risk["points"] == 7
    assert (risk["risk_class"], risk["computed"], risk["overridden"]) == ("D", "D", False)
    assert detail["may_override_risk"] is True and detail["key_tag_labels"] == ["冷链食品"]
    assert cast["petra"].get(f"/enterprises/{entity.pk}").json() == detail


# -- the risk override --------------------------------------------------------------------------------------


def test_the_coordinator_overrides_and_clears_the_class_with_a_reason_both_audited(world, cast):
    entity = make_entity(world, 1)
    petra = cast["petra"]
    url = f"/enterprises/{entity.pk}/risk-override"

    done = petra.post(url, {"risk_class": "C", "reason": "群众多次投诉"})
    assert done.status_code == 200, done.json()
    risk = done.json()["risk"]
    assert (risk["risk_class"], risk["computed"], risk["overridden"]) == ("C", "A", True)
    assert (risk["override_reason"], risk["overridden_by"]) == ("群众多次投诉", "孙雅")
    assert done.json()["risk_overridden"] is True and done.json()["version"] == 2
    set_row = AuditEntry.objects.get(action="marketentity.risk_override")
    assert set_row.actor_id == petra.person.pk and set_row.detail["to"] == "C"

    cleared = petra.delete(url, reason="核实后投诉不实")
    assert cleared.status_code == 200, cleared.json()
    assert (cleared.json()["risk"]["risk_class"], cleared.json()["risk"]["overridden"]) == ("A", False)
    assert (
        AuditEntry.objects.get(action="marketentity.risk_override_clear").detail["reason"] == "核实后投诉不实"
    )


def test_the_override_needs_a_reason_and_a_role_that_may_take_it(world, cast):
    entity = make_entity(world, 1)
    url = f"/enterprises/{entity.pk}/risk-override"

    refused = cast["ivan"].post(url, {"risk_class": "D", "reason": "测试"})
    assert refused.status_code == 403 and refused.json()["code"] == "not_permitted"
    assert cast["ivan"].delete(url, reason="测试").json()["code"] == "not_permitted"
    for body in (
        {"risk_class": "D"},
        {"risk_class": "D", "reason": "   "},
        {"risk_class": "E", "reason": "x"},
    ):
        bad = cast["lena"].post(url, body)
        assert bad.status_code == 422 and bad.json()["code"] == "invalid_input", body
    assert cast["lena"].delete(url).status_code == 422
    blank = cast["lena"].delete(url, reason="  ")
    assert blank.status_code == 422 and blank.json()["code"] == "reason_required"
    entity.refresh_from_db()
    assert (entity.risk_class, entity.risk_override, entity.version) == ("A", "", 1)
    assert not AuditEntry.objects.filter(action__startswith="marketentity.").exists()

    assert (
        cast["lena"].post(url, {"risk_class": "D", "reason": "领导批示"}).json()["risk"]["risk_class"] == "D"
    )
