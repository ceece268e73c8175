"""A weekly 矛盾联调 meeting in Chromium lists the township's hard disputes (high risk, failed, past the month) and
puts two on its agenda with one click each, records a decision as a task for the agency's staff; time passes on
the timer and the overdue task shows red in the owner's inbox and is counted in the assessment, whose figure opens
it. And a notice published from the form, read by a recipient, with the receipts on the sender's page."""

import datetime as dt

import pytest
from django.utils import timezone

from grassroots.meetings.models import Meeting, MeetingTask, Notice, NoticeReceipt
from grassroots.meetings.tests.dispute_support import hard_set
from grassroots.workflow.timers import clocks_scan

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_a_mediation_meeting_takes_the_hard_disputes_and_its_overdue_task_counts(world, open_as, monkeypatch):
    hs = hard_set(world)
    desk = open_as(world.oscar)
    desk.goto("/meetings/new/")
    form = desk.locator("[data-testid=meeting-form]")
    form.locator("select[name=kind]").select_option("mediation")
    form.locator("select[name=forum]").select_option("governance")
    form.locator("input[name=title]").fill("本周矛盾联调会")
    form.locator("input[name=starts_at]").fill(f"{timezone.localdate():%Y-%m-%d}T08:00")
    form.locator("input[name=invite_group]").uncheck()
    form.locator("select[name=attendees]").select_option([str(world.dora.pk)])
    form.locator("button[type=submit]").click()
    offered = desk.locator("[data-testid=hard-dispute]")
    assert offered.count() == 3
    text = desk.inner_text("[data-testid=hard-disputes]")
    for title, reason in (
        ("两户因宅基地界线持械对峙", "高风险"),
        ("承包地流转费用纠纷", "调解终止"),
        ("工地欠薪纠纷", "已超期"),
    ):
        assert title in text and reason in text
    assert "邻里噪音纠纷" not in text

    desk.locator(f"[data-testid=hard-dispute][data-id='{hs.high.pk}'] button").click()
    desk.locator(f"[data-testid=hard-dispute][data-id='{hs.late.pk}'] button").click()
    agenda = desk.inner_text("[data-testid=agenda]")
    assert "两户因宅基地界线持械对峙" in agenda and "工地欠薪纠纷" in agenda
    assert desk.locator("[data-testid=hard-dispute]").count() == 1  # only the failed one is still offered
    meeting = Meeting.objects.get()
    assert set(meeting.agenda.values_list("ref_workflow", "ref_id")) == {
        ("dispute", hs.high.pk),
        ("dispute", hs.late.pk),
    }

    rows = {a.person.username: a.pk for a in meeting.attendances.select_related("person")}
    hold = desk.locator("[data-testid=step-hold]")
    hold.locator(f"input[name=presence_{rows['dora']}][value=present]").check()
    hold.locator("button[type=submit]").click()
    decide = desk.locator("[data-testid=step-decide]")
    decide.locator("textarea[name=text]").fill("市场监管所一个工作日内约谈欠薪企业并报告结果")
    decide.locator("select[name=owner_person]").select_option(str(world.dora.pk))
    decide.locator("input[name=limit_days]").fill("1")
    decide.locator("button[type=submit]").click()
    assert desk.locator("[data-testid=decision]").get_attribute("data-light") == "green"
    task = MeetingTask.objects.get()
    assert task.owner_unit_id == world.agency.pk and task.due_at is not None

    # Time passes: a day after the deadline, for the timer and for the pages.
    later = task.due_at + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert clocks_scan(now=later).overdue == 2  # the task, and the dispute whose month ran out
    task.refresh_from_db()
    assert task.late
    inbox = open_as(world.dora)
    inbox.goto("/command/inbox/")
    item = inbox.locator("[data-testid=work-item]").filter(has_text="约谈欠薪企业")
    assert item.get_attribute("data-light") == "red" and "已超期" in item.inner_text()

    period = f"{timezone.localtime(task.due_at):%Y-%m}"
    leader = open_as(hs.c.lena)
    leader.goto(f"/assessment/?period={period}&area={world.township.code}&subject=unit")
    link = f"/assessment/count/overdue_meeting_task/?period={period}&area={world.township.code}"
    leader.goto(f"{link}&subject=unit&key={world.agency.pk}")
    body = leader.inner_text("table.figures")
    assert "约谈欠薪企业" in body and "本周矛盾联调会" in body
    leader.locator("table.figures a").first.click()
    assert "市场监管所一个工作日内" in leader.inner_text("[data-testid=task-text]")
    assert leader.locator("[data-testid=light]").get_attribute("data-light") == "red"


def test_a_notice_from_the_form_is_read_and_the_sender_sees_who_read_it(world, open_as):
    hs = hard_set(world)  # the township's police station (Pete) among its units
    desk = open_as(world.oscar)
    desk.goto("/meetings/notices/new/")
    form = desk.locator("[data-testid=notice-form]")
    form.locator("select[name=forum]").select_option("command")
    form.locator("input[name=title]").fill("关于开展岁末矛盾纠纷大排查的通知")
    form.locator("textarea[name=body]").fill("请各单位、各村社于本月20日前完成排查并上报。")
    form.locator("select[name=units]").select_option([str(hs.c.police.pk)])
    form.locator("select[name=villages]").select_option([str(world.village_b.pk)])
    form.locator("input[name=remind_after_hours]").fill("4")
    form.locator("button[type=submit]").click()
    assert desk.locator("[data-testid=receipt]").count() == 3
    notice = Notice.objects.get()
    assert (notice.title, notice.remind_after_hours) == ("关于开展岁末矛盾纠纷大排查的通知", 4)
    assert set(notice.receipts.values_list("person__username", flat=True)) == {
        "pete",
        "carol",
        "nina",
    }  # Nina: the village's mediation committee

    reader = open_as(world.carol)
    reader.goto("/meetings/notices/")
    reader.locator("[data-testid=received] a", has_text="岁末矛盾纠纷大排查").click()
    assert "本月20日前完成排查" in reader.inner_text("[data-testid=notice-body]")
    assert NoticeReceipt.objects.get(notice=notice, person=world.carol).read_at is not None
    assert NoticeReceipt.objects.get(notice=notice, person=hs.c.pete).read_at is None

    desk.reload()
    receipts = desk.inner_text("[data-testid=receipts]")
    assert receipts.count("未读") == 2 and "周国平" in receipts and "张晓红" in receipts
