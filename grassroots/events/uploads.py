"""Checking uploaded photos and audio notes by their whole content (not their names) and size: a photo is decoded
and what is stored is a re-encoded copy without metadata; an audio note must parse (`upload_media`)."""

import hashlib
import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

from grassroots.core.errors import InvalidInput

from .choices import AttachmentKind
from .upload_media import Unreadable, parse_audio, reencode_image

MAX_BYTES = {AttachmentKind.PHOTO: 10 * 1024 * 1024, AttachmentKind.AUDIO: 20 * 1024 * 1024}


# Markup a browser would run if it ever sniffed the file as a page: refused anywhere in the file, not only at its head
# (a PNG header followed by HTML is a known polyglot). Random image or audio bytes never spell these.
MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed|meta|\?xml)\b", re.I)


@dataclass(frozen=True)
class Sniffed:
    kind: str
    content_type: str
    extension: str


def sniff(head: bytes) -> Sniffed | None:
    """The file's real type from its first bytes, if it is one we accept."""
    photo, audio = AttachmentKind.PHOTO, AttachmentKind.AUDIO
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed(photo, "image/jpeg", ".jpg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed(photo, "image/png", ".png")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed(photo, "image/webp", ".webp")
    if head[4:8] == b"ftyp" and head[8:12] in {b"heic", b"heix", b"mif1", b"msf1"}:
        return Sniffed(photo, "image/heic", ".heic")
    if head[4:8] == b"ftyp" and head[8:11] in {b"M4A", b"mp4", b"iso", b"3gp"}:
        return Sniffed(audio, "audio/mp4", ".m4a")
    if head.startswith(b"ID3") or head[:2] in {b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"}:
        return Sniffed(audio, "audio/mpeg", ".mp3")
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return Sniffed(audio, "audio/wav", ".wav")
    if head.startswith(b"#!AMR"):
        return Sniffed(audio, "audio/amr", ".amr")
    if head.startswith(b"OggS"):
        return Sniffed(audio, "audio/ogg", ".ogg")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return Sniffed(audio, "audio/webm", ".webm")
    return None


class Checked(NamedTuple):
    """An upload that passed: what to store (a re-encoded copy for a photo), its type, its digest, and for a photo
    what its EXIF said (`taken_at`, `lat`, `lng`, kept in the record, never in the stored file)."""

    upload: UploadedFile
    sniffed: Sniffed
    sha256: str
    exif: dict[str, Any]


# The sniffed photo type -> Pillow's name for it (what the decoder must find).
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/heic": "HEIF"}
WRITTEN = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "WEBP": ("image/webp", ".webp")}


def check_upload(upload: UploadedFile) -> Checked:
    """The upload judged by its whole content, or InvalidInput with a message in Chinese and a stable code."""
    name = upload.name or "附件"
    upload.seek(0)
    head = upload.read(32)
    sniffed = sniff(head)
    if sniffed is None:
        raise InvalidInput(
            f"文件“{name}”不是支持的照片（JPEG/PNG/WebP/HEIC）或录音（MP3/M4A/WAV/AMR/OGG/WebM）格式",
            code="unsupported_file_type",
        )
    size = upload.size or 0
    limit = MAX_BYTES[AttachmentKind(sniffed.kind)]
    if size > limit:
        raise InvalidInput(
            f"文件“{name}”大小 {size / 1048576:.1f} MB，超过{AttachmentKind(sniffed.kind).label}上限 "
            f"{limit // 1048576} MB",
            code="file_too_large",
        )
    if size == 0:
        raise InvalidInput(f"文件“{name}”是空文件", code="empty_file")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if MARKUP.search(data):
        raise InvalidInput(
            f"文件“{name}”内含网页代码（HTML/脚本），不是纯粹的照片或录音，已拒收", code="file_has_markup"
        )
    if sniffed.kind == AttachmentKind.AUDIO:
        try:
            parse_audio(data, sniffed.extension)
        except Unreadable as exc:
            raise InvalidInput(
                f"文件“{name}”无法解析为录音（文件已损坏或不是真正的{sniffed.extension[1:].upper()}录音），已拒收",
                code="file_undecodable",
            ) from exc
        return Checked(upload, sniffed, hashlib.sha256(data).hexdigest(), {})
    try:
        encoded, written, exif = reencode_image(data, PILLOW_FORMATS[sniffed.content_type])
    except Unreadable as exc:
        raise InvalidInput(
            f"文件“{name}”无法解码为照片（文件已损坏或不是真正的图片），已拒收", code="file_undecodable"
        ) from exc
    content_type, extension = WRITTEN[written]
    stored = SimpleUploadedFile(name, encoded, content_type=content_type)
    digest = hashlib.sha256(encoded).hexdigest()
    return Checked(stored, Sniffed(sniffed.kind, content_type, extension), digest, exif)
