import datetime as dt

import pytest

from grassroots.audit.models import AuditEntry
from grassroots.core.errors import DomainError
from grassroots.workcal.models import CalendarOverride

from ..choices import AbnormalReason
from ..services.abnormal import abnormal_comply, abnormal_list, abnormal_remove
from ..services.workdays import add_working_days
from .support import make_entity

# 2 June 2025 is the Dragon Boat holiday (a Monday); 2025-09-29 is a Monday; 1–8 October 2025 are the National Day holidays, 28 Sep and 11 Oct make-up working days.


def test_working_days_skip_weekends_holidays_and_the_start_day(db):
    assert add_working_days(dt.date(2025, 6, 2), 5) == dt.date(2025, 6, 9)


def test_the_listing_is_due_ten_working_days_after_the_trigger_across_national_day(world):
    entity = make_entity(world, 1)
    listing = abnormal_list(
        actor=world.dora,
        entity=entity,
        reason=AbnormalReason.UNREACHABLE,
        triggered_on=dt.date(2025, 9, 29),
        listed_on=dt.date(2025, 10, 20),
    )
    # 9-30, 10-9, 10-10, 10-11 (make-up), 10-13 … 10-17, 10-20: the tenth working day.
    assert listing.list_due_on == dt.date(2025, 10, 20)
    assert not listing.listed_late
    assert AuditEntry.objects.get(action="abnormallisting.list").detail["late"] is False


def test_a_late_listing_is_kept_and_marked_and_a_second_open_listing_for_the_same_reason_is_refused(world):
    entity = make_entity(world, 1)
    listing = abnormal_list(
        actor=world.dora,
        entity=entity,
        reason=AbnormalReason.NO_ANNUAL_REPORT,
        triggered_on=dt.date(2025, 7, 1),
        listed_on=dt.date(2025, 8, 1),
    )
    assert listing.listed_late
    with pytest.raises(DomainError) as refused:
        abnormal_list(
            actor=world.dora,
            entity=entity,
            reason=AbnormalReason.NO_ANNUAL_REPORT,
            triggered_on=dt.date(2025, 7, 1),
        )
    assert refused.value.code == "already_listed"


def test_compliance_sets_the_removal_due_date_and_removal_needs_a_reason_once(world):
    entity = make_entity(world, 1)
    listing = abnormal_list(
        actor=world.dora,
        entity=entity,
        reason=AbnormalReason.NO_ANNUAL_REPORT,
        triggered_on=dt.date(2025, 7, 1),
    )
    abnormal_comply(actor=world.dora, listing=listing, complied_on=listing.listed_on)
    assert listing.remove_due_on == add_working_days(listing.listed_on, 5)
    with pytest.raises(DomainError):
        abnormal_remove(actor=world.dora, listing=listing, reason="")
    abnormal_remove(actor=world.dora, listing=listing, reason="已补报年度报告")
    assert listing.removed_by == world.dora and listing.removal_reason == "已补报年度报告"
    with pytest.raises(DomainError) as again:
        abnormal_remove(actor=world.dora, listing=listing, reason="再次移出")
    assert again.value.code == "already_removed"
    assert AuditEntry.objects.filter(action="abnormallisting.remove").count() == 1


def test_a_local_calendar_override_moves_the_due_date(world):
    CalendarOverride.objects.create(date=dt.date(2025, 6, 3), is_workday=False, name="测试")
    assert add_working_days(dt.date(2025, 6, 2), 5) == dt.date(2025, 6, 10)
