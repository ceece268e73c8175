"""How an application comes in: at a window (一窗受理, with the materials check and its outcome in one step), or
through a village agent (代办) who forwards it to the township window."""

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.core.checkdigits import is_valid_id_number, is_valid_uscc
from grassroots.core.errors import Forbidden, InvalidInput, NotFound
from grassroots.geo.codes import village_of
from grassroots.people.choices import Role
from grassroots.workflow.commit import Moved

from ..choices import ApplicantKind, Channel, MaterialNeed, Status, VisitKind
from ..models import Application, ServiceCentre, ServiceItem, Window
from ..selectors import AGENT_ROLES
from .common import PHONE_ERROR, add_visit, history_row, phone_ok, record_clock, start_promise_clock
from .links import link_from_event
from .steps import application_accept, application_reject, application_request_correction


def _applicant_errors(kind: str, name: str, phone: str, id_number: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["applicant_name"] = "请填写申请人"
    if not phone_ok(phone):
        errors["applicant_phone"] = PHONE_ERROR
    if id_number:
        ok = is_valid_uscc(id_number) if kind == ApplicantKind.ORGANISATION else is_valid_id_number(id_number)
        if not ok:
            errors["applicant_id_number"] = (
                "统一社会信用代码校验不通过" if kind == ApplicantKind.ORGANISATION else "身份证号码校验不通过"
            )
    return errors


def _item_in_force(code: str, at: dt.datetime) -> ServiceItem:
    item = ServiceItem.objects.in_force(at).filter(code=code).first()
    if item is None:
        raise NotFound("事项不存在或未在实施", code="item_not_found", details={"item": code})
    return item


def _materials(
    item: ServiceItem, received: Sequence[int], pending: Sequence[int]
) -> tuple[list[int], list[int], list[dict[str, Any]]]:
    """The received and pending (容缺) material ids checked against the item's list, and what is missing."""
    materials = list(item.materials.all())
    ids = {m.pk for m in materials}
    unknown = (set(received) | set(pending)) - ids
    if unknown:
        raise InvalidInput(
            "材料不属于该事项", code="material_unknown", details={"materials_received": sorted(unknown)}
        )
    tolerated = {m.pk for m in materials if m.need == MaterialNeed.TOLERATED}
    if set(pending) - tolerated:
        raise InvalidInput(
            "只有“可容缺”的材料可以容缺受理",
            code="material_not_tolerated",
            details={"materials_pending": sorted(set(pending) - tolerated)},
        )
    missing = [
        {"material": m.pk, "name": m.name, "reason": "未提交"}
        for m in materials
        if m.need != MaterialNeed.CONDITIONAL and m.pk not in received and m.pk not in pending
    ]
    return sorted(set(received)), sorted(set(pending)), missing


def _new(
    *,
    item: ServiceItem,
    centre: ServiceCentre,
    region_code: str,
    channel: str,
    fields: dict[str, Any],
    now: dt.datetime,
) -> Application:
    application = Application.objects.create(
        number=secrets.token_hex(12),
        item=item,
        centre=centre,
        region_code=region_code,
        channel=channel,
        created_at=now,
        updated_at=now,
        rating_token=secrets.token_urlsafe(18)[:24],
        **fields,
    )
    application.number = f"BJ{timezone.localtime(now):%Y%m%d}{application.pk:08d}"
    Application.objects.filter(pk=application.pk).update(number=application.number)
    return application


def _record_intake(application: Application, *, actor: Any, now: dt.datetime) -> None:
    """The first history row (接件, with the clock it started) and the audit row of an application taken in."""
    moved = Moved(from_status="", to_status=Status.RECEIVED, seq=application.version, at=now)
    row = history_row(application, "apply", actor, moved)
    record_clock(application, row, start_promise_clock(application, now=now))
    audit_record(
        actor=actor,
        action="application.apply",
        obj=application,
        object_repr=application.number,
        detail={"to": Status.RECEIVED, "item": application.item.version_label},
    )


@transaction.atomic
def application_apply(
    *,
    actor: Any,
    item_code: str,
    applicant_kind: str = ApplicantKind.PERSON,
    applicant_name: str,
    applicant_phone: str = "",
    applicant_id_number: str = "",
    subject: str = "",
    window_id: int | None = None,
    channel: str = Channel.WINDOW,
    materials_received: Sequence[int] = (),
    materials_pending: Sequence[int] = (),
    extra_missing: Sequence[dict[str, Any]] = (),
    reject_reason: str = "",
    note: str = "",
    from_event: int | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """一窗受理: a clerk of any window of the centre takes in any item of its list, checks the materials, and in the
    same step accepts it, gives the one-time notice of everything missing (the clock waits), or refuses it in
    writing. The clock starts at 接件; the applicant's coming in is their first visit. `from_event`: the 便民服务
    event the application was filed for, linked to it."""
    now = (now or timezone.now()).replace(microsecond=0)
    if actor is None or actor.role != Role.WINDOW_CLERK:
        raise Forbidden("只有窗口工作人员可以受理办件", code="not_permitted")
    centre = ServiceCentre.objects.select_related("township").filter(unit_id=actor.unit_id).first()
    if centre is None:
        raise Forbidden("您不在任何便民服务中心的窗口", code="not_permitted")
    errors = _applicant_errors(applicant_kind, applicant_name, applicant_phone, applicant_id_number)
    if channel not in Channel.values or channel == Channel.AGENT:
        errors["channel"] = "受理渠道不正确"
    if errors:
        raise InvalidInput("；".join(errors.values()), code="invalid_applicant", details=errors)
    item = _item_in_force(item_code, now)
    if not item.on_list(centre.township_type):
        raise InvalidInput(
            "该事项不在本中心的事项清单内", code="item_not_on_list", details={"item": item.code}
        )
    window = None
    if window_id is not None:
        window = Window.objects.filter(pk=window_id, centre=centre).first()
        if window is None:
            raise InvalidInput("窗口不属于本中心", code="window_unknown", details={"window": window_id})
    received, pending, missing = _materials(item, materials_received, materials_pending)
    missing += [dict(m) for m in extra_missing]
    application = _new(
        item=item,
        centre=centre,
        region_code=centre.township.code,
        channel=channel,
        now=now,
        fields={
            "window": window,
            "applicant_kind": applicant_kind,
            "applicant_name": applicant_name.strip(),
            "applicant_phone": applicant_phone,
            "applicant_id_number": applicant_id_number.upper(),
            "subject": subject,
            "first_clerk": actor,
            "handler": actor,
            "handling_unit_id": centre.unit_id,
            "materials_received": received,
            "materials_pending": pending,
            "received_at": now,
        },
    )
    _record_intake(application, actor=actor, now=now)
    if from_event is not None:
        link_from_event(actor=actor, application=application, event_id=from_event)
    if channel == Channel.WINDOW:
        add_visit(application, kind=VisitKind.APPLY, actor=actor, at=now)
    if reject_reason:
        application_reject(actor=actor, application=application, reason=reject_reason, now=now)
    elif missing:
        application_request_correction(
            actor=actor, application=application, items=missing, note=note, now=now
        )
    else:
        application_accept(actor=actor, application=application, pending=pending, note=note, now=now)
    return application


@transaction.atomic
def application_forward(
    *,
    actor: Any,
    item_code: str,
    applicant_name: str,
    applicant_phone: str = "",
    applicant_id_number: str = "",
    subject: str = "",
    entrustment: str,
    materials_received: Sequence[int] = (),
    from_event: int | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """代办: a village agent takes in an item on the resident's written entrustment and forwards it to the township
    window, which receives it (the clock starts there). The resident does not go to the township."""
    now = (now or timezone.now()).replace(microsecond=0)
    village_code = village_of(getattr(actor, "region_code", "") or "")
    if actor is None or actor.role not in AGENT_ROLES or not village_code:
        raise Forbidden("只有村（社区）代办员可以代办", code="not_permitted")
    centre = ServiceCentre.objects.select_related("township").filter(township__code=village_code[:9]).first()
    if centre is None:
        raise InvalidInput("所在乡镇没有便民服务中心", code="no_centre")
    errors = _applicant_errors(ApplicantKind.PERSON, applicant_name, applicant_phone, applicant_id_number)
    if not entrustment.strip():
        errors["entrustment"] = "请登记委托书（代办须有申请人的书面委托）"
    if errors:
        raise InvalidInput("；".join(errors.values()), code="invalid_applicant", details=errors)
    item = _item_in_force(item_code, now)
    if not item.at_village:
        raise InvalidInput("该事项不能在村级代办", code="item_not_at_village", details={"item": item.code})
    received, _, _ = _materials(item, materials_received, ())
    from grassroots.geo.models import Division

    application = _new(
        item=item,
        centre=centre,
        region_code=village_code,
        channel=Channel.AGENT,
        now=now,
        fields={
            "status": Status.FORWARDED,
            "applicant_name": applicant_name.strip(),
            "applicant_phone": applicant_phone,
            "applicant_id_number": applicant_id_number.upper(),
            "subject": subject,
            "agent": actor,
            "agent_village": Division.objects.filter(code=village_code, valid_to__isnull=True).first(),
            "entrustment": entrustment.strip(),
            "materials_received": received,
        },
    )
    moved = Moved(from_status="", to_status=Status.FORWARDED, seq=1, at=now)
    history_row(application, "forward", actor, moved, data={"entrustment": entrustment.strip()})
    audit_record(
        actor=actor,
        action="application.forward",
        obj=application,
        object_repr=application.number,
        detail={"to": Status.FORWARDED, "item": item.version_label},
    )
    if from_event is not None:
        link_from_event(actor=actor, application=application, event_id=from_event)
    return application
