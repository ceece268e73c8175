"""A dispute through its steps: reported on patrol, accepted, two sessions, a written agreement, 司法确认 applied
for and confirmed, a follow-up visit that found it performed, closed; each step with its history and audit rows, a
lost race a 409, the named guards' codes, a high risk reported to the police, an event converted."""

import pytest

from grassroots.audit.models import AuditEntry
from grassroots.core.errors import Conflict, DomainError, Forbidden
from grassroots.notifications.models import Notification
from grassroots.workflow.links import links_of

from ..choices import (
    ConfirmationResult,
    DisputeOutcome,
    DisputeSource,
    DisputeStatus,
    Performance,
    ReferralRoute,
    RiskLevel,
)
from ..models import Dispute
from ..services import disputes, disputes_after, disputes_mediation
from .support import PARTIES, at, build_committee, report


@pytest.fixture
def c(world):
    return build_committee(world)


def accepted(c, *, now=None):
    dispute = report(c, now=now)
    return disputes.dispute_accept(actor=c.lena, dispute=dispute, mediators=[c.mia, c.max], now=now)


def test_a_dispute_goes_from_patrol_to_closed_with_history_and_audit(c):
    d = report(c, now=at(2025, 3, 1, 9))
    assert d.status == DisputeStatus.REGISTERED and d.region_code == c.world.grid_a.code
    assert d.township == c.world.township and d.parties.count() == 2
    disputes.dispute_accept(actor=c.lena, dispute=d, mediators=[c.mia, c.max], now=at(2025, 3, 1, 10))
    for day in (3, 5):
        disputes_mediation.dispute_record_session(
            actor=c.mia,
            dispute=d,
            held_at=at(2025, 3, day, 14),
            place="红菱村调解室",
            minutes=f"第{day}日调解：双方陈述意见",
            attendees="张三丰、李四",
            mediators=[c.mia, c.max],
            now=at(2025, 3, day, 17),
        )
    disputes_mediation.dispute_agree(
        actor=c.mia,
        dispute=d,
        outcome=DisputeOutcome.WRITTEN,
        terms="李家于三日内清理杂物，张家承担疏通费用二百元",
        responsibilities="双方均有责任",
        performance_manner="当面清理、现金支付",
        performance_due_on=at(2025, 3, 8).date(),
        now=at(2025, 3, 5, 17, 30),
    )
    disputes_after.dispute_apply_confirmation(
        actor=c.mia,
        dispute=d,
        applied_on=at(2025, 3, 10).date(),
        court="嘉善县人民法院",
        now=at(2025, 3, 10, 9),
    )
    disputes_after.dispute_record_confirmation(
        actor=c.mia,
        dispute=d,
        result=ConfirmationResult.VALID,
        decided_on=at(2025, 3, 20).date(),
        number="（2025）浙0421民特12号",
        now=at(2025, 3, 20, 9),
    )
    disputes_after.dispute_follow_up(
        actor=c.max,
        dispute=d,
        visited_on=at(2025, 3, 21).date(),
        performance=Performance.PERFORMED,
        now=at(2025, 3, 21, 9),
    )
    disputes_after.dispute_close(actor=c.mia, dispute=d, now=at(2025, 3, 21, 10))
    d.refresh_from_db()
    assert d.status == DisputeStatus.CLOSED and d.version == 9
    actions = list(d.history.values_list("action", "from_status", "to_status"))
    assert actions == [
        ("register", "", "registered"),
        ("accept", "registered", "accepted"),
        ("record_session", "accepted", "mediating"),
        ("record_session", "mediating", "mediating"),
        ("agree", "mediating", "agreed"),
        ("apply_confirmation", "agreed", "agreed"),
        ("record_confirmation", "agreed", "confirmed"),
        ("follow_up", "confirmed", "confirmed"),
        ("close", "confirmed", "closed"),
    ]
    audited = list(
        AuditEntry.objects.filter(object_id=str(d.pk), action__startswith="dispute.")
        .values_list("action", flat=True)
        .order_by("id")
    )
    assert audited == [f"dispute.{a}" for a, _, _ in actions]
    assert d.sessions.count() == 2 and d.sessions.all()[0].mediators.count() == 2
    clocks = d.history.get(action="agree").data["clocks"]
    assert [(x["action"], x["clock"]) for x in clocks] == [("stop", "mediation"), ("start", "confirmation")]


def test_a_lost_race_is_a_409_and_writes_nothing(c):
    d = accepted(c)
    twin = Dispute.objects.get(pk=d.pk)
    disputes.dispute_assess_risk(actor=c.mia, dispute=d, level=RiskLevel.MEDIUM)
    with pytest.raises(Conflict) as exc:
        disputes.dispute_refuse(actor=c.mia, dispute=twin, reason="李四明确表示拒绝调解")
    assert exc.value.code == "stale_dispute"
    twin.refresh_from_db()
    assert twin.status == DisputeStatus.ACCEPTED and twin.version == 3
    assert not twin.history.filter(action="refuse").exists()


def test_outside_the_table_is_409_and_the_wrong_person_403(c):
    d = report(c)
    with pytest.raises(Conflict) as exc:
        disputes_mediation.dispute_agree(actor=c.mia, dispute=d, outcome="oral", terms="和解")
    assert exc.value.code == "invalid_transition"
    with pytest.raises(Forbidden) as forbidden:
        disputes.dispute_accept(actor=c.nina, dispute=d, mediators=[c.nina])
    assert forbidden.value.code == "not_permitted"


def test_a_grid_worker_cannot_register_outside_her_grid(c):
    with pytest.raises(Forbidden):
        report(c, grid=c.world.grid_b, village=c.world.village_b)


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda c, d: disputes.dispute_accept(actor=c.lena, dispute=d, mediators=[]), "mediator_required"),
        (lambda c, d: disputes.dispute_accept(actor=c.lena, dispute=d, mediators=[c.nina]), "not_a_mediator"),
        (lambda c, d: disputes.dispute_accept(actor=c.lena, dispute=d, mediators=[c.pete]), "not_a_mediator"),
        (lambda c, d: disputes.dispute_refuse(actor=c.lena, dispute=d, reason=" "), "reason_required"),
        (
            lambda c, d: disputes.dispute_assess_risk(actor=c.lena, dispute=d, level="high"),
            "police_unit_required",
        ),
        (
            lambda c, d: disputes.dispute_assess_risk(actor=c.lena, dispute=d, level="red"),
            "risk_level_invalid",
        ),
    ],
)
def test_the_committee_steps_guards_have_codes(c, call, code):
    d = report(c)
    with pytest.raises(DomainError) as exc:
        call(c, d)
    assert exc.value.code == code
    d.refresh_from_db()
    assert d.version == 1 and d.status == DisputeStatus.REGISTERED


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"parties": PARTIES[:1]}, "parties_required"),
        ({"source": DisputeSource.COURT}, "referrer_required"),
        ({"source": DisputeSource.EVENT}, "event_required"),
        ({"kind": "feud"}, "kind_invalid"),
        ({"grid": None, "village": "township"}, "village_required"),
        ({"title": " "}, "title_required"),
    ],
)
def test_registration_guards_have_codes(c, fields, code):
    if fields.get("village") == "township":
        fields = {**fields, "village": c.world.township, "actor": c.lena}
    with pytest.raises(DomainError) as exc:
        report(c, **fields)
    assert exc.value.code == code
    assert not Dispute.objects.exists()


def mediating(c, now=None):
    d = accepted(c, now=now or at(2025, 3, 3, 9))
    disputes_mediation.dispute_record_session(
        actor=c.mia,
        dispute=d,
        held_at=at(2025, 3, 3, 10),
        place="调解室",
        minutes="首次调解",
        now=at(2025, 3, 3, 11),
    )
    return d


def test_mediation_guards_have_codes(c):
    d = mediating(c)
    n = at(2025, 3, 4, 9)
    cases = [
        (
            lambda: disputes_mediation.dispute_record_session(
                actor=c.mia, dispute=d, held_at=at(2025, 3, 5), place="调解室", minutes="x", now=n
            ),
            "session_in_future",
        ),
        (
            lambda: disputes_mediation.dispute_record_session(
                actor=c.mia, dispute=d, held_at=at(2025, 3, 2), place="调解室", minutes="x", now=n
            ),
            "session_before_acceptance",
        ),
        (
            lambda: disputes_mediation.dispute_record_session(
                actor=c.mia, dispute=d, held_at=n, place="调解室", minutes="", now=n
            ),
            "minutes_required",
        ),
        (
            lambda: disputes_mediation.dispute_extend(
                actor=c.mia, dispute=d, days=10, parties_agreed=False, reason="双方需时间考虑", now=n
            ),
            "parties_not_agreed",
        ),
        (
            lambda: disputes_mediation.dispute_extend(
                actor=c.mia, dispute=d, days=31, parties_agreed=True, reason="双方需时间考虑", now=n
            ),
            "extension_too_long",
        ),
        (
            lambda: disputes_mediation.dispute_agree(
                actor=c.mia, dispute=d, outcome=DisputeOutcome.FAILED, terms="x", now=n
            ),
            "outcome_invalid",
        ),
        (
            lambda: disputes_mediation.dispute_agree(
                actor=c.mia, dispute=d, outcome=DisputeOutcome.WRITTEN, terms="赔偿", now=n
            ),
            "performance_required",
        ),
        (
            lambda: disputes_mediation.dispute_fail(
                actor=c.mia, dispute=d, reason="分歧过大", route="", now=n
            ),
            "referral_route_required",
        ),
    ]
    for call, code in cases:
        with pytest.raises(DomainError) as exc:
            call()
        assert exc.value.code == code
    d.refresh_from_db()
    assert d.version == 3 and d.status == DisputeStatus.MEDIATING


def test_the_month_is_extended_only_once(c):
    d = mediating(c)
    disputes_mediation.dispute_extend(
        actor=c.mia, dispute=d, days=15, parties_agreed=True, reason="双方同意延长", now=at(2025, 3, 20)
    )
    with pytest.raises(DomainError) as exc:
        disputes_mediation.dispute_extend(
            actor=c.mia, dispute=d, days=5, parties_agreed=True, reason="再延", now=at(2025, 3, 21)
        )
    assert exc.value.code == "already_extended"


def test_a_failure_names_the_route_and_an_oral_agreement_cannot_be_confirmed(c):
    d = mediating(c)
    disputes_mediation.dispute_fail(
        actor=c.mia, dispute=d, reason="分歧过大", route=ReferralRoute.LITIGATION, now=at(2025, 3, 4)
    )
    d.refresh_from_db()
    assert (d.status, d.outcome, d.referral_route) == ("failed", "failed", "litigation")
    disputes_after.dispute_close(actor=c.lena, dispute=d, now=at(2025, 3, 5))

    oral = mediating(c)
    disputes_mediation.dispute_agree(
        actor=c.mia, dispute=oral, outcome=DisputeOutcome.ORAL, terms="李家当日清理杂物", now=at(2025, 3, 4)
    )
    with pytest.raises(DomainError) as exc:
        disputes_after.dispute_apply_confirmation(
            actor=c.mia,
            dispute=oral,
            applied_on=at(2025, 3, 5).date(),
            court="嘉善县人民法院",
            now=at(2025, 3, 5),
        )
    assert exc.value.code == "confirmation_needs_written"


def test_closing_an_agreement_needs_a_visit_that_found_it_performed(c):
    d = mediating(c)
    disputes_mediation.dispute_agree(
        actor=c.mia, dispute=d, outcome=DisputeOutcome.ORAL, terms="李家当日清理杂物", now=at(2025, 3, 4)
    )
    with pytest.raises(DomainError) as exc:
        disputes_after.dispute_close(actor=c.mia, dispute=d, now=at(2025, 3, 5))
    assert exc.value.code == "performance_not_verified"
    disputes_after.dispute_follow_up(
        actor=c.mia,
        dispute=d,
        visited_on=at(2025, 3, 5).date(),
        performance=Performance.PARTLY,
        now=at(2025, 3, 5),
    )
    with pytest.raises(DomainError):
        disputes_after.dispute_close(actor=c.mia, dispute=d, now=at(2025, 3, 5, 1))
    with pytest.raises(DomainError) as early:
        disputes_after.dispute_follow_up(
            actor=c.mia,
            dispute=d,
            visited_on=at(2025, 3, 3).date(),
            performance="performed",
            now=at(2025, 3, 6),
        )
    assert early.value.code == "visit_before_agreement"
    disputes_after.dispute_follow_up(
        actor=c.mia,
        dispute=d,
        visited_on=at(2025, 3, 6).date(),
        performance=Performance.PERFORMED,
        now=at(2025, 3, 6),
    )
    disputes_after.dispute_close(actor=c.mia, dispute=d, now=at(2025, 3, 6, 1))
    d.refresh_from_db()
    assert d.status == DisputeStatus.CLOSED


def test_a_high_risk_is_reported_to_the_police_once(c, django_capture_on_commit_callbacks):
    d = accepted(c)
    with django_capture_on_commit_callbacks(execute=True):
        disputes.dispute_assess_risk(actor=c.mia, dispute=d, level=RiskLevel.HIGH, police_unit=c.police)
    d.refresh_from_db()
    assert d.risk_level == "high" and d.police_unit == c.police and d.police_notified_at is not None
    told = Notification.objects.filter(recipient=c.pete, verb="dispute_high_risk")
    assert told.count() == 1 and d.title in told.get().text
    assert d.history.get(action="assess_risk").data["police_unit"] == c.police.pk
    with django_capture_on_commit_callbacks(execute=True):
        disputes.dispute_assess_risk(actor=c.mia, dispute=d, level=RiskLevel.HIGH)
    assert told.get().repeats == 1
    reports = [row.data.get("police_unit") for row in d.history.filter(action="assess_risk")]
    assert reports == [c.police.pk, None]


def test_a_high_risk_reported_at_registration_tells_the_police(c, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = report(c, risk_level=RiskLevel.HIGH, police_unit=c.police)
    assert d.police_notified_at is not None
    assert Notification.objects.filter(recipient=c.pete, verb="dispute_high_risk").count() == 1


def test_an_event_converted_into_a_dispute_is_linked(c):
    from grassroots.meetings.tests.support import report_event

    event = report_event(c.world)
    d = report(c, source=DisputeSource.EVENT, event=event)
    links = links_of(viewer=c.world.alice, workflow="dispute", object_id=d.pk)
    assert [(link.workflow, link.object_id, link.wording) for link in links] == [("event", event.pk, "源自")]
