"""/api/v1/disputes as a client speaks it (bearer tokens): the list in scope with keyset pages, masked parties and a
fixed query count; a dispute out of scope is 404 for reading, for every step and for the agreement; the detail
gives the parties whole to the mediator (the read audited) and masked to the reporter; registration; the steps
through to the 调解协议书's download; If-Match refusing a stale version."""

import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document

from grassroots.audit.models import AuditEntry
from grassroots.people.services import api_token_create

from ..choices import DisputeStatus
from ..dispute_steps import DISPUTE_FLOW
from ..models import Dispute
from ..services import disputes
from .support import build_committee, report

URL = "/api/v1/disputes"

# The page's queries, whatever its length (a pinned number: a new query per row would change it).
QUERIES = 4


@pytest.fixture
def c(world):
    return build_committee(world)


def caller(person: Any) -> Client:
    _, key = api_token_create(actor=None, person=person, name="测试")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_the_list_is_scoped_masked_paged_and_answers_in_a_fixed_number_of_queries(c):
    for _ in range(3):
        report(c)
    alice = caller(c.world.alice)
    alice.get(URL)  # the token's first use writes its last-used moment
    with CaptureQueriesContext(connection) as few:
        body = alice.get(URL).json()
    assert len(body["items"]) == 3
    assert {i["parties"] for i in body["items"]} == {"张*丰、李*"}
    for _ in range(4):
        report(c)
    with CaptureQueriesContext(connection) as many:
        body = alice.get(f"{URL}?limit=5").json()
    assert len(many) == len(few) == QUERIES, [q["sql"][:80] for q in many.captured_queries]
    assert len(body["items"]) == 5 and body["next"]
    rest = alice.get(f"{URL}?limit=5&cursor={body['next']}").json()
    assert len(rest["items"]) == 2 and rest["next"] is None
    assert caller(c.world.carol).get(URL).json()["items"] == []


def test_out_of_scope_is_404_for_the_detail_every_step_and_the_agreement(c):
    d = report(c)
    carol = caller(c.world.carol)
    assert carol.get(f"{URL}/{d.pk}").status_code == 404
    today, now = timezone.localdate().isoformat(), timezone.now().isoformat()
    bodies = {
        "accept": {"mediator_ids": [c.mia.pk]},
        "refuse": {"reason": "拒绝"},
        "assess_risk": {"level": "low"},
        "record_session": {"held_at": now, "place": "室", "minutes": "记录"},
        "extend": {"days": 5, "parties_agreed": True, "reason": "同意"},
        "agree": {"outcome": "oral", "terms": "和解"},
        "fail": {"reason": "不成", "route": "litigation"},
        "apply_confirmation": {"applied_on": today, "court": "法院"},
        "record_confirmation": {"result": "valid", "decided_on": today},
        "follow_up": {"visited_on": today, "performance": "performed"},
    }
    for step in DISPUTE_FLOW.steps:
        body = bodies.get(step.action, {})
        answer = carol.post(f"{URL}/{d.pk}/{step.action}", body, content_type="application/json")
        assert answer.status_code == 404, (step.action, answer.content)
    assert carol.get(f"{URL}/{d.pk}/documents/1").status_code == 404
    assert Dispute.objects.get(pk=d.pk).version == d.version


def test_the_detail_gives_the_mediator_the_parties_whole_audited_and_the_reporter_masked(c):
    d = report(c)
    disputes.dispute_accept(actor=c.lena, dispute=d, mediators=[c.mia])
    whole = caller(c.mia).get(f"{URL}/{d.pk}").json()
    assert [p["name"] for p in whole["party_list"]] == ["张三丰", "李四"]
    assert whole["party_list"][0]["id_number"] == "11010519491231002X"
    assert "record_session" in whole["allowed_actions"]
    assert AuditEntry.objects.filter(action="personal_data.read", actor=c.mia).count() == 1
    masked = caller(c.world.alice).get(f"{URL}/{d.pk}").json()
    assert [p["name"] for p in masked["party_list"]] == ["张*丰", "李*"]
    assert masked["party_list"][0]["phone"] == "139****5678"
    assert masked["allowed_actions"] == []
    assert not AuditEntry.objects.filter(action="personal_data.read", actor=c.world.alice).exists()


def test_a_grid_worker_registers_a_dispute(c):
    body = {
        "village_id": c.world.village_a.pk,
        "grid_id": c.world.grid_a.pk,
        "committee_id": c.committee.pk,
        "source": "patrol",
        "kind": "neighbours",
        "title": "邻居因漏水争执",
        "facts": "楼上漏水，楼下要求赔偿。",
        "parties": [
            {"side": "applicant", "name": "赵一"},
            {"side": "respondent", "name": "钱二"},
        ],
    }
    response = caller(c.world.alice).post(URL, body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "registered"
    one = caller(c.world.alice).post(
        URL, {**body, "parties": body["parties"][:1]}, content_type="application/json"
    )
    assert one.status_code == 422 and one.json()["code"] == "parties_required"
    assert Dispute.objects.count() == 1


def test_the_steps_through_the_api_to_the_agreement_and_if_match(c):
    d = report(c)
    lena, mia = caller(c.lena), caller(c.mia)
    stale = lena.post(
        f"{URL}/{d.pk}/accept",
        {"mediator_ids": [c.mia.pk]},
        content_type="application/json",
        headers={"If-Match": "99"},
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale_dispute"
    ok = lena.post(f"{URL}/{d.pk}/accept", {"mediator_ids": [c.mia.pk]}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    held = timezone.now().replace(microsecond=0).isoformat()
    session = {"held_at": held, "place": "调解室", "minutes": "双方陈述"}
    assert (
        mia.post(f"{URL}/{d.pk}/record_session", session, content_type="application/json").status_code == 200
    )
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    agree = {
        "outcome": "written",
        "terms": "清理排水沟",
        "performance_manner": "自行清理",
        "performance_due_on": due,
    }
    assert (
        mia.post(f"{URL}/{d.pk}/agree", agree, content_type="application/json").json()["status"] == "agreed"
    )
    body = mia.post(f"{URL}/{d.pk}/generate_agreement", {}, content_type="application/json").json()
    url = body["documents"][0]["url"]
    assert caller(c.world.alice).get(url).status_code == 403
    refused = mia.get(url)
    assert refused.status_code == 422 and refused.json()["code"] == "export_reason_required"
    file = mia.get(url, {"reason": "送达当事人"})
    word = Document(io.BytesIO(file.getvalue()))
    assert "清理排水沟" in "\n".join(p.text for p in word.paragraphs)
    header = "\n".join(p.text for p in word.sections[0].header.paragraphs)
    assert f"导出人：{c.mia.name}（{c.mia.username}）" in header and "事由：送达当事人" in header
    read = AuditEntry.objects.get(action="personal_data.read", detail__purpose="api.disputes.document")
    assert read.detail["reason"] == "送达当事人"
    refused = caller(c.world.alice).post(f"{URL}/{d.pk}/close", {}, content_type="application/json")
    assert refused.status_code == 403
    assert Dispute.objects.get(pk=d.pk).status == DisputeStatus.AGREED
