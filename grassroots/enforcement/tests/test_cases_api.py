"""The enforcement cases API as a client speaks it (bearer tokens): the list in scope with keyset pages and a fixed
number of queries, the detail with the party whole (and the read audited) for those who work on the case and masked
for the others, the refusals as 401/403/404/409/422 with their codes, every step as its own endpoint in the OpenAPI
document, and a case taken through the simple procedure and through the general one up to the decision."""

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document

from grassroots.audit.models import AuditEntry
from grassroots.conftest import make_person
from grassroots.core.checkdigits import uscc_build
from grassroots.demo.photos import sample_jpeg
from grassroots.demo.simclock import SimulatedClock, simulated_time
from grassroots.events.tests.media_support import as_stored
from grassroots.people.choices import Role
from grassroots.people.services import api_token_create

from ..models import CaseHistory, EnforcementCase
from ..rules import TABLE
from ..services.limits import earliest_hearing_day
from .support import ALL_CONDITIONS, PARTY_ID, Team, open_case

Z = ZoneInfo("Asia/Shanghai")
JPEG = sample_jpeg()
BASE = "/api/v1/enforcement-cases"
ORG = uscc_build(authority="9", kind="2", division="330421", org_body="MA2B8N4E")


def caller(person: Any) -> Client:
    _, key = api_token_create(actor=None, person=person, name="测试")
    return Client(headers={"Authorization": f"Bearer {key}"})


def post(client: Client, path: str, body: dict[str, Any] | None = None, **headers: str) -> Any:
    return client.post(
        f"{BASE}{path}", json.dumps(body or {}), content_type="application/json", headers=headers
    )


def open_body(t: Team, **kw: Any) -> dict[str, Any]:
    body = {
        "power_code": t.power.code,
        "source": "patrol",
        "party_kind": "person",
        "party_name": "沈国强",
        "party_id_number": PARTY_ID,
        "party_phone": "13905731234",
        "officer_ids": [t.olga.pk, t.owen.pk],
        "facts": "当事人在西塘镇南苑路人行道上摆摊经营水果",
        "place": "西塘镇南苑路 1 号门前",
    }
    return {**body, **kw}


def reads(case_id: int) -> int:
    return AuditEntry.objects.filter(action="personal_data.read", object_id=str(case_id)).count()


def test_the_list_is_scoped_paged_filtered_and_masked_with_a_fixed_number_of_queries(team: Team):
    cases = [open_case(team) for _ in range(5)]
    other = open_case(team, officers=[team.officers[1], team.officers[2]], party_kind="organisation",
                      party_name="嘉善县西塘镇鑫华水果店", party_id_number=ORG)  # fmt: skip
    olga = caller(team.olga)
    first = olga.get(BASE, {"limit": 4})
    assert first.status_code == 200, first.json()
    body = first.json()
    assert [row["id"] for row in body["items"]] == [other.pk, *[c.pk for c in reversed(cases)][:3]]
    rest = olga.get(BASE, {"limit": 4, "cursor": body["next"]}).json()
    assert [row["id"] for row in rest["items"]] == [cases[1].pk, cases[0].pk] and rest["next"] is None
    row = body["items"][1]
    assert row["party"] == {
        "kind": "person",
        "kind_label": "公民",
        "name": "沈*强",
        "id_number": row["party"]["id_number"],
        "phone": row["party"]["phone"],
        "masked": True,
    }
    assert PARTY_ID not in json.dumps(body) and "13905731234" not in json.dumps(body)
    assert body["items"][0]["party"]["name"] == "嘉善县西塘镇鑫华水果店"  # an organisation's name is public
    assert row["clock"]["name"] == "lead" and row["clock"]["light"] == "green" and row["clock"]["due_at"]
    assert [p["name"] for p in row["officers"]] == ["欧阳青", "王文"]
    assert reads(cases[0].pk) == 0  # the list shows nothing whole, so it audits nothing

    mine = olga.get(BASE, {"officer": team.officers[2].pk}).json()
    assert [r["id"] for r in mine["items"]] == [other.pk]
    found = olga.get(BASE, {"q": "鑫华"}).json()
    assert [r["id"] for r in found["items"]] == [other.pk]
    assert olga.get(BASE, {"state": "filing"}).json()["items"] == []
    assert len(olga.get(BASE, {"unit": team.unit.pk}).json()["items"]) == 6
    assert olga.get(BASE, {"state": "nonsense"}).status_code == 422
    assert olga.get(BASE, {"cursor": "!!"}).json()["code"] == "invalid_cursor"

    head = caller(team.lena)
    head.get(BASE)  # the token's first use writes its last-used time
    with CaptureQueriesContext(connection) as few:
        assert len(head.get(BASE, {"limit": 2}).json()["items"]) == 2
    with CaptureQueriesContext(connection) as many:
        assert len(head.get(BASE, {"limit": 50}).json()["items"]) == 6
    assert len(many.captured_queries) == len(few.captured_queries)

    stranger = caller(make_person("sam", "孙外", Role.INSPECTOR, unit=team.world.agency))
    assert stranger.get(BASE).json()["items"] == []
    assert stranger.get(f"{BASE}/{cases[0].pk}").status_code == 404
    assert Client().get(BASE).json()["code"] == "unauthenticated"
    assert Client().get(BASE).status_code == 401


def test_the_detail_shows_the_party_whole_to_those_on_the_case_audited_and_masked_to_others(team: Team):
    case = open_case(team)
    seen = caller(team.olga).get(f"{BASE}/{case.pk}").json()
    assert seen["party"]["id_number"] == PARTY_ID and seen["party"]["phone"] == "13905731234"
    assert not seen["party"]["masked"] and reads(case.pk) == 1
    assert seen["allowed_actions"] == ["request_filing", "decide_on_spot", "add_evidence"]
    assert [h["action"] for h in seen["history"]] == ["open"] and seen["history"][0][
        "action_label"
    ] == "登记线索"
    assert seen["clocks"][0]["name"] == "lead" and seen["clocks"][0]["state"] == "running"
    # Oliver is of the unit (he sees the case) but not on it: masked, and nothing audited.
    oliver = caller(team.officers[2]).get(f"{BASE}/{case.pk}").json()
    assert oliver["party"]["masked"] and oliver["party"]["name"] == "沈*强"
    assert oliver["party"]["id_number"] != PARTY_ID and oliver["allowed_actions"] == []
    assert reads(case.pk) == 1
    head = caller(team.lena).get(f"{BASE}/{case.pk}").json()
    assert not head["party"]["masked"] and reads(case.pk) == 2
    assert head["allowed_actions"] == ["refuse_filing", "extend_lead"]


def test_refusals_have_their_status_and_code(team: Team):
    olga, lena = caller(team.olga), caller(team.lena)
    too_few = post(olga, "", open_body(team, officer_ids=[team.olga.pk]))
    assert too_few.status_code == 422 and too_few.json()["code"] == "officers_too_few"
    unknown = post(olga, "", open_body(team, power_code="330299999999"))
    assert unknown.status_code == 422 and unknown.json()["code"] == "power_unknown"
    missing = post(olga, "", {"source": "patrol"})
    assert missing.status_code == 422 and missing.json()["code"] == "invalid_input"
    outsider = post(caller(team.world.alice), "", open_body(team, unit_id=team.unit.pk))
    assert outsider.status_code == 403 and outsider.json()["code"] == "not_permitted"
    made = post(olga, "", open_body(team))
    assert made.status_code == 201, made.json()
    case_id = made.json()["id"]

    approve = post(lena, f"/{case_id}/approve_filing", {"conditions": ALL_CONDITIONS})
    assert approve.status_code == 409 and approve.json()["code"] == "invalid_transition"
    by_head = post(lena, f"/{case_id}/request_filing")
    assert by_head.status_code == 403 and by_head.json()["code"] == "not_permitted"
    stale = post(olga, f"/{case_id}/request_filing", {"note": "请批准"}, **{"If-Match": "7"})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_case"
    assert post(olga, f"/{case_id}/request_filing", {}, **{"If-Match": '"1"'}).status_code == 200
    unmet = post(lena, f"/{case_id}/approve_filing", {"conditions": ["evidence"]})
    assert unmet.status_code == 422 and unmet.json()["code"] == "filing_conditions_unmet"
    bad_body = post(lena, f"/{case_id}/approve_filing", {"conditions": ["nonsense"]})
    assert bad_body.status_code == 422 and bad_body.json()["code"] == "invalid_input"
    hidden = post(caller(make_person("sam", "孙外", Role.INSPECTOR, unit=team.world.agency)),
                  f"/{case_id}/request_filing")  # fmt: skip
    assert hidden.status_code == 404 and hidden.json()["code"] == "not_found"
    assert Client().post(f"{BASE}/{case_id}/request_filing").status_code == 401
    assert EnforcementCase.objects.get(pk=case_id).version == 2


def test_every_step_has_its_endpoint_in_the_committed_openapi_document(client):
    from config.api import api

    live = api.get_openapi_schema()
    committed = json.loads((Path(settings.BASE_DIR) / "docs" / "openapi.json").read_text())
    actions = {m.action for m in TABLE}
    assert len(actions) == 21  # with `open`, the 22 moves of docs/enforcement.md
    for document in (live, committed):
        paths = document["paths"]
        assert "post" in paths[BASE] and "get" in paths[BASE]
        assert "get" in paths[f"{BASE}/{{case_id}}"]
        assert "get" in paths[f"{BASE}/{{case_id}}/documents/{{document_id}}"]
        for action in actions:
            operation = paths[f"{BASE}/{{case_id}}/{action}"]["post"]
            assert operation["operationId"] == f"enforcement_case_{action}"
            assert {"401", "403", "404", "409", "422"} <= {str(k) for k in operation["responses"]}
        evidence = paths[f"{BASE}/{{case_id}}/add_evidence"]["post"]["requestBody"]["content"]
        assert "multipart/form-data" in evidence
        assert "EnforcementCaseDetailOut" in document["components"]["schemas"]
        assert "EnforcementCaseApproveFilingIn" in document["components"]["schemas"]


def test_the_simple_procedure_over_http(team: Team):
    olga = caller(team.olga)
    case_id = post(olga, "", open_body(team)).json()["id"]
    over = post(olga, f"/{case_id}/decide_on_spot",
                {"penalty_kind": "fine", "amount": "250", "form_number": "No.0001", "recipient": "沈国强"})  # fmt: skip
    assert over.status_code == 422 and over.json()["code"] == "simple_amount_over_limit"
    spot = post(olga, f"/{case_id}/decide_on_spot",
                {"penalty_kind": "fine", "amount": "200", "form_number": "No.0001", "recipient": "沈国强"})  # fmt: skip
    assert spot.status_code == 200, spot.json()
    done = spot.json()
    assert (
        done["status"] == "served" and done["procedure"] == "simple" and done["decision_number"] == "No.0001"
    )
    assert done["clock"]["name"] == "payment" and done["payment_due_on"]
    today = timezone.now().astimezone(Z).date().isoformat()
    paid = post(olga, f"/{case_id}/execute", {"manner": "paid", "paid_amount": "200", "paid_on": today})
    assert paid.status_code == 200, paid.json()
    assert post(olga, f"/{case_id}/close", {"report": "当场缴纳罚款，结案"}).status_code == 200
    archived = post(olga, f"/{case_id}/archive").json()
    assert archived["status"] == "archived" and archived["clock"] is None
    assert [h["action"] for h in archived["history"]] == [
        "open",
        "decide_on_spot",
        "execute",
        "close",
        "archive",
    ]


def test_the_general_procedure_over_http_through_a_hearing_to_the_decision(team: Team):
    start = dt.datetime(2026, 4, 1, 9, 0, tzinfo=Z)  # a Wednesday
    clock = SimulatedClock(start)
    with simulated_time(clock):
        olga, lena, rita, hank = (caller(p) for p in (team.olga, team.lena, team.rita, team.hank))
        case_id = post(olga, "", open_body(team)).json()["id"]
        assert post(olga, f"/{case_id}/request_filing").status_code == 200
        filed = post(lena, f"/{case_id}/approve_filing", {"conditions": ALL_CONDITIONS}).json()
        assert filed["number"] == "西塘综执罚〔2026〕1号" and filed["clock"]["name"] == "case"
        photo = olga.post(
            f"{BASE}/{case_id}/add_evidence",
            {
                "kind": "photo",
                "description": "占道现场",
                "files": [SimpleUploadedFile("现场.jpg", JPEG, "image/jpeg")],
            },
        )
        assert photo.status_code == 200, photo.json()
        evidence = photo.json()["evidence"][0]
        assert len(evidence["sha256"]) == 64 and evidence["size"] == len(as_stored(JPEG))
        proposal = {"penalty_kind": "fine", "level": "lighter", "amount": "500", "note": "调查终结"}
        assert post(olga, f"/{case_id}/propose", proposal).status_code == 200
        clock.set(start + dt.timedelta(days=1))
        notified = post(olga, f"/{case_id}/notify").json()
        assert notified["status"] == "notified" and notified["documents"][-1]["kind"] == "notice"
        early = post(lena, f"/{case_id}/decide", {"outcome": "penalty"})
        assert early.status_code == 422 and early.json()["code"] == "hearing_window_open"
        clock.set(start + dt.timedelta(days=2))
        paused = post(olga, f"/{case_id}/request_hearing", {"note": "当事人书面申请听证"}).json()
        case_clock = next(c for c in paused["clocks"] if c["name"] == "case")
        assert case_clock["paused"] and case_clock["due_at"] is None and paused["status"] == "hearing"
        notice_on = clock.moment.astimezone(Z).date()
        hearing_on = earliest_hearing_day(notice_on)
        schedule = {"notice_on": notice_on.isoformat(), "hearing_on": hearing_on.isoformat(),
                    "place": "西塘镇综合行政执法队听证室", "chair_id": team.hank.pk}  # fmt: skip
        too_soon = post(
            olga, f"/{case_id}/schedule_hearing", {**schedule, "hearing_on": notice_on.isoformat()}
        )
        assert too_soon.json()["code"] == "hearing_notice_too_late"
        assert post(olga, f"/{case_id}/schedule_hearing", schedule).status_code == 200
        not_chair = post(olga, f"/{case_id}/hold_hearing", {"record": "当事人陈述"})
        assert not_chair.status_code == 403
        clock.set(dt.datetime.combine(hearing_on, dt.time(10), tzinfo=Z))
        heard = post(hank, f"/{case_id}/hold_hearing", {"record": "当事人称初次经营，已自行清理"}).json()
        case_clock = next(c for c in heard["clocks"] if c["name"] == "case")
        assert heard["status"] == "heard" and not case_clock["paused"] and case_clock["due_at"]
        assert post(olga, f"/{case_id}/submit_review").status_code == 200
        assert post(rita, f"/{case_id}/review_pass", {"opinion": "事实清楚，适用依据正确"}).status_code == 200
        heavier = post(lena, f"/{case_id}/decide", {"outcome": "penalty", "amount": "800"})
        assert heavier.json()["code"] == "penalty_heavier_than_notified"
        decided = post(
            lena, f"/{case_id}/decide", {"outcome": "penalty", "amount": "300", "level": "lighter"}
        )
        assert decided.status_code == 200, decided.json()
        body = decided.json()
        assert body["status"] == "decided" and body["decision_number"] == "西塘综执罚决〔2026〕1号"
        assert body["clock"]["name"] == "service"
        decision = next(d for d in body["documents"] if d["kind"] == "decision")
        before = reads(case_id)
        got = olga.get(decision["url"], {"reason": "送达当事人"})
        assert got.status_code == 200 and got["Content-Type"].startswith("application/vnd.openxmlformats")
        text = "\n".join(p.text for p in Document(io.BytesIO(got.getvalue())).paragraphs)
        assert "沈国强" in text and "第三十六条" in text
        assert reads(case_id) == before + 1
        oliver = caller(team.officers[2]).get(decision["url"])
        assert oliver.status_code == 403 and oliver.json()["code"] == "not_permitted"
    actions = list(CaseHistory.objects.filter(case_id=case_id).values_list("action", flat=True))
    assert actions == ["open", "request_filing", "approve_filing", "add_evidence", "propose", "notify",
                       "request_hearing", "schedule_hearing", "hold_hearing", "submit_review", "review_pass",
                       "decide"]  # fmt: skip


def test_a_case_document_needs_a_reason_and_comes_watermarked_with_the_read_audited(team: Team):
    from .support import filed_case

    case = filed_case(team)
    document = case.documents.get()
    olga = caller(team.olga)
    url = f"{BASE}/{case.pk}/documents/{document.pk}"
    for query in ({}, {"reason": "   "}, {"reason": "长" * 101}):
        refused = olga.get(url, query)
        assert refused.status_code == 422 and refused.json()["code"] == "export_reason_required"
    assert not AuditEntry.objects.filter(
        detail__purpose__startswith="api.enforcement_cases.document"
    ).exists()
    got = olga.get(url, {"reason": "报送法制审核"})
    assert got.status_code == 200
    word = Document(io.BytesIO(b"".join(got.streaming_content)))  # type: ignore[attr-defined]
    header = "\n".join(p.text for p in word.sections[0].header.paragraphs)
    assert f"导出人：{team.olga.name}（{team.olga.username}）" in header and "事由：报送法制审核" in header
    read = AuditEntry.objects.get(detail__purpose__startswith="api.enforcement_cases.document")
    assert read.detail["reason"] == "报送法制审核" and read.object_id == str(case.pk)
