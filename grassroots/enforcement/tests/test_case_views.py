"""The case pages through HTTP: the list's scope, filters, masking and fixed query count; registering a lead by hand
and from an event; every step's form posted by the person the table names; a stale form; out of scope answering
404; evidence refused by its bytes; documents downloaded and read back with python-docx."""

import datetime as dt
import io
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document

from grassroots.audit.models import AuditEntry
from grassroots.conftest import make_person
from grassroots.demo.photos import sample_jpeg
from grassroots.events.models import EventType
from grassroots.events.services import event_report
from grassroots.events.tests.media_support import as_stored
from grassroots.people.choices import Role
from grassroots.workflow.links import link_offers, links_of
from grassroots.workflow.models import Clock

from ..choices import CaseSource, CaseStatus, PartyKind
from ..models import CaseHistory, EnforcementCase, Evidence
from .support import ALL_CONDITIONS, PARTY_ID, PLACE, Team, filed_case, open_case

JPEG = sample_jpeg()
PDF = b"%PDF-1.7\n" + b"0" * 200


def client(team: Team, person: Any) -> Any:
    return team.world.client_for(person)


def fresh(case: EnforcementCase) -> EnforcementCase:
    return EnforcementCase.objects.get(pk=case.pk)


def act(
    team: Team, person: Any, case: EnforcementCase, action: str, data: dict[str, Any] | None = None
) -> Any:
    """Post the step's form as the page does: the version the person saw, the fields."""
    body = {"version": fresh(case).version, **(data or {})}
    return client(team, person).post(f"/enforcement/cases/{case.pk}/act/{action}/", body)


def done(response: Any, case: EnforcementCase) -> None:
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == f"/enforcement/cases/{case.pk}/"


def list_page(team: Team, person: Any, query: str = "") -> str:
    response = client(team, person).get(f"/enforcement/cases/?{query}")
    assert response.status_code == 200
    return response.content.decode()


# -- the list -----------------------------------------------------------------------------------------------


def test_the_list_shows_each_person_the_cases_in_their_scope_with_the_party_masked_for_onlookers(team: Team):
    case = open_case(team)
    stranger = make_person("sam", "孙外", Role.INSPECTOR, unit=team.world.agency)
    assert "沈国强" in list_page(team, team.olga)
    reads = AuditEntry.objects.filter(action="personal_data.read", object_id=str(case.pk), actor=team.olga)
    assert reads.count() == 1  # the officer saw the party whole: audited
    onlooker = list_page(team, team.world.oscar, "mine=0")  # the command room sees the township's cases
    assert "沈*强" in onlooker and "沈国强" not in onlooker
    assert "线索 " in onlooker and "沈*强" not in list_page(team, stranger, "mine=0")
    assert not AuditEntry.objects.filter(action="personal_data.read", actor=team.world.oscar).exists()


def test_the_list_filters_by_state_mine_unit_source_text_and_light(team: Team):
    lead = open_case(team)
    filed = filed_case(team, party_name="王秀英", party_id_number="33042119900101123X")
    other = open_case(team, officers=team.officers[1:3], source=CaseSource.COMPLAINT)
    olga, lena = team.olga, team.lena

    def listed(person: Any, query: str) -> set[int]:
        response = client(team, person).get(f"/enforcement/cases/?{query}")
        return {row["case"].pk for row in response.context["rows"]}

    assert listed(olga, "") == {lead.pk, filed.pk}  # an inspector's own by default
    assert listed(olga, "mine=0") == {lead.pk, filed.pk, other.pk}
    assert listed(lena, "") == {lead.pk, filed.pk, other.pk}  # the head sees all of them at once
    assert listed(lena, "state=investigating") == {filed.pk}
    assert listed(lena, "state=done") == set()
    assert listed(lena, "source=complaint") == {other.pk}
    assert listed(lena, f"unit={team.unit.pk}") == {lead.pk, filed.pk, other.pk}
    assert listed(lena, f"unit={team.world.agency.pk}") == set()
    assert listed(lena, f"q={fresh(filed).number}") == {filed.pk}
    assert listed(lena, "q=王秀英") == {filed.pk}
    assert listed(lena, "q=王秀") == set()  # a person is found by the whole name only
    assert listed(lena, "q=33042119900101123X") == {filed.pk}
    assert listed(lena, "light=green") == {lead.pk, filed.pk, other.pk}
    assert listed(lena, "light=red") == set()
    Clock.objects.filter(workflow="case", object_id=other.pk).update(
        due_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert listed(lena, "light=red") == {other.pk}


def test_a_case_in_a_hearing_shows_its_clock_paused_in_the_list(team: Team):
    case = notified(team)
    done(act(team, team.olga, case, "request_hearing", {"note": "当事人书面申请听证"}), case)
    page = client(team, team.lena).get("/enforcement/cases/?light=paused")
    [row] = page.context["rows"]
    assert row["case"].pk == case.pk and row["light"] == "paused"
    assert "计时暂停" in page.content.decode()


def test_the_list_reads_a_page_in_the_same_number_of_queries_however_many_cases(team: Team):
    for _ in range(2):
        filed_case(team)
    c = client(team, team.lena)
    c.get("/enforcement/cases/")  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert c.get("/enforcement/cases/").status_code == 200
    for _ in range(6):
        filed_case(team, major=True)
    with CaptureQueriesContext(connection) as many:
        response = c.get("/enforcement/cases/")
    assert len(response.context["rows"]) == 8
    assert len(many) == len(few) == 11, [q["sql"][:120] for q in many.captured_queries]


# -- registering a lead -------------------------------------------------------------------------------------


def lead_data(team: Team, **kw: Any) -> dict[str, Any]:
    return {
        "source": CaseSource.PATROL,
        "unit": team.unit.pk,
        "power": f"{team.power.code} {team.power.name}",
        "party_kind": PartyKind.PERSON,
        "party_name": "沈国强",
        "party_id_number": PARTY_ID,
        "party_phone": "13905731234",
        "officers": [team.olga.pk, team.owen.pk],
        "facts": "当事人在南苑路人行道上摆摊经营水果",
        "place": "西塘镇南苑路 1 号门前",
        "occurred_on": timezone.localdate().isoformat(),
        **kw,
    }


def test_an_officer_registers_a_lead_by_hand_and_the_services_check_it(team: Team):
    c = client(team, team.olga)
    page = c.get("/enforcement/cases/new/")
    assert page.status_code == 200 and team.power.code in page.content.decode()
    refused = c.post("/enforcement/cases/new/", lead_data(team, party_id_number="330421198503121230"))
    assert refused.status_code == 422 and "身份证号码不正确" in refused.content.decode()
    refused = c.post("/enforcement/cases/new/", lead_data(team, officers=[team.olga.pk]))
    assert refused.status_code == 422 and "不得少于两人" in refused.content.decode()
    assert not EnforcementCase.objects.exists()
    response = c.post("/enforcement/cases/new/", lead_data(team, major="on"))
    case = EnforcementCase.objects.get()
    done(response, case)
    assert (case.status, case.party_name, case.major, case.source) == ("lead", "沈国强", True, "patrol")
    assert set(case.officers.all()) == {team.olga, team.owen}
    assert client(team, team.world.alice).get("/enforcement/cases/new/").status_code == 403


def enforcement_event(team: Team) -> Any:
    return event_report(
        actor=team.world.alice,
        event_type=EventType.objects.get(code="ZF0401"),
        source="patrol",
        title="南苑路水果摊占道经营",
        description="占用人行道约 6 平方米",
        lon=PLACE[0],
        lat=PLACE[1],
        address="西塘镇南苑路 1 号门前",
    ).event


def test_an_event_of_the_platform_offers_a_case_prefilled_from_it_and_linked_both_ways(team: Team):
    event = enforcement_event(team)
    offers = dict(link_offers(viewer=team.lena, workflow="event", record=event))
    assert offers["立案查处"] == f"/enforcement/cases/new/?event={event.pk}"
    assert "立案查处" not in dict(link_offers(viewer=team.world.alice, workflow="event", record=event))
    c = client(team, team.lena)
    page = c.get(f"/enforcement/cases/new/?event={event.pk}")
    assert page.status_code == 200
    assert page.context["form"].initial["facts"].startswith("南苑路水果摊占道经营")
    data = lead_data(team, source="event", facts="南苑路水果摊占道经营，经劝阻仍不改正")
    done(
        c.post(f"/enforcement/cases/new/?from=event:{event.pk}", data), case := EnforcementCase.objects.get()
    )
    assert (case.source, case.event_id, case.place) == ("event", event.pk, "西塘镇南苑路 1 号门前")
    [seen] = links_of(viewer=team.lena, workflow="event", object_id=event.pk)
    assert (seen.workflow, seen.object_id, seen.url) == ("case", case.pk, f"/enforcement/cases/{case.pk}/")
    assert f'href="/command/events/{event.pk}/"' in c.get(f"/enforcement/cases/{case.pk}/").content.decode()
    stranger = make_person("sam", "孙外", Role.LEADER, unit=team.world.agency)
    assert client(team, stranger).get(f"/enforcement/cases/new/?event={event.pk}").status_code == 404


def test_an_event_of_another_platform_is_not_made_a_case(team: Team):
    event = event_report(
        actor=team.world.alice,
        event_type=EventType.objects.get(code="SC0101"),
        source="patrol",
        title="路灯不亮",
        lon=PLACE[0],
        lat=PLACE[1],
    ).event
    assert "立案查处" not in dict(link_offers(viewer=team.lena, workflow="event", record=event))
    page = client(team, team.lena).get(f"/enforcement/cases/new/?event={event.pk}")
    assert page.status_code == 422 and "只有综合执法平台的事件" in page.content.decode()


# -- the steps ----------------------------------------------------------------------------------------------


def notified(team: Team) -> EnforcementCase:
    case = filed_case(team)
    done(
        act(team, team.olga, case, "propose", {"penalty_kind": "fine", "level": "general", "amount": "3000"}),
        case,
    )
    done(act(team, team.olga, case, "notify", {"note": "当场送达告知书"}), case)
    return fresh(case)


def test_every_step_of_the_general_procedure_posts_from_the_page(team: Team):
    olga, lena, rita, hank = team.olga, team.lena, team.rita, team.hank
    case = open_case(team, major=True)
    page = client(team, olga).get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert 'data-testid="step-request_filing"' in page and "step-approve_filing" not in page
    assert 'id="box-decide_on_spot"' in page  # the simple procedure, folded
    done(act(team, olga, case, "request_filing", {"note": "证据初步确凿"}), case)
    done(act(team, lena, case, "approve_filing", {"conditions": ALL_CONDITIONS}), case)
    assert fresh(case).number and fresh(case).status == CaseStatus.INVESTIGATING
    done(act(team, lena, case, "extend_case", {"reason": "案情复杂", "requested_by_id": olga.pk}), case)
    done(act(team, olga, case, "add_evidence", {"kind": "note", "description": "询问笔录"}), case)
    done(
        act(team, olga, case, "propose", {"penalty_kind": "fine", "level": "general", "amount": "3000"}), case
    )
    done(act(team, olga, case, "submit_review"), case)
    done(act(team, rita, case, "review_return", {"opinion": "请补充现场照片"}), case)
    done(act(team, olga, case, "submit_review"), case)
    done(act(team, rita, case, "review_pass", {"opinion": "事实清楚"}), case)
    done(act(team, olga, case, "notify"), case)
    done(act(team, olga, case, "request_hearing"), case)
    assert Clock.objects.get(workflow="case", object_id=case.pk, name="case").state == "paused"
    today = timezone.localdate()
    schedule = {
        "notice_on": (today - dt.timedelta(days=30)).isoformat(),
        "hearing_on": today.isoformat(),
        "place": "执法队会议室",
        "chair_id": hank.pk,
    }
    done(act(team, lena, case, "schedule_hearing", schedule), case)
    done(act(team, hank, case, "hold_hearing", {"record": "当事人陈述已撤摊", "party_absent": "0"}), case)
    done(act(team, olga, case, "submit_review"), case)
    done(act(team, rita, case, "review_pass", {"opinion": "同意"}), case)
    done(act(team, lena, case, "discuss", {"discussion": "同意罚款 3000 元", "waived": "0"}), case)
    decide = {"outcome": "penalty", "penalty_kind": "fine", "level": "general", "amount": "3000"}
    done(act(team, lena, case, "decide", decide), case)
    done(act(team, olga, case, "serve", {"method": "direct", "recipient": "沈国强"}), case)
    paid = {"manner": "paid", "paid_amount": "3000", "paid_on": today.isoformat()}
    done(act(team, olga, case, "execute", paid), case)
    done(act(team, olga, case, "close", {"report": "罚款已缴纳，结案"}), case)
    done(act(team, lena, case, "archive"), case)
    case = fresh(case)
    assert case.status == CaseStatus.ARCHIVED and case.decided_amount == 3000 and case.paid_amount == 3000
    steps = list(CaseHistory.objects.filter(case=case).values_list("action", flat=True))
    assert steps[-4:] == ["serve", "execute", "close", "archive"] and "review_return" in steps
    assert case.hearing_chair == hank and case.discussion == "同意罚款 3000 元"


def test_the_folded_ways_out_post_too(team: Team):
    lead = open_case(team)
    done(act(team, team.lena, lead, "extend_lead", {"reason": "需进一步核查"}), lead)
    done(act(team, team.lena, lead, "refuse_filing", {"ground": "first_offence"}), lead)
    assert fresh(lead).status == CaseStatus.NOT_FILED
    spot = open_case(team)
    page = client(team, team.olga).get(f"/enforcement/cases/{spot.pk}/").content.decode()
    assert '<option value="" selected>—</option>' in page.split('id="decide_on_spot-level"')[1][:60]
    on_spot = {"penalty_kind": "warning", "form_number": "No.0001", "recipient": "沈国强"}
    done(act(team, team.olga, spot, "decide_on_spot", on_spot), spot)
    assert fresh(spot).status == CaseStatus.SERVED and fresh(spot).decision_number == "No.0001"


def test_a_refused_step_shows_its_reason_and_changes_nothing(team: Team):
    case = filed_case(team)
    response = act(
        team, team.olga, case, "propose", {"penalty_kind": "fine", "level": "general", "amount": "9000"}
    )
    assert response.status_code == 422 and "理由" in response.content.decode()
    assert fresh(case).penalty_kind == ""
    response = act(team, team.olga, case, "approve_filing", {"conditions": ALL_CONDITIONS})
    assert response.status_code == 422 and "不能执行" in response.content.decode()


def test_a_stale_form_is_refused_with_a_clear_message_and_the_record_unchanged(team: Team):
    case = open_case(team)
    seen = fresh(case).version
    done(act(team, team.lena, case, "extend_lead", {"reason": "需进一步核查"}), case)
    before = fresh(case)
    body = {"version": seen, "note": "申请立案"}
    response = client(team, team.olga).post(f"/enforcement/cases/{case.pk}/act/request_filing/", body)
    assert response.status_code == 422
    assert "案件已被他人处理或已变化" in response.content.decode()
    after = fresh(case)
    assert (after.status, after.version) == (before.status, before.version) == (CaseStatus.LEAD, seen + 1)


def test_out_of_scope_is_404_on_every_page_of_a_case(team: Team):
    case = filed_case(team)
    stranger = make_person("sam", "孙外", Role.INSPECTOR, unit=team.world.agency)
    c = client(team, stranger)
    document = case.documents.get()
    for url in (
        f"/enforcement/cases/{case.pk}/",
        f"/enforcement/cases/{case.pk}/documents/{document.pk}/",
    ):
        assert c.get(url).status_code == 404
    assert c.post(f"/enforcement/cases/{case.pk}/act/add_evidence/", {"kind": "note"}).status_code == 404
    assert client(team, team.olga).post(f"/enforcement/cases/{case.pk}/act/nothing/").status_code == 404


def test_evidence_is_uploaded_with_its_hash_and_a_wrong_file_is_refused(team: Team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = filed_case(team)
    c = client(team, team.olga)
    url = f"/enforcement/cases/{case.pk}/act/add_evidence/"
    bad = c.post(
        url, {"version": fresh(case).version, "kind": "photo", "files": SimpleUploadedFile("x.jpg", PDF)}
    )
    assert bad.status_code == 422 and "不是支持的照片" in bad.content.decode()
    assert not Evidence.objects.exists() and fresh(case).version == case.version
    good = {
        "version": fresh(case).version,
        "kind": "photo",
        "description": "现场照片",
        "lon": str(PLACE[0]),
        "lat": str(PLACE[1]),
        "files": SimpleUploadedFile("现场.jpg", JPEG),
    }
    done(c.post(url, good), case)
    evidence = Evidence.objects.get()
    page = c.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert evidence.sha256 in page and evidence.lon == PLACE[0]
    download = c.get(f"/enforcement/cases/{case.pk}/evidence/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == as_stored(JPEG)


def test_a_generated_document_downloads_as_a_watermarked_word_file_after_a_reason(team: Team):
    from grassroots.audit.models import AuditEntry

    case = filed_case(team)
    document = case.documents.get()
    url = f"/enforcement/cases/{case.pk}/documents/{document.pk}/"
    asked = client(team, team.lena).get(url)
    assert asked.status_code == 200 and "导出事由" in asked.content.decode()
    assert client(team, team.lena).get(url, {"reason": ""}).status_code == 400
    assert not AuditEntry.objects.filter(detail__reason__isnull=False, object_id=str(case.pk)).exists()
    response = client(team, team.lena).get(url, {"reason": "报送法制审核"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    word = Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "立案审批表" in text and str(fresh(case).number) in text
    header = "\n".join(p.text for p in word.sections[0].header.paragraphs)
    assert f"导出人：{team.lena.name}（{team.lena.username}）" in header and "事由：报送法制审核" in header
    read = AuditEntry.objects.get(action="personal_data.read", detail__reason="报送法制审核")
    assert read.object_id == str(case.pk) and read.actor_id == team.lena.pk


def test_the_nav_and_the_list_link_to_the_power_list_and_the_draws(team: Team):
    page = list_page(team, team.olga)
    assert 'href="/enforcement/cases/"' in page  # the nav item 综合执法
    assert "综合执法" in page and 'href="/enforcement/powers/"' in page and 'href="/draws/"' in page
    assert "综合执法" not in client(team, team.world.alice).get("/").content.decode()
