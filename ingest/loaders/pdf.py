"""PDF files: the text layer of every page (a PDF encrypted with an empty user password
opens; one with a real password is refused with a reason)."""

from __future__ import annotations

import io

from ingest.loaders.base import NEWLINES, LoadError, RawDocument, logger, too_long


def load_pdf(data: bytes, max_chars: int) -> RawDocument:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

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

    texts: list[str] = []
    length = 0
    for number, page in enumerate(pages, start=1):
        try:
            page_text = page.extract_text() or ""
        except Exception as e:  # untrusted input: any failure is the file's
            logger.warning("PDF page %d: text extraction failed (%s)", number, e)
            continue
        if page_text.strip():
            texts.append(page_text.strip("\n"))
            length += len(texts[-1]) + 1
            if length > max_chars + 1:  # the pages joined by "\n" are over the limit
                raise LoadError(too_long(max_chars))
    text = NEWLINES.sub("\n", "\n".join(texts))
    if not text.strip():
        raise LoadError("PDF has no text layer (scanned?)")
    return RawDocument(text=text)
