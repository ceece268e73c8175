"""A petition's registration and the first decisions on it, within 15 日 of receipt (信访工作条例 第二十二–二十三条):
register (from a visit of at most five representatives, a letter, the web, a call or a fax), a leader takes the
case (包案), accept (the 60 日 start), refuse, route on to the body with the remit, return a transferred matter
outside the remit within 5 工作日, or join a repeat of a matter already accepted. Each decision gives its written
notice. Handling and after is `petition_handling.py`."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from grassroots.audit.services import audit_record
from grassroots.core.errors import Forbidden, InvalidInput
from grassroots.geo.choices import DivisionLevel
from grassroots.geo.models import Division
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.workflow.choices import LinkKind
from grassroots.workflow.links import RecordRef, link_records

from ..models import Petition, PetitionHistory, PetitionPetitioner
from ..petition_choices import MAX_REPRESENTATIVES, NoticeKind, PetitionChannel, PetitionKind, PetitionStatus
from ..petition_permissions import may_register, petitions_visible_to
from .petition_common import (
    WORKFLOW,
    Clocks,
    authorize,
    commit,
    last_day,
    limit,
    live_clock,
    now_of,
    record_clocks,
    require_text,
    start_clock,
    stop_clock,
)
from .petition_notices import issue_notice

# A repeat is joined to a matter that was accepted (whatever became of it since).
JOINABLE = frozenset(
    {
        PetitionStatus.ACCEPTED,
        PetitionStatus.ANSWERED,
        PetitionStatus.REVIEWING,
        PetitionStatus.REVIEWED,
        PetitionStatus.RECHECKING,
        PetitionStatus.CLOSED,
    }
)


@dataclass(frozen=True)
class PetitionerIn:
    """One petitioner (or representative) as registered."""

    name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""


# -- guards: each refusal has a fixed code ------------------------------------------------------------------


def guard_petitioners(channel: str, petitioners: Sequence[PetitionerIn], people_count: int) -> None:
    if not petitioners:
        raise InvalidInput("请至少登记一名信访人", code="petitioner_required")
    for p in petitioners:
        require_text(p.name, code="petitioner_name_required", message="请填写信访人姓名")
    if channel == PetitionChannel.VISIT and len(petitioners) > MAX_REPRESENTATIVES:
        raise InvalidInput(
            f"多人走访的，应当推选代表，代表人数不超过{MAX_REPRESENTATIVES}人",
            code="too_many_representatives",
            details={"max": MAX_REPRESENTATIVES},
        )
    if people_count < len(petitioners):
        raise InvalidInput("来访人数不能少于登记的信访人数", code="people_count_invalid")


def guard_place(unit: Unit, village: Division | None) -> Division:
    """The township is the handling unit's; a village named must be in it."""
    township = unit.division
    if township.level != DivisionLevel.TOWNSHIP:
        raise InvalidInput("信访工作机构应为乡镇（街道）机构", code="unit_not_township")
    if village is not None and (village.level != DivisionLevel.VILLAGE or village.parent_id != township.pk):
        raise InvalidInput("所选村社区不在该乡镇", code="village_out_of_township")
    return township


def guard_leader(leader: Any) -> None:
    if leader is None or leader.role != Role.LEADER or not leader.is_active:
        raise InvalidInput("包案领导须为在职的领导", code="not_a_leader")


def guard_text(value: str, what: str) -> str:
    return require_text(value, code="reason_required", message=f"请填写{what}")


# -- services -----------------------------------------------------------------------------------------------


@transaction.atomic
def petition_register(
    *,
    actor: Any,
    unit: Unit,
    channel: str,
    kind: str,
    title: str,
    content: str,
    petitioners: Sequence[PetitionerIn],
    village: Division | None = None,
    people_count: int | None = None,
    received_at: dt.datetime | None = None,
    transferred_from: str = "",
    event: Any = None,
    dispute: Any = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Petition:
    """登记: the petition with its petitioners; the 15 日 to decide start from receipt (and the 5 工作日 to object
    when another body transferred it here)."""
    now = now_of(now)
    received = now_of(received_at or now)
    if not may_register(actor, unit):
        raise Forbidden("您无权为该机构登记信访件", code="not_permitted", details={"action": "register"})
    township = guard_place(unit, village)
    if channel not in PetitionChannel.values:
        raise InvalidInput("信访形式无效", code="channel_invalid")
    if kind not in PetitionKind.values:
        raise InvalidInput("信访事项类别无效", code="kind_invalid")
    count = people_count if people_count is not None else len(petitioners)
    guard_petitioners(channel, petitioners, count)
    title = require_text(title, code="title_required", message="请填写信访事项")
    content = require_text(content, code="content_required", message="请填写诉求、事实和理由")
    if received > now:
        raise InvalidInput("收到时间不能晚于现在", code="received_in_future")
    petition = Petition.objects.create(
        township=township,
        village=village,
        region_code=village.code if village is not None else township.code,
        unit=unit,
        channel=channel,
        kind=kind,
        title=title,
        content=content,
        people_count=count,
        received_at=received,
        transferred_from=transferred_from.strip(),
        event=event,
        dispute=dispute,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    PetitionPetitioner.objects.bulk_create(
        [
            PetitionPetitioner(
                petition=petition,
                position=i,
                name=p.name.strip(),
                id_number=p.id_number.strip(),
                phone=p.phone.strip(),
                address=p.address.strip(),
            )
            for i, p in enumerate(petitioners, start=1)
        ]
    )
    data = {"channel": channel, "kind": kind, "petitioners": len(petitioners), "people_count": count}
    row = PetitionHistory.objects.create(
        petition=petition,
        action="register",
        to_status=petition.status,
        actor=actor,
        at=now,
        note=note,
        data=data,
    )
    changes = [start_clock(petition, Clocks.ACCEPTANCE, now=received)]
    if petition.transferred_from:
        changes.append(start_clock(petition, Clocks.OBJECTION, now=received))
    record_clocks(row, *changes)
    audit_record(
        actor=actor, action="petition.register", obj=petition, object_repr=str(petition), detail=data
    )
    here = RecordRef(WORKFLOW, petition.pk)
    if event is not None:
        link_records(actor=actor, source=RecordRef("event", event.pk), target=here, kind=LinkKind.BECAME)
    if dispute is not None:
        link_records(actor=actor, source=RecordRef("dispute", dispute.pk), target=here, kind=LinkKind.RELATED)
    return petition


@transaction.atomic
def petition_assign_leader(
    *, actor: Any, petition: Petition, leader: Any, note: str = "", now: dt.datetime | None = None
) -> Petition:
    """包案: a leader takes the case and answers for it."""
    now = now_of(now)
    authorize(petition, actor, "assign_leader")
    guard_leader(leader)
    commit(
        petition,
        actor=actor,
        action="assign_leader",
        to=None,
        now=now,
        note=note,
        data={"leader": leader.pk},
        leader=leader,
    )
    return petition


def _decide(
    petition: Petition,
    *,
    actor: Any,
    action: str,
    notice: str,
    body: list[str],
    now: dt.datetime,
    note: str = "",
    data: dict[str, Any] | None = None,
    **fields: Any,
) -> Petition:
    """One of the decisions within 15 日: stop the 15 日 (and the 5 工作日), commit, give the notice."""
    _, row = commit(
        petition,
        actor=actor,
        action=action,
        to=_target(action),
        now=now,
        note=note,
        data=data,
        decided_at=now,
        **fields,
    )
    result = {"accept": "accepted"}.get(action, action)
    changes = [
        stop_clock(petition, Clocks.ACCEPTANCE, result=result, actor=actor, now=now),
        stop_clock(petition, Clocks.OBJECTION, result=result, actor=actor, now=now),
    ]
    if action == "accept":
        changes.append(start_clock(petition, Clocks.HANDLING, now=now))
    record_clocks(row, *changes)
    issue_notice(petition, notice, body, actor=actor, now=now, row=row)
    return petition


def _target(action: str) -> str:
    return {
        "accept": PetitionStatus.ACCEPTED,
        "refuse": PetitionStatus.NOT_ACCEPTED,
        "transfer": PetitionStatus.TRANSFERRED,
        "object": PetitionStatus.RETURNED,
        "join": PetitionStatus.JOINED,
    }[action]


@transaction.atomic
def petition_accept(
    *, actor: Any, petition: Petition, leader: Any = None, note: str = "", now: dt.datetime | None = None
) -> Petition:
    """受理: the 60 日 to finish start; a leader may take the case at once."""
    now = now_of(now)
    authorize(petition, actor, "accept")
    fields: dict[str, Any] = {}
    if leader is not None:
        guard_leader(leader)
        fields["leader"] = leader
    body = [
        f"你（们）反映的上述事项，本机关已依法受理，将自受理之日起{_days('HANDLING_DAYS')}日内办结并书面答复。"
    ]
    return _decide(
        petition,
        actor=actor,
        action="accept",
        notice=NoticeKind.ACCEPTANCE,
        body=body,
        now=now,
        note=note,
        data={"leader": leader.pk if leader else None},
        **fields,
    )


@transaction.atomic
def petition_refuse(
    *, actor: Any, petition: Petition, reason: str, now: dt.datetime | None = None
) -> Petition:
    """不予受理, in writing with the reason (e.g. a claim to be pursued by a statutory route, 第三十一条)."""
    now = now_of(now)
    authorize(petition, actor, "refuse")
    reason = guard_text(reason, "不予受理的理由")
    body = [f"经审查，你（们）反映的事项本机关不予受理。理由：{reason}"]
    return _decide(
        petition,
        actor=actor,
        action="refuse",
        notice=NoticeKind.REFUSAL,
        body=body,
        now=now,
        note=reason,
        decision_reason=reason,
    )


@transaction.atomic
def petition_transfer(
    *, actor: Any, petition: Petition, to: str, reason: str = "", now: dt.datetime | None = None
) -> Petition:
    """转送: routed to the body with the remit, the petitioner told where."""
    now = now_of(now)
    authorize(petition, actor, "transfer")
    to = require_text(to, code="transfer_target_required", message="请填写转送的有权处理机关")
    body = [f"你（们）反映的事项属于{to}的职权范围，本机关已转送{to}处理，请向其了解办理情况。", reason]
    return _decide(
        petition,
        actor=actor,
        action="transfer",
        notice=NoticeKind.TRANSFER,
        body=body,
        now=now,
        note=reason.strip(),
        data={"to": to},
        transferred_to=to,
        decision_reason=reason.strip(),
    )


@transaction.atomic
def petition_object(
    *, actor: Any, petition: Petition, reason: str, now: dt.datetime | None = None
) -> Petition:
    """退回: a transferred matter outside this body's remit, objected to within 5 工作日 of receipt."""
    now = now_of(now)
    authorize(petition, actor, "object")
    if not petition.transferred_from:
        raise InvalidInput("只有转送（交办）来的信访事项才能退回", code="not_transferred_in")
    clock = live_clock(petition, Clocks.OBJECTION)
    if clock is None or clock.due_at is None or now >= clock.due_at:
        last = last_day(clock) if clock is not None else None
        raise InvalidInput(
            f"应当在收到之日起{_days('OBJECTION_WORKING_DAYS')}个工作日内提出异议",
            code="objection_out_of_time",
            details={"last_day": last.isoformat() if last else None},
        )
    reason = guard_text(reason, "不属本机关职权范围的理由")
    body = [f"经审查，该事项不属于本机关职权范围，现退回{petition.transferred_from}。理由：{reason}"]
    return _decide(
        petition,
        actor=actor,
        action="object",
        notice=NoticeKind.OBJECTION,
        body=body,
        now=now,
        note=reason,
        decision_reason=reason,
    )


@transaction.atomic
def petition_join(
    *, actor: Any, petition: Petition, into: Petition, note: str = "", now: dt.datetime | None = None
) -> Petition:
    """合并: the same matter accepted already is not accepted again (第十九条); the repeat joins it."""
    now = now_of(now)
    authorize(petition, actor, "join")
    visible = petitions_visible_to(actor).filter(pk=into.pk).exists()
    if (
        into.pk == petition.pk
        or not visible
        or into.status not in JOINABLE
        or into.unit_id != petition.unit_id
    ):
        raise InvalidInput(
            "只能合并到本机构已受理的同一信访事项", code="join_target_invalid", details={"into": into.pk}
        )
    body = [f"你（们）反映的事项与本机关已受理的第 {into.pk} 号信访事项相同，不再重复受理，将一并答复。"]
    _decide(
        petition,
        actor=actor,
        action="join",
        notice=NoticeKind.JOIN,
        body=body,
        now=now,
        note=note,
        data={"into": into.pk},
        joined_into=into,
    )
    link_records(
        actor=actor,
        source=RecordRef(WORKFLOW, petition.pk),
        target=RecordRef(WORKFLOW, into.pk),
        kind=LinkKind.MERGED,
        note="重复信访合并",
    )
    return petition


def _days(name: str) -> int:
    return limit(name)
