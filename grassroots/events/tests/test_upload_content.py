"""Uploads are judged by the whole file, not its first bytes: photos decoded and stored re-encoded without EXIF (its
time and place kept in the record), audio parsed; served as downloads the browser will not sniff."""

import hashlib
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from grassroots.demo.photos import sample_jpeg
from grassroots.events.models import Attachment, Event
from grassroots.events.uploads import check_upload

from .api_support import PNG, Api, png
from .media_support import AUDIO, photo_with_exif

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


def stored_bytes(attachment: Attachment) -> bytes:
    with attachment.file.open("rb") as stored:
        return stored.read()


def test_what_follows_a_real_png_is_never_stored_because_the_image_is_re_encoded(api, world):
    # Script without markup tags passes the markup scan; only re-encoding drops it.
    trailer = b"alert(document.cookie)//" * 40
    event_id = api.reported(world.alice, files=[SimpleUploadedFile("现场.png", PNG + trailer)])

    attachment = Attachment.objects.get(event_id=event_id)
    stored = stored_bytes(attachment)
    assert trailer not in stored and b"alert" not in stored
    assert Image.open(io.BytesIO(stored)).format == "PNG"
    assert attachment.size == len(stored) and attachment.sha256 == hashlib.sha256(stored).hexdigest()


@pytest.mark.parametrize(
    "name, body",
    [
        ("头尾是图片.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        ("截断.jpg", sample_jpeg()[: len(sample_jpeg()) // 2]),
        ("伪装.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 64),
        ("伪装.heic", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64),
    ],
)
def test_a_photo_that_does_not_decode_is_refused_with_a_stable_code(api, world, name, body):
    response = api.report(world.alice, files=[SimpleUploadedFile(name, body)])

    assert response.status_code == 422
    assert response.json()["code"] == "file_undecodable"
    assert "无法解码为照片" in response.json()["message"]
    assert Event.objects.count() == 0 and Attachment.objects.count() == 0


@pytest.mark.parametrize(
    "fmt, content_type", [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_exif_time_and_place_are_kept_in_the_record_and_stripped_from_the_stored_photo(
    api, world, fmt, content_type
):
    event_id = api.reported(world.alice, files=[SimpleUploadedFile("带定位.img", photo_with_exif(fmt))])

    attachment = Attachment.objects.get(event_id=event_id)
    assert attachment.exif == {"taken_at": "2026-12-01T09:30:00", "lat": 30.945, "lng": 120.885}
    assert attachment.content_type == content_type
    stored = Image.open(io.BytesIO(stored_bytes(attachment)))
    assert stored.format == fmt
    assert not stored.getexif() and "exif" not in stored.info


def test_a_heic_photo_is_stored_as_a_jpeg_the_browser_can_show():
    heic = io.BytesIO()
    Image.open(io.BytesIO(sample_jpeg())).save(heic, format="HEIF")

    stored, sniffed, _, _ = check_upload(SimpleUploadedFile("iPhone.heic", heic.getvalue()))

    assert (sniffed.content_type, sniffed.extension) == ("image/jpeg", ".jpg")
    assert Image.open(stored).format == "JPEG"


@pytest.mark.parametrize("kind", sorted(AUDIO))
def test_real_audio_notes_are_accepted_and_stored_as_sent(kind):
    data = AUDIO[kind]()
    stored, sniffed, _, exif = check_upload(SimpleUploadedFile(f"录音.{kind}", data))
    assert sniffed.kind == "audio" and exif == {}
    assert stored.read() == data


@pytest.mark.parametrize("kind", sorted(AUDIO))
def test_audio_with_the_right_first_bytes_that_does_not_parse_is_refused(api, world, kind):
    data = AUDIO[kind]()
    fake = data[:12] + b"\x00" * (len(data) - 13)

    response = api.report(world.alice, files=[SimpleUploadedFile(f"录音.{kind}", fake)])

    assert response.status_code == 422
    assert response.json()["code"] == "file_undecodable"
    assert "无法解析为录音" in response.json()["message"]
    assert Event.objects.count() == 0
