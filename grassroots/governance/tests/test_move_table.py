"""The dispute's table, walked: every action from every state by a named mediator, a leader over the committee and
an outsider either lands where `rules.py` says or is refused with `invalid_transition` / `not_permitted`, and a
refusal changes nothing."""

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from grassroots.core.errors import DomainError

from ..choices import DisputeOutcome, DisputeStatus, Performance
from ..models import Dispute, DisputeFollowUp
from ..permissions import dispute_actor_kinds
from ..rules import DISPUTE
from ..services import dispute_documents, disputes, disputes_after, disputes_mediation
from ..services.disputes_common import Clocks, start_clock
from .support import build_committee, report


def _day(d: Dispute) -> Any:
    return timezone.localdate()


CALLS: dict[str, Callable[[Any, Any, Dispute], Any]] = {
    "accept": lambda c, a, d: disputes.dispute_accept(actor=a, dispute=d, mediators=[c.mia]),
    "refuse": lambda c, a, d: disputes.dispute_refuse(actor=a, dispute=d, reason="李四拒绝调解"),
    "assess_risk": lambda c, a, d: disputes.dispute_assess_risk(actor=a, dispute=d, level="medium"),
    "record_session": lambda c, a, d: disputes_mediation.dispute_record_session(
        actor=a,
        dispute=d,
        held_at=d.accepted_at or timezone.now(),
        place="调解室",
        minutes="调解",
        mediators=[c.mia],
    ),
    "extend": lambda c, a, d: disputes_mediation.dispute_extend(
        actor=a, dispute=d, days=10, parties_agreed=True, reason="双方同意"
    ),
    "agree": lambda c, a, d: disputes_mediation.dispute_agree(
        actor=a, dispute=d, outcome=DisputeOutcome.ORAL, terms="当日清理"
    ),
    "fail": lambda c, a, d: disputes_mediation.dispute_fail(
        actor=a, dispute=d, reason="分歧过大", route="litigation"
    ),
    "apply_confirmation": lambda c, a, d: disputes_after.dispute_apply_confirmation(
        actor=a, dispute=d, applied_on=_day(d), court="嘉善县人民法院"
    ),
    "record_confirmation": lambda c, a, d: disputes_after.dispute_record_confirmation(
        actor=a, dispute=d, result="valid", decided_on=_day(d)
    ),
    "follow_up": lambda c, a, d: disputes_after.dispute_follow_up(
        actor=a, dispute=d, visited_on=_day(d), performance="performed"
    ),
    "close": lambda c, a, d: disputes_after.dispute_close(actor=a, dispute=d),
    "generate_agreement": lambda c, a, d: dispute_documents.dispute_generate_agreement(actor=a, dispute=d),
}


def test_every_action_of_the_table_has_a_call():
    assert set(CALLS) == set(DISPUTE.actions)


def prepared(c: Any, status: str, action: str) -> Dispute:
    """A dispute accepted with Mia as its mediator (the month running), put in `status` with what the action's
    guards need: a written agreement concluded today, its 30 日 running, a visit that found it performed."""
    d = report(c)
    if status != DisputeStatus.REGISTERED:
        disputes.dispute_accept(actor=c.lena, dispute=d, mediators=[c.mia])
        start_clock(d, Clocks.CONFIRMATION, now=timezone.now())
        DisputeFollowUp.objects.create(
            dispute=d, visited_on=_day(d), performance=Performance.PERFORMED, recorded_at=timezone.now()
        )
    fields: dict[str, Any] = {"status": status}
    if status in {DisputeStatus.AGREED, DisputeStatus.CONFIRMED, DisputeStatus.CLOSED, DisputeStatus.FAILED}:
        fields.update(outcome=DisputeOutcome.WRITTEN, concluded_at=timezone.now().replace(microsecond=0))
    if action == "record_confirmation":
        fields["confirmation_applied_on"] = _day(d)
    Dispute.objects.filter(pk=d.pk).update(**fields)
    d.refresh_from_db()
    return d


@pytest.mark.parametrize("status", DisputeStatus.values)
@pytest.mark.parametrize("action", sorted(CALLS))
@pytest.mark.parametrize("who", ["mediator", "committee", "outsider"])
def test_every_action_from_every_state(world, status, action, who):
    c = build_committee(world)
    d = prepared(c, status, action)
    actor = {"mediator": c.mia, "committee": c.lena, "outsider": c.nina}[who]
    refusal = DISPUTE.refusal(action, status, dispute_actor_kinds(d, actor))
    before = d.version
    if refusal is None:
        CALLS[action](c, actor, d)
        d.refresh_from_db()
        assert d.status in {t or status for t in DISPUTE.targets(action, status)}
        assert d.version == before + 1
        assert d.history.filter(action=action).count() == 1 + (action == "accept" and status != "registered")
    else:
        with pytest.raises(DomainError) as exc:
            CALLS[action](c, actor, d)
        expected = "not_permitted" if DISPUTE.moves_for(action, status) else "invalid_transition"
        assert exc.value.code == expected
        d.refresh_from_db()
        assert d.version == before and d.status == status


def test_the_kinds_follow_the_people(world):
    c = build_committee(world)
    d = prepared(c, DisputeStatus.ACCEPTED, "accept")
    assert dispute_actor_kinds(d, c.mia) == {"mediator", "committee"}
    assert dispute_actor_kinds(d, c.max) == {"committee"}  # of the committee, not named on this dispute
    assert dispute_actor_kinds(d, c.lena) == {"committee"}  # the township's leader over the committee
    assert dispute_actor_kinds(d, c.nina) == set()  # another committee's mediator
    assert dispute_actor_kinds(d, world.alice) == set()  # the grid worker who reported it
    assert dispute_actor_kinds(d, None) == {"system"}
