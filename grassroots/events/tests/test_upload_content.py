"""Uploads are judged by the whole file, not its first bytes, and served as downloads the browser will not sniff."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.events.models import Attachment, Event
from grassroots.events.uploads import check_upload

from .api_support import PNG, Api, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world: Any, settings: Any, tmp_path: Any) -> Api:
    settings.MEDIA_ROOT = tmp_path
    return Api(world)


def test_a_png_header_followed_by_html_is_refused_and_nothing_is_stored(api, world):
    polyglot = SimpleUploadedFile(
        "现场.png",
        PNG + b"<html><body><script>alert(document.cookie)</script></body></html>",
        content_type="image/png",
    )

    response = api.report(world.alice, files=[polyglot])

    assert response.status_code == 422
    assert response.json()["code"] == "file_has_markup"
    assert Event.objects.count() == 0 and Attachment.objects.count() == 0


@pytest.mark.parametrize("markup", [b"<!DOCTYPE html>", b"<svg onload=x>", b"< script>", b"<IFRAME src=x>"])
def test_markup_deep_in_a_large_file_across_chunk_boundaries_is_found(markup):
    # 64 KiB chunks by default: put the markup across the first boundary.
    body = b"\xff\xd8\xff\xe0" + b"\x00" * (64 * 1024 - 10) + markup + b"\x00" * 1000
    with pytest.raises(Exception) as refused:
        check_upload(SimpleUploadedFile("p.jpg", body, content_type="image/jpeg"))
    assert getattr(refused.value, "code", None) == "file_has_markup"


def test_an_ordinary_photo_passes(world):
    _, sniffed, digest, _ = check_upload(png())
    assert sniffed.content_type == "image/png" and len(digest) == 64


def test_an_attachment_is_served_as_a_download_that_the_browser_may_not_sniff(api, world):
    event_id = api.reported(world.alice, files=[png()])
    attachment = Attachment.objects.get(event_id=event_id)

    response = api.client(world.alice).get(f"/api/v1/events/{event_id}/attachments/{attachment.pk}")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
