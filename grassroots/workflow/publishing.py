"""Publishing catalogue versions: draft → published, the next draft, and the version in force at a moment.

Each service is atomic, refuses with a named guard (a fixed `code`), and writes its audit row in the same
transaction. Publishing closes the window of the version in force before it, so one code never has two.
"""

import datetime as dt
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.core.errors import Conflict, InvalidInput
from grassroots.core.refcache import reference_caches_clear
from grassroots.people.actors import Actor

from .catalogue import CatalogueVersion, limit_problem
from .choices import CatalogueStatus

V = TypeVar("V", bound=CatalogueVersion)


# -- guards ---------------------------------------------------------------------------------------------------


def guard_is_draft(entry: CatalogueVersion) -> None:
    if entry.status != CatalogueStatus.DRAFT:
        raise Conflict(
            "只有草稿可以发布", code="catalogue_not_draft", details={"version": entry.version_label}
        )


def guard_is_published(entry: CatalogueVersion) -> None:
    if entry.status != CatalogueStatus.PUBLISHED:
        raise Conflict(
            "只能从已发布的版本新建草稿",
            code="catalogue_not_published",
            details={"version": entry.version_label},
        )


def guard_limits_valid(entry: CatalogueVersion) -> None:
    problem = limit_problem(entry.statutory_limit, entry.promised_limit, entry.limit_unit)
    if problem is not None:
        raise InvalidInput(problem[1], code=problem[0], details={"version": entry.version_label})
    for code, message in entry.catalogue_problems():
        raise InvalidInput(message, code=code, details={"version": entry.version_label})


def guard_starts_after(previous: CatalogueVersion | None, valid_from: dt.datetime) -> None:
    if previous is not None and previous.valid_from is not None and valid_from <= previous.valid_from:
        raise InvalidInput(
            "新版本的生效时间必须晚于现行版本的生效时间",
            code="catalogue_starts_too_early",
            details={"in_force": previous.version_label, "valid_from": previous.valid_from.isoformat()},
        )


def guard_no_draft(model: type[CatalogueVersion], code: str) -> None:
    if model.objects.filter(code=code, status=CatalogueStatus.DRAFT).exists():
        raise Conflict(
            "该条目已有草稿，请先发布或删除它", code="catalogue_draft_exists", details={"code": code}
        )


# -- selectors ------------------------------------------------------------------------------------------------


def current(model: type[V], code: str, at: dt.datetime | None = None) -> V | None:
    """The version of `code` in force at `at` (default now), or None (not yet, no longer, or unknown)."""
    found: V | None = model.objects.in_force(at).filter(code=code).first()
    return found


# -- services -------------------------------------------------------------------------------------------------


def _audit(entry: CatalogueVersion, *, actor: Actor, action: str, detail: dict[str, Any]) -> None:
    audit_record(
        actor=actor,
        action=f"{entry._meta.model_name}.{action}",
        obj=entry,
        object_repr=str(entry)[:200],
        detail={"code": entry.code, "version": entry.version, **detail},
    )


@transaction.atomic
def publish(entry: V, *, actor: Actor, valid_from: dt.datetime | None = None) -> V:
    """Publish a draft from `valid_from` (default now); the version in force until then ends at that moment."""
    model = type(entry)
    # Lock every version of the code, so two publishers of one entry take turns (PostgreSQL; SQLite writes
    # one at a time anyway). The unique index on the open published version backs this up.
    versions = {
        v.pk: v for v in model.objects.select_for_update().filter(code=entry.code).order_by("version")
    }
    fresh = versions.get(entry.pk)
    if fresh is None:
        raise Conflict("版本已被删除", code="stale_catalogue", details={"version": entry.version_label})
    guard_is_draft(fresh)
    guard_limits_valid(fresh)  # as stored: unsaved edits of the caller's copy are not what gets published
    start = (valid_from or timezone.now()).replace(microsecond=0)
    previous = next(
        (
            v
            for v in versions.values()
            if v.status == CatalogueStatus.PUBLISHED and v.valid_until is None and v.pk != entry.pk
        ),
        None,
    )
    guard_starts_after(previous, start)
    try:
        with transaction.atomic():
            if previous is not None:
                previous.valid_until = start
                previous.save(update_fields=["valid_until"])
            fresh.status, fresh.valid_from, fresh.valid_until = CatalogueStatus.PUBLISHED, start, None
            fresh.save(update_fields=["status", "valid_from", "valid_until"])
    except IntegrityError:
        raise Conflict("该条目已被他人发布，请刷新后重试", code="stale_catalogue") from None
    entry.status, entry.valid_from, entry.valid_until = fresh.status, fresh.valid_from, fresh.valid_until
    detail: dict[str, Any] = {"valid_from": start.isoformat()}
    if previous is not None:
        detail["supersedes"] = previous.version
    _audit(entry, actor=actor, action="publish", detail=detail)
    return entry


@transaction.atomic
def new_draft(entry: V, *, actor: Actor) -> V:
    """A new draft copied from a published version (its fields and owned rows), numbered after the last one."""
    model = type(entry)
    guard_is_published(entry)
    guard_no_draft(model, entry.code)
    last = model.objects.filter(code=entry.code).aggregate(n=Max("version"))["n"] or 0
    source_pk = entry.pk
    draft = model.objects.get(pk=source_pk)
    draft.pk = None
    draft._state.adding = True
    draft.version = last + 1
    draft.status, draft.valid_from, draft.valid_until = CatalogueStatus.DRAFT, None, None
    try:
        with transaction.atomic():
            draft.save()
    except IntegrityError:
        raise Conflict("该条目已有草稿，请先发布或删除它", code="catalogue_draft_exists") from None
    source = model.objects.get(pk=source_pk)
    for name in model.catalogue_copy_related:
        relation = model._meta.get_field(name)
        for row in getattr(source, name).all():
            row.pk = None
            row._state.adding = True
            setattr(row, relation.field.name, draft)  # type: ignore[union-attr]
            row.save()
    _audit(draft, actor=actor, action="draft", detail={"from_version": entry.version})
    return draft


@transaction.atomic
def retire(entry: V, *, actor: Actor, at: dt.datetime | None = None) -> V:
    """Withdraw the version in force without a successor: its window ends at `at` (default now)."""
    guard_is_published(entry)
    end = (at or timezone.now()).replace(microsecond=0)
    if entry.valid_until is not None or (entry.valid_from is not None and end <= entry.valid_from):
        raise Conflict(
            "只能停用现行版本", code="catalogue_not_in_force", details={"version": entry.version_label}
        )
    matched = (
        type(entry)
        .objects.filter(pk=entry.pk, status=CatalogueStatus.PUBLISHED, valid_until__isnull=True)
        .update(status=CatalogueStatus.RETIRED, valid_until=end)
    )
    if matched != 1:
        raise Conflict("该版本已被他人改变，请刷新后重试", code="stale_catalogue")
    entry.status, entry.valid_until = CatalogueStatus.RETIRED, end
    reference_caches_clear()  # update() sends no signal; lookups memoised by code must see the change now
    _audit(entry, actor=actor, action="retire", detail={"valid_until": end.isoformat()})
    return entry
