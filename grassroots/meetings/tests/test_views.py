"""The pages: the list with the week's calendar and its filters, arranging a meeting, the meeting page's forms
(a stale form answers 422 and changes nothing), the decisions' page, and the groups made from the platforms."""

import pytest
from django.urls import reverse

from grassroots.org.choices import PlatformKind
from grassroots.org.models import Platform

from ..models import CoordinatingGroup, Meeting
from ..services import meetings, tasks
from .support import build_township, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(world):
    return build_township(world)


def test_the_week_shows_the_meetings_of_its_days_and_the_filters_apply(town):
    make_meeting(town, title="第40周矛盾联调会")
    client = town.world.client_for(town.world.oscar)
    page = client.get(reverse("meetings:list"), {"week": "2026-09-30"}).content.decode()
    assert "2026-09-28 起的一周" in page and "第40周矛盾联调会" in page
    other = client.get(reverse("meetings:list"), {"week": "2026-09-30", "kind": "joint"}).content.decode()
    assert "第40周矛盾联调会" not in other


def test_arranging_a_meeting_by_the_form(town):
    client = town.world.client_for(town.world.oscar)
    form = {
        "kind": "consultation",
        "forum": "enforcement",
        "title": "综合执法每周会商",
        "starts_at": "2026-10-12T09:00",
        "place": "执法中队",
    }
    response = client.post(reverse("meetings:new"), form)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "meetings:meeting", args=[meeting.pk]
    )
    assert (meeting.kind, meeting.forum, meeting.convenor) == (
        "consultation",
        "enforcement",
        town.world.oscar,
    )
    assert client.post(reverse("meetings:new"), {**form, "title": ""}).status_code == 422


def test_the_meeting_page_takes_steps_and_a_stale_form_changes_nothing(town):
    meeting = make_meeting(town)
    client = town.world.client_for(town.world.oscar)
    url = reverse("meetings:act", args=[meeting.pk, "add_agenda"])
    assert client.post(url, {"version": meeting.version, "topic": "第一项"}).status_code == 302
    stale = client.post(url, {"version": meeting.version, "topic": "第二项"})
    assert stale.status_code == 422 and "已被他人处理" in stale.content.decode()
    assert list(meeting.agenda.values_list("title", flat=True)) == ["第一项"]
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert 'data-testid="step-hold"' in page and "第一项" in page
    # Dora is asked but organises nothing: she sees the meeting and no form.
    seen = (
        town.world.client_for(town.world.dora)
        .get(reverse("meetings:meeting", args=[meeting.pk]))
        .content.decode()
    )
    assert "第一项" in seen and 'data-testid="step-' not in seen


def test_my_tasks_lists_the_owned_decisions_and_the_owner_completes_one(town):
    meeting = make_meeting(town)
    meetings.meeting_hold(actor=town.world.oscar, meeting=meeting, attendance=[])
    task = tasks.meeting_decide(
        actor=town.world.oscar, meeting=meeting, text="走访当事人", limit_days=5, owner_unit=town.police
    )
    pete = town.world.client_for(town.pete)
    assert "走访当事人" in pete.get(reverse("meetings:tasks")).content.decode()
    assert (
        "走访当事人"
        not in town.world.client_for(town.world.dora).get(reverse("meetings:tasks")).content.decode()
    )
    url = reverse("meetings:task_act", args=[task.pk, "complete"])
    assert pete.post(url, {"version": task.version, "done_note": "已走访"}).status_code == 302
    task.refresh_from_db()
    assert task.status == "done" and task.done_by == town.pete


def test_groups_are_made_from_the_platforms_once(town):
    world = town.world
    platform = Platform.objects.create(
        township=world.township, kind=PlatformKind.MARKET, lead_unit=world.agency, office=world.agency
    )
    platform.members.add(world.agency)
    client = world.client_for(town.lena)
    client.post(reverse("meetings:groups"))
    # The governance group existed; the market platform's and the command room's are made.
    assert set(CoordinatingGroup.objects.values_list("forum", flat=True)) == {
        "governance",
        "market",
        "command",
    }
    market = CoordinatingGroup.objects.get(forum="market")
    assert market.leader == town.lena and [m.unit for m in market.members.all()] == [world.agency]
    client.post(reverse("meetings:groups"))
    assert CoordinatingGroup.objects.count() == 3
    assert "市场监管平台协调组" in client.get(reverse("meetings:groups")).content.decode()
