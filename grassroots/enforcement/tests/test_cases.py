"""A case from lead to archive on the general procedure: who may take each step, the guards' codes, the number
given on 立案, and a history row and an audit row for every step."""

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.conftest import make_person
from grassroots.core.errors import Conflict, DomainError, Forbidden
from grassroots.demo.photos import sample_jpeg
from grassroots.people.choices import Role
from grassroots.workcal.calendar import SHANGHAI
from grassroots.workflow.models import Clock

from ..choices import CaseStatus, DocumentKind, PartyKind
from ..models import CaseDocument, CaseHistory, EnforcementCase, Evidence
from ..permissions import case_actor_kinds, cases_visible_to, party_of
from ..rules import Actor
from ..services import decisions as d
from ..services import investigation as i
from ..services.cases import case_approve_filing, case_open, case_refuse_filing, case_request_filing
from .support import ALL_CONDITIONS, PARTY_ID, Team, filed_case, open_case

JPEG = sample_jpeg()
PDF = b"%PDF-1.7\n" + b"0" * 200


def test_a_lead_needs_two_certified_officers_a_checked_party_and_facts(team: Team):
    cases: list[tuple[dict[str, Any], str]] = [
        ({"officers": [team.olga]}, "officers_too_few"),
        ({"officers": [team.olga, team.expired]}, "officer_not_certified"),
        ({"party_id_number": "330421198503121230"}, "party_id_invalid"),
        (
            {"party_kind": PartyKind.ORGANISATION, "party_id_number": "91330421MA0000000X"},
            "party_uscc_invalid",
        ),
        ({"party_name": " "}, "party_name_required"),
        ({"facts": ""}, "facts_required"),
        ({"lon": 120.0, "lat": None}, "place_bad_coordinates"),
        ({"party_phone": "12ab"}, "invalid_phone"),
        ({"occurred_on": dt.date(2020, 1, 1)}, "case_time_barred"),
        ({"source": "event"}, "case_source_mismatch"),
    ]
    for kwargs, code in cases:
        with pytest.raises(DomainError) as exc:
            open_case(team, **kwargs)
        assert exc.value.code == code, kwargs
    assert not EnforcementCase.objects.exists()
    with pytest.raises(Forbidden):
        case_open(
            actor=team.world.alice,
            unit=team.unit,
            power=team.power,
            source="patrol",
            party_kind="person",
            party_name="沈国强",
            party_id_number=PARTY_ID,
            officers=team.officers[:2],
            facts="占道经营",
        )


def test_opening_starts_the_lead_clock_and_is_recorded(team: Team):
    case = open_case(team)
    assert case.status == CaseStatus.LEAD and case.number is None and case.version == 1
    clock = Clock.objects.get(workflow="case", object_id=case.pk, name="lead")
    assert clock.state == "running" and clock.unit == "working_days"
    row = CaseHistory.objects.get(case=case, action="open")
    assert row.data["clocks"][0]["clock"] == "lead"
    assert AuditEntry.objects.filter(action="case.open", object_id=str(case.pk)).exists()


def test_filing_needs_the_four_conditions_and_the_head_and_gives_the_number(team: Team):
    case = open_case(team)
    with pytest.raises(Forbidden):
        case_request_filing(actor=team.lena, case=case)  # the head does not ask himself
    case_request_filing(actor=team.olga, case=case)
    with pytest.raises(Forbidden):
        case_approve_filing(actor=team.olga, case=case, conditions=ALL_CONDITIONS)
    with pytest.raises(DomainError) as exc:
        case_approve_filing(actor=team.lena, case=case, conditions=ALL_CONDITIONS[:3])
    assert exc.value.code == "filing_conditions_unmet"
    case_approve_filing(actor=team.lena, case=case, conditions=ALL_CONDITIONS)
    case.refresh_from_db()
    year = timezone.now().astimezone(SHANGHAI).year
    assert case.status == CaseStatus.INVESTIGATING and case.number == f"西塘综执罚〔{year}〕1号"
    assert case.filed_by == team.lena and case.filed_at is not None
    clocks = dict(Clock.objects.filter(workflow="case", object_id=case.pk).values_list("name", "state"))
    assert clocks == {"lead": "stopped", "case": "running"}
    assert CaseDocument.objects.get(case=case).kind == DocumentKind.FILING_FORM
    with pytest.raises(Conflict) as exc:
        case_approve_filing(actor=team.lena, case=case, conditions=ALL_CONDITIONS)
    assert exc.value.code == "invalid_transition"


def test_refusing_to_file_takes_a_ground_of_article_20(team: Team):
    case = open_case(team)
    with pytest.raises(DomainError) as exc:
        case_refuse_filing(actor=team.lena, case=case, ground="other")
    assert exc.value.code == "no_filing_reason_required"
    case_refuse_filing(actor=team.lena, case=case, ground="first_offence")
    case.refresh_from_db()
    assert case.status == CaseStatus.NOT_FILED and case.no_filing_ground == "first_offence"
    assert Clock.objects.get(workflow="case", object_id=case.pk, name="lead").result == "not_filed"


def test_evidence_is_checked_by_its_bytes(team: Team):
    case = filed_case(team)
    olga = team.olga
    i.case_add_evidence(
        actor=olga, case=case, kind="photo", file=SimpleUploadedFile("a.jpg", JPEG), lon=120.885, lat=30.945
    )
    i.case_add_evidence(actor=olga, case=case, kind="document", file=SimpleUploadedFile("b.pdf", PDF))
    i.case_add_evidence(actor=olga, case=case, kind="note", description="询问笔录：当事人承认占道经营")
    refusals: list[tuple[dict[str, Any], str]] = [
        ({"kind": "photo", "file": SimpleUploadedFile("x.jpg", PDF)}, "unsupported_file_type"),
        ({"kind": "audio", "file": SimpleUploadedFile("x.mp3", JPEG)}, "unsupported_file_type"),
        ({"kind": "note"}, "evidence_note_empty"),
        ({"kind": "photo"}, "evidence_file_required"),
        ({"kind": "document", "file": SimpleUploadedFile("e.pdf", b"")}, "empty_file"),
    ]
    for kwargs, code in refusals:
        with pytest.raises(DomainError) as exc:
            i.case_add_evidence(actor=olga, case=case, **kwargs)
        assert exc.value.code == code
    rows = list(Evidence.objects.filter(case=case).order_by("pk"))
    assert [e.kind for e in rows] == ["photo", "document", "note"]
    assert rows[1].content_type == "application/pdf" and len(rows[1].sha256) == 64
    assert rows[0].lon == 120.885 and (rows[0].file.name or "").endswith(".jpg")
    assert CaseHistory.objects.filter(case=case, action="add_evidence").count() == 3
    with pytest.raises(Forbidden):
        i.case_add_evidence(actor=team.lena, case=case, kind="note", description="负责人不取证")


def test_the_general_procedure_with_a_hearing_from_lead_to_archive(team: Team):
    case = filed_case(team, major=True)
    olga, lena, rita, hank = team.olga, team.lena, team.rita, team.hank
    i.case_add_evidence(actor=olga, case=case, kind="note", description="现场检查笔录")
    with pytest.raises(DomainError) as exc:
        i.case_notify(actor=olga, case=case)
    assert exc.value.code == "proposal_required"
    i.case_propose(actor=olga, case=case, penalty_kind="fine", level="general", amount="3000")
    with pytest.raises(DomainError) as exc:
        i.case_notify(actor=olga, case=case)
    assert exc.value.code == "case_review_required"  # a major case is reviewed before notice
    i.case_submit_review(actor=olga, case=case)
    with pytest.raises(Forbidden):
        i.case_review(actor=olga, case=case, passed=True, opinion="officers do not review")
    i.case_review(actor=rita, case=case, passed=True, opinion="事实清楚，证据确凿，适用依据正确")
    i.case_notify(actor=olga, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED and case.notified_amount == 3000
    with pytest.raises(DomainError) as exc:
        d.case_decide(actor=lena, case=case, outcome="penalty", amount="3000")
    assert exc.value.code == "hearing_window_open"
    i.case_request_hearing(actor=olga, case=case)
    with pytest.raises(DomainError) as exc:
        i.case_schedule_hearing(
            actor=olga,
            case=case,
            notice_on=timezone.localdate() - dt.timedelta(days=30),
            hearing_on=timezone.localdate(),
            place="执法队会议室",
            chair=team.owen,
        )
    assert exc.value.code == "hearing_chair_is_officer"
    i.case_schedule_hearing(
        actor=olga,
        case=case,
        notice_on=timezone.localdate() - dt.timedelta(days=30),
        hearing_on=timezone.localdate(),
        place="执法队会议室",
        chair=hank,
    )
    case.refresh_from_db()
    assert Actor.CHAIR in case_actor_kinds(case, hank)
    with pytest.raises(Forbidden):
        i.case_hold_hearing(actor=olga, case=case, record="officers do not chair")
    i.case_hold_hearing(actor=hank, case=case, record="当事人陈述其系初次占道，已自行撤除摊位")
    with pytest.raises(DomainError) as exc:
        i.case_discuss(actor=lena, case=case, discussion="讨论")
    assert exc.value.code == "invalid_transition"  # after a hearing, the table goes through review again
    i.case_propose(actor=olga, case=case, penalty_kind="fine", level="lighter", amount="800")
    i.case_submit_review(actor=olga, case=case)
    i.case_review(actor=rita, case=case, passed=True, opinion="同意从轻处罚")
    with pytest.raises(DomainError) as exc:
        d.case_decide(actor=lena, case=case, outcome="penalty", amount="800")
    assert exc.value.code == "case_discussion_required"
    i.case_discuss(actor=lena, case=case, discussion="陆丽娜、任法、韩主持参加；同意罚款 800 元")
    d.case_decide(
        actor=lena, case=case, outcome="penalty", penalty_kind="fine", level="lighter", amount="800"
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.decided_amount == 800
    assert case.number and case.decision_number == case.number.replace("罚〔", "罚决〔")
    d.case_serve(actor=olga, case=case, method="direct", recipient="沈国强")
    case.refresh_from_db()
    assert case.payment_due_on is not None
    with pytest.raises(DomainError) as exc:
        d.case_close(actor=olga, case=case, report="结案")
    assert exc.value.code == "case_not_executed"
    with pytest.raises(DomainError) as exc:
        d.case_execute(actor=olga, case=case, manner="paid", paid_amount="700", paid_on=timezone.localdate())
    assert exc.value.code == "payment_short"
    d.case_execute(actor=olga, case=case, manner="paid", paid_amount="800", paid_on=timezone.localdate())
    d.case_close(actor=lena, case=case, report="罚款已缴纳，违法行为已改正，结案")
    d.case_archive(actor=olga, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED and case.late_fee == 0
    steps = list(CaseHistory.objects.filter(case=case).values_list("action", flat=True))
    assert steps == [
        "open",
        "request_filing",
        "approve_filing",
        "add_evidence",
        "propose",
        "submit_review",
        "review_pass",
        "notify",
        "request_hearing",
        "schedule_hearing",
        "hold_hearing",
        "propose",
        "submit_review",
        "review_pass",
        "discuss",
        "decide",
        "serve",
        "execute",
        "close",
        "archive",
    ]
    audited = list(
        AuditEntry.objects.filter(object_id=str(case.pk), action__startswith="case.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert audited == [f"case.{step}" for step in steps]
    kinds = sorted(CaseDocument.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == sorted(["filing_form", "notice", "decision", "service_receipt"])
    clocks = dict(Clock.objects.filter(workflow="case", object_id=case.pk).values_list("name", "state"))
    assert set(clocks.values()) == {"stopped"} and set(clocks) == {
        "lead",
        "case",
        "hearing_request",
        "service",
        "payment",
    }


def test_a_decision_without_penalty_needs_no_notice_and_a_transfer_closes_unserved(team: Team):
    case = filed_case(team)
    d.case_decide(actor=team.lena, case=case, outcome="transfer", note="涉嫌犯罪，移送公安机关")
    d.case_close(actor=team.olga, case=case, report="已移送西塘派出所")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.decided_amount is None
    other = filed_case(team)
    with pytest.raises(DomainError) as exc:
        d.case_decide(actor=team.lena, case=other, outcome="penalty", penalty_kind="warning", level="general")
    assert exc.value.code == "case_not_notified"
    d.case_decide(actor=team.lena, case=other, outcome="no_penalty_minor")
    with pytest.raises(DomainError) as exc:
        d.case_close(actor=team.olga, case=other, report="结案")
    assert exc.value.code == "case_not_served"


def test_who_sees_a_case_and_its_party(team: Team):
    case = open_case(team)
    stranger = make_person("sam", "孙外", Role.INSPECTOR, unit=team.world.agency)
    assert list(cases_visible_to(team.olga)) == [case]
    assert list(cases_visible_to(team.lena)) == [case]  # the township's leader: the unit is in her area
    assert list(cases_visible_to(team.rita)) == [case]  # staff of the unit
    assert not cases_visible_to(stranger).exists()
    seen = party_of(team.olga, case, purpose="办案")
    assert seen["id_number"] == PARTY_ID and not seen["masked"]
    assert AuditEntry.objects.filter(action="personal_data.read", object_id=str(case.pk)).count() == 1
    masked = party_of(stranger, case, purpose="查看")
    assert masked["masked"] and masked["name"] == "沈*强" and masked["id_number"] != PARTY_ID
