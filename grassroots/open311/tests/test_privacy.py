"""Personal data never leaves through the public endpoints or the report page: not the reporter, not staff notes."""

import pytest
from django.test import Client

from grassroots.events import services as loop
from grassroots.events.models import Event
from grassroots.open311.models import Open311Request

from .conftest import IN_GRID_A

pytestmark = pytest.mark.django_db
SECRETS = [
    "张三丰",
    "三丰",
    "13900001111",
    "1390000",
    "zhang.sanfeng@example.com",
    "sanfeng",
    "device-secret-1",
    "account-secret-9",
    "330421199001011234",
]


def test_no_reporter_data_in_any_body_in_either_format(api, world):
    answer = api.post(
        service_code="FW0402",
        first_name="三丰",
        last_name="张",
        phone="13900001111",
        email="zhang.sanfeng@example.com",
        device_id="device-secret-1",
        account_id="account-secret-9",
        description="村口井盖丢了。我是张三丰，电话 139-0000-1111，身份证 330421199001011234，邮箱 zhang.sanfeng@example.com",
        **IN_GRID_A,
    )
    assert answer.status == 201
    number = answer.rows[0]["service_request_id"]
    event = Event.objects.get(number=number)
    loop.event_verify(actor=world.oscar, event=event, verifier=world.alice)
    token = Open311Request.objects.get(event=event).token
    bodies = []
    for fmt in ("xml", "json"):
        for path in [
            "services",
            "services/FW0402",
            "requests",
            f"requests/{number}",
            f"tokens/{token}",
            "servicerequestupdates",
            "discovery",
        ]:
            found = api.get(path, fmt)
            assert found.status == 200, path
            bodies.append(found.text)
    page = Client()
    bodies.append(page.get(f"/report/track/?number={number}").content.decode())
    bodies.append(page.get(f"/report/track/{token}/").content.decode())
    everything = "\n".join(bodies)
    for secret in SECRETS:
        assert secret not in everything, secret
    # The description is published with the contact details it contains masked.
    [row] = api.get(f"requests/{number}").rows
    assert "139****1111" in row["description"]
    assert "330***********1234" in row["description"]
    assert "***@***" in row["description"]
    assert "张" in row["description"]  # a bare surname is not identifying
