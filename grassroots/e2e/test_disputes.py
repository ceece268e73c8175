"""A neighbours' dispute in Chromium, from the grid worker's phone to 结案, every form submitted by the person the
table names and the record checked after each: Alice reports it from her phone (the outbox's idempotency key on
the registration's history row); the township leader accepts it naming Mia; Mia records two sessions and a written
agreement, generates the 调解协议书 and downloads it (.docx read back with python-docx), applies for 司法确认
within its 30 日, records a follow-up visit that found it performed, and closes it."""

import datetime as dt

import pytest
from django.utils import timezone
from docx import Document

from grassroots.governance.models import Dispute, DisputeHistory
from grassroots.governance.tests.support import build_committee

from .phone_support import GEO

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def fresh(d: Dispute) -> Dispute:
    return Dispute.objects.get(pk=d.pk)


def step(
    page, d: Dispute, action: str, fields: dict[str, str] | None = None, checks: tuple[str, ...] = ()
) -> None:
    """Open the dispute page, fill the step's form, submit it and wait for the page to say it was done."""
    page.goto(f"/governance/disputes/{d.pk}/")
    form = page.locator(f"[data-testid=step-{action}]")
    for name, value in (fields or {}).items():
        box = form.locator(f"[name={name}]").first
        if box.evaluate("e => e.tagName") == "SELECT":
            box.select_option(value)
        else:
            box.fill(value)
    for selector in checks:
        form.locator(selector).check()
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".messages >> text=已")
    assert not page.locator("[data-testid=step-error]").count(), page.inner_text("#action-panel")


def test_a_neighbours_dispute_from_the_phone_to_closing(world, open_as, tmp_path):
    c = build_committee(world)

    # The grid worker's phone: the report goes through the outbox with its idempotency key.
    phone = open_as(world.alice, phone=True, **GEO)
    phone.goto("/governance/m/disputes/new/")
    form = phone.locator("#dispute-form")
    form.locator("[name=committee]").select_option(str(c.committee.pk))
    form.locator("[name=title]").fill("两户邻居因排水沟堵塞争吵")
    form.locator("[name=facts]").fill("张家认为李家堆放杂物堵塞排水沟，雨天积水倒灌。")
    form.locator("[name=p1_name]").fill("张三丰")
    form.locator("[name=p1_phone]").fill("13912345678")
    form.locator("[name=p2_name]").fill("李四")
    form.locator("#dispute-submit").click()
    phone.wait_for_selector("#dispute-done:not([hidden])")
    assert phone.inner_text("#dispute-done-title") == "已上报"
    d = Dispute.objects.get()
    assert (d.kind, d.source, d.grid_id, d.status) == ("neighbours", "patrol", world.grid_a.pk, "registered")
    assert DisputeHistory.objects.get(dispute=d, action="register").data["idempotency_key"]

    # The township leader accepts it and names Mia.
    leader = open_as(c.lena)
    step(leader, d, "accept", checks=(f"[name=mediator_ids][value='{c.mia.pk}']",))
    assert fresh(d).status == "accepted" and list(fresh(d).mediators.all()) == [c.mia]

    mia = open_as(c.mia)
    mia.goto(f"/governance/disputes/{d.pk}/")
    assert mia.inner_text("[data-testid=parties]").count("张三丰") == 1  # whole for the mediator
    for n, minutes in enumerate(("听取双方陈述，约定现场查看。", "现场查看后双方同意清理排水沟。"), start=1):
        step(
            mia,
            d,
            "record_session",
            {"place": "红菱村调解室", "minutes": minutes, "attendees": "张三丰、李四"},
        )
        assert fresh(d).sessions.count() == n
    assert fresh(d).status == "mediating"

    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    step(
        mia,
        d,
        "agree",
        {
            "outcome": "written",
            "terms": "李四三日内清理杂物，疏通排水沟。",
            "performance_manner": "自行清理",
            "performance_due_on": due,
        },
    )
    assert (fresh(d).status, fresh(d).outcome) == ("agreed", "written")

    step(mia, d, "generate_agreement")
    assert fresh(d).documents.count() == 1
    mia.goto(f"/governance/disputes/{d.pk}/")
    mia.click("[data-testid=document-download]")
    mia.fill("[data-testid=export-reason]", "送达当事人")
    with mia.expect_download() as download:
        mia.click("[data-testid=export-reason-submit]")
    assert download.value.suggested_filename.endswith(".docx")
    word = Document(download.value.path())
    assert "事由：送达当事人" in "\n".join(p.text for p in word.sections[0].header.paragraphs)
    text = "\n".join(p.text for p in word.paragraphs)
    assert "李四三日内清理杂物" in text and "张三丰" in text

    today = timezone.localdate().isoformat()
    step(mia, d, "apply_confirmation", {"applied_on": today, "court": "嘉善县人民法院"})
    assert fresh(d).confirmation_applied_on == timezone.localdate()

    step(mia, d, "follow_up", {"visited_on": today, "performance": "performed", "note": "排水沟已疏通"})
    assert fresh(d).follow_ups.get().performance == "performed"

    step(mia, d, "close", {"note": "协议履行完毕"})
    assert fresh(d).status == "closed"


def test_the_leader_registers_a_visit_at_the_desk(world, open_as):
    """The desk's registration form (/governance/disputes/new/): a party came to apply; the dispute is recorded."""
    c = build_committee(world)
    page = open_as(c.lena)
    page.goto("/governance/disputes/new/")
    form = page.locator("[data-testid=dispute-form]")
    form.locator("[name=village]").select_option(str(world.village_a.pk))
    form.locator("[name=committee]").select_option(str(c.committee.pk))
    form.locator("[name=source]").select_option("visit")
    form.locator("[name=kind]").select_option("neighbours")
    form.locator("[name=title]").fill("两户因围墙加高遮挡采光争执")
    form.locator("[name=facts]").fill("王家加高围墙，赵家认为遮挡采光，双方多次争吵。")
    form.locator("[name=p1_name]").fill("王五")
    form.locator("[name=p2_name]").fill("赵六")
    form.locator("[data-testid=dispute-submit]").click()
    page.wait_for_url("**/governance/disputes/*/")
    d = Dispute.objects.get()
    assert (d.source, d.kind, d.village_id, d.committee_id) == (
        "visit",
        "neighbours",
        world.village_a.pk,
        c.committee.pk,
    )
    assert d.parties.count() == 2 and d.status == "registered"
