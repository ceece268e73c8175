"""The petition's services beyond the clocks: registration's guards (five representatives at most, nothing written
when refused), a petition from an event and one from a failed mediation linked to them, a stale copy refused with
`stale_petition` and nothing changed, a repeat joined to the matter accepted, every step audited with its history
row, the notices' words read back from the .docx, and the timer telling the leader."""

import io

import pytest
from docx import Document

from grassroots.audit.models import AuditEntry
from grassroots.core.errors import DomainError
from grassroots.notifications.models import Notification
from grassroots.workflow.links import links_of
from grassroots.workflow.timers import clocks_scan

from ..models import Petition
from ..services import petition_handling as h
from ..services import petitions as p
from .petition_support import PETITIONERS, at, build_office, register
from .support import build_committee
from .support import report as report_dispute


@pytest.fixture
def o(world):
    return build_office(world)


def code_of(call):
    with pytest.raises(DomainError) as exc:
        call()
    return exc.value.code


def test_a_visit_registers_at_most_five_representatives_and_a_refusal_writes_nothing(o):
    six = [p.PetitionerIn(name=f"代表{i}") for i in range(6)]
    assert code_of(lambda: register(o, petitioners=six, people_count=30)) == "too_many_representatives"
    assert code_of(lambda: register(o, petitioners=[])) == "petitioner_required"
    assert code_of(lambda: register(o, people_count=1)) == "people_count_invalid"
    assert code_of(lambda: register(o, village=o.world.village_a, title=" ")) == "title_required"
    assert code_of(lambda: register(o, actor=o.world.bob)) == "not_permitted"
    assert (
        not Petition.objects.exists() and not AuditEntry.objects.filter(action="petition.register").exists()
    )
    letter = register(o, channel="letter", petitioners=six, people_count=6)  # a letter signed by six is fine
    assert letter.petitioners.count() == 6


def test_a_petition_from_a_failed_mediation_is_linked_to_it(world):
    committee = build_committee(world)
    o = build_office(world)
    dispute = report_dispute(committee)
    # the office's clerk does not see the committee's dispute: refused (404), nothing written
    assert code_of(lambda: register(o, dispute=dispute)) == "link_record_not_found"
    assert not Petition.objects.exists()
    x = register(o, actor=o.lena, dispute=dispute)  # the township's leader sees both
    seen = links_of(viewer=o.lena, workflow="petition", object_id=x.pk)
    assert [(link.workflow, link.object_id) for link in seen] == [("dispute", dispute.pk)]


def test_a_stale_copy_is_refused_and_changes_nothing(o):
    x = register(o)
    stale = Petition.objects.get(pk=x.pk)
    p.petition_accept(actor=o.xia, petition=x, leader=o.lena)
    assert code_of(lambda: p.petition_refuse(actor=o.yun, petition=stale, reason="重复")) == "stale_petition"
    x.refresh_from_db()
    assert (x.status, x.version) == ("accepted", 2)
    assert not x.documents.filter(kind="refusal").exists()


def test_a_repeat_joins_the_matter_accepted_and_every_step_is_audited(o):
    first = register(o)
    p.petition_accept(actor=o.xia, petition=first, leader=o.lena)
    again = register(o)
    assert code_of(lambda: p.petition_join(actor=o.xia, petition=again, into=again)) == "join_target_invalid"
    p.petition_join(actor=o.xia, petition=again, into=first)
    again.refresh_from_db()
    assert (again.status, again.joined_into_id) == ("joined", first.pk)
    assert [s.object_id for s in links_of(viewer=o.xia, workflow="petition", object_id=first.pk)] == [
        again.pk
    ]
    actions = set(AuditEntry.objects.filter(action__startswith="petition.").values_list("action", flat=True))
    assert actions == {"petition.register", "petition.accept", "petition.join"}
    assert [r.action for r in again.history.all()] == ["register", "join"]


def test_the_notices_say_what_was_decided_to_whom_and_what_comes_next(o, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    x = register(o, now=at(2026, 3, 2, 9))
    p.petition_accept(actor=o.xia, petition=x, leader=o.lena, now=at(2026, 3, 2, 10))
    h.petition_answer(
        actor=o.lena, petition=x, outcome="not_support", text="诉求缺乏依据。", now=at(2026, 4, 1)
    )
    notice = x.documents.get(kind="answer")
    with notice.file.open("rb") as handle:
        text = "\n".join(par.text for par in Document(io.BytesIO(handle.read())).paragraphs)
    for words in ("信访处理意见书", "张三丰、李四：", "处理意见：不予支持。", "诉求缺乏依据。", "30日内", "包案领导：沈丽娜",
                  "西塘镇信访办（印章）", "2026年04月01日"):  # fmt: skip
        assert words in text, words
    assert x.history.get(action="answer").data["notice"]["sha256"] == notice.sha256
    assert PETITIONERS[0].id_number not in text  # the notice names them; it does not print their ID numbers


def test_the_timer_tells_the_leader_before_and_when_the_60_days_run_out(
    o, django_capture_on_commit_callbacks
):
    x = register(o, now=at(2026, 6, 1, 9))
    p.petition_accept(actor=o.xia, petition=x, leader=o.lena, now=at(2026, 6, 1, 10))  # due 1 August 00:00
    with django_capture_on_commit_callbacks(execute=True):
        clocks_scan(now=at(2026, 7, 20))  # 80% of 60 days: 18 July
    with django_capture_on_commit_callbacks(execute=True):
        clocks_scan(now=at(2026, 8, 1, 1))
    verbs = list(Notification.objects.filter(recipient=o.lena).values_list("verb", flat=True))
    assert sorted(verbs) == ["petition_due_soon", "petition_overdue"]
    assert "办理期限已届满" in Notification.objects.get(recipient=o.lena, verb="petition_overdue").text
