"""Step forms submitted in Chromium and checked on the record: those the event page makes from a step's schema (no
form class of their own: resume, return, void, archive, reopen) and the folded ones whose values are mapped onto the
step's schema (挂起 and extension requests, escalation, merging by number)."""

from decimal import Decimal

import pytest

from grassroots.conftest import make_person
from grassroots.events.choices import Status, SuspensionKind, SuspensionStatus
from grassroots.events.models import Event, ExtensionRequest, Suspension, Transition
from grassroots.people.choices import Role

from .event_support import fresh, reported, signed
from .phone_support import ensure_catalogue

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_catalogue()


def take(
    page,
    event: Event,
    action: str,
    done: str,
    *,
    text: dict[str, str] | None = None,
    kind: str = "",
    folded=False,
) -> None:
    """Open the event page, fill the step's form (and pick `kind` when given), submit, wait for the flash."""
    page.goto(f"/command/events/{event.pk}/")
    if folded:
        page.click(f"#action-box-{action} summary")
    if kind:
        page.select_option(f"#action-{action} [name=kind]", kind)
    for name, value in (text or {}).items():
        page.fill(f"#action-{action} [name={name}]", value)
    page.click(f"#action-{action} button[type=submit]")
    page.wait_for_selector(f"#action-panel .message >> text={done}")


def test_a_unit_asks_for_suspension_and_resumes_on_the_page(world, open_as):
    sam = make_person("sam", "孙建华", Role.SHIFT_LEAD, division=world.township, unit=world.command_room)
    event = signed(world)
    dora = open_as(world.dora)
    take(
        dora,
        event,
        "request_suspension",
        "已申请挂起",
        text={"reason": "等待水质检测报告"},
        kind=SuspensionKind.TESTING,
        folded=True,
    )
    suspension = Suspension.objects.get(event=event)
    assert (suspension.status, suspension.kind) == (SuspensionStatus.PENDING, SuspensionKind.TESTING)

    lead = open_as(sam)
    lead.goto(f"/command/events/{event.pk}/")
    lead.check("#action-decide_suspension input[name=approve][value='1']")
    lead.click("#action-decide_suspension button[type=submit]")
    lead.wait_for_selector("#action-panel .message >> text=已审批挂起")
    assert fresh(event).status == Status.SUSPENDED

    take(dora, event, "resume", "已恢复办理", text={"note": "检测报告已出"})
    assert fresh(event).status == Status.SIGNED
    assert Transition.objects.filter(event=event, action="resume", note="检测报告已出").exists()


def test_a_unit_returns_an_event_from_the_generated_form(world, open_as):
    event = signed(world)
    take(open_as(world.dora), event, "return", "已退回", text={"reason": "不属于本单位职责"}, folded=True)
    assert fresh(event).status == Status.REGISTERED
    assert Transition.objects.get(event=event, action="return").note == "不属于本单位职责"


def test_the_command_room_voids_and_the_lead_archives_from_generated_forms(world, open_as):
    lena = make_person("lena", "沈丽娜", Role.SHIFT_LEAD, division=world.township, unit=world.command_room)
    event = reported(world)
    page = open_as(lena)
    take(page, event, "void", "已不予立案", text={"reason": "已由物业自行处理"}, folded=True)
    assert fresh(event).status == Status.VOID
    take(page, event, "archive", "已归档", text={"note": "存档"})
    assert fresh(event).status == Status.ARCHIVED


def test_the_lead_reopens_a_closed_event_from_its_generated_form(world, open_as):
    lena = make_person("lena", "沈丽娜", Role.SHIFT_LEAD, division=world.township, unit=world.command_room)
    event = reported(world)
    Event.objects.filter(pk=event.pk).update(status=Status.CLOSED)
    page = open_as(lena)
    take(page, event, "reopen", "已重启", text={"reason": "反映人称问题复发"}, folded=True)
    assert fresh(event).status == Status.REGISTERED
    assert Transition.objects.get(event=event, action="reopen").note == "反映人称问题复发"


def test_a_unit_asks_for_an_extension_and_escalates_from_the_page(world, open_as):
    event = signed(world)
    dora = open_as(world.dora)
    take(
        dora,
        event,
        "request_extension",
        "已申请延期",
        text={"days": "2", "reason": "需协调多个部门"},
        folded=True,
    )
    (request,) = ExtensionRequest.objects.filter(event=event)
    assert (request.days, request.reason) == (Decimal(2), "需协调多个部门")

    level = fresh(event).level
    take(dora, event, "escalate", "已升级", text={"reason": "超出本单位处置权限"}, folded=True)
    assert fresh(event).level == level + 1
    assert Transition.objects.get(event=event, action="escalate").note == "超出本单位处置权限"


def test_the_command_room_merges_a_duplicate_by_its_number(world, open_as):
    master = reported(world)
    duplicate = reported(world)
    page = open_as(world.oscar)
    take(page, duplicate, "merge", "已合并", text={"into": str(master.number)}, folded=True)
    assert fresh(duplicate).status == Status.MERGED
    assert fresh(duplicate).merged_into_id == master.pk
