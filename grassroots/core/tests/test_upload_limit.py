"""A file past the upload limit stops the reading of the body: most of it is never read, and no view sees it."""

import io
import json
import sys

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, ClientHandler, encode_multipart

from grassroots.events.models import Event
from grassroots.people.services import api_token_create

LIMIT = 64 * 1024
FILE_BYTES = 4 * 1024 * 1024

pytestmark = pytest.mark.django_db


class CountingInput(io.RawIOBase):
    """The request body as a server hands it over, counting what Django reads of it."""

    def __init__(self, data: bytes) -> None:
        self.data = io.BytesIO(data)
        self.taken = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.data.read(size)
        self.taken += len(chunk)
        return chunk

    def readline(self, size: int | None = -1) -> bytes:
        line = self.data.readline(size)
        self.taken += len(line)
        return line


def post(path: str, fields: dict, *, csrf: bool = False, **headers: str):
    body = encode_multipart(BOUNDARY, fields)
    stream = CountingInput(body)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": stream,
        "wsgi.errors": sys.stderr,
        "CONTENT_TYPE": MULTIPART_CONTENT,
        "CONTENT_LENGTH": str(len(body)),
        **headers,
    }
    response = ClientHandler(enforce_csrf_checks=csrf)(environ)
    return response, stream.taken, len(body)


def big_photo() -> io.BytesIO:
    # The file's content is never looked at: the limit stops the reading long before its end.
    photo = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * FILE_BYTES)
    photo.name = "大图.png"
    return photo


@pytest.fixture
def small_limit(settings):
    settings.UPLOAD_FILE_MAX_BYTES = LIMIT


def test_an_api_upload_past_the_limit_is_refused_having_read_only_its_start(world, small_limit):
    _, key = api_token_create(actor=None, person=world.alice, name="upload")
    fields = {
        "event_type": "ZF0101",
        "title": "占道",
        "lat": "30.945",
        "lon": "120.885",
        "files": big_photo(),
    }

    response, taken, total = post("/api/v1/events", fields, HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 413, response.content[:300]
    assert json.loads(response.content)["code"] == "file_too_large"
    assert "未读完即拒收" in json.loads(response.content)["message"]
    assert taken < LIMIT + 256 * 1024 < total
    assert not Event.objects.exists()


def test_a_page_upload_past_the_limit_is_refused_while_the_csrf_check_reads_the_form(world, small_limit):
    fields = {"service_code": "FW0402", "description": "井盖丢了", "photos": big_photo()}

    # A CSRF cookie, so that the check goes on to read the form's token from the body.
    cookie = "csrftoken=" + "a" * 32
    response, taken, total = post("/report/", fields, csrf=True, HTTP_COOKIE=cookie)

    assert response.status_code == 413
    assert "单个文件上限" in response.content.decode()
    assert taken < LIMIT + 256 * 1024 < total
    assert not Event.objects.exists()


def test_an_open311_upload_past_the_limit_is_refused_in_its_shape(world, small_limit):
    fields = {"service_code": "FW0402", "description": "井盖丢了", "lat": "30.945", "long": "120.885"}

    response, taken, total = post("/open311/v2/requests.json", {**fields, "media": big_photo()})

    assert response.status_code == 413
    assert json.loads(response.content)[0]["code"] == 413
    assert taken < LIMIT + 256 * 1024 < total
