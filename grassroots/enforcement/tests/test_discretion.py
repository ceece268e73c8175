"""Discretion: the power's table gives the range for the level chosen; an amount outside it needs a written reason
and a head's sign-off; after 告知 the decision is never heavier than what the party was told (第四十五条)."""

from decimal import Decimal
from typing import Any

import pytest

from grassroots.core.errors import DomainError

from ..models import Power
from ..services import decisions as d
from ..services import investigation as i
from ..services.discretion import proposed_range
from .support import Team, filed_case


def test_the_range_comes_from_the_powers_table(team: Team):
    general = proposed_range(team.power, "general")
    assert (general.minimum, general.maximum) == (Decimal(1000), Decimal(5000))
    assert (
        general.covers(Decimal(1000))
        and general.covers(Decimal(5000))
        and not general.covers(Decimal("5000.01"))
    )
    none = proposed_range(team.power, "none")
    assert none.minimum is None and none.maximum is None
    bare = Power.objects.create(code="X1", name="无裁量基准", category="CF", unit=team.unit, published=True)
    with pytest.raises(DomainError) as exc:
        proposed_range(bare, "general")
    assert exc.value.code == "discretion_level_unknown"
    with pytest.raises(DomainError) as exc:
        proposed_range(team.power, "severe")
    assert exc.value.code == "discretion_level_required"


def test_an_amount_outside_the_range_needs_a_reason_and_a_heads_sign_off(team: Team):
    case = filed_case(team)
    olga = team.olga
    refusals: list[tuple[dict[str, Any], str]] = [
        ({"penalty_kind": "fine", "level": "general", "amount": "6000"}, "discretion_reason_required"),
        (
            {"penalty_kind": "fine", "level": "general", "amount": "6000", "reason": "违法所得较大"},
            "discretion_approval_required",
        ),
        (
            {
                "penalty_kind": "fine",
                "level": "general",
                "amount": "6000",
                "reason": "x",
                "approver": team.owen,
            },
            "discretion_approval_required",  # an officer is no head
        ),
        ({"penalty_kind": "fine", "level": "general", "amount": "0"}, "penalty_amount_required"),
        ({"penalty_kind": "warning", "level": "general", "amount": "100"}, "penalty_amount_not_fine"),
        ({"penalty_kind": "fine", "level": "none", "amount": "100"}, "discretion_level_no_penalty"),
        ({"penalty_kind": "fine", "level": "general", "amount": "-1"}, "penalty_bad_amount"),
    ]
    for kwargs, code in refusals:
        with pytest.raises(DomainError) as exc:
            i.case_propose(actor=olga, case=case, **kwargs)
        assert exc.value.code == code, kwargs
    case.refresh_from_db()
    assert case.version == 3 and case.proposed_amount is None  # nothing written by a refusal
    i.case_propose(actor=olga, case=case, penalty_kind="fine", level="general", amount="3000")
    case.refresh_from_db()
    assert case.proposed_amount == 3000 and case.proposal_reason == "" and case.proposal_approved_by is None
    i.case_propose(
        actor=olga,
        case=case,
        penalty_kind="fine",
        level="general",
        amount="6000",
        reason="违法所得较大，社会影响恶劣",
        approver=team.lena,
    )
    case.refresh_from_db()
    assert case.proposed_amount == 6000 and case.proposal_approved_by == team.lena
    assert case.history.filter(action="propose").last().data["within_range"] is False


def notified(t: Team, amount: str):
    case = filed_case(t)
    i.case_propose(actor=t.olga, case=case, penalty_kind="fine", level="general", amount=amount)
    i.case_notify(actor=t.olga, case=case)
    return case


def test_no_heavier_penalty_after_notice(team: Team):
    case = notified(team, "2000")
    lena = team.lena
    with pytest.raises(DomainError) as exc:
        d.case_decide(actor=lena, case=case, outcome="penalty", amount="2500", waived=True)
    assert exc.value.code == "penalty_heavier_than_notified"
    with pytest.raises(DomainError) as exc:
        d.case_decide(
            actor=lena, case=case, outcome="penalty", penalty_kind="suspension", level="general", waived=True
        )
    assert exc.value.code == "penalty_heavier_than_notified"
    d.case_decide(actor=lena, case=case, outcome="penalty", amount="1500", waived=True)
    case.refresh_from_db()
    assert case.decided_amount == 1500 and case.discretion_reason == ""


def test_the_head_decides_outside_the_range_with_a_written_reason(team: Team):
    case = notified(team, "2000")
    with pytest.raises(DomainError) as exc:
        d.case_decide(
            actor=team.lena, case=case, outcome="penalty", level="lighter", amount="50", waived=True
        )
    assert exc.value.code == "discretion_reason_required"
    d.case_decide(
        actor=team.lena,
        case=case,
        outcome="penalty",
        level="lighter",
        amount="50",
        reason="当事人确有经济困难且已改正",
        waived=True,
    )
    case.refresh_from_db()
    assert case.decided_amount == 50 and case.discretion_approved_by == team.lena
    assert case.discretion_reason == "当事人确有经济困难且已改正"


def test_a_party_who_argued_may_still_get_a_warning_instead(team: Team):
    case = notified(team, "2000")
    d.case_decide(
        actor=team.lena, case=case, outcome="penalty", penalty_kind="warning", level="mitigated", waived=True
    )
    case.refresh_from_db()
    assert case.penalty_kind == "warning" and case.decided_amount == 0
