"""Each limit of a petition on the calendar, hand-computed. 信访工作条例's 15 日, 60 日 and 30 日 are natural days
(the start day not counted; a period whose last day is a rest day ends at 24:00 of the next working day); its
5 个工作日 are working days (ending 17:30). 2026: Labour Day 1–5 May (9 May a working Saturday), National Day 1–7
October (10 October a working Saturday)."""

import datetime as dt

import pytest

from grassroots.core.errors import DomainError
from grassroots.workflow.models import Clock

from ..petition_choices import PetitionStatus
from ..services import petition_handling as h
from ..services import petitions as p
from .petition_support import at, build_office, register


@pytest.fixture
def o(world):
    return build_office(world)


def clock(petition, name):
    return Clock.objects.filter(workflow="petition", object_id=petition.pk, name=name).latest("id")


def code_of(call):
    with pytest.raises(DomainError) as exc:
        call()
    return exc.value.code


def test_the_15_days_to_decide_end_after_the_national_day_holiday(o):
    petition = register(o, now=at(2026, 9, 22, 10))  # counts from 23 September
    # the 15th day is 7 October, a holiday: the period ends with 8 October, the first working day after
    assert clock(petition, "acceptance").due_at == at(2026, 10, 9)
    assert clock(petition, "acceptance").unit == "natural_days"
    p.petition_accept(actor=o.xia, petition=petition, now=at(2026, 10, 8, 16))
    assert clock(petition, "acceptance").overdue is False


def test_a_letter_received_before_registration_counts_from_its_receipt(o):
    petition = register(o, received_at=at(2026, 6, 1, 9), now=at(2026, 6, 3, 9))
    assert clock(petition, "acceptance").due_at == at(2026, 6, 17)  # 2–16 June


def test_a_transferred_matter_is_returned_within_5_working_days(o):
    received = at(2026, 9, 29, 10)  # Tuesday
    petition = register(o, transferred_from="嘉善县信访局", now=received)
    # 30 September; (1–7 October); 8, 9, 10 (working Saturday), 12 October: the 5th working day
    assert clock(petition, "objection").due_at == at(2026, 10, 12, 17, 30)
    late = register(o, transferred_from="嘉善县信访局", now=received)
    assert (
        code_of(
            lambda: p.petition_object(
                actor=o.xia, petition=late, reason="属县自然资源局职权", now=at(2026, 10, 12, 17, 31)
            )
        )
        == "objection_out_of_time"
    )
    p.petition_object(actor=o.xia, petition=petition, reason="属县自然资源局职权", now=at(2026, 10, 12, 17))
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.RETURNED
    assert clock(petition, "objection").result == "object"
    own = register(o, now=at(2026, 9, 29, 10))
    assert code_of(lambda: p.petition_object(actor=o.xia, petition=own, reason="x")) == "not_transferred_in"


def test_the_60_days_run_from_acceptance_and_extend_once_by_at_most_30(o):
    petition = register(o, now=at(2026, 3, 2, 9))
    p.petition_accept(
        actor=o.xia, petition=petition, leader=o.lena, now=at(2026, 3, 2, 10)
    )  # counts from 3 March
    # 3–31 March (29), April (30): the 60th day is 1 May, a holiday to 5 May → ends with 6 May
    assert clock(petition, "handling").due_at == at(2026, 5, 7)
    assert (
        code_of(
            lambda: h.petition_extend(
                actor=o.lena, petition=petition, days=31, reason="需现场测量", now=at(2026, 4, 20)
            )
        )
        == "extension_too_long"
    )
    assert (
        code_of(
            lambda: h.petition_extend(
                actor=o.lena, petition=petition, days=30, reason=" ", now=at(2026, 4, 20)
            )
        )
        == "reason_required"
    )
    h.petition_extend(actor=o.lena, petition=petition, days=30, reason="需现场测量", now=at(2026, 4, 20))
    # 90 days from 3 March: 31 May, a Sunday → ends with Monday 1 June
    assert clock(petition, "handling").due_at == at(2026, 6, 2)
    assert (
        code_of(
            lambda: h.petition_extend(
                actor=o.lena, petition=petition, days=5, reason="再延", now=at(2026, 4, 21)
            )
        )
        == "already_extended"
    )
    assert petition.history.get(action="extend").data["clocks"][0]["seconds"] == 30 * 86400
    assert petition.documents.filter(kind="extension").count() == 1


def answered(o, when):
    petition = register(o, now=when - dt.timedelta(days=20))
    p.petition_accept(actor=o.xia, petition=petition, leader=o.lena, now=when - dt.timedelta(days=19))
    return h.petition_answer(
        actor=o.lena, petition=petition, outcome="explain", text="经核实已足额发放。", now=when
    )


def test_review_is_asked_within_30_days_of_the_answer(o):
    # answered 10 September: counts from 11 September; the 30th day is 10 October, a working Saturday
    petition = answered(o, at(2026, 9, 10, 15))
    assert clock(petition, "review_request").due_at == at(2026, 10, 11)
    late = answered(o, at(2026, 9, 10, 15))
    assert (
        code_of(
            lambda: h.petition_request_review(
                actor=o.xia, petition=late, requested_on=dt.date(2026, 10, 11), now=at(2026, 10, 12, 9)
            )
        )
        == "request_out_of_time"
    )
    assert (
        code_of(lambda: h.petition_close(actor=o.xia, petition=late, now=at(2026, 10, 10, 9)))
        == "request_window_open"
    )
    h.petition_close(actor=o.xia, petition=late, now=at(2026, 10, 11, 0))
    assert clock(late, "review_request").result == "expired"
    h.petition_request_review(
        actor=o.xia, petition=petition, requested_on=dt.date(2026, 10, 10), now=at(2026, 10, 12, 9)
    )
    # the request came on 10 October: the 复查's 30 days count from 11 October; the 30th is 9 November (Mon)
    assert clock(petition, "review").due_at == at(2026, 11, 10)
    assert clock(petition, "review_request").result == "requested"


def test_recheck_is_asked_and_answered_within_30_days_and_closes_the_matter(o):
    petition = answered(o, at(2026, 3, 2, 10))
    h.petition_request_review(actor=o.xia, petition=petition, now=at(2026, 3, 20, 10))
    h.petition_answer_review(
        actor=o.lena, petition=petition, outcome="not_support", text="维持原意见。", now=at(2026, 4, 1, 10)
    )
    # counts from 2 April; the 30th day is 1 May, a holiday to 5 May → ends with 6 May
    assert clock(petition, "recheck_request").due_at == at(2026, 5, 7)
    h.petition_request_recheck(
        actor=o.xia, petition=petition, requested_on=dt.date(2026, 5, 6), now=at(2026, 5, 6, 16)
    )
    # counts from 7 May; the 30th day is 5 June (Friday)
    assert clock(petition, "recheck").due_at == at(2026, 6, 6)
    h.petition_answer_recheck(
        actor=o.lena, petition=petition, outcome="not_support", text="复核维持。", now=at(2026, 6, 5, 10)
    )
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.CLOSED
    assert clock(petition, "recheck").overdue is False
    assert (
        not Clock.objects.filter(workflow="petition", object_id=petition.pk).exclude(state="stopped").exists()
    )


def test_limits_are_settings_with_the_regulations_defaults(o, settings):
    settings.GOVERNANCE_PETITION_ACCEPTANCE_DAYS = 10
    petition = register(o, now=at(2026, 6, 1, 9))
    assert clock(petition, "acceptance").due_at == at(2026, 6, 12)  # 2–11 June
    assert "信访工作条例 第二十三条" in clock(petition, "acceptance").limit_source
