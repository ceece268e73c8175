"""The file drop, with real files in a temporary directory: the order written to the outbox, the 12345 side's
receipt and answer read from the inbox and moved aside, a bad file set apart with its reason, a replay harmless."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from grassroots.events.choices import Status
from grassroots.events.models import Event, Transition
from grassroots.hotline.choices import OrderState
from grassroots.hotline.models import WorkOrder
from grassroots.hotline.sending import hotline_read_inbox, hotline_send_due, hotline_tick
from grassroots.hotline.services import hotline_hand_off

from .support import registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def drop(settings: Any, tmp_path: Path) -> Path:
    settings.HOTLINE_MODE = "file"
    settings.HOTLINE_OUTBOX_DIR = str(tmp_path / "outbox")
    settings.HOTLINE_INBOX_DIR = str(tmp_path / "inbox")
    (tmp_path / "inbox").mkdir()
    return tmp_path


def put(drop: Path, name: str, body: Any) -> Path:
    path = drop / "inbox" / name
    path.write_text(
        json.dumps(body, ensure_ascii=False) if not isinstance(body, str) else body, encoding="utf-8"
    )
    return path


def test_the_file_drop_round_trip(world: Any, drop: Path) -> None:
    event = registered(world)
    order = hotline_hand_off(actor=world.oscar, event=event, note="本级难以处置")
    assert order.mode == "file"
    assert hotline_send_due() == 1
    written = drop / "outbox" / f"{order.idempotency_key}.json"
    sent = json.loads(written.read_text(encoding="utf-8"))
    assert sent["idempotency_key"] == order.idempotency_key and sent["source_number"] == event.number
    assert [p.name for p in (drop / "outbox").iterdir()] == [written.name]  # no partial file left behind
    order.refresh_from_db()
    assert order.state == OrderState.SENT and order.external_number == ""

    put(drop, "receipt-1.json", {"idempotency_key": order.idempotency_key, "external_number": "12345-F-0001"})
    assert hotline_read_inbox() == 1
    order.refresh_from_db()
    assert (order.state, order.external_number) == (OrderState.ACCEPTED, "12345-F-0001")

    answer = {
        "external_number": "12345-F-0001",
        "status": "answered",
        "answer": "已处理完毕",
        "answered_by": "区水利局",
    }
    put(drop, "answer-1.json", answer)
    assert hotline_tick() == 1
    order.refresh_from_db()
    assert order.state == OrderState.ANSWERED and order.answer == "已处理完毕"
    assert Event.objects.get(pk=event.pk).status == Status.FED_BACK
    assert sorted(p.name for p in (drop / "inbox" / "processed").iterdir()) == [
        "answer-1.json",
        "receipt-1.json",
    ]
    assert [p.name for p in (drop / "inbox").iterdir() if p.is_file()] == []

    # The other side drops the same answer again: read, moved aside, recorded once.
    put(drop, "answer-1.json", answer)
    assert hotline_read_inbox() == 1
    assert Transition.objects.filter(event=event, action="answer_12345").count() == 1
    assert len(list((drop / "inbox" / "processed").iterdir())) == 3


def test_a_bad_file_is_set_apart_with_its_reason_and_changes_nothing(world: Any, drop: Path) -> None:
    order = hotline_hand_off(actor=world.oscar, event=registered(world), note="转区级")
    hotline_send_due()
    put(drop, "broken.json", "{not json")
    put(drop, "unknown.json", {"external_number": "12345-NOBODY", "answer": "x"})
    put(drop, "notes.txt", "not ours")  # only *.json is read
    assert hotline_read_inbox() == 0
    failed = drop / "inbox" / "failed"
    assert sorted(p.name for p in failed.iterdir()) == [
        "broken.error.txt",
        "broken.json",
        "unknown.error.txt",
        "unknown.json",
    ]
    assert "没有这个 12345 转办工单" in (failed / "unknown.error.txt").read_text(encoding="utf-8")
    assert (drop / "inbox" / "notes.txt").exists()
    assert WorkOrder.objects.get(pk=order.pk).state == OrderState.SENT


def test_a_replayed_send_rewrites_the_same_file(world: Any, drop: Path) -> None:
    order = hotline_hand_off(actor=world.oscar, event=registered(world), note="转区级")
    hotline_send_due()
    WorkOrder.objects.filter(pk=order.pk).update(state=OrderState.QUEUED)
    WorkOrder.objects.filter(pk=order.pk).update(next_attempt_at=timezone.now())
    hotline_send_due()
    assert [p.name for p in (drop / "outbox").iterdir()] == [f"{order.idempotency_key}.json"]


def test_an_outbox_that_cannot_be_written_is_retried_later(world: Any, drop: Path, settings: Any) -> None:
    blocked = drop / "not-a-directory"
    blocked.write_text("x")
    settings.HOTLINE_OUTBOX_DIR = str(blocked)
    order = hotline_hand_off(actor=world.oscar, event=registered(world), note="转区级")
    assert hotline_send_due() == 1
    order.refresh_from_db()
    assert (order.state, order.attempts) == (OrderState.QUEUED, 1)
    assert order.next_attempt_at is not None and order.next_attempt_at > timezone.now()
    assert order.last_error
