"""PDF files: the text layer of every page (a PDF encrypted with an empty user password
opens; one with a real password is refused with a reason). A page without a usable
text layer — a scan, or a layer of garbage — is rendered (pypdfium2) and read by OCR,
that page only, within the file's :class:`~ingest.ocr.OcrLimits`."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from ingest.loaders.base import NEWLINES, LoadError, RawDocument, logger, too_long
from ingest.ocr import MAX_SIDE, OcrLimits, OcrRun

if TYPE_CHECKING:
    from collections.abc import Callable

    from PIL import Image

# A text layer is usable when it holds this many characters, most of them ones a report
# is written in (not (cid:12) runs, private-use glyphs or replacement characters).
_MIN_CHARS = 10
_GOOD = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffefA-Za-z0-9\s.,;:!?%()\-\"'“”‘’]")


def usable(text: str) -> bool:
    """Whether a page's text layer reads as text."""
    chars = "".join(text.split())
    if len(chars) < _MIN_CHARS or "(cid:" in text:
        return False
    return sum(1 for ch in chars if _GOOD.match(ch)) >= 0.8 * len(chars)


def load_pdf(
    data: bytes,
    max_chars: int,
    ocr: OcrLimits | None = None,
    on_page: Callable[[int], None] | None = None,
) -> RawDocument:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    ocr = ocr or OcrLimits()
    try:
        reader = PdfReader(io.BytesIO(data))
        # Many PDFs are encrypted with an empty user password (to set permissions): they
        # open without one. AES needs the cryptography package (pypdf[crypto]).
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError("encrypted PDF, needs a password")
        pages = list(reader.pages)
    except LoadError:
        raise
    except DependencyError as e:
        raise LoadError(f"encrypted PDF that this installation cannot decrypt ({e})") from e
    except Exception as e:  # pypdf raises many types on bad input
        if "crypt" in type(e).__name__.lower() or "decrypt" in str(e).lower():
            raise LoadError("PDF is encrypted and cannot be read") from e
        raise LoadError("corrupt .pdf: cannot read the PDF structure") from e

    run = OcrRun(ocr, on_page or (lambda number: None))
    texts: list[str] = []
    length = 0
    for number, page in enumerate(pages, start=1):
        try:
            page_text = page.extract_text() or ""
        except Exception as e:  # untrusted input: any failure is the file's
            logger.warning("PDF page %d: text extraction failed (%s)", number, e)
            page_text = ""
        if not usable(page_text) and ocr.enabled:
            page_text = run.page(number, _renderer(data, number - 1)) or ""
        if page_text.strip():
            texts.append(page_text.strip("\n"))
            length += len(texts[-1]) + 1
            if length > max_chars + 1:  # the pages joined by "\n" are over the limit
                raise LoadError(too_long(max_chars))
    text = NEWLINES.sub("\n", "\n".join(texts))
    summary = run.summary()
    if not text.strip():
        if summary is not None:
            raise LoadError(f"no readable text: {'; '.join(summary.warnings)}")
        hint = "" if ocr.enabled else " and OCR is off (GOVQA_OCR)"
        raise LoadError(f"PDF has no text layer (scanned?){hint}")
    return RawDocument(text=text, ocr=summary)


def _renderer(data: bytes, index: int) -> Callable[[], Image.Image]:
    """Draws page ``index`` for OCR, its long side at most MAX_SIDE pixels."""

    def render() -> Image.Image:
        import pypdfium2 as pdfium

        try:
            document = pdfium.PdfDocument(data)
            try:
                page = document[index]
                width, height = page.get_size()  # in points
                scale = min(MAX_SIDE / max(width, height, 1.0), 200 / 72)
                return page.render(scale=scale, grayscale=True).to_pil()
            finally:
                document.close()
        except pdfium.PdfiumError as e:
            raise LoadError(f"PDF page {index + 1} cannot be drawn for OCR ({e})") from e

    return render
