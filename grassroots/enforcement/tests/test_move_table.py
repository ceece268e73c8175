"""The case's table, walked: every action from every state by an officer on the case, the head, the legal reviewer
and the hearing's chair either lands where `rules.TABLE` says or is refused with `invalid_transition` /
`not_permitted`, and a refusal changes nothing. The case is put in each state with what that state implies (its
clocks running, a proposal made, the party notified), so that an allowed move meets no guard."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from grassroots.core.errors import DomainError
from grassroots.workflow.choices import PauseKind
from grassroots.workflow.clocks import clock_pause

from ..choices import CASE_CLOCK_STATUSES, CaseStatus
from ..models import EnforcementCase
from ..permissions import case_actor_kinds
from ..rules import CASE
from ..services import decisions as d
from ..services import investigation as i
from ..services.cases import case_approve_filing, case_extend_lead, case_refuse_filing, case_request_filing
from ..services.common import Clocks, live_clock, start_clock
from .support import ALL_CONDITIONS, Team, build_team, open_case

S = CaseStatus
AFTER_NOTICE = {
    S.NOTIFIED,
    S.HEARING,
    S.HEARD,
    S.DISCUSSED,
    S.DECIDED,
    S.SERVED,
    S.EXECUTED,
    S.CLOSED,
    S.ARCHIVED,
}

CALLS: dict[str, Callable[[Any, EnforcementCase, Team], Any]] = {
    "request_filing": lambda a, k, t: case_request_filing(actor=a, case=k),
    "approve_filing": lambda a, k, t: case_approve_filing(actor=a, case=k, conditions=ALL_CONDITIONS),
    "refuse_filing": lambda a, k, t: case_refuse_filing(actor=a, case=k, ground="minor_corrected"),
    "extend_lead": lambda a, k, t: case_extend_lead(actor=a, case=k, reason="待检测"),
    "decide_on_spot": lambda a, k, t: d.case_decide_on_spot(
        actor=a, case=k, penalty_kind="warning", form_number=f"No.{k.pk}-{a.pk}", recipient="沈国强"
    ),
    "add_evidence": lambda a, k, t: i.case_add_evidence(actor=a, case=k, kind="note", description="笔录"),
    "propose": lambda a, k, t: i.case_propose(
        actor=a, case=k, penalty_kind="fine", level="general", amount="2000"
    ),
    "extend_case": lambda a, k, t: i.case_extend(actor=a, case=k, reason="案情复杂"),
    "submit_review": lambda a, k, t: i.case_submit_review(actor=a, case=k),
    "review_pass": lambda a, k, t: i.case_review(actor=a, case=k, passed=True, opinion="通过"),
    "review_return": lambda a, k, t: i.case_review(actor=a, case=k, passed=False, opinion="补充调查"),
    "notify": lambda a, k, t: i.case_notify(actor=a, case=k),
    "request_hearing": lambda a, k, t: i.case_request_hearing(actor=a, case=k),
    "schedule_hearing": lambda a, k, t: i.case_schedule_hearing(
        actor=a,
        case=k,
        notice_on=timezone.localdate() - dt.timedelta(days=30),
        hearing_on=timezone.localdate(),
        place="会议室",
        chair=t.hank,
    ),
    "hold_hearing": lambda a, k, t: i.case_hold_hearing(actor=a, case=k, record="听证笔录"),
    "discuss": lambda a, k, t: i.case_discuss(actor=a, case=k, discussion="集体讨论", waived=True),
    "decide": lambda a, k, t: d.case_decide(actor=a, case=k, outcome="no_penalty_minor", waived=True),
    "serve": lambda a, k, t: d.case_serve(actor=a, case=k, method="direct", recipient="沈国强"),
    "execute": lambda a, k, t: d.case_execute(actor=a, case=k, manner="performed"),
    "close": lambda a, k, t: d.case_close(actor=a, case=k, report="结案报告"),
    "archive": lambda a, k, t: d.case_archive(actor=a, case=k),
}


def put_in_state(t: Team, status: str, action: str) -> EnforcementCase:
    """A lead moved by hand to `status`, with what the state implies for `action` to meet no guard."""
    case = open_case(t)
    now = timezone.now()
    fields: dict[str, Any] = {"status": status, "number": f"西塘综执罚〔2026〕{case.pk}号"}
    if status in (S.LEAD, S.FILING):
        fields["number"] = None
    if status not in (S.LEAD, S.FILING, S.NOT_FILED):
        fields.update(penalty_kind="fine", discretion_level="general", proposed_amount=Decimal(2000))
        live_clock(case, Clocks.LEAD).delete()  # type: ignore[union-attr]
    if status in AFTER_NOTICE or (status == S.REVIEWED and action != "notify"):
        fields.update(notified_at=now, notified_kind="fine", notified_amount=Decimal(2000))
    if status == S.HEARING:
        fields.update(hearing_chair=t.hank, hearing_on=timezone.localdate())
    if status == S.DECIDED:
        fields["outcome"] = "transfer" if action == "close" else "no_penalty_minor"
    if status in (S.SERVED, S.EXECUTED):
        fields.update(outcome="no_penalty_minor", decided_at=now)
    EnforcementCase.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    if status in CASE_CLOCK_STATUSES:
        clock = start_clock(case, Clocks.CASE, now=now).clock
        if status == S.HEARING:
            clock_pause(clock=clock, kind=PauseKind.HEARING, actor=None, now=now)
    if status == S.NOTIFIED:
        start_clock(case, Clocks.HEARING_REQUEST, now=now)
    return case


def test_the_walk_covers_every_action_of_the_table():
    assert set(CALLS) == set(CASE.actions)


@pytest.mark.parametrize("status", S.values)
def test_every_action_from_the_state_by_everyone(world, status):
    t = build_team(world)
    for action in sorted(CALLS):
        # A refusal changes nothing (which is asserted), so the next person tries on the same case.
        case = put_in_state(t, status, action)
        for actor in (t.olga, t.lena, t.rita, t.hank):
            kinds = case_actor_kinds(case, actor)
            refusal = CASE.refusal(action, status, kinds)
            before = case.version
            where = (status, action, actor.username)
            if refusal is None:
                CALLS[action](actor, case, t)
                case.refresh_from_db()
                assert case.status in {target or status for target in CASE.targets(action, status)}, where
                assert case.version == before + 1, where
                assert case.history.filter(action=action).count() == 1, where
                case = put_in_state(t, status, action)
            else:
                with pytest.raises(DomainError) as exc:
                    CALLS[action](actor, case, t)
                expected = "not_permitted" if CASE.moves_for(action, status) else "invalid_transition"
                assert exc.value.code == expected, (*where, exc.value.message)
                case.refresh_from_db()
                assert case.version == before and case.status == status, where
