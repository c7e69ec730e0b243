"""Uploaded pictures: checked by what they contain, re-encoded, and stored at a few widths.

A file's name and the browser's content type prove nothing, so Pillow reads the file itself.
It must be a JPEG, PNG, WebP or GIF within the size limits; its pixel count is checked from the
header before anything is decoded, so a small file claiming to be enormous (a decompression
bomb) is refused before it can fill the memory. What is stored is always a fresh encoding
without metadata, at each of WIDTHS no wider than the original.
"""

from __future__ import annotations

import io
import uuid
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from PIL import Image as PillowImage
from PIL import ImageOps, UnidentifiedImageError

WIDTHS = (480, 960, 1600)
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


class ImageRejected(Exception):
    """Why an upload cannot be used, in words for the person who chose the file."""


def _read_limited(upload: UploadedFile | io.BytesIO) -> bytes:
    limit = settings.BLOG_IMAGE_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ImageRejected(_too_large(limit))
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ImageRejected(_too_large(limit))
    if not content:
        raise ImageRejected("The file is empty. Choose a photo or picture.")
    return content


def _too_large(limit: int) -> str:
    return f"The picture is too large. Choose one smaller than {limit // (1024 * 1024)} MB."


def _open_checked(content: bytes) -> PillowImage.Image:
    not_a_picture = ImageRejected(
        "That file is not a picture we can use. Choose a JPEG, PNG, WebP or GIF image."
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
            picture = PillowImage.open(io.BytesIO(content))
    except (UnidentifiedImageError, PillowImage.DecompressionBombWarning, OSError) as exc:
        raise not_a_picture from exc
    except PillowImage.DecompressionBombError as exc:
        raise _too_many_pixels() from exc
    if picture.format not in ACCEPTED_FORMATS:
        raise not_a_picture
    width, height = picture.size
    if width < 1 or height < 1:
        raise not_a_picture
    if width * height > settings.BLOG_IMAGE_MAX_PIXELS:
        raise _too_many_pixels()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
            picture.load()
    except PillowImage.DecompressionBombWarning as exc:
        raise _too_many_pixels() from exc
    except (OSError, SyntaxError, ValueError) as exc:
        # Truncated or corrupt data behind a valid header.
        raise not_a_picture from exc
    return picture


def _too_many_pixels() -> ImageRejected:
    megapixels = settings.BLOG_IMAGE_MAX_PIXELS // 1_000_000
    return ImageRejected(
        f"The picture has too many pixels. Choose one under {megapixels} megapixels."
    )


def _normalised(picture: PillowImage.Image) -> tuple[PillowImage.Image, str]:
    """Upright, in a mode we can encode, and the format it will be stored in."""
    picture = ImageOps.exif_transpose(picture)
    has_alpha = picture.mode in {"RGBA", "LA", "PA"} or (
        picture.mode == "P" and "transparency" in picture.info
    )
    if has_alpha:
        return picture.convert("RGBA"), "PNG"
    return picture.convert("RGB"), "JPEG"


def _encode(picture: PillowImage.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        picture.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    else:
        picture.save(out, "PNG", optimize=True)
    return out.getvalue()


def store_picture(upload: UploadedFile | io.BytesIO) -> tuple[int, int, list[list]]:
    """Check and store a picture; its largest size and its renditions, narrowest first."""
    picture = _open_checked(_read_limited(upload))
    picture, fmt = _normalised(picture)
    width, height = picture.size
    folder = f"blog/{uuid.uuid4().hex}"
    extension = "jpg" if fmt == "JPEG" else "png"
    renditions: list[list] = []
    targets = [w for w in WIDTHS if w < width]
    if width <= WIDTHS[-1]:
        targets.append(width)
    for target in targets:
        copy = picture
        if target < width:
            copy = picture.resize(
                (target, max(1, round(height * target / width))), PillowImage.Resampling.LANCZOS
            )
        name = default_storage.save(
            f"{folder}/{target}.{extension}", ContentFile(_encode(copy, fmt))
        )
        renditions.append([copy.size[0], copy.size[1], name])
    largest = renditions[-1]
    return largest[0], largest[1], renditions


def delete_picture_files(renditions: list[list]) -> None:
    for _width, _height, name in renditions:
        default_storage.delete(name)
