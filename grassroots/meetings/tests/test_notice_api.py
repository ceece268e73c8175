"""The notices API (/api/v1/notices): publishing to a unit and a village, the list each caller sees (recipients,
the sender; nobody else: out of sight is 404), the receipts shown to the sender only, the read receipt, refusals
with their codes and nothing written, and the list's pinned query count."""

import pytest

from ..models import Notice, NoticeReceipt
from .support import build_township

pytestmark = pytest.mark.django_db
URL = "/api/v1/notices"


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


@pytest.fixture
def town(world):
    return build_township(world)


def publish(world, town, **extra):
    body = {
        "forum": "command",
        "title": "关于开展矛盾纠纷排查的通知",
        "body": "请于本周内完成辖区矛盾纠纷排查。",
        "unit_ids": [town.police.pk],
        "village_ids": [world.village_b.pk],
        **extra,
    }
    return post(world.client_for(world.oscar), URL, body)


def test_a_notice_published_listed_in_scope_read_and_its_receipts_to_the_sender_only(world, town):
    created = publish(world, town, remind_after_hours=4)
    assert created.status_code == 201, created.content
    notice = created.json()
    assert (notice["recipients"], notice["read"], notice["remind_after_hours"]) == (2, 0, 4)
    assert notice["targets"] == {"units": ["西塘派出所"], "villages": ["鸦鹊村"], "grids": []}
    assert {r["name"] for r in notice["receipts"]} == {"周国平", "张晓红"}
    nid = notice["id"]

    carol = world.client_for(world.carol)
    listed = carol.get(URL).json()["items"]
    assert [(n["id"], n["mine"], n["read_at"]) for n in listed] == [(nid, True, None)]
    assert carol.get(f"{URL}?unread=true").json()["items"][0]["id"] == nid
    detail = carol.get(f"{URL}/{nid}").json()
    assert detail["body"] == "请于本周内完成辖区矛盾纠纷排查。" and detail["receipts"] is None
    assert (
        NoticeReceipt.objects.get(person=world.carol).read_at is None
    )  # reading the detail is not a receipt
    read = post(carol, f"{URL}/{nid}/read")
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert carol.get(f"{URL}?unread=true").json()["items"] == []

    # Out of sight: a grid worker of another village and the agency's staff were not sent it.
    for person in (world.alice, world.dora):
        other = world.client_for(person)
        assert other.get(URL).json()["items"] == []
        assert other.get(f"{URL}/{nid}").status_code == 404
        assert post(other, f"{URL}/{nid}/read").status_code == 404

    sender = world.client_for(world.oscar).get(f"{URL}/{nid}").json()
    assert sender["read"] == 1 and sender["mine"] is False
    read_by = {r["name"]: r["read_at"] is not None for r in sender["receipts"]}
    assert read_by == {"周国平": False, "张晓红": True}
    assert world.client_for(world.oscar).get(f"{URL}?box=sent").json()["items"][0]["id"] == nid
    assert world.client_for(world.oscar).get(f"{URL}?box=received").json()["items"] == []
    # The sender is not a recipient: nothing to mark.
    refused = post(world.client_for(world.oscar), f"{URL}/{nid}/read")
    assert refused.status_code == 422 and refused.json()["code"] == "notice_not_recipient"


def test_refusals_have_their_codes_and_write_nothing(world, town):
    not_organiser = post(
        world.client_for(world.carol), URL, {"forum": "command", "title": "t", "body": "b", "village_ids": []}
    )
    assert not_organiser.status_code == 403 and not_organiser.json()["code"] == "not_permitted"
    nobody = publish(world, town, unit_ids=[], village_ids=[])
    assert nobody.status_code == 422 and nobody.json()["code"] == "notice_no_recipients"
    unknown = publish(world, town, unit_ids=[999999])
    assert unknown.status_code == 422 and unknown.json()["code"] == "notice_unit_unknown"
    outside = publish(world, town, unit_ids=[world.command_room.pk, *[]], village_ids=[])
    assert outside.status_code == 201  # the command room is the township's own unit
    Notice.objects.all().delete()
    assert publish(world, town, remind_after_hours=0).status_code == 422
    assert not Notice.objects.exists() and not NoticeReceipt.objects.exists()


def test_the_list_answers_in_a_fixed_number_of_queries(world, town, django_assert_num_queries):
    for n in range(3):
        assert publish(world, town, title=f"通知{n}").status_code == 201
    carol = world.client_for(world.carol)
    carol.get(URL)  # the session and the login's first touches (session, user, scope, page, counts, receipts)
    with django_assert_num_queries(8):
        assert len(carol.get(URL).json()["items"]) == 3
    for n in range(3, 8):
        assert publish(world, town, title=f"通知{n}").status_code == 201
    with django_assert_num_queries(8):
        assert len(carol.get(URL).json()["items"]) == 8
