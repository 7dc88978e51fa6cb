"""Word files (.docx): paragraphs and table rows in document order, and the core title,
once the zip has been checked for what python-docx would choke on (a zip bomb, a document
of millions of elements, a text over the character limit)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ingest.loaders.base import (
    NEWLINES,
    LoadError,
    RawDocument,
    fmt_limit,
    fmt_size,
    logger,
    require_text,
    str_or_none,
    too_long,
)

if TYPE_CHECKING:
    from docx.table import Table

# A .docx is a zip whose parts python-docx reads whole into memory. Checked from the zip's
# directory before any part is read: the parts all together, and how far one large part
# expands (Word's own XML compresses 10-150:1; a zip bomb about 1,000:1). The zip module
# never yields more of a part than the directory declares, so the directory cannot lie.
_DOCX_MAX_PARTS = 10_000
_DOCX_MAX_EXPANDED = 256 * 1024 * 1024
_DOCX_MAX_RATIO = 300
_DOCX_RATIO_FROM = 10 * 1024 * 1024  # parts smaller than this may compress any amount
# python-docx holds every element of the document at once (about 450 bytes each, 20 s a
# million), on top of the ingest's 0.6 GB: a larger document is refused while it streams.
# A report at the character limit as Word writes it (a run of a few elements every 20 or
# so characters) has fewer.
_DOCX_MAX_ELEMENTS = 500_000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)


def load_docx(data: bytes, max_chars: int) -> RawDocument:
    import docx
    from docx.table import Table

    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise LoadError("corrupt .docx: it is an old .doc file (save it as .docx)")
    _check_docx_parts(data, max_chars)
    try:
        document = docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise LoadError("corrupt .docx: not a zip archive") from e
    except Exception as e:  # python-docx raises many types on bad input
        raise LoadError("corrupt .docx: no readable Word document inside") from e

    paragraphs: list[str] = []
    try:
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                paragraphs.extend(_docx_table_rows(block))
            elif block.text.strip():
                paragraphs.append(block.text)
        title = document.core_properties.title
    except Exception as e:  # untrusted input: any failure is the file's
        raise LoadError("corrupt .docx: broken document content") from e
    text = require_text("\n".join(paragraphs), "Word document has no text")
    return RawDocument(text=NEWLINES.sub("\n", text), title=str_or_none(title))


def _check_docx_parts(data: bytes, max_chars: int) -> None:
    """Refuse a Word file python-docx would choke on, before it reads any part: from the zip
    directory (how many parts, how large they expand, how far one is compressed), then by
    streaming its XML parts (how many elements, how much text in the main document)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as e:
        raise LoadError("corrupt .docx: not a zip archive") from e
    with archive:
        parts = archive.infolist()
        if len(parts) > _DOCX_MAX_PARTS:
            raise LoadError(
                f"Word file has {len(parts):,} parts, over the {_DOCX_MAX_PARTS:,} limit"
            )
        expanded = sum(part.file_size for part in parts)
        if expanded > _DOCX_MAX_EXPANDED:
            raise LoadError(
                f"Word file expands to {fmt_size(expanded)}, over the "
                f"{fmt_limit(_DOCX_MAX_EXPANDED)} limit for its parts (a zip bomb?)"
            )
        for part in parts:
            ratio = part.file_size // max(part.compress_size, 1)
            if part.file_size >= _DOCX_RATIO_FROM and ratio > _DOCX_MAX_RATIO:
                raise LoadError(
                    f"Word file part {part.filename!r} expands {ratio:,}:1 "
                    f"({fmt_size(part.compress_size)} to {fmt_size(part.file_size)}), over "
                    f"{_DOCX_MAX_RATIO}:1 (a zip bomb?)"
                )
        _stream_docx_parts(archive, parts, max_chars)


def _stream_docx_parts(archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo], limit: int) -> None:
    """Count the elements of every XML part, and the text of the main document, as they
    stream from the zip; stop and refuse at the first limit passed. A part that does not
    parse is left for python-docx to judge."""
    from lxml import etree

    main = _docx_main_part(archive)
    elements = 0
    for part in parts:
        if not part.filename.lower().endswith((".xml", ".rels")):
            continue
        chars = 0
        try:
            with archive.open(part) as stream:
                for _, element in etree.iterparse(
                    stream, events=("end",), resolve_entities=False, no_network=True
                ):
                    elements += 1
                    if elements > _DOCX_MAX_ELEMENTS:
                        raise LoadError(
                            f"Word document too large: over {_DOCX_MAX_ELEMENTS:,} XML elements"
                        )
                    if part.filename == main and element.tag == _W + "t":
                        chars += len(element.text or "")
                        if chars > limit:
                            raise LoadError(too_long(limit))
                    # Keep memory flat: nothing read so far is needed again.
                    element.clear()
                    parent = element.getparent()
                    while parent is not None and element.getprevious() is not None:
                        del parent[0]
        except LoadError:
            raise
        except Exception:  # broken XML or a broken part: python-docx reports it, or not
            logger.debug("cannot stream %s", part.filename, exc_info=True)


def _docx_main_part(archive: zipfile.ZipFile) -> str | None:
    """The name of the main document part (word/document.xml), from the package's rels."""
    from lxml import etree

    try:
        with archive.open("_rels/.rels") as stream:
            for _, element in etree.iterparse(
                stream, events=("end",), resolve_entities=False, no_network=True
            ):
                if element.get("Type") == _OFFICE_DOCUMENT and element.get("Target"):
                    return str(element.get("Target")).lstrip("/")
                element.clear()
    except Exception:  # no rels, or broken: python-docx reports it
        logger.debug("cannot read the package relationships", exc_info=True)
    return None


def _docx_table_rows(table: Table) -> Iterator[str]:
    """One line per table row, cells separated by tabs; merged cells appear once."""
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        line = "\t".join(cells)
        if line.strip():
            yield line
