"""Photographs kept as evidence: read an uploaded image (JPEG or PNG only) and give its
SHA-256 and its perceptual hash (pHash: 64 bits as 16 hex digits, the ``imagehash``
library). Two copies of one photo — re-encoded, resized, slightly cropped or brightened —
have hashes a few bits apart; two different photos about half the bits apart.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from .errors import ValidationError

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}
# A phone's photograph or a video frame is well under this; more is not a still.
MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse a decompression bomb before decoding it


@dataclass(frozen=True)
class Photo:
    content_type: str
    size: int
    sha256: str
    phash: str  # 16 hex digits


def read(data: bytes) -> Photo:
    """The photo's type and hashes, or ``ValidationError`` in Chinese."""
    # imported here: the hash pulls in numpy and scipy, which no other request needs
    import imagehash
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise ValidationError("请上传照片文件", message_en="no file", detail={"field": "file"})
    if len(data) > MAX_BYTES:
        raise ValidationError(
            f"照片不能超过 {MAX_BYTES // (1024 * 1024)} MB",
            message_en="the photo is too large",
            detail={"field": "file"},
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format or ""
            if kind not in FORMATS:
                raise UnidentifiedImageError(kind)
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(
                    "照片像素过大", message_en="too many pixels", detail={"field": "file"}
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            phash = str(imagehash.phash(image))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            "照片应为 JPEG 或 PNG 格式的图片文件",
            message_en="not a JPEG or PNG image",
            detail={"field": "file"},
        ) from None
    return Photo(FORMATS[kind], len(data), hashlib.sha256(data).hexdigest(), phash)
