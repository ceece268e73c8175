"""A real Open311 client from PyPI (`georeport`) reads a running server, in JSON and in XML.

The server is pytest-django's live server (a real HTTP socket, another thread), so the bodies, content types
and URLs are what any GeoReport v2 client sees.
"""

import pytest
from georeport import GeoReport

from grassroots.events import services as loop

from .conftest import IN_GRID_A, ensure_catalogue

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _catalogue() -> None:
    ensure_catalogue()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_lists_services_and_reads_requests(api, world, live_server, fmt):
    number = api.file("FW0403", **{"attribute[size]": "large"})
    other = api.file("FW0402", **IN_GRID_A)
    loop.event_void(
        actor=world.oscar, event=api.client.requests.get(event__number=other).event, reason="重复"
    )
    client = GeoReport(f"{live_server.url}/open311/v2", jurisdiction=world.district.code, output_format=fmt)

    services = {s["service_code"]: s for s in client.get_service_list()}
    assert services["FW0403"]["service_name"] == "道路破损"
    assert services["FW0403"]["group"] == "便民服务"

    definition = client.get_service_definition("FW0403")
    attributes = definition["attributes"] if fmt == "json" else definition["attributes"]["attribute"]
    first = attributes[0] if isinstance(attributes, list) else attributes
    assert first["code"] == "size"

    requests = client.get_service_requests()
    requests = requests if isinstance(requests, list) else [requests]
    assert {r["service_request_id"] for r in requests} == {number, other}
    open_only = client.get_service_requests(status="open")
    open_only = open_only if isinstance(open_only, list) else [open_only]
    assert [r["service_request_id"] for r in open_only] == [number]

    one = client.get_service_request(number)
    assert one["service_request_id"] == number
    assert one["status"] == "open"
    assert one["service_code"] == "FW0403"
