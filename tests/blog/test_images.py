"""Pictures are judged by what they contain, not what they claim; hostile files are refused
with a reason a person can act on, and nothing of them is kept."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image as PillowImage

from blog import services
from blog.models import Image
from tests.blog.factories import picture_bytes, picture_upload

pytestmark = pytest.mark.django_db


def _files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_picture_is_stored_at_several_widths_without_its_metadata(writer, settings):
    exif = PillowImage.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make, the kind of thing a photo carries
    original = io.BytesIO()
    PillowImage.new("RGB", (2400, 1600), "orange").save(original, "JPEG", exif=exif)
    image = services.image_upload(
        upload=picture_upload("x.jpg", original.getvalue()), by=writer.user
    )
    assert [w for w, _h, _name in image.renditions] == [480, 960, 1600]
    assert (image.width, image.height) == (1600, 1067)
    assert image.srcset.count("w,") == 2
    for _w, _h, name in image.renditions:
        stored = PillowImage.open(settings.MEDIA_ROOT / name)
        assert stored.format == "JPEG"
        assert not stored.getexif()


def test_a_small_picture_is_never_enlarged(writer):
    image = services.image_upload(upload=picture_upload(width=300, height=200), by=writer.user)
    assert image.renditions[0][:2] == [300, 200]
    assert len(image.renditions) == 1


def test_a_transparent_picture_stays_a_png(writer):
    image = services.image_upload(
        upload=picture_upload(content=picture_bytes(600, 400, mode="RGBA")), by=writer.user
    )
    assert image.renditions[-1][2].endswith(".png")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.png", b"This is a text file pretending to be a picture.", "not a picture"),
        ("page.jpg", b"<html><script>alert(1)</script></html>", "not a picture"),
        (
            "drawing.png",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "not a picture",
        ),
        ("scan.png", picture_bytes(fmt="TIFF"), "not a picture"),
        ("empty.png", b"", "empty"),
    ],
)
def test_a_file_that_is_not_an_accepted_picture_is_refused(
    writer, settings, name, content, message
):
    with pytest.raises(services.BlogError, match=message):
        services.image_upload(upload=picture_upload(name, content), by=writer.user)
    assert not Image.objects.exists()
    assert _files(settings) == []


def test_a_truncated_picture_is_refused(writer):
    whole = picture_bytes(800, 600, fmt="JPEG")
    with pytest.raises(services.BlogError, match="not a picture"):
        services.image_upload(upload=picture_upload("cut.jpg", whole[:300]), by=writer.user)


def test_a_picture_over_the_size_limit_is_refused(writer, settings):
    settings.BLOG_IMAGE_MAX_BYTES = 10_000
    big = picture_upload(content=picture_bytes(400, 400) + b"\0" * 20_000)
    with pytest.raises(services.BlogError, match="too large"):
        services.image_upload(upload=big, by=writer.user)


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims an enormous picture: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    row = b"\0" + b"\0" * width
    body = zlib.compress(row * 4)  # a few rows only: the rest would decompress to gigabytes
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_is_refused_before_it_is_decoded(writer, settings):
    bomb = _png_claiming(60_000, 60_000)
    assert len(bomb) < 200_000
    with pytest.raises(services.BlogError, match="too many pixels"):
        services.image_upload(upload=picture_upload("bomb.png", bomb), by=writer.user)
    assert _files(settings) == []


def test_a_picture_just_over_our_pixel_limit_is_refused(writer, settings):
    settings.BLOG_IMAGE_MAX_PIXELS = 1_000_000
    with pytest.raises(services.BlogError, match="too many pixels"):
        services.image_upload(upload=picture_upload(width=1100, height=1000), by=writer.user)


def test_only_advisors_upload_pictures(outsider):
    with pytest.raises(services.BlogError, match="Only advisors"):
        services.image_upload(upload=picture_upload(), by=outsider)
