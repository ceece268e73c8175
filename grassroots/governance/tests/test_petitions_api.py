"""The petitions API as a client speaks it (bearer tokens): the list in scope with keyset pages, filters and a fixed
number of queries, never naming a petitioner; the detail with the petitioners whole (the read audited) for the
office and the leader and masked for the others; out of scope a 404; registering, each step as its own endpoint
(If-Match, stale version 409, guards 422 with their codes), and a notice downloaded as a real .docx."""

import io
import json
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from docx import Document

from grassroots.audit.models import AuditEntry
from grassroots.conftest import make_person
from grassroots.people.choices import Role
from grassroots.people.services import api_token_create

from ..models import Petition
from ..services import petitions as p
from .petition_support import build_office, register

BASE = "/api/v1/petitions"


def caller(person: Any) -> Client:
    _, key = api_token_create(actor=None, person=person, name="测试")
    return Client(headers={"Authorization": f"Bearer {key}"})


def post(client: Client, path: str, body: dict[str, Any] | None = None, **headers: str) -> Any:
    return client.post(
        f"{BASE}{path}", json.dumps(body or {}), content_type="application/json", headers=headers
    )


def reads(pk: int) -> int:
    return AuditEntry.objects.filter(action="personal_data.read", object_id=str(pk)).count()


def test_the_list_is_scoped_paged_filtered_and_never_names_a_petitioner(world):
    o = build_office(world)
    mine = [register(o) for _ in range(4)]
    elsewhere = register(o, village=world.village_b, channel="letter", title="反映道路破损")
    p.petition_accept(actor=o.xia, petition=mine[0])
    xia = caller(o.xia)
    first = xia.get(BASE, {"limit": 3}).json()
    assert [r["id"] for r in first["items"]] == [elsewhere.pk, mine[3].pk, mine[2].pk]
    rest = xia.get(BASE, {"limit": 3, "cursor": first["next"]}).json()
    assert [r["id"] for r in rest["items"]] == [mine[1].pk, mine[0].pk] and rest["next"] is None
    text = json.dumps(first)
    assert "张三丰" not in text and "13912345678" not in text
    row = first["items"][1]
    assert row["clock"]["name"] == "acceptance" and row["clock"]["light"] == "green"
    assert row["channel_label"] == "来访" and row["people_count"] == 8
    assert [r["id"] for r in xia.get(BASE, {"state": "accepted"}).json()["items"]] == [mine[0].pk]
    assert [r["id"] for r in xia.get(BASE, {"channel": "letter"}).json()["items"]] == [elsewhere.pk]
    assert [r["id"] for r in xia.get(BASE, {"q": "道路"}).json()["items"]] == [elsewhere.pk]
    assert len(xia.get(BASE, {"light": "green"}).json()["items"]) == 5
    assert xia.get(BASE, {"light": "red"}).json()["items"] == []
    assert xia.get(BASE, {"state": "nonsense"}).status_code == 422
    # the list shows nothing whole, so it audits nothing (the acceptance notice named mine[0]'s petitioners: one)
    assert [reads(x.pk) for x in mine] == [1, 0, 0, 0]

    # Bob (红菱村) sees his village's four; Carol (鸦鹊村) only hers; Dora (a county agency) none.
    assert len(caller(world.bob).get(BASE).json()["items"]) == 4
    assert [r["id"] for r in caller(world.carol).get(BASE).json()["items"]] == [elsewhere.pk]
    assert caller(world.dora).get(BASE).json()["items"] == []

    head = caller(o.lena)
    head.get(BASE)  # the token's first use writes its last-used time
    with CaptureQueriesContext(connection) as few:
        assert len(head.get(BASE, {"limit": 1}).json()["items"]) == 1
    with CaptureQueriesContext(connection) as many:
        assert len(head.get(BASE, {"limit": 50}).json()["items"]) == 5
    assert len(many.captured_queries) == len(few.captured_queries) <= 6
    assert Client().get(BASE).status_code == 401


def test_the_detail_is_whole_and_audited_for_the_office_masked_for_others_404_out_of_scope(world):
    o = build_office(world)
    x = register(o)
    seen = caller(o.xia).get(f"{BASE}/{x.pk}").json()
    assert seen["petitioners"][0] == {
        "position": 1,
        "name": "张三丰",
        "id_number": "11010519491231002X",
        "phone": "13912345678",
        "address": "红菱村3组12号",
        "masked": False,
    }
    assert reads(x.pk) == 1
    assert seen["allowed_actions"] == [
        "assign_leader",
        "accept",
        "refuse",
        "transfer",
        "join",
    ]  # not transferred in
    assert [c["name"] for c in seen["clocks"]] == ["acceptance"]
    bob = caller(world.bob).get(f"{BASE}/{x.pk}").json()
    assert bob["petitioners"][0]["name"] == "张*丰" and bob["petitioners"][0]["masked"]
    assert "11010519491231002X" not in json.dumps(bob) and "13912345678" not in json.dumps(bob)
    assert bob["allowed_actions"] == [] and reads(x.pk) == 1  # a masked read leaves no read row
    for outsider in (world.carol, world.dora, make_person("sam", "孙外", Role.LEADER, unit=world.agency)):
        assert caller(outsider).get(f"{BASE}/{x.pk}").status_code == 404
        assert post(caller(outsider), f"/{x.pk}/accept").status_code == 404
    assert Petition.objects.get(pk=x.pk).status == "registered"


def test_a_petition_is_registered_and_taken_through_its_steps_by_the_api(world):
    o = build_office(world)
    xia, lena = caller(o.xia), caller(o.lena)
    body = {
        "village_id": world.village_a.pk,
        "channel": "visit",
        "kind": "claim",
        "title": "反映补偿款未发放",
        "content": "要求核实发放。",
        "people_count": 6,
        "petitioners": [{"name": f"信访人{i}", "phone": "13900000000"} for i in range(6)],
    }
    refused = post(xia, "", body)
    assert refused.status_code == 422 and refused.json()["code"] == "too_many_representatives"
    assert not Petition.objects.exists()
    made = post(xia, "", {**body, "petitioners": body["petitioners"][:5]})
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    stale = post(xia, f"/{pk}/accept", {"leader_id": o.lena.pk}, **{"If-Match": "7"})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_petition"
    accepted = post(xia, f"/{pk}/accept", {"leader_id": o.lena.pk}, **{"If-Match": "1"}).json()
    assert accepted["status"] == "accepted" and accepted["leader"]["name"] == "沈丽娜"
    assert (
        post(xia, f"/{pk}/answer", {"outcome": "support", "text": "支持"}).json()["code"] == "not_permitted"
    )
    long = post(lena, f"/{pk}/extend", {"days": 31, "reason": "需调查"})
    assert long.status_code == 422 and long.json()["code"] == "extension_too_long"
    assert post(lena, f"/{pk}/extend", {"days": 20, "reason": "需调查"}).json()["extended_days"] == 20
    answered = post(lena, f"/{pk}/answer", {"outcome": "explain", "text": "经核实已发放。"}).json()
    assert answered["status"] == "answered"
    reviewing = post(xia, f"/{pk}/request_review", {"note": "不服"}).json()
    assert reviewing["status"] == "reviewing"
    kinds = [d["kind"] for d in reviewing["documents"]]
    assert kinds == ["acceptance", "extension", "answer"]
    answer = reviewing["documents"][2]
    refused = xia.get(f"{BASE}/{pk}/documents/{answer['id']}")
    assert refused.status_code == 422 and refused.json()["code"] == "export_reason_required"
    got = xia.get(f"{BASE}/{pk}/documents/{answer['id']}", {"reason": "复查材料"})
    assert got.status_code == 200
    data = b"".join(got.streaming_content)  # type: ignore[attr-defined]
    word = Document(io.BytesIO(data))
    assert "事由：复查材料" in "\n".join(par.text for par in word.sections[0].header.paragraphs)
    assert AuditEntry.objects.filter(action="personal_data.read", detail__reason="复查材料").count() == 1
    text = "\n".join(par.text for par in word.paragraphs)
    assert (
        "信访处理意见书" in text
        and "信访人0" in text
        and "处理意见：解释说明" in text
        and "三十日" not in text
    )
    assert "30日内" in text
    assert caller(world.bob).get(f"{BASE}/{pk}/documents/{answer['id']}").status_code == 403
