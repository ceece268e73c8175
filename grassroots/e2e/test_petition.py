"""A petition in Chromium, every form submitted in the browser by the person the table names: Xia of the township's
petition office registers a collective visit (five representatives of nine people), accepts it within the 15 日
with Lena as the leader who takes the case (包案); Lena extends the 60 日 once by 20 日 and answers in a 信访处理意见书;
Xia records the petitioner's request for 复查. After each form the record is read back from the database."""

import pytest

from grassroots.governance.models import Petition
from grassroots.governance.tests.petition_support import build_office
from grassroots.workflow.models import Clock

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def clock(x: Petition, name: str) -> Clock:
    return Clock.objects.filter(workflow="petition", object_id=x.pk, name=name).latest("id")


def step(page, x: Petition, action: str, fields: dict[str, str] | None = None) -> Petition:
    """Open the petition page, fill the step's form, submit it, wait for the page to say it was done."""
    page.goto(f"/governance/petitions/{x.pk}/")
    form = page.locator(f"[data-testid=step-{action}]")
    if page.locator(f"#box-{action}").count():  # a folded decision: open its box first
        page.click(f"#box-{action} summary")
    for name, value in (fields or {}).items():
        box = form.locator(f"[name={name}]").first
        if box.evaluate("e => e.tagName") == "SELECT":
            box.select_option(value)
        else:
            box.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".messages >> text=已")
    assert not page.locator("[data-testid=step-error]").count(), page.inner_text("#action-panel")
    return Petition.objects.get(pk=x.pk)


def test_a_petition_is_registered_accepted_extended_answered_and_review_requested(world, open_as):
    o = build_office(world)
    xia, lena = open_as(o.xia), open_as(o.lena)

    xia.goto("/governance/petitions/")
    xia.click("[data-testid=petition-new]")
    form = xia.locator("[data-testid=petition-form]")
    form.locator("[name=village]").select_option(str(world.village_a.pk))
    form.locator("[name=channel]").select_option("visit")
    form.locator("[name=kind]").select_option("claim")
    form.locator("[name=people_count]").fill("9")
    form.locator("[name=title]").fill("反映土地征收补偿款未足额发放")
    form.locator("[name=content]").fill("村民反映补偿款尚有部分未发放，要求核实并发放。")
    for i in range(1, 6):
        form.locator(f"[name=name_{i}]").fill(f"代表{i}")
        form.locator(f"[name=phone_{i}]").fill(f"1391234567{i}")
    form.locator("[name=id_number_1]").fill("11010519491231002X")
    form.locator("[data-testid=petition-submit]").click()
    xia.wait_for_selector("[data-testid=petition-header]")
    x = Petition.objects.get()
    assert (x.status, x.channel, x.people_count, x.petitioners.count()) == ("registered", "visit", 9, 5)
    assert x.petitioners.get(position=1).id_number == "11010519491231002X"
    assert clock(x, "acceptance").state == "running"
    assert xia.locator("[data-testid=petitioner]").first.inner_text().startswith("代表1")

    x = step(xia, x, "accept", {"leader_id": str(o.lena.pk)})
    assert (x.status, x.leader_id) == ("accepted", o.lena.pk)
    assert clock(x, "acceptance").state == "stopped" and not clock(x, "acceptance").overdue
    assert clock(x, "handling").state == "running"
    due = clock(x, "handling").due_at
    assert due is not None

    x = step(lena, x, "extend", {"days": "20", "reason": "需会同国土所现场核查"})
    extended = clock(x, "handling").due_at
    assert x.extended_days == 20 and extended is not None and extended > due
    assert lena.inner_text("[data-testid=extended]").startswith("20")
    forms = lena.locator("#action-panel form").evaluate_all("es => es.map(e => e.id)")
    assert "step-answer" in forms and "step-extend" not in forms  # extended once: no second extension offered

    x = step(
        lena,
        x,
        "answer",
        {"outcome": "explain", "text": "经核实，补偿款已于2025年12月足额发放至村集体账户。"},
    )
    assert (x.status, x.outcome) == ("answered", "explain") and x.answered_at is not None
    assert clock(x, "review_request").state == "running"
    assert lena.locator("[data-testid=document-answer]").count() == 1

    x = step(xia, x, "request_review", {"note": "信访人不服，请求复查"})
    assert x.status == "reviewing" and x.review_requested_on is not None
    assert clock(x, "review").state == "running"
    assert list(x.documents.values_list("kind", flat=True)) == ["acceptance", "extension", "answer"]
    assert [h.action for h in x.history.all()] == ["register", "accept", "extend", "answer", "request_review"]


def test_the_office_refuses_one_petition_and_transfers_another_from_their_pages(world, open_as):
    """The folded decisions of the office: 不予受理 and 转送, each with its written notice."""
    from grassroots.governance.tests.petition_support import register

    o = build_office(world)
    xia = open_as(o.xia)
    refused = step(xia, register(o), "refuse", {"reason": "已经或者依法应当通过诉讼途径解决"})
    assert refused.status == "not_accepted" and clock(refused, "acceptance").state == "stopped"
    transferred = step(xia, register(o), "transfer", {"to": "县自然资源和规划局", "reason": "属其法定职权"})
    assert transferred.status == "transferred"
    assert [h.action for h in transferred.history.all()] == ["register", "transfer"]
    assert refused.documents.count() == 1 and transferred.documents.count() == 1
