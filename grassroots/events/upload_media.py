"""Reading an upload's whole content: a photo decoded and re-encoded without its metadata (what it said about time and
place kept apart for the record), an audio note parsed. Anything that does not decode or parse is `Unreadable`."""

import datetime as dt
import io
import warnings
from typing import Any

import mutagen
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE
from PIL import Image, ImageOps
from pillow_heif import register_heif_opener

register_heif_opener()

# A phone photo is at most ~50 megapixels; past that a "photo" is a decompression bomb.
MAX_PIXELS = 64_000_000
# Pillow's format name -> the format the re-encoded copy is written in (HEIC, which browsers cannot show, as JPEG).
SAVE_AS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "HEIF": "JPEG"}
MODES = {
    "JPEG": {"RGB", "L"},
    "PNG": {"RGB", "RGBA", "L", "LA", "P", "1", "I", "I;16"},
    "WEBP": {"RGB", "RGBA"},
}

EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL, DATETIME = 0x9003, 0x0132


class Unreadable(Exception):
    """The content does not decode (an image) or parse (audio) as the type its first bytes claim."""


def reencode_image(data: bytes, pillow_format: str) -> tuple[bytes, str, dict[str, Any]]:
    """The image decoded in full and written again with no metadata: (bytes, Pillow format written, EXIF facts)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format != pillow_format:
                raise Unreadable(f"{image.format} is not {pillow_format}")
            if image.width * image.height > MAX_PIXELS:
                raise Unreadable("too many pixels")
            image.load()
            facts = exif_facts(image)
            # Turned upright by its EXIF orientation first, since the copy carries no orientation tag.
            upright = ImageOps.exif_transpose(image)
    # UnidentifiedImageError (not an image at all) is an OSError; a truncated file an OSError or a SyntaxError.
    except (
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise Unreadable(str(exc)) from exc
    target = SAVE_AS[pillow_format]
    if upright.mode not in MODES[target]:
        upright = upright.convert("RGBA" if target == "WEBP" and "A" in upright.mode else "RGB")
    out = io.BytesIO()
    options: dict[str, Any] = {"quality": 90} if target in {"JPEG", "WEBP"} else {}
    upright.save(out, format=target, **options)
    return out.getvalue(), target, facts


def exif_facts(image: Image.Image) -> dict[str, Any]:
    """When and where the photo says it was taken, from its EXIF: `taken_at` (as written, local time) and `lat`/`lng`
    in decimal degrees, each only when present and sane."""
    facts: dict[str, Any] = {}
    try:
        exif = image.getexif()
        taken = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(DATETIME)
        if isinstance(taken, str):
            facts["taken_at"] = dt.datetime.strptime(taken.strip("\x00 "), "%Y:%m:%d %H:%M:%S").isoformat()
    except (ValueError, TypeError, KeyError, OSError):
        pass
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
        lat, lng = _degrees(gps.get(2), gps.get(1), "S"), _degrees(gps.get(4), gps.get(3), "W")
        if lat is not None and lng is not None and abs(lat) <= 90 and abs(lng) <= 180:
            facts["lat"], facts["lng"] = round(lat, 7), round(lng, 7)
    except (ValueError, TypeError, KeyError, OSError, ZeroDivisionError):
        pass
    return facts


def _degrees(value: Any, ref: Any, negative: str) -> float | None:
    if not value or len(value) != 3:
        return None
    degrees, minutes, seconds = (float(part) for part in value)
    decimal = degrees + minutes / 60 + seconds / 3600
    return -decimal if str(ref).strip("\x00 ").upper() == negative else decimal


# -- audio --------------------------------------------------------------------------------------------------------

MUTAGEN_TYPES: dict[str, tuple[type[Any], ...]] = {
    ".mp3": (MP3,),
    ".m4a": (MP4,),
    ".wav": (WAVE,),
    ".ogg": (OggOpus, OggVorbis),
}


def parse_audio(data: bytes, extension: str) -> None:
    """Nothing when the audio parses as its sniffed format; Unreadable otherwise."""
    if extension == ".amr":
        return _parse_amr(data)
    if extension == ".webm":
        return _parse_webm(data)
    for kind in MUTAGEN_TYPES[extension]:
        try:
            parsed = kind(io.BytesIO(data))
        except (mutagen.MutagenError, ValueError, EOFError, IndexError, OverflowError):
            continue
        # Parsed is enough: a phone's fragmented MP4 may state no duration.
        if parsed.info is not None:
            return None
    raise Unreadable(f"not {extension}")


# Bytes per frame (header included) by frame type, for AMR-NB and AMR-WB storage files (RFC 4867 §5); 0 = reserved.
AMR_NB = (13, 14, 16, 18, 20, 21, 27, 32, 6, 0, 0, 0, 0, 0, 0, 1)
AMR_WB = (18, 24, 33, 37, 41, 47, 51, 59, 61, 6, 0, 0, 0, 0, 1, 1)


def _parse_amr(data: bytes) -> None:
    """Every frame walked to the end: a known frame type, zero padding bits, the file ending on a frame boundary."""
    if data.startswith(b"#!AMR-WB\n"):
        sizes, pos = AMR_WB, 9
    elif data.startswith(b"#!AMR\n"):
        sizes, pos = AMR_NB, 6
    else:
        raise Unreadable("no AMR magic")
    frames = 0
    while pos < len(data):
        header = data[pos]
        size = sizes[(header >> 3) & 0x0F]
        if header & 0x83 or size == 0 or pos + size > len(data):
            raise Unreadable(f"bad AMR frame at {pos}")
        pos += size
        frames += 1
    if frames == 0:
        raise Unreadable("no AMR frames")


EBML, SEGMENT, CLUSTER = 0x1A45DFA3, 0x18538067, 0x1F43B675
BLOCKS = {0xA3, 0xA0}  # SimpleBlock, BlockGroup


def _vint(data: bytes, pos: int, *, keep_marker: bool) -> tuple[int, int, bool]:
    """An EBML variable-length integer at `pos`: (value, its length, whether it is the all-ones "unknown" size)."""
    if pos >= len(data) or data[pos] == 0:
        raise Unreadable(f"bad EBML number at {pos}")
    length = 9 - data[pos].bit_length()
    if pos + length > len(data):
        raise Unreadable("EBML number past the end")
    value = data[pos] if keep_marker else data[pos] & (0xFF >> length)
    for byte in data[pos + 1 : pos + length]:
        value = value << 8 | byte
    unknown = not keep_marker and value == (1 << (7 * length)) - 1
    return value, length, unknown


def _parse_webm(data: bytes) -> None:
    """Every element walked to the end of the file (the segment and its clusters entered, even of unknown size, as
    a browser's MediaRecorder writes them): an EBML header naming webm, then a segment holding audio blocks."""
    pos, blocks, header_seen = 0, 0, False
    while pos < len(data):
        element, id_length, _ = _vint(data, pos, keep_marker=True)
        size, size_length, unknown = _vint(data, pos + id_length, keep_marker=False)
        body = pos + id_length + size_length
        if not header_seen:
            if element != EBML or unknown or b"webm" not in data[body : body + size]:
                raise Unreadable("no webm EBML header")
            header_seen = True
        if element in {SEGMENT, CLUSTER}:
            pos = body  # entered: its children follow
            continue
        if unknown or body + size > len(data):
            raise Unreadable(f"bad EBML element at {pos}")
        blocks += element in BLOCKS
        pos = body + size
    if blocks == 0:
        raise Unreadable("no audio blocks")
