"""Versioned catalogue entries: publishing, the next draft, the version in force at a moment, and every
refusal by its code. The event types are the concrete catalogue these run against (an abstract model has no
table of its own, and a test-only model would need a migration)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.core.errors import Conflict, InvalidInput
from grassroots.events.models import EventType, TimeLimit
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.choices import CatalogueStatus
from grassroots.workflow.publishing import current, new_draft, publish, retire

pytestmark = pytest.mark.django_db
CODE = "ZF0103"


def v1() -> EventType:
    return EventType.objects.get(code=CODE, version=1)


def test_every_catalogue_type_starts_as_version_1_published_and_in_force():
    assert not EventType.objects.exclude(version=1, status=CatalogueStatus.PUBLISHED).exists()
    assert not EventType.objects.filter(valid_from__isnull=True).exists()
    assert current(EventType, CODE) == v1()


def test_a_new_draft_copies_the_published_version_and_its_limits_as_the_next_number(world):
    draft = new_draft(v1(), actor=world.oscar)
    assert (draft.code, draft.version, draft.status) == (CODE, 2, CatalogueStatus.DRAFT)
    assert (draft.valid_from, draft.valid_until) == (None, None)
    assert (draft.name, draft.parent_id, draft.default_unit_suffix) == (v1().name, v1().parent_id, "ZFZD")
    copied = list(draft.limits.order_by("level").values_list("level", "amount", "unit"))
    assert copied == list(v1().limits.order_by("level").values_list("level", "amount", "unit"))
    assert v1().limits.count() == 4  # copied, not moved
    assert current(EventType, CODE) == v1()  # a draft is never in force
    assert AuditEntry.objects.filter(action="eventtype.draft", object_id=str(draft.pk)).exists()


def test_publishing_closes_the_previous_window_at_the_new_start_and_is_audited(world):
    draft = new_draft(v1(), actor=world.oscar)
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    publish(draft, actor=world.oscar, valid_from=start)
    old = v1()
    assert old.status == CatalogueStatus.PUBLISHED and old.valid_until == start
    draft.refresh_from_db()
    assert (draft.status, draft.valid_from, draft.valid_until) == (CatalogueStatus.PUBLISHED, start, None)
    entry = AuditEntry.objects.get(action="eventtype.publish", object_id=str(draft.pk))
    assert entry.detail["supersedes"] == 1 and entry.detail["valid_from"] == start.isoformat()


def test_current_gives_the_version_in_force_on_each_side_of_a_change(world):
    first_start = v1().valid_from
    assert first_start is not None
    change = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    v2 = publish(new_draft(v1(), actor=world.oscar), actor=world.oscar, valid_from=change)
    second = dt.timedelta(seconds=1)
    assert current(EventType, CODE, first_start - second) is None  # before the entry existed
    assert current(EventType, CODE, first_start) == v1()
    assert current(EventType, CODE) == v1()  # now: the change is still ahead
    assert current(EventType, CODE, change - second) == v1()
    assert current(EventType, CODE, change) == v2
    assert current(EventType, CODE, change + dt.timedelta(days=400)) == v2
    assert current(EventType, "NO0000") is None
    assert EventType.objects.in_force(change).filter(code__startswith="ZF01").count() == 6  # one per code


def test_only_a_draft_can_be_published(world):
    with pytest.raises(Conflict) as refused:
        publish(v1(), actor=world.oscar)
    assert refused.value.code == "catalogue_not_draft"


def test_a_new_draft_comes_only_from_a_published_version_and_one_at_a_time(world):
    draft = new_draft(v1(), actor=world.oscar)
    with pytest.raises(Conflict) as refused:
        new_draft(v1(), actor=world.oscar)
    assert refused.value.code == "catalogue_draft_exists"
    with pytest.raises(Conflict) as refused:
        new_draft(draft, actor=world.oscar)
    assert refused.value.code == "catalogue_not_published"
    assert EventType.objects.filter(code=CODE).count() == 2


def test_a_version_may_not_start_before_the_one_in_force(world):
    draft = new_draft(v1(), actor=world.oscar)
    with pytest.raises(InvalidInput) as refused:
        publish(draft, actor=world.oscar, valid_from=v1().valid_from)
    assert refused.value.code == "catalogue_starts_too_early"
    draft.refresh_from_db()
    assert draft.status == CatalogueStatus.DRAFT and v1().valid_until is None


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"statutory_limit": Decimal(0)}, "limit_not_positive"),
        ({"statutory_limit": Decimal(5), "limit_unit": ""}, "limit_unit_missing"),
        ({"statutory_limit": Decimal(3)}, "level_limit_exceeds_statutory"),  # L3 5 and L4 7 working days
    ],
)
def test_a_draft_with_invalid_limits_is_not_published(world, fields, code):
    draft = new_draft(v1(), actor=world.oscar)
    EventType.objects.filter(pk=draft.pk).update(**fields)
    with pytest.raises(InvalidInput) as refused:
        publish(draft, actor=world.oscar)
    assert refused.value.code == code
    assert current(EventType, CODE) == v1()


def test_a_draft_whose_limits_fit_is_published(world):
    draft = new_draft(v1(), actor=world.oscar)
    EventType.objects.filter(pk=draft.pk).update(
        statutory_limit=Decimal(10), promised_limit=Decimal(7), limit_unit=LimitUnit.WORKING_DAYS
    )
    assert publish(draft, actor=world.oscar).status == CatalogueStatus.PUBLISHED


def test_a_promise_longer_than_the_law_is_refused_by_clean_and_by_the_database(world):
    draft = new_draft(v1(), actor=world.oscar)
    draft.statutory_limit, draft.promised_limit = Decimal(5), Decimal(6)
    with pytest.raises(ValidationError) as refused:
        draft.full_clean()
    assert [e.code for e in refused.value.error_dict["promised_limit"]] == ["promise_exceeds_statutory"]
    draft.statutory_limit = None
    with pytest.raises(ValidationError) as refused:
        draft.full_clean()
    assert [e.code for e in refused.value.error_dict["promised_limit"]] == ["promise_without_statutory"]
    for statutory in (Decimal(5), None):
        with pytest.raises(IntegrityError), transaction.atomic():
            EventType.objects.filter(pk=draft.pk).update(statutory_limit=statutory, promised_limit=Decimal(6))


def test_the_database_keeps_one_open_published_version_per_code(world):
    draft = new_draft(v1(), actor=world.oscar)
    with pytest.raises(IntegrityError), transaction.atomic():
        EventType.objects.filter(pk=draft.pk).update(
            status=CatalogueStatus.PUBLISHED, valid_from=timezone.now()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        EventType.objects.filter(pk=draft.pk).update(version=1)


def test_a_retired_version_stays_findable_for_the_time_it_was_in_force(world):
    end = timezone.now().replace(microsecond=0) + dt.timedelta(hours=1)
    retire(v1(), actor=world.oscar, at=end)
    assert v1().status == CatalogueStatus.RETIRED
    assert current(EventType, CODE, end - dt.timedelta(seconds=1)) == v1()
    assert current(EventType, CODE, end) is None
    with pytest.raises(Conflict) as refused:
        retire(v1(), actor=world.oscar)
    assert refused.value.code == "catalogue_not_published"


def test_the_limit_label_names_the_version_and_the_limit():
    assert v1().limit_label(Decimal("5.0"), LimitUnit.WORKING_DAYS) == "ZF0103 v1：5 工作日"
    assert v1().limit_label(Decimal("0.5"), LimitUnit.NATURAL_DAYS) == "ZF0103 v1：0.5 自然日"
    assert TimeLimit.objects.filter(event_type=v1()).count() == 4
