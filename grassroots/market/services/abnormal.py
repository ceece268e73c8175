"""Listing in and removal from the 经营异常名录 (DOMAIN.md §7), with their working-day due dates, audited."""

import datetime as dt

from django.db import IntegrityError, transaction

from grassroots.audit.services import audit_record
from grassroots.core.errors import DomainError
from grassroots.people.actors import Actor
from grassroots.workcal.calendar import local_today

from ..choices import AbnormalReason
from ..models import AbnormalListing, MarketEntity
from .risk import risk_refresh
from .workdays import LIST_WITHIN_WORKING_DAYS, REMOVE_WITHIN_WORKING_DAYS, add_working_days


def abnormal_list(
    *,
    actor: Actor,
    entity: MarketEntity,
    reason: str,
    triggered_on: dt.date,
    listed_on: dt.date | None = None,
    note: str = "",
) -> AbnormalListing:
    """List the entity for `reason`; the listing is due 10 工作日 after the trigger (a late one is kept, marked)."""
    if reason not in AbnormalReason.values:
        raise DomainError("列入事由不在规定范围内", code="bad_reason")
    listed_on = listed_on or local_today()
    if listed_on < triggered_on:
        raise DomainError("列入日期不能早于事由发生日期", code="listed_before_trigger")
    try:
        with transaction.atomic():
            listing = AbnormalListing.objects.create(
                entity=entity,
                reason=reason,
                triggered_on=triggered_on,
                list_due_on=add_working_days(triggered_on, LIST_WITHIN_WORKING_DAYS),
                listed_on=listed_on,
                listed_by=actor,
                note=note.strip(),
            )
            audit_record(
                actor=actor,
                action="abnormallisting.list",
                obj=listing,
                detail={"entity": entity.uscc, "reason": reason, "late": listing.listed_late},
            )
            risk_refresh(entity)
    except IntegrityError as exc:
        raise DomainError("该主体已因同一事由列入经营异常名录", code="already_listed") from exc
    return listing


def abnormal_comply(*, actor: Actor, listing: AbnormalListing, complied_on: dt.date) -> AbnormalListing:
    """Record that the entity complied (报送年报, 可以联系, 更正信息): removal falls due 5 工作日 later."""
    if listing.removed_on is not None:
        raise DomainError("该记录已移出经营异常名录", code="already_removed")
    if complied_on < listing.listed_on:
        raise DomainError("履行义务日期不能早于列入日期", code="complied_before_listing")
    with transaction.atomic():
        listing.complied_on = complied_on
        listing.remove_due_on = add_working_days(complied_on, REMOVE_WITHIN_WORKING_DAYS)
        listing.save(update_fields=["complied_on", "remove_due_on"])
        audit_record(
            actor=actor,
            action="abnormallisting.comply",
            obj=listing,
            detail={"complied_on": str(complied_on)},
        )
    return listing


def abnormal_remove(
    *, actor: Actor, listing: AbnormalListing, reason: str, removed_on: dt.date | None = None
) -> AbnormalListing:
    """Remove the entity from the list with a reason (compare-and-set: only an open listing)."""
    reason = reason.strip()
    if not reason:
        raise DomainError("移出经营异常名录必须填写理由", code="reason_required")
    removed_on = removed_on or local_today()
    with transaction.atomic():
        changed = AbnormalListing.objects.filter(pk=listing.pk, removed_on__isnull=True).update(
            removed_on=removed_on, removal_reason=reason, removed_by=actor
        )
        if not changed:
            raise DomainError("该记录已移出经营异常名录", code="already_removed")
        listing.refresh_from_db()
        late = listing.remove_due_on is not None and removed_on > listing.remove_due_on
        audit_record(
            actor=actor, action="abnormallisting.remove", obj=listing, detail={"reason": reason, "late": late}
        )
        risk_refresh(listing.entity)
    return listing
