"""The simple procedure (简易程序, 行政处罚法 第五十一条–第五十二条): a warning, or a fine up to ¥200 for a person and
¥3,000 for an organisation, decided and served on the spot on a numbered form; nothing else, nothing more."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from grassroots.audit.models import AuditEntry
from grassroots.core.checkdigits import uscc_build
from grassroots.core.errors import DomainError
from grassroots.workflow.models import Clock

from ..choices import CaseStatus
from ..services import decisions as d
from .support import Team, open_case

Z = ZoneInfo("Asia/Shanghai")
ORG = uscc_build(authority="9", kind="1", division="330421", org_body="MA000001")


def test_a_person_can_be_fined_up_to_200_on_the_spot(team: Team):
    case = open_case(team)
    with pytest.raises(DomainError) as exc:
        d.case_decide_on_spot(
            actor=team.olga,
            case=case,
            penalty_kind="fine",
            amount="200.01",
            form_number="No.0001",
            recipient="沈国强",
        )
    assert exc.value.code == "simple_amount_over_limit"
    d.case_decide_on_spot(
        actor=team.olga,
        case=case,
        penalty_kind="fine",
        amount="200",
        form_number="No.0001",
        recipient="沈国强",
    )
    case.refresh_from_db()
    assert (case.status, case.procedure, case.decision_number) == (CaseStatus.SERVED, "simple", "No.0001")
    assert case.number is None and case.served_at == case.decided_at and case.service_method == "on_spot"
    assert case.payment_due_on is not None
    clocks = dict(Clock.objects.filter(workflow="case", object_id=case.pk).values_list("name", "state"))
    assert clocks == {"lead": "stopped", "payment": "running"}
    assert AuditEntry.objects.filter(action="case.decide_on_spot", object_id=str(case.pk)).exists()


def test_an_organisation_up_to_3000_and_only_a_warning_or_a_fine(team: Team):
    org: dict[str, Any] = {
        "party_kind": "organisation",
        "party_name": "嘉善县西塘镇测试商店",
        "party_id_number": ORG,
    }
    case = open_case(team, **org)
    refusals: list[tuple[dict[str, Any], str]] = [
        ({"penalty_kind": "fine", "amount": "3000.01"}, "simple_amount_over_limit"),
        ({"penalty_kind": "confiscation", "amount": "0"}, "simple_kind_not_allowed"),
        ({"penalty_kind": "suspension"}, "simple_kind_not_allowed"),
        ({"penalty_kind": "fine", "amount": "0"}, "penalty_amount_required"),
        ({"penalty_kind": "fine", "amount": "500", "form_number": " "}, "simple_number_required"),
        ({"penalty_kind": "fine", "amount": "500", "level": "heavier"}, "discretion_reason_required"),
    ]
    for kwargs, code in refusals:
        with pytest.raises(DomainError) as exc:
            d.case_decide_on_spot(
                actor=team.olga, case=case, recipient="店长", **{"form_number": "No.0002", **kwargs}
            )
        assert exc.value.code == code, kwargs
    d.case_decide_on_spot(
        actor=team.olga,
        case=case,
        penalty_kind="fine",
        amount="3000",
        form_number="No.0002",
        recipient="店长",
    )
    warned = open_case(team, **org)
    with pytest.raises(DomainError) as exc:
        d.case_decide_on_spot(
            actor=team.olga, case=warned, penalty_kind="warning", form_number="No.0002", recipient="店长"
        )
    assert exc.value.code == "simple_number_duplicate"
    d.case_decide_on_spot(
        actor=team.olga, case=warned, penalty_kind="warning", form_number="No.0003", recipient="店长"
    )
    warned.refresh_from_db()
    assert warned.payment_due_on is None  # a warning is carried out when served
    d.case_close(actor=team.olga, case=warned, report="当场警告，已改正")


def test_on_the_spot_is_only_for_a_lead_and_the_caps_are_settings(team: Team, settings):
    settings.ENFORCEMENT_SIMPLE_LIMIT_PERSON = 50  # the old 市场监管 figure, as a local setting would say
    case = open_case(team, now=dt.datetime(2026, 5, 6, 10, tzinfo=Z))
    with pytest.raises(DomainError) as exc:
        d.case_decide_on_spot(
            actor=team.olga,
            case=case,
            penalty_kind="fine",
            amount="100",
            form_number="No.9",
            recipient="沈国强",
        )
    assert exc.value.code == "simple_amount_over_limit"
