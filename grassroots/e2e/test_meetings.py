"""A weekly 矛盾联调 meeting in Chromium: the command room arranges it (the governance group is asked), takes the
agenda with a neighbours' dispute event on it, takes attendance, records a decision for the agency's head with a
limit of three working days, writes the minutes and exports them as a Word file (opened and read back); then time
passes on the timer and the overdue decision shows red in the owner's inbox, linking to its page."""

import datetime as dt
import io

import pytest
from docx import Document

from grassroots.meetings.models import Meeting, MeetingTask
from grassroots.meetings.tests.support import build_township, report_event
from grassroots.workflow.timers import clocks_scan

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_a_weekly_mediation_meeting_to_an_overdue_decision_red_in_the_inbox(
    world, open_as, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    build_township(world)  # the governance group: Lena leads, Pete and Dora sit for their units
    event = report_event(world, "红菱村两户邻居因排水沟堵塞争吵")

    desk = open_as(world.oscar)
    desk.goto("/meetings/new/")
    form = desk.locator("[data-testid=meeting-form]")
    form.locator("select[name=kind]").select_option("mediation")
    form.locator("select[name=forum]").select_option("governance")
    form.locator("input[name=title]").fill("第49周矛盾联调会")
    form.locator("input[name=starts_at]").fill("2026-12-07T09:00")
    form.locator("input[name=place]").fill("镇综治中心会议室")
    form.locator("button[type=submit]").click()
    assert "已安排" in desk.inner_text("[data-testid=status]")
    meeting = Meeting.objects.get()
    assert meeting.attendances.count() == 3  # the group's leader and its two member units' heads

    agenda = desk.locator("[data-testid=step-add_agenda]")
    agenda.locator("input[name=topic]").fill("排水沟纠纷联调")
    agenda.locator("select[name=workflow]").select_option("event")
    agenda.locator("input[name=record_id]").fill(str(event.pk))
    agenda.locator("button[type=submit]").click()
    assert f"{event.number}" in desk.inner_text("[data-testid=agenda]")

    rows = {a.person.username: a.pk for a in meeting.attendances.select_related("person")}
    hold = desk.locator("[data-testid=step-hold]")
    hold.locator(f"input[name=presence_{rows['lena']}][value=present]").check()
    hold.locator(f"input[name=presence_{rows['dora']}][value=present]").check()
    hold.locator(f"input[name=presence_{rows['pete']}][value=leave]").check()
    hold.locator("button[type=submit]").click()
    assert "已召开" in desk.inner_text("[data-testid=status]")
    attendance = desk.inner_text("[data-testid=attendance]")
    assert "出席" in attendance and "请假" in attendance

    decide = desk.locator("[data-testid=step-decide]")
    decide.locator("textarea[name=text]").fill("市场监管所三个工作日内牵头疏通排水沟并回访双方")
    decide.locator("select[name=owner_person]").select_option(str(world.dora.pk))
    decide.locator("input[name=limit_days]").fill("3")
    decide.locator("button[type=submit]").click()
    row = desk.locator("[data-testid=decision]")
    assert "市场监管所三个工作日内" in row.inner_text() and row.get_attribute("data-light") == "green"

    minutes = desk.locator("[data-testid=step-record_minutes]")
    minutes.locator("textarea[name=minutes]").fill(
        "会议听取了红菱村排水沟纠纷情况，明确由市场监管所牵头处置。"
    )
    minutes.locator("button[type=submit]").click()
    desk.locator("[data-testid=step-export_minutes] button[type=submit]").click()
    desk.click("[data-testid=document-link]")
    desk.fill("[data-testid=export-reason]", "报送镇党委")
    with desk.expect_download() as info:
        desk.click("[data-testid=export-reason-submit]")
    path = tmp_path / "minutes.docx"
    info.value.save_as(path)
    word = Document(io.BytesIO(path.read_bytes()))
    assert "事由：报送镇党委" in "\n".join(p.text for p in word.sections[0].header.paragraphs)
    text = "\n".join(p.text for p in word.paragraphs)
    assert "西塘镇综治工作矛盾联调纪要" in text and "排水沟纠纷联调" in text and f"{event.number}" in text
    assert "明确由市场监管所牵头处置" in text and "市场监管所三个工作日内牵头疏通排水沟并回访双方" in text
    cells = {r.cells[0].text: r.cells[1].text for r in word.tables[0].rows}
    assert "赵敏" in cells["出席"] and "周国平" in cells["请假"]

    # Time passes: the timer worker reaches the decision's deadline.
    task = MeetingTask.objects.get()
    assert task.due_at is not None
    assert clocks_scan(now=task.due_at + dt.timedelta(minutes=1)).overdue == 1

    inbox = open_as(world.dora)
    inbox.goto("/command/inbox/")
    item = inbox.locator("[data-testid=work-item]")
    assert item.get_attribute("data-light") == "red"
    assert "已超期" in item.inner_text() and "督办事项" in item.inner_text()
    assert "已超期" in inbox.inner_text("#inbox-body")  # the overdue notice beside it
    item.locator("a").click()
    assert inbox.locator("[data-testid=light]").get_attribute("data-light") == "red"
    assert "市场监管所三个工作日内" in inbox.inner_text("[data-testid=task-text]")
