"""Made-up site photos for demo records that need one (an inspection's findings, a re-check): small PNGs of a shop
interior, walls, shelves and goods in random colours, written with the standard library only. Each is different,
so stored files never collide."""

import functools
import io
import random
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

WIDTH, HEIGHT = 160, 120
Colour = tuple[int, int, int]


def _colour(rng: random.Random, low: int, high: int) -> Colour:
    return (rng.randint(low, high), rng.randint(low, high), rng.randint(low, high))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def shop_png(rng: random.Random) -> bytes:
    """A shop wall with three shelves of goods above a floor."""
    wall, floor, shelf = _colour(rng, 175, 240), _colour(rng, 80, 140), _colour(rng, 60, 110)
    rows = [bytearray(bytes(wall) * WIDTH) for _ in range(HEIGHT)]
    for y in range(int(HEIGHT * 0.78), HEIGHT):
        rows[y] = bytearray(bytes(floor) * WIDTH)
    for top in (14, 40, 66):
        rows[top + 18] = rows[top + 19] = bytearray(bytes(shelf) * WIDTH)
        x = rng.randint(2, 8)
        while x < WIDTH - 6:
            width, height = min(rng.randint(6, 16), WIDTH - x), rng.randint(8, 17)
            goods = bytes(_colour(rng, 30, 230)) * width
            for y in range(top + 18 - height, top + 18):
                rows[y][3 * x : 3 * (x + width)] = goods
            x += width + rng.randint(1, 4)
    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 6))
        + _chunk(b"IEND", b"")
    )


def site_photo(rng: random.Random, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, shop_png(rng), content_type="image/png")


def shop_jpeg(rng: random.Random) -> bytes:
    """The same kind of picture as a JPEG."""
    out = io.BytesIO()
    Image.open(io.BytesIO(shop_png(rng))).save(out, format="JPEG", quality=80)
    return out.getvalue()


@functools.cache
def sample_png() -> bytes:
    """One fixed real PNG, for tests that need a photo that decodes."""
    return shop_png(random.Random(0))


@functools.cache
def sample_jpeg() -> bytes:
    """One fixed real JPEG, for tests that need a photo that decodes."""
    return shop_jpeg(random.Random(0))
