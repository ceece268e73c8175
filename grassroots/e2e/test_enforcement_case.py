"""An enforcement case in Chromium, from an event of the 综合执法 platform to 结案, every step taken on the case page's
form by the person the table names: the township leader (负责人) files it from the event (立案查处) and approves 立案,
the officer records a photo and proposes a fine in the discretion range, the legal officer reviews, the party asks
for a hearing (the case's clock shown paused), the chair holds it, the case is reviewed again and discussed (a major
case), the head decides and the decision is downloaded as .docx and read with python-docx; then service, payment and
closing. The hearing's notice date is set in the past, as an officer records a notice already sent."""

import datetime as dt

import pytest
from django.utils import timezone
from docx import Document

from grassroots.demo.photos import sample_jpeg
from grassroots.enforcement.models import EnforcementCase, Evidence
from grassroots.enforcement.tests.support import ALL_CONDITIONS, PARTY_ID, PLACE, build_team
from grassroots.events.models import EventType
from grassroots.events.services import event_report
from grassroots.workflow.models import Clock

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

JPEG = sample_jpeg()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def fresh(case: EnforcementCase) -> EnforcementCase:
    return EnforcementCase.objects.get(pk=case.pk)


def step(page, case: EnforcementCase, action: str, fields: dict[str, str] | None = None) -> None:
    """Open the case page, fill the step's form, submit it and wait for the page to say it was done."""
    page.goto(f"/enforcement/cases/{case.pk}/")
    form = page.locator(f"[data-testid=step-{action}]")
    for name, value in (fields or {}).items():
        box = form.locator(f"[name={name}]").first
        if box.evaluate("e => e.tagName") == "SELECT":
            box.select_option(value)
        else:
            box.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".messages >> text=已")
    assert not page.locator("[data-testid=step-error]").count(), page.inner_text("#action-panel")


def test_an_event_becomes_a_case_decided_after_a_hearing_and_closed(world, open_as, tmp_path):
    team = build_team(world)
    olga, lena, rita, hank = team.olga, team.lena, team.rita, team.hank
    event = event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="ZF0401"),
        source="patrol",
        title="南苑路水果摊占道经营",
        description="占用人行道约 6 平方米，经劝阻仍不改正",
        lon=PLACE[0],
        lat=PLACE[1],
        address="西塘镇南苑路 1 号门前",
    ).event

    # 立案查处 from the event: the lead page prefilled from it
    head = open_as(lena)
    head.goto(f"/command/events/{event.pk}/")
    head.click("a[data-offer]:has-text('立案查处')")
    head.wait_for_url(f"**/enforcement/cases/new/?event={event.pk}")
    lead = head.locator("[data-testid=lead-form]")
    assert lead.locator("[name=facts]").input_value().startswith("南苑路水果摊占道经营")
    lead.locator("[name=power]").fill(team.power.code)
    lead.locator("[name=party_name]").fill("沈国强")
    lead.locator("[name=party_id_number]").fill(PARTY_ID)
    lead.locator("[name=occurred_on]").fill(timezone.localdate().isoformat())
    for officer in (olga, team.owen):
        lead.locator(f"[name=officers][value='{officer.pk}']").check()
    lead.locator("[name=major]").check()
    lead.locator("[data-testid=lead-submit]").click()
    head.wait_for_selector("[data-testid=case-header]")
    case = EnforcementCase.objects.get(event=event)
    assert (case.status, case.major, case.place) == ("lead", True, "西塘镇南苑路 1 号门前")

    officer = open_as(olga)
    step(officer, case, "request_filing", {"note": "现场核查属实"})
    assert fresh(case).status == "filing"
    head.goto(f"/enforcement/cases/{case.pk}/")
    for condition in ALL_CONDITIONS:
        head.locator(f"[data-testid=step-approve_filing] [value={condition}]").check()
    head.click("[data-testid=step-approve_filing] button[type=submit]")
    head.wait_for_selector(".messages >> text=已批准立案")
    case = fresh(case)
    assert case.status == "investigating" and case.number
    assert head.inner_text("[data-testid=case-number]") == case.number

    # 调查取证: a photo, hashed; the proposal inside the 一般 range (1,000–5,000 元)
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(JPEG)
    officer.goto(f"/enforcement/cases/{case.pk}/")
    evidence = officer.locator("[data-testid=step-add_evidence]")
    evidence.locator("[name=kind]").select_option("photo")
    evidence.locator("[name=description]").fill("当事人在人行道摆摊经营")
    evidence.locator("input[type=file]").set_input_files(str(photo))
    evidence.locator("button[type=submit]").click()
    officer.wait_for_selector(".messages >> text=已登记证据")
    stored = Evidence.objects.get(case=case)
    assert officer.inner_text("[data-testid=evidence-hash]") == stored.sha256
    step(officer, case, "propose", {"penalty_kind": "fine", "level": "general", "amount": "3000"})
    assert fresh(case).proposed_amount == 3000

    reviewer = open_as(rita)
    step(officer, case, "submit_review")
    step(reviewer, case, "review_pass", {"opinion": "事实清楚，证据确凿，适用依据正确"})
    step(officer, case, "notify", {"note": "告知书当场交付当事人"})
    assert fresh(case).status == "notified"

    # 听证: the case's 90 日 stop while it is pending
    step(officer, case, "request_hearing", {"note": "当事人当日书面申请听证"})
    assert fresh(case).status == "hearing"
    assert Clock.objects.get(workflow="case", object_id=case.pk, name="case").state == "paused"
    assert "计时暂停" in officer.inner_text("[data-testid=clock-case]")
    today = timezone.localdate()
    schedule = {
        "notice_on": (today - dt.timedelta(days=30)).isoformat(),
        "hearing_on": today.isoformat(),
        "place": "西塘镇综合行政执法队会议室",
        "chair_id": str(hank.pk),
    }
    step(officer, case, "schedule_hearing", schedule)
    chair = open_as(hank)
    step(chair, case, "hold_hearing", {"record": "当事人陈述系初次违法，已自行撤除摊位"})
    assert fresh(case).status == "heard"
    assert Clock.objects.get(workflow="case", object_id=case.pk, name="case").state == "running"

    step(officer, case, "submit_review")
    step(reviewer, case, "review_pass", {"opinion": "听证后复核，同意"})
    step(head, case, "discuss", {"discussion": "陆丽娜、任法参加；同意罚款 3000 元"})
    step(head, case, "decide")  # the proposal's kind, level and amount are filled in
    case = fresh(case)
    assert case.status == "decided" and case.decided_amount == 3000 and case.decision_number

    head.goto(f"/enforcement/cases/{case.pk}/")
    head.click("[data-testid=document-download-decision]")
    head.fill("[data-testid=export-reason]", "送达当事人")
    with head.expect_download() as download:
        head.click("[data-testid=export-reason-submit]")
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".docx")
    doc = Document(path)
    text = "\n".join(
        [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    )
    assert "沈国强" in text and team.power.penalty_basis in text and str(case.decision_number) in text

    step(officer, case, "serve", {"method": "direct", "recipient": "沈国强"})
    assert fresh(case).status == "served"
    step(officer, case, "execute", {"manner": "paid"})  # the fine and today are filled in
    assert fresh(case).status == "executed" and fresh(case).paid_amount == 3000
    step(officer, case, "close", {"report": "罚款已缴纳，违法行为已改正，结案"})
    assert fresh(case).status == "closed"
    assert "已结案" in officer.inner_text("[data-testid=status]")
