"""Links between records of workflows: make one, remove one, and read a record's links as seen from it.

A record is named as clocks name it, (workflow, object_id). Each workflow registers how its records are shown
(`register_link_workflow`, from its AppConfig.ready): a label, its model, the records a person may see, a title
and a URL. `links_of` reads a record's links in one query and the records on the other side in one query per
workflow, so a page costs the same however many links it shows; a record the viewer may not see is left out,
as if the link were not there.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import IntegrityError, models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.core.errors import Conflict, InvalidInput, NotFound
from grassroots.people.actors import Actor

from .choices import LINK_WORDING, LinkKind
from .models import Link


class RecordRef(NamedTuple):
    """One record of one workflow: ("event", 42)."""

    workflow: str
    object_id: int


@dataclass(frozen=True)
class LinkWorkflow:
    """How a workflow shows its records on the other side of a link."""

    label: Any  # what the record is, to a person: 事件, 执法案件 (a lazy translation)
    model: type[models.Model]
    visible: Callable[[Any], QuerySet[Any]]  # (viewer) -> the records this person may see
    title: Callable[[Any], str]
    url: Callable[[Any], str]


_workflows: dict[str, LinkWorkflow] = {}
NOTE_MAX = Link._meta.get_field("note").max_length or 200


def register_link_workflow(
    workflow: str,
    *,
    label: Any,
    model: type[models.Model],
    visible: Callable[[Any], QuerySet[Any]],
    title: Callable[[Any], str],
    url: Callable[[Any], str],
) -> None:
    """How links show this workflow's records; registering again replaces it. Records of a workflow that is
    not registered cannot be linked, and links to them are not shown."""
    _workflows[workflow] = LinkWorkflow(label=label, model=model, visible=visible, title=title, url=url)


def unregister_link_workflow(workflow: str) -> None:
    _workflows.pop(workflow, None)


def link_workflows() -> list[tuple[str, str]]:
    """(name, label) of every workflow whose records can be linked, in the order they registered."""
    return [(name, str(spec.label)) for name, spec in _workflows.items()]


@dataclass(frozen=True)
class LinkOffer:
    """A way another workflow offers to carry a record on: "代为申办" on a 便民服务 event opens the window's accept
    page for it, and the new record is linked back. Shown as a button under the record's links."""

    label: Any
    offered: Callable[[Any, Any], bool]  # (viewer, record) -> shown to this person on this record
    url: Callable[[Any], str]  # (record) -> the page that starts the new record


_offers: dict[str, list[LinkOffer]] = defaultdict(list)


def register_link_offer(
    workflow: str, *, label: Any, offered: Callable[[Any, Any], bool], url: Callable[[Any], str]
) -> None:
    """Offer, on the records of `workflow`, to start a record of another (from that workflow's AppConfig.ready)."""
    _offers[workflow] = [o for o in _offers[workflow] if str(o.label) != str(label)] + [
        LinkOffer(label=label, offered=offered, url=url)
    ]


def link_offers(*, viewer: Any, workflow: str, record: Any) -> list[tuple[str, str]]:
    """The offers `viewer` sees on `record`: (label, url) pairs."""
    return [(str(o.label), o.url(record)) for o in _offers.get(workflow, []) if o.offered(viewer, record)]


@dataclass(frozen=True)
class LinkSeen:
    """A link as one of its records sees it: the other record, and the words for what it is to this one."""

    link_id: int
    kind: str
    wording: str  # 转为 on the source's page, 源自 on the target's
    outgoing: bool  # this record is the link's source
    workflow: str
    workflow_label: str
    object_id: int
    title: str
    url: str
    note: str
    created_at: dt.datetime


# -- guards: each refusal has a fixed code ------------------------------------------------------------------


def guard_kind(kind: str) -> LinkKind:
    if kind not in LinkKind.values:
        raise InvalidInput("没有这种关联方式", code="link_kind_unknown")
    return LinkKind(kind)


def guard_note(note: str) -> str:
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"说明不能超过{NOTE_MAX}字", code="link_note_too_long")
    return note


def guard_not_self(source: RecordRef, target: RecordRef) -> None:
    if source == target:
        raise InvalidInput("记录不能关联到自身", code="link_to_self")


def guard_workflow_known(ref: RecordRef) -> LinkWorkflow:
    spec = _workflows.get(ref.workflow)
    if spec is None:
        raise InvalidInput("没有这个流程", code="link_workflow_unknown")
    return spec


def guard_record_exists(actor: Actor, ref: RecordRef) -> None:
    """The record exists and the actor may see it (out of scope looks the same as absent); the system, with no
    actor, only needs it to exist."""
    spec = guard_workflow_known(ref)
    records = spec.visible(actor) if actor is not None else spec.model._default_manager.all()
    if not records.filter(pk=ref.object_id).exists():
        raise NotFound("关联的记录不存在或不在您的管辖范围内", code="link_record_not_found")


def guard_not_linked(source: RecordRef, target: RecordRef, kind: str) -> None:
    """One link of a kind between two records, whichever way it was made: B "became" A after A "became" B says
    nothing new, nor does B "related" A."""
    if _between(source, target).filter(kind=kind).exists():
        raise Conflict("这两条记录已有同样的关联", code="link_exists")


def _between(a: RecordRef, b: RecordRef) -> QuerySet[Link]:
    forward = Q(
        source_workflow=a.workflow, source_id=a.object_id, target_workflow=b.workflow, target_id=b.object_id
    )
    backward = Q(
        source_workflow=b.workflow, source_id=b.object_id, target_workflow=a.workflow, target_id=a.object_id
    )
    return Link.objects.filter(forward | backward)


# -- services -----------------------------------------------------------------------------------------------


@transaction.atomic
def link_records(*, actor: Actor, source: RecordRef, target: RecordRef, kind: str, note: str = "") -> Link:
    """Link `source` to `target` ("source became target"); both must exist and be visible to the actor."""
    source, target = RecordRef(*source), RecordRef(*target)
    link_kind = guard_kind(kind)
    note = guard_note(note)
    guard_not_self(source, target)
    guard_record_exists(actor, source)
    guard_record_exists(actor, target)
    guard_not_linked(source, target, link_kind)
    try:
        # A savepoint: a duplicate made at the same moment by someone else fails here, not the caller's work.
        with transaction.atomic():
            link = Link.objects.create(
                source_workflow=source.workflow,
                source_id=source.object_id,
                target_workflow=target.workflow,
                target_id=target.object_id,
                kind=link_kind,
                note=note,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                created_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise Conflict("这两条记录已有同样的关联", code="link_exists") from exc
    audit_record(actor=actor, action="workflow.link", obj=link, detail=_detail(link))
    return link


@transaction.atomic
def unlink(*, actor: Actor, link_id: int) -> None:
    """Remove a link; the actor must see both records, as when it was made."""
    link = Link.objects.select_for_update().filter(pk=link_id).first()
    if link is None:
        raise NotFound("关联不存在", code="link_not_found")
    for ref in _sides(link):
        try:
            guard_record_exists(actor, ref)
        except (NotFound, InvalidInput) as exc:
            raise NotFound("关联不存在", code="link_not_found") from exc
    audit_record(actor=actor, action="workflow.unlink", obj=link, detail=_detail(link))
    link.delete()


def _sides(link: Link) -> tuple[RecordRef, RecordRef]:
    return RecordRef(link.source_workflow, link.source_id), RecordRef(link.target_workflow, link.target_id)


def _detail(link: Link) -> dict[str, Any]:
    return {
        "source": [link.source_workflow, link.source_id],
        "target": [link.target_workflow, link.target_id],
        "kind": link.kind,
        "note": link.note,
    }


# -- the selector -------------------------------------------------------------------------------------------


def links_of(*, viewer: Any, workflow: str, object_id: int) -> list[LinkSeen]:
    """The record's links as it sees them, oldest first, leaving out records the viewer may not see.

    One query for the links and one per workflow on their other sides, however many there are.
    """
    here = RecordRef(workflow, object_id)
    rows = list(
        Link.objects.filter(
            Q(source_workflow=workflow, source_id=object_id)
            | Q(target_workflow=workflow, target_id=object_id)
        ).order_by("created_at", "id")
    )
    wanted: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        other = _other(row, here)
        wanted[other.workflow].add(other.object_id)
    shown: dict[str, dict[int, Any]] = {}
    for name, ids in wanted.items():
        spec = _workflows.get(name)
        if spec is not None:
            shown[name] = {record.pk: record for record in spec.visible(viewer).filter(pk__in=ids)}
    seen = []
    for row in rows:
        other = _other(row, here)
        record = shown.get(other.workflow, {}).get(other.object_id)
        if record is None:
            continue
        spec = _workflows[other.workflow]
        outgoing = (row.source_workflow, row.source_id) == here
        forward, backward = LINK_WORDING[LinkKind(row.kind)]
        seen.append(
            LinkSeen(
                link_id=row.pk,
                kind=row.kind,
                wording=str(forward if outgoing else backward),
                outgoing=outgoing,
                workflow=other.workflow,
                workflow_label=str(spec.label),
                object_id=other.object_id,
                title=spec.title(record),
                url=spec.url(record),
                note=row.note,
                created_at=row.created_at,
            )
        )
    return seen


def _other(link: Link, here: RecordRef) -> RecordRef:
    source, target = _sides(link)
    return target if source == here else source
