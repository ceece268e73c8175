"""The dispute pages through HTTP: the queue's scope, filters, masking and fixed query count; registering at the desk
and from an event; every step's form posted by the person the table names, through a written agreement, its
调解协议书 downloaded and read back, 司法确认 and a follow-up visit closing it; a stale form; out of scope 404;
the success-rate page and the records behind a number; the phone report with its idempotency key."""

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document

from grassroots.audit.models import AuditEntry

from ..choices import DisputeStatus
from ..models import Dispute, DisputeHistory
from ..services import disputes
from ..services import disputes_mediation as mediation
from .support import build_committee, report

# The page's queries, whatever its length (a pinned number: a new query per row would change it).
QUERIES = 11


@pytest.fixture
def c(world):
    return build_committee(world)


def fresh(d: Dispute) -> Dispute:
    return Dispute.objects.get(pk=d.pk)


def act(c: Any, person: Any, d: Dispute, action: str, data: dict[str, Any] | None = None) -> Any:
    body = {"version": fresh(d).version, **(data or {})}
    return c.world.client_for(person).post(f"/governance/disputes/{d.pk}/act/{action}/", body)


def alerts(response: Any) -> list[str]:
    return re.findall(r'role="alert"[^>]*>([^<]*)', response.content.decode())


def done(response: Any, d: Dispute) -> None:
    assert response.status_code == 302, alerts(response)
    assert response["Location"] == f"/governance/disputes/{d.pk}/"


def registration(c: Any, **extra: Any) -> dict[str, Any]:
    return {
        "village": c.world.village_a.pk,
        "grid": c.world.grid_a.pk,
        "committee": c.committee.pk,
        "source": "patrol",
        "kind": "neighbours",
        "title": "邻居因围墙高度争执",
        "facts": "王家加高围墙遮挡赵家采光，双方争吵。",
        "risk_level": "low",
        "p1_kind": "person",
        "p1_name": "赵大山",
        "p1_id_number": "330421197001011236",
        "p1_phone": "13900001111",
        "p2_kind": "person",
        "p2_name": "王小川",
        "p2_phone": "13900002222",
        **extra,
    }


def test_a_grid_worker_registers_a_dispute_at_the_desk(c):
    response = c.world.client_for(c.world.alice).post("/governance/disputes/new/", registration(c))
    assert response.status_code == 302, response.content.decode()[:3000]
    d = Dispute.objects.get(title="邻居因围墙高度争执")
    assert d.status == DisputeStatus.REGISTERED
    assert [p.name for p in d.parties.order_by("position")] == ["赵大山", "王小川"]


def test_registration_without_the_second_party_writes_nothing(c):
    data = registration(c, p2_name="")
    response = c.world.client_for(c.world.alice).post("/governance/disputes/new/", data)
    assert response.status_code == 422
    assert "请填写当事人姓名" in response.content.decode()
    assert not Dispute.objects.exists()


def test_the_queue_masks_parties_filters_and_answers_in_a_fixed_number_of_queries(c):
    for _ in range(3):
        report(c)
    client = c.world.client_for(c.world.alice)
    with CaptureQueriesContext(connection) as few:
        page = client.get("/governance/disputes/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="dispute-row"') == 3
    assert "张*丰" in html and "张三丰" not in html
    for _ in range(5):
        report(c)
    with CaptureQueriesContext(connection) as many:
        client.get("/governance/disputes/")
    assert len(many) == len(few) == QUERIES, [q["sql"][:80] for q in many.captured_queries]
    assert (
        client.get("/governance/disputes/?kind=family").content.decode().count('data-testid="dispute-row"')
        == 0
    )
    assert (
        client.get("/governance/disputes/?q=张三丰").content.decode().count('data-testid="dispute-row"') == 8
    )
    assert client.get("/governance/disputes/?q=张三").content.decode().count('data-testid="dispute-row"') == 0


def test_someone_of_another_village_gets_404_and_an_empty_queue(c):
    d = report(c)
    client = c.world.client_for(c.world.carol)
    assert client.get(f"/governance/disputes/{d.pk}/").status_code == 404
    assert act(c, c.world.carol, d, "accept", {"mediator_ids": [c.mia.pk]}).status_code == 404
    assert 'data-testid="dispute-row"' not in client.get("/governance/disputes/").content.decode()


def test_the_reporter_sees_the_parties_masked_the_mediator_whole_and_audited(c):
    d = report(c)
    disputes.dispute_accept(actor=c.lena, dispute=d, mediators=[c.mia])
    html = c.world.client_for(c.world.alice).get(f"/governance/disputes/{d.pk}/").content.decode()
    assert "张*丰" in html and "张三丰" not in html and 'data-testid="no-steps"' in html
    html = c.world.client_for(c.mia).get(f"/governance/disputes/{d.pk}/").content.decode()
    assert "张三丰" in html and "11010519491231002X" in html
    assert AuditEntry.objects.filter(action="personal_data.read", actor=c.mia).count() == 1


def test_the_mediator_takes_the_dispute_from_acceptance_to_closing_through_the_forms(c):
    d = report(c)
    done(act(c, c.lena, d, "accept", {"mediator_ids": [c.mia.pk, c.max.pk]}), d)
    assert fresh(d).status == DisputeStatus.ACCEPTED
    now = timezone.localtime() + dt.timedelta(seconds=1)
    for minutes in ["双方陈述，约定现场查看。", "现场查看后双方同意清理排水沟。"]:
        held = timezone.localtime().strftime("%Y-%m-%dT%H:%M:%S")
        data = {"held_at": held, "place": "红菱村调解室", "minutes": minutes, "attendees": "张三丰、李四"}
        done(act(c, c.mia, d, "record_session", data), d)
    assert fresh(d).sessions.count() == 2 and fresh(d).status == DisputeStatus.MEDIATING
    agree = {
        "outcome": "written",
        "terms": "李四三日内清理杂物，疏通排水沟。",
        "performance_manner": "自行清理",
        "performance_due_on": (now + dt.timedelta(days=3)).strftime("%Y-%m-%d"),
    }
    done(act(c, c.mia, d, "agree", agree), d)
    done(act(c, c.mia, d, "generate_agreement"), d)
    document = fresh(d).documents.get()
    url = f"/governance/disputes/{d.pk}/documents/{document.pk}/"
    asked = c.world.client_for(c.mia).get(url)
    assert (
        asked.status_code == 200
        and "导出事由" in asked.content.decode()
        and "张三丰" not in asked.content.decode()
    )
    response = c.world.client_for(c.mia).get(url, {"reason": "送达当事人"})
    word = Document(io.BytesIO(response.getvalue()))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "李四三日内清理杂物" in text and "张三丰" in text
    header = "\n".join(p.text for p in word.sections[0].header.paragraphs)
    assert f"导出人：{c.mia.name}（{c.mia.username}）" in header and "事由：送达当事人" in header
    assert AuditEntry.objects.filter(
        action="personal_data.read", object_id=str(d.pk), detail__reason="送达当事人"
    ).exists()
    onlooker = c.world.client_for(c.world.alice).get(f"/governance/disputes/{d.pk}/documents/{document.pk}/")
    assert onlooker.status_code == 404
    today = timezone.localdate().isoformat()
    done(act(c, c.mia, d, "apply_confirmation", {"applied_on": today, "court": "嘉善县人民法院"}), d)
    assert fresh(d).confirmation_court == "嘉善县人民法院"
    refused = act(c, c.mia, d, "close")
    assert refused.status_code == 422 and "回访确认已履行" in refused.content.decode()
    done(
        act(c, c.mia, d, "follow_up", {"visited_on": today, "performance": "performed", "note": "已清理"}), d
    )
    done(act(c, c.mia, d, "close", {"note": "履行完毕"}), d)
    assert fresh(d).status == DisputeStatus.CLOSED


def test_a_stale_form_is_refused_in_chinese_and_writes_nothing(c):
    d = report(c)
    seen = fresh(d).version
    disputes.dispute_assess_risk(actor=c.lena, dispute=d, level="medium")
    client = c.world.client_for(c.lena)
    response = client.post(
        f"/governance/disputes/{d.pk}/act/accept/", {"version": seen, "mediator_ids": [c.mia.pk]}
    )
    assert response.status_code == 422
    assert "本次未保存" in response.content.decode()
    assert fresh(d).status == DisputeStatus.REGISTERED


def conclude(c: Any, outcome: str) -> Dispute:
    """A dispute mediated by Mia through the services to an agreement or a failure."""
    d = report(c)
    disputes.dispute_accept(actor=c.lena, dispute=d, mediators=[c.mia])
    held = timezone.now().replace(microsecond=0)
    mediation.dispute_record_session(actor=c.mia, dispute=d, held_at=held, place="调解室", minutes="调解")
    if outcome == "failed":
        return mediation.dispute_fail(actor=c.mia, dispute=d, reason="分歧大", route="litigation")
    due = timezone.localdate() + dt.timedelta(days=5)
    return mediation.dispute_agree(
        actor=c.mia,
        dispute=d,
        outcome=outcome,
        terms="赔偿",
        performance_manner="现金",
        performance_due_on=due,
    )


def test_the_figures_count_agreements_over_concluded_and_open_their_records(c):
    for outcome in ("written", "oral", "failed"):
        conclude(c, outcome)
    client = c.world.client_for(c.lena)
    html = client.get("/governance/disputes/figures/?period=all").content.decode()
    assert "66.67%" in html
    rows = client.get("/governance/disputes/figures/rows/?period=all&what=agreements").content.decode()
    assert rows.count('data-testid="figure-row"') == 2


def test_the_phone_report_is_registered_once_per_idempotency_key(c):
    client = c.world.client_for(c.world.alice)
    assert client.get("/governance/m/disputes/new/").status_code == 200
    data = registration(c)
    first = client.post("/governance/m/disputes/new/", data, headers={"Idempotency-Key": "k-1"})
    again = client.post("/governance/m/disputes/new/", data, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["created"] is True and again.json()["created"] is False
    assert first.json()["id"] == again.json()["id"]
    assert Dispute.objects.count() == 1
    assert DisputeHistory.objects.get(action="register").data["idempotency_key"] == "k-1"
    bad = client.post(
        "/governance/m/disputes/new/", registration(c, p1_name=""), headers={"Idempotency-Key": "k-2"}
    )
    assert bad.status_code == 422 and Dispute.objects.count() == 1


def test_an_open_event_offers_to_become_a_dispute(c):
    from grassroots.workflow.links import link_offers

    from ..registry import new_dispute_url

    class Event:
        pk = 7
        status = "reported"
        platform = "governance"

    assert ("转为矛盾纠纷", new_dispute_url(Event())) in link_offers(
        viewer=c.world.alice, workflow="event", record=Event()
    )

    class MarketEvent(Event):
        platform = "market"

    assert not link_offers(viewer=c.world.alice, workflow="event", record=MarketEvent())
