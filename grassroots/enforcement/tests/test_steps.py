"""The declaration the API and the page will be made from: one step per action of the table, each performing its
service with its schema's payload; and what the timer worker does with a case's clocks (it tells the officers)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.demo.photos import sample_jpeg
from grassroots.notifications.models import Notification
from grassroots.workflow.timers import clocks_catch_up

from ..models import Evidence
from ..rules import CASE
from ..schemas import EvidenceIn, ProposeIn
from ..steps import CASE_FLOW
from .support import Team, filed_case, open_case

Z = ZoneInfo("Asia/Shanghai")


def test_every_action_has_one_step():
    assert sorted(s.action for s in CASE_FLOW.steps) == CASE.actions
    assert all(CASE.label(a) != a for a in CASE.actions)  # each has its words


def test_a_step_performs_its_service_with_the_payload_and_files(team: Team):
    case = filed_case(team)
    payload = ProposeIn.model_validate({"penalty_kind": "fine", "level": "heavier", "amount": "8000"})
    CASE_FLOW.perform("propose", team.olga, case, payload, [])
    case.refresh_from_db()
    assert (case.penalty_kind, case.discretion_level, case.proposed_amount) == ("fine", "heavier", 8000)
    photo = SimpleUploadedFile("p.jpg", sample_jpeg())
    CASE_FLOW.perform(
        "add_evidence",
        team.olga,
        case,
        EvidenceIn.model_validate({"kind": "photo", "description": "现场"}),
        [photo],
    )
    assert Evidence.objects.get(case=case).kind == "photo"


def test_the_timer_tells_the_officers_when_the_lead_is_overdue(
    team: Team, django_capture_on_commit_callbacks
):
    case = open_case(team, now=dt.datetime(2026, 9, 29, 9, 30, tzinfo=Z))
    with django_capture_on_commit_callbacks(execute=True):
        result = clocks_catch_up(now=dt.datetime(2026, 10, 27, 9, tzinfo=Z))
    assert result.overdue == 1
    texts = list(Notification.objects.filter(verb="case_overdue").values_list("recipient__username", "text"))
    assert sorted(u for u, _ in texts) == ["olga", "owen"]
    assert all("线索核查已超期" in text and case.party_name in text for _, text in texts)
