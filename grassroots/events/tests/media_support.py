"""Small real media for upload tests: every file here decodes or parses as what it claims to be."""

import io
import random
import struct
import wave

from django.core.files.uploadedfile import SimpleUploadedFile
from mutagen.ogg import OggPage
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from grassroots.demo.photos import shop_png

GPS_LAT, GPS_LNG = (30, 56, 42), (120, 53, 6)  # 30.945°N, 120.885°E: a village in the test township


def photo_with_exif(fmt: str = "JPEG") -> bytes:
    """A photo whose EXIF says when (2026-12-01 09:30) and where it was taken."""
    image = Image.open(io.BytesIO(shop_png(random.Random(1))))
    exif = Image.Exif()
    exif[0x0112] = 1  # orientation: upright
    exif.get_ifd(0x8769)[0x9003] = "2026:12:01 09:30:00"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", tuple(IFDRational(part) for part in GPS_LAT)
    gps[3], gps[4] = "E", tuple(IFDRational(part) for part in GPS_LNG)
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif)
    return out.getvalue()


def mp3() -> bytes:
    """Twenty silent MPEG-1 layer III frames (128 kbit/s, 44.1 kHz, mono): 417 bytes each."""
    return (b"\xff\xfb\x90\xc4" + b"\x00" * 413) * 20


def wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        writer.writeframes(b"\x00\x00" * 800)
    return out.getvalue()


def ogg_opus() -> bytes:
    """An Ogg Opus stream: its two header packets and one second of silent frames."""
    pages = []
    packets = [
        b"OpusHead\x01\x01" + struct.pack("<HIhB", 312, 48000, 0, 0),
        b"OpusTags" + struct.pack("<I", 4) + b"test" + struct.pack("<I", 0),
        b"\xf8\xff\xfe" * 1,
    ]
    for sequence, packet in enumerate(packets):
        page = OggPage()
        page.serial, page.sequence, page.packets = 1, sequence, [packet]
        page.first, page.last = sequence == 0, sequence == len(packets) - 1
        page.position = 0 if sequence < 2 else 48000 + 312
        pages.append(page.write())
    return b"".join(pages)


def webm() -> bytes:
    """What a browser's MediaRecorder writes: an EBML header, a segment and a cluster of unknown size, one block."""
    header = b"\x1a\x45\xdf\xa3" + b"\x87" + b"\x42\x82\x84webm"
    tracks = b"\x16\x54\xae\x6b" + b"\x83" + b"\xae\x81\x00"
    cluster = b"\x1f\x43\xb6\x75" + b"\x01\xff\xff\xff\xff\xff\xff\xff" + b"\xe7\x81\x00"
    block = b"\xa3\x85" + b"\x81\x00\x00\x80\xfc"
    return header + b"\x18\x53\x80\x67\x01\xff\xff\xff\xff\xff\xff\xff" + tracks + cluster + block * 3


def amr() -> bytes:
    """Ten AMR-NB 12.2 kbit/s frames (32 bytes each, header byte 0x3C)."""
    return b"#!AMR\n" + (b"\x3c" + b"\x00" * 31) * 10


AUDIO = {"mp3": mp3, "wav": wav, "ogg": ogg_opus, "webm": webm, "amr": amr}


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def as_stored(data: bytes) -> bytes:
    """The bytes stored for an uploaded photo: its re-encoded copy (the same input always gives the same copy)."""
    from grassroots.events.uploads import check_upload

    return check_upload(SimpleUploadedFile("photo", data)).upload.read()
