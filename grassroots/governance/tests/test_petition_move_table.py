"""The petition's table, walked: every action from every state by the office's staff, the leader who took the case
and an outsider either lands where `petition_rules.py` says or is refused with `invalid_transition` /
`not_permitted`, and a refusal changes nothing."""

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from grassroots.core.errors import DomainError

from ..models import Petition
from ..petition_choices import PetitionStatus
from ..petition_permissions import petition_actor_kinds
from ..petition_rules import PETITION
from ..services import petition_handling as h
from ..services import petitions as p
from ..services.petition_common import Clocks, start_clock
from .petition_support import build_office, register

CALLS: dict[str, Callable[[Any, Any, Petition], Any]] = {
    "assign_leader": lambda o, a, x: p.petition_assign_leader(actor=a, petition=x, leader=o.leo),
    "accept": lambda o, a, x: p.petition_accept(actor=a, petition=x),
    "refuse": lambda o, a, x: p.petition_refuse(actor=a, petition=x, reason="已经诉讼程序处理"),
    "transfer": lambda o, a, x: p.petition_transfer(actor=a, petition=x, to="县人力社保局"),
    "object": lambda o, a, x: p.petition_object(actor=a, petition=x, reason="不属本机关职权"),
    "join": lambda o, a, x: p.petition_join(actor=a, petition=x, into=o.target),
    "extend": lambda o, a, x: h.petition_extend(actor=a, petition=x, days=10, reason="需调查"),
    "answer": lambda o, a, x: h.petition_answer(actor=a, petition=x, outcome="support", text="予以支持。"),
    "request_review": lambda o, a, x: h.petition_request_review(actor=a, petition=x),
    "answer_review": lambda o, a, x: h.petition_answer_review(
        actor=a, petition=x, outcome="explain", text="说明。"
    ),
    "request_recheck": lambda o, a, x: h.petition_request_recheck(actor=a, petition=x),
    "answer_recheck": lambda o, a, x: h.petition_answer_recheck(
        actor=a, petition=x, outcome="explain", text="终结。"
    ),
    "close": lambda o, a, x: h.petition_close(actor=a, petition=x, satisfied=True),
}


def test_every_action_of_the_table_has_a_call():
    assert set(CALLS) == set(PETITION.actions)


def prepared(o: Any, status: str, action: str) -> Petition:
    """A petition transferred in, put in `status` with what the action's guards need: Lena its leader once past
    registration, the handling clock running, the request window of `request_*` open, a target to join."""
    x = register(o, transferred_from="县信访局")
    o.target = register(o)
    p.petition_accept(actor=o.xia, petition=o.target)
    if status != PetitionStatus.REGISTERED:
        p.petition_accept(actor=o.xia, petition=x, leader=o.lena)
    window = {"request_review": Clocks.REVIEW_REQUEST, "request_recheck": Clocks.RECHECK_REQUEST}.get(action)
    if window and status != PetitionStatus.REGISTERED:
        start_clock(x, window, now=timezone.now())
    Petition.objects.filter(pk=x.pk).update(status=status)
    x.refresh_from_db()
    return x


@pytest.mark.parametrize("status", PetitionStatus.values)
@pytest.mark.parametrize("action", sorted(CALLS))
@pytest.mark.parametrize("who", ["office", "leader", "outsider"])
def test_every_action_from_every_state(world, status, action, who):
    o = build_office(world)
    x = prepared(o, status, action)
    actor = {"office": o.xia, "leader": o.lena, "outsider": world.carol}[who]
    refusal = PETITION.refusal(action, status, petition_actor_kinds(x, actor))
    before = x.version
    if refusal is None:
        CALLS[action](o, actor, x)
        x.refresh_from_db()
        assert x.status in {t or status for t in PETITION.targets(action, status)}
        assert x.version == before + 1
        assert x.history.filter(action=action).count() == 1 + (action == "accept" and status != "registered")
    else:
        with pytest.raises(DomainError) as exc:
            CALLS[action](o, actor, x)
        expected = "not_permitted" if PETITION.moves_for(action, status) else "invalid_transition"
        assert exc.value.code == expected
        x.refresh_from_db()
        assert x.version == before and x.status == status


def test_the_kinds_follow_the_people(world):
    o = build_office(world)
    x = prepared(o, PetitionStatus.ACCEPTED, "answer")
    assert petition_actor_kinds(x, o.xia) == {"office"}  # staff of the petition office
    assert petition_actor_kinds(x, o.lena) == {
        "leader",
        "office",
    }  # took the case; a leader over the township
    assert petition_actor_kinds(x, o.leo) == {"office"}  # a leader over the township, not on this case
    assert petition_actor_kinds(x, world.bob) == set()  # village staff where it happened
    assert petition_actor_kinds(x, None) == {"system"}
