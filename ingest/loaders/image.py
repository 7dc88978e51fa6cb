"""Pictures of pages — .png, .jpg/.jpeg, .webp, .tif/.tiff (each frame of a TIFF a page) —
read by OCR within the file's :class:`~ingest.ocr.OcrLimits`. A picture over
:data:`~ingest.ocr.MAX_PIXELS` is refused before it is decoded."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

from ingest.loaders.base import LoadError, RawDocument
from ingest.ocr import MAX_PIXELS, OcrLimits, OcrRun

if TYPE_CHECKING:
    from PIL import Image

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff"})


def load_image(
    data: bytes, ocr: OcrLimits | None = None, on_page: Callable[[int], None] | None = None
) -> RawDocument:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    ocr = ocr or OcrLimits()
    try:
        picture = Image.open(io.BytesIO(data))
        width, height = picture.size
    except (UnidentifiedImageError, OSError, ValueError) as e:
        raise LoadError("not a readable picture (corrupt, or not the format its name says)") from e
    except Image.DecompressionBombError as e:
        raise LoadError(f"picture too large ({e})") from e
    if width * height > MAX_PIXELS:
        raise LoadError(f"picture is {width}×{height} pixels, over the {MAX_PIXELS:,} limit")
    if not ocr.enabled:
        raise LoadError("a picture needs OCR, which is off (GOVQA_OCR=false)")
    run = OcrRun(ocr, on_page or (lambda number: None))
    texts = []
    for number, frame in enumerate(ImageSequence.Iterator(picture), start=1):
        text = run.page(number, _frame(frame))
        if text:
            texts.append(text)
        if number >= ocr.max_pages + 1:
            break  # the page after the cap is listed; the rest are not even decoded
    summary = run.summary()
    if not texts:
        reasons = "; ".join(summary.warnings) if summary else "no text found"
        raise LoadError(f"no readable text in the picture: {reasons}")
    return RawDocument(text="\n".join(texts), ocr=summary)


def _frame(frame: Image.Image) -> Callable[[], Image.Image]:
    def render() -> Image.Image:
        from PIL import ImageOps

        try:
            # a phone's photo is stored as the sensor saw it, with its turn in EXIF
            return ImageOps.exif_transpose(frame).convert("RGB")
        except (OSError, ValueError) as e:
            raise LoadError(f"picture cannot be decoded ({e})") from e

    return render
