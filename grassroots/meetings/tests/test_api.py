"""The meetings API: arranging in scope, one endpoint per step (If-Match against a stale version → 409), the table's
refusals with their codes, the decisions' list and their own steps, and the scope (out of sight is 404)."""

import pytest

from ..models import Meeting
from .support import build_township, report_event

pytestmark = pytest.mark.django_db
URL = "/api/v1/meetings"


@pytest.fixture
def town(world):
    return build_township(world)


def post(client, url, body, **headers):
    return client.post(url, body, content_type="application/json", headers=headers)


def test_a_meeting_through_the_api_from_arrangement_to_a_done_decision(town):
    world = town.world
    oscar = world.client_for(world.oscar)
    body = {
        "kind": "mediation",
        "forum": "governance",
        "title": "第40周矛盾联调会",
        "starts_at": "2026-09-28T09:00:00+08:00",
        "place": "镇综治中心",
    }
    created = post(oscar, URL, body)
    assert created.status_code == 201, created.content
    meeting = created.json()
    assert meeting["convenor"] == "沈丽娜" and meeting["allowed_actions"][:2] == ["invite", "add_agenda"]
    mid = meeting["id"]
    event = report_event(world)
    agenda = post(
        oscar, f"{URL}/{mid}/add_agenda", {"title": "宅基地纠纷", "workflow": "event", "record_id": event.pk}
    )
    assert agenda.status_code == 200
    assert agenda.json()["agenda"][0]["record_title"].startswith("事件 ")
    # Another step against the version seen before the agenda item: 409 and nothing written.
    stale = post(oscar, f"{URL}/{mid}/hold", {"attendance": []}, **{"If-Match": str(meeting["version"])})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_meeting"
    lena_row = next(a["id"] for a in agenda.json()["attendances"] if a["name"] == "沈丽娜")
    held = post(oscar, f"{URL}/{mid}/hold", {"attendance": [{"id": lena_row, "presence": "present"}]})
    assert held.json()["status"] == "held"
    decided = post(
        oscar,
        f"{URL}/{mid}/decide",
        {"text": "组织双方调解", "owner_person_id": world.dora.pk, "limit_days": 5},
    )
    assert decided.status_code == 200, decided.content
    task = decided.json()["tasks"][0]
    assert task["owner"] == "西塘市场监管所 · 赵敏" and task["light"] == "green"

    dora = world.client_for(world.dora)
    mine = dora.get(f"{URL}/tasks").json()["items"]
    assert [t["id"] for t in mine] == [task["id"]]
    assert dora.get(f"{URL}/tasks/{task['id']}").json()["allowed_actions"] == ["complete"]
    done = post(dora, f"{URL}/tasks/{task['id']}/complete", {"done_note": "双方已签订协议"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    again = post(dora, f"{URL}/tasks/{task['id']}/complete", {"done_note": "再次"})
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


def test_the_table_refuses_with_its_codes(town):
    world = town.world
    oscar = world.client_for(world.oscar)
    mid = post(
        oscar,
        URL,
        {
            "kind": "consultation",
            "forum": "governance",
            "title": "会商",
            "starts_at": "2026-09-28T09:00:00+08:00",
        },
    ).json()["id"]
    early = post(oscar, f"{URL}/{mid}/approve_minutes", {})
    assert early.status_code == 409 and early.json()["code"] == "invalid_transition"
    by_dora = post(world.client_for(world.dora), f"{URL}/{mid}/cancel", {"reason": "x"})
    assert by_dora.status_code == 403 and by_dora.json()["code"] == "not_permitted"
    empty = post(oscar, f"{URL}/{mid}/cancel", {"reason": ""})
    assert empty.status_code == 422
    assert Meeting.objects.get(pk=mid).status == "planned"
    bad = post(oscar, f"{URL}/{mid}/add_agenda", {"title": "x", "workflow": "nothing", "record_id": 1})
    assert bad.status_code == 422 and bad.json()["code"] == "link_workflow_unknown"


def test_the_list_is_scoped_and_out_of_scope_is_404(town):
    world = town.world
    oscar = world.client_for(world.oscar)
    mid = post(
        oscar,
        URL,
        {
            "kind": "mediation",
            "forum": "governance",
            "title": "联调",
            "starts_at": "2026-09-28T09:00:00+08:00",
        },
    ).json()["id"]
    assert [m["id"] for m in oscar.get(URL, {"kind": "mediation"}).json()["items"]] == [mid]
    assert oscar.get(URL, {"kind": "joint"}).json()["items"] == []
    # Pete (police station staff) was asked as a member of the group; Carol (village staff of B) was not.
    assert [m["id"] for m in world.client_for(town.pete).get(URL).json()["items"]] == [mid]
    carol = world.client_for(world.carol)
    assert carol.get(URL).json()["items"] == []
    assert carol.get(f"{URL}/{mid}").status_code == 404
    refused = post(
        carol,
        URL,
        {"kind": "mediation", "forum": "governance", "title": "x", "starts_at": "2026-09-28T09:00:00+08:00"},
    )
    assert refused.status_code == 403
