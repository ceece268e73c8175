"""Each step of the loop as the pages take it: the cleaned form values handed to the one service for it."""

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from grassroots.people.models import Person

from .. import services
from ..forms import yes_no
from ..models import Event

Perform = Callable[[Person, Event, dict[str, Any]], Any]


def _files(data: dict[str, Any]) -> list[UploadedFile]:
    return list(data.get("photos") or [])


def _passed(data: dict[str, Any]) -> bool | None:
    return yes_no(data["passed"]) if data.get("passed") else None


PERFORM: dict[str, Perform] = {
    "self_handle": lambda actor, event, d: services.event_self_handle(
        actor=actor, event=event, note=d["note"], files=_files(d)
    ),
    "verify": lambda actor, event, d: services.event_verify(
        actor=actor,
        event=event,
        verifier=d.get("verifier"),
        valid=yes_no(d["valid"]) if d.get("valid") else None,
        note=d["note"],
    ),
    "register": lambda actor, event, d: services.event_register(
        actor=actor, event=event, note=d["note"], mode=d["mode"]
    ),
    "void": lambda actor, event, d: services.event_void(actor=actor, event=event, reason=d["reason"]),
    "merge": lambda actor, event, d: services.event_merge(
        actor=actor, event=event, into=d["into"], note=d["note"]
    ),
    "dispatch": lambda actor, event, d: services.event_dispatch(
        actor=actor,
        event=event,
        lead_unit_id=d["lead_unit"],
        assist_unit_ids=d["assist_units"],
        mode=d["mode"],
        note=d["note"],
    ),
    "sign": lambda actor, event, d: services.event_sign(actor=actor, event=event, note=d["note"]),
    "handle": lambda actor, event, d: services.event_handle(actor=actor, event=event, note=d["note"]),
    "return": lambda actor, event, d: services.event_return(actor=actor, event=event, reason=d["reason"]),
    "request_extension": lambda actor, event, d: services.event_request_extension(
        actor=actor, event=event, days=d["days"], reason=d["reason"]
    ),
    "decide_extension": lambda actor, event, d: services.event_decide_extension(
        actor=actor, event=event, request_id=d["request"], approve=d["approve"] == "1", note=d["note"]
    ),
    "request_suspension": lambda actor, event, d: services.event_request_suspension(
        actor=actor, event=event, kind=d["kind"], reason=d["reason"]
    ),
    "decide_suspension": lambda actor, event, d: services.event_decide_suspension(
        actor=actor, event=event, suspension_id=d["suspension"], approve=d["approve"] == "1", note=d["note"]
    ),
    "resume": lambda actor, event, d: services.event_resume(actor=actor, event=event, note=d["note"]),
    "feed_back": lambda actor, event, d: services.event_feed_back(
        actor=actor, event=event, feedback=d["feedback"], files=_files(d)
    ),
    "check": lambda actor, event, d: services.event_check(
        actor=actor,
        event=event,
        checker=d.get("checker"),
        passed=_passed(d),
        note=d["note"],
        files=_files(d),
    ),
    "callback": lambda actor, event, d: services.event_callback(
        actor=actor,
        event=event,
        satisfaction=d.get("satisfaction"),
        reached=d["reached"] == "1",
        note=d["note"],
    ),
    "close": lambda actor, event, d: services.event_close(actor=actor, event=event, note=d["note"]),
    "archive": lambda actor, event, d: services.event_archive(actor=actor, event=event, note=d["note"]),
    "reopen": lambda actor, event, d: services.event_reopen(actor=actor, event=event, reason=d["reason"]),
    "escalate": lambda actor, event, d: services.event_escalate(
        actor=actor, event=event, reason=d["reason"], direction=d["direction"]
    ),
    "supervise": lambda actor, event, d: services.event_supervise(
        actor=actor, event=event, kind=d["kind"], reason=d["reason"], days=d["days"], note=d["note"]
    ),
}
