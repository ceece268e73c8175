"""Exports of event lists are audited (DOMAIN.md §10): who took which list, with which filters, how many rows, and
a personal-data read for every reporter the file shows unmasked."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from grassroots.audit.services import audit_record, audit_record_read
from grassroots.people.actors import Actor

from ..models import Event


@transaction.atomic
def event_list_export_record(
    *,
    actor: Actor,
    what: str,
    reason: str,
    params: dict[str, Any],
    rows: int,
    unmasked: Sequence[Event],
    fields: Sequence[str],
) -> None:
    """One export row (with its reason, 事由), and one read row per event whose reporter (`fields`) went out unmasked (bulk-written)."""
    audit_record(
        actor=actor,
        action="export",
        object_type="events.export",
        object_id=what[:64],
        object_repr=what[:200],
        detail={"reason": reason, "params": params, "rows": rows, "unmasked": len(unmasked)},
    )
    if unmasked:
        audit_record_read(actor=actor, objects=unmasked, fields=fields, purpose=what)
