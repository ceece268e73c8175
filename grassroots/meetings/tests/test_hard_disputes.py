"""A 矛盾联调 meeting offers the township's hard disputes for its agenda (high risk, failed, past the month), each
with its reasons, to whoever may add agenda items; one click puts it on the agenda (and off the offer); other kinds
of meetings offer none."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ..choices import Forum, MeetingKind
from ..hard_disputes import hard_disputes
from ..services.meetings import meeting_create
from .dispute_support import hard_set

pytestmark = pytest.mark.django_db


def arrange(world, kind=MeetingKind.MEDIATION):
    return meeting_create(
        actor=world.oscar,
        kind=kind,
        forum=Forum.GOVERNANCE if kind == MeetingKind.MEDIATION else Forum.COMMAND,
        township=world.township,
        title="第49周矛盾联调会",
        starts_at=timezone.now(),
        invite_group=False,
        attendees=[world.dora],
    )


def test_the_hard_disputes_are_offered_with_their_reasons_and_go_on_the_agenda(world):
    hs = hard_set(world)
    meeting = arrange(world)
    offered = {h.dispute.pk: h.reasons for h in hard_disputes(meeting, world.oscar)}
    assert offered == {hs.high.pk: ["高风险"], hs.failed.pk: ["调解终止"], hs.late.pk: ["已超期"]}

    oscar = world.client_for(world.oscar)
    page = oscar.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert page.count('data-testid="hard-dispute"') == 3 and "邻里噪音纠纷" not in page
    added = oscar.post(
        reverse("meetings:act", args=[meeting.pk, "add_agenda"]),
        {
            "version": meeting.version,
            "topic": hs.high.title,
            "note": "高风险",
            "workflow": "dispute",
            "record_id": hs.high.pk,
        },
    )
    assert added.status_code == 302
    item = meeting.agenda.get()
    assert (item.ref_workflow, item.ref_id, item.title) == ("dispute", hs.high.pk, "两户因宅基地界线持械对峙")
    assert hs.high.pk not in {h.dispute.pk for h in hard_disputes(meeting, world.oscar)}
    # Dora (an agency's staff, asked to the meeting) may not add agenda items: nothing is offered to her.
    dora = world.client_for(world.dora).get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert 'data-testid="hard-disputes"' not in dora


def test_other_kinds_of_meetings_offer_none(world):
    hard_set(world)
    assert hard_disputes(arrange(world, MeetingKind.REGULAR), world.oscar) == []
