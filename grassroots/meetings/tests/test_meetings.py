"""A meeting's sitting: the group asked, attendance taken, an agenda item linked through the links registry (and
refused for an unknown workflow or a record out of sight), the minutes signed off and exported as a Word file whose
text is read back."""

import hashlib
import io

import pytest
from docx import Document

from grassroots.core.errors import Conflict, InvalidInput, NotFound
from grassroots.workflow.links import links_of

from ..choices import Presence
from ..services import documents, meetings, tasks
from .support import at, build_township, make_meeting, report_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(world):
    return build_township(world)


def test_the_group_is_asked_and_its_leader_convenes(town):
    meeting = make_meeting(town)
    asked = {(a.person.username if a.person else None) for a in meeting.attendances.select_related("person")}
    assert asked == {"lena", "pete", "dora"}
    assert meeting.convenor == town.lena and meeting.group == town.group
    assert meeting.number == f"HY20260928-{meeting.pk:05d}"


def test_holding_takes_attendance_and_the_unmarked_are_absent(town):
    meeting = make_meeting(town)
    rows = {a.person.username: a.pk for a in meeting.attendances.select_related("person")}
    meetings.meeting_hold(
        actor=town.world.oscar,
        meeting=meeting,
        attendance=[{"id": rows["lena"], "presence": "present"}, {"id": rows["pete"], "presence": "leave"}],
    )
    got = {a.person.username: a.presence for a in meeting.attendances.select_related("person")}
    assert got == {"lena": Presence.PRESENT, "pete": Presence.LEAVE, "dora": Presence.ABSENT}
    assert meeting.status == "held" and meeting.held_at is not None


def test_an_agenda_item_links_an_event_both_ways(town):
    world = town.world
    event = report_event(world)
    meeting = make_meeting(town)
    item = meetings.meeting_add_agenda(
        actor=world.oscar, meeting=meeting, title="宅基地纠纷联调", workflow="event", record_id=event.pk
    )
    assert (item.ref_workflow, item.ref_id, item.position) == ("event", event.pk, 1)
    [seen] = links_of(viewer=world.oscar, workflow="event", object_id=event.pk)
    assert (seen.workflow, seen.object_id) == ("meeting", meeting.pk)
    # A second item on the same event adds no second link.
    meetings.meeting_add_agenda(
        actor=world.oscar, meeting=meeting, title="复议", workflow="event", record_id=event.pk
    )
    assert len(links_of(viewer=world.oscar, workflow="meeting", object_id=meeting.pk)) == 1


def test_an_agenda_item_names_only_registered_workflows_and_visible_records(town):
    world = town.world
    meeting = make_meeting(town)
    with pytest.raises(InvalidInput) as exc:
        meetings.meeting_add_agenda(
            actor=world.oscar, meeting=meeting, title="x", workflow="nothing", record_id=1
        )
    assert exc.value.code == "link_workflow_unknown"
    with pytest.raises(NotFound) as nf:
        meetings.meeting_add_agenda(
            actor=world.oscar, meeting=meeting, title="x", workflow="event", record_id=999
        )
    assert nf.value.code == "link_record_not_found"
    with pytest.raises(InvalidInput) as exc:
        meetings.meeting_add_agenda(actor=world.oscar, meeting=meeting, title="x", workflow="event")
    assert exc.value.code == "agenda_ref_incomplete"
    assert meeting.agenda.count() == 0


def test_minutes_cannot_be_approved_before_they_are_written(town):
    meeting = make_meeting(town)
    meetings.meeting_hold(actor=town.world.oscar, meeting=meeting, attendance=[])
    with pytest.raises(InvalidInput) as exc:
        meetings.meeting_approve_minutes(actor=town.lena, meeting=meeting)
    assert exc.value.code == "minutes_required"


def test_a_stale_copy_loses_with_409(town):
    meeting = make_meeting(town)
    from ..models import Meeting

    copy = Meeting.objects.get(pk=meeting.pk)
    meetings.meeting_add_agenda(actor=town.world.oscar, meeting=meeting, title="第一项")
    with pytest.raises(Conflict) as exc:
        meetings.meeting_add_agenda(actor=town.world.oscar, meeting=copy, title="第二项")
    assert exc.value.code == "stale_meeting" and meeting.agenda.count() == 1


def test_the_minutes_docx_names_the_people_the_agenda_and_the_decisions(town, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = town.world
    event = report_event(world)
    meeting = make_meeting(town)
    rows = {a.person.username: a.pk for a in meeting.attendances.select_related("person")}
    meetings.meeting_add_agenda(
        actor=world.oscar, meeting=meeting, title="宅基地纠纷联调", workflow="event", record_id=event.pk
    )
    meetings.meeting_hold(
        actor=world.oscar, meeting=meeting, attendance=[{"id": rows["lena"], "presence": "present"}]
    )
    meetings.meeting_record_minutes(
        actor=world.oscar, meeting=meeting, minutes="会议听取了红菱村纠纷情况。\n明确由司法所牵头调解。"
    )
    tasks.meeting_decide(
        actor=world.oscar,
        meeting=meeting,
        text="十个工作日内组织双方调解",
        limit_days=10,
        owner_unit=town.police,
        now=at(9, 28, 10),
    )
    meetings.meeting_approve_minutes(actor=town.lena, meeting=meeting)
    doc = documents.meeting_export_minutes(actor=world.oscar, meeting=meeting)
    data = doc.file.read()
    assert hashlib.sha256(data).hexdigest() == doc.sha256 and doc.size == len(data)
    word = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in word.paragraphs)
    cells = {row.cells[0].text: row.cells[1].text for row in word.tables[0].rows}
    assert text.startswith("西塘镇综治工作矛盾联调纪要")
    assert cells["出席"] == "沈丽娜（西塘镇综合信息指挥室）" and "周国平" in cells["缺席"]
    assert f"1. 宅基地纠纷联调（事件 {event.number}" in text
    assert "明确由司法所牵头调解。" in text
    # 10 working days from 09-29: 09-29, 09-30, 10-08, 10-09, 10-10 (调休), 10-12 … 10-16 → the close of 10-16.
    assert "十个工作日内组织双方调解  责任：西塘派出所  时限：10 个工作日（2026年10月16日 17:30前）" in text
    assert "纪要审定：沈丽娜" in text
    assert meeting.history.filter(action="export_minutes", data__sha256=doc.sha256).exists()


def test_the_minutes_download_asks_a_reason_and_is_a_watermarked_audited_copy(town, settings, tmp_path):
    from django.urls import reverse

    from grassroots.audit.models import AuditEntry

    settings.MEDIA_ROOT = tmp_path
    world = town.world
    meeting = make_meeting(town)
    meetings.meeting_hold(actor=world.oscar, meeting=meeting, attendance=[])
    meetings.meeting_record_minutes(actor=world.oscar, meeting=meeting, minutes="明确由司法所牵头调解。")
    meetings.meeting_approve_minutes(actor=town.lena, meeting=meeting)
    doc = documents.meeting_export_minutes(actor=world.oscar, meeting=meeting)
    url = reverse("meetings:document", args=[meeting.pk, doc.pk])
    client = world.client_for(world.oscar)

    asked = client.get(url)
    assert asked.status_code == 200 and "导出事由" in asked.content.decode()
    assert client.get(url, {"reason": ""}).status_code == 400
    assert not AuditEntry.objects.filter(action="minutesdocument.download").exists()

    answer = client.get(url, {"reason": "报送镇党委"})
    word = Document(io.BytesIO(b"".join(answer.streaming_content)))
    header = "\n".join(p.text for p in word.sections[0].header.paragraphs)
    assert f"导出人：{world.oscar.name}（{world.oscar.username}）" in header and "事由：报送镇党委" in header
    assert "明确由司法所牵头调解。" in "\n".join(p.text for p in word.paragraphs)
    entry = AuditEntry.objects.get(action="minutesdocument.download", object_id=str(doc.pk))
    assert entry.detail["reason"] == "报送镇党委" and entry.actor_id == world.oscar.pk
    doc.refresh_from_db()
    assert hashlib.sha256(doc.file.read()).hexdigest() == doc.sha256  # the stored original is untouched
