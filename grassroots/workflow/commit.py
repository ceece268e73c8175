"""The write of every step of every workflow: compare-and-set the record on (pk, version, status), its history row
and its audit row, in the caller's transaction.

A lost race writes nothing: the loser's update matches no row and it raises `Conflict` before any other write, so a
service that calls `commit_move` first (after its checks) never leaves half a step behind.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Model
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.core.errors import Conflict, InvalidInput
from grassroots.people.actors import Actor

from .choices import ResultKind


@dataclass(frozen=True)
class Moved:
    """What `commit_move` did: the states before and after, the record's new version, and when."""

    from_status: str
    to_status: str
    seq: int
    at: dt.datetime


# (record, moved) → the history row, written by the workflow in its own table.
History = Callable[[Any, Moved], Model]


def commit_move(
    record: Any,
    *,
    workflow: str,
    actor: Actor,
    action: str,
    to: str | None,
    history: History,
    data: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
    stale: tuple[str, str] = ("stale_record", "记录已被他人处理或已变化，请刷新后重试"),
    object_repr: str = "",
    result: str | None = None,
    allowed_results: frozenset[str] | None = None,
    **fields: Any,
) -> tuple[Moved, Model]:
    """Move `record` (as the caller loaded it) to `to`, or keep its status, set `fields` in the same statement, and
    record the step; `record` is updated in memory to match. `stale` is the conflict's code and message."""
    now = now or timezone.now()
    if result is not None:
        guard_result(result, allowed_results)
        fields["result"] = result
    model = type(record)
    from_status = record.status
    to_status = to or from_status
    values = {"status": to_status, "updated_at": now, **fields}
    matched = model.objects.filter(pk=record.pk, version=record.version, status=from_status).update(
        version=F("version") + 1, **values
    )
    if matched != 1:
        code, message = stale
        raise Conflict(message, code=code, details={"action": action})
    record.version += 1
    for name, value in values.items():
        setattr(record, name, value)
    moved = Moved(from_status=from_status, to_status=to_status, seq=record.version, at=now)
    row = history(record, moved)
    audit_record(
        actor=actor,
        action=f"{workflow}.{action}",
        obj=record,
        object_repr=(object_repr or str(record))[:200],
        detail={
            "from": from_status,
            "to": to_status,
            "seq": record.version,
            **({"result": result} if result else {}),
            **(data or {}),
        },
    )
    return moved, row


def commit_with_history(
    record: Any,
    *,
    history_model: type[Model],
    record_field: str,
    workflow: str,
    stale: tuple[str, str],
    actor: Actor,
    action: str,
    to: str | None,
    now: dt.datetime,
    note: str = "",
    data: dict[str, Any] | None = None,
    **fields: Any,
) -> tuple[Moved, Model]:
    """`commit_move` for a workflow whose history is one row of `history_model` per step (record, action, from and
    to status, actor, time, note, data): empty values are left out of the data."""
    payload = {k: v for k, v in (data or {}).items() if v not in (None, "", [])}

    def history(target: Any, moved: Moved) -> Model:
        return history_model.objects.create(  # type: ignore[attr-defined]
            **{record_field: target},
            action=action,
            from_status=moved.from_status,
            to_status=moved.to_status,
            actor=actor,
            at=moved.at,
            note=note,
            data=payload,
        )

    return commit_move(
        record,
        workflow=workflow,
        actor=actor,
        action=action,
        to=to,
        history=history,
        data=payload,
        now=now,
        stale=stale,
        object_repr=str(record),
        **fields,
    )


def guard_result(result: str, allowed: frozenset[str] | None) -> None:
    """A named guard: a case closes with one of the result kinds its catalogue entry allows."""
    if result not in ResultKind.values or (allowed is not None and result not in allowed):
        raise InvalidInput(
            "办理结果不在本事项允许的结果之中", code="result_not_allowed", details={"result": result}
        )
