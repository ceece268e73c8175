"""The reporter's identity by role (DOMAIN.md §10): the command room sees it and the read is audited; the
handling units (department and village staff) never see it, not even as the author of the report step."""

from typing import Any

import pytest

from grassroots.audit.models import AuditEntry

from .api_support import Api, Cast, cast_of

pytestmark = pytest.mark.django_db

CALLER = {
    "source": "phone",
    "reporter_name": "刘德华",
    "reporter_phone": "13912345678",
    "reporter_email": "liu@example.com",
}


@pytest.fixture
def api(world: Any, settings: Any, tmp_path: Any) -> Api:
    settings.MEDIA_ROOT = tmp_path
    return Api(world)


@pytest.fixture
def cast(world: Any) -> Cast:
    return cast_of(world)


def reads_of(event_id: int) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(action="personal_data.read", object_id=str(event_id)).order_by("id")
    )


def dispatched_phone_report(api: Api, world: Any, unit_id: int) -> int:
    event_id = api.reported(world.oscar, **CALLER)
    api.ok(world.oscar, event_id, "verify", verifier_id=world.alice.pk)
    api.ok(world.alice, event_id, "verify", valid=True)
    api.ok(world.oscar, event_id, "register")
    api.ok(world.oscar, event_id, "dispatch", lead_unit_id=unit_id)
    return event_id


def test_the_operator_sees_the_callers_phone_and_the_read_is_audited(api, world, cast):
    event_id = dispatched_phone_report(api, world, world.agency.pk)
    before = len(reads_of(event_id))

    reporter = api.detail(world.oscar, event_id)["reporter"]

    assert reporter == {
        "name": "刘德华",
        "phone": "13912345678",
        "email": "liu@example.com",
        "anonymous": False,
        "masked": False,
    }
    reads = reads_of(event_id)
    assert len(reads) == before + 1
    assert reads[-1].actor_id == world.oscar.pk
    assert reads[-1].detail["purpose"] == "api.events.detail"


def test_department_staff_see_the_caller_masked_and_nothing_is_audited(api, world, cast):
    event_id = dispatched_phone_report(api, world, world.agency.pk)
    before = len(reads_of(event_id))

    reporter = api.detail(world.dora, event_id)["reporter"]

    assert reporter == {
        "name": "刘*华",
        "phone": "139****5678",
        "email": "l***@example.com",
        "anonymous": False,
        "masked": True,
    }
    assert len(reads_of(event_id)) == before


def test_village_staff_handling_an_event_see_the_caller_masked(api, world, cast):
    event_id = dispatched_phone_report(api, world, cast.village_committee.pk)

    detail = api.detail(world.bob, event_id)

    assert detail["level"] == 2
    assert (detail["reporter"]["name"], detail["reporter"]["phone"]) == ("刘*华", "139****5678")


def test_a_handling_unit_cannot_tell_which_grid_worker_reported(api, world, cast):
    event_id = api.reported(world.alice)
    api.ok(world.oscar, event_id, "register")
    api.ok(world.oscar, event_id, "dispatch", lead_unit_id=world.agency.pk)

    detail = api.detail(world.dora, event_id)

    assert detail["reporter"]["name"] == "王*丽"
    assert detail["reporter"]["phone"] == "138****5678"
    assert detail["history"][0]["actor"] == "王*丽"  # the report step does not give the reporter away
    assert detail["history"][1]["actor"] == world.oscar.name


def test_reporters_see_their_own_report_unmasked_without_an_audit_row(api, world):
    event_id = api.reported(world.alice)

    reporter = api.detail(world.alice, event_id)["reporter"]

    assert (reporter["name"], reporter["phone"], reporter["masked"]) == ("王丽丽", "13812345678", False)
    assert reads_of(event_id) == []


def test_an_anonymous_report_shows_no_one_and_audits_nothing(api, world):
    event_id = api.reported(world.oscar, source="phone", anonymous=True, reporter_name="刘德华")

    reporter = api.detail(world.oscar, event_id)["reporter"]

    assert reporter == {"name": "", "phone": "", "email": "", "anonymous": True, "masked": False}
    assert reads_of(event_id) == []
