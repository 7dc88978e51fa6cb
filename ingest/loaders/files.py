"""``load_file``: the checks on the file itself (a regular file, not empty, within
``max_bytes``, a link that leads somewhere), then the loader its suffix chooses."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from ingest.loaders.base import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_CHARS,
    LineErrorHandler,
    LoadError,
    RawDocument,
    check_length,
    fmt_limit,
    fmt_size,
)
from ingest.loaders.html import load_html
from ingest.loaders.image import IMAGE_SUFFIXES, load_image
from ingest.loaders.jsonl import iter_jsonl, log_line_error
from ingest.loaders.pdf import load_pdf
from ingest.loaders.text import load_text
from ingest.loaders.word import load_docx
from ingest.ocr import OcrLimits

SUPPORTED_SUFFIXES: frozenset[str] = (
    frozenset({".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".jsonl"}) | IMAGE_SUFFIXES
)


def load_file(
    path: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_chars: int = DEFAULT_MAX_CHARS,
    on_line_error: LineErrorHandler | None = None,
    ocr: OcrLimits | None = None,
    on_page: Callable[[int], None] | None = None,
) -> Iterator[RawDocument]:
    """Load ``path`` according to its suffix (case-insensitive).

    Whole-file problems (unsupported type, empty, too large, text over ``max_chars``,
    undecodable, corrupt, no text, a broken symbolic link) raise :class:`LoadError` from this
    call, before anything is yielded. For ``.jsonl`` the lines are read lazily, one
    :class:`RawDocument` per usable non-blank line; each bad line (a line whose text is over
    ``max_chars`` too) is passed to ``on_line_error`` (default: a logged warning) and
    skipped. If no line at all is usable, iteration ends by raising :class:`LoadError`. A
    handler that raises the error it is given makes bad lines fatal.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(f"unsupported file type {suffix}" if suffix else "file has no extension")
    size = _file_size(path)
    if size == 0:
        raise LoadError("empty file")
    if size > max_bytes:
        raise LoadError(f"file is {fmt_size(size)}, over the {fmt_limit(max_bytes)} limit")
    if suffix == ".jsonl":
        return iter_jsonl(path, on_line_error or log_line_error, max_chars)
    data = _read_bytes(path, max_bytes)
    if suffix in (".html", ".htm"):
        doc = load_html(data)
    elif suffix == ".docx":
        doc = load_docx(data, max_chars)
    elif suffix == ".pdf":
        doc = load_pdf(data, max_chars, ocr, on_page)
    elif suffix in IMAGE_SUFFIXES:
        doc = load_image(data, ocr, on_page)
    else:
        doc = load_text(data)
    check_length(doc.text, max_chars)
    return iter((doc,))


def _file_size(path: Path) -> int:
    try:
        st = path.stat()
    except FileNotFoundError as e:
        if path.is_symlink():
            raise LoadError(f"broken symbolic link (to {os.readlink(path)!r})") from e
        raise LoadError("file not found") from e
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise LoadError("symbolic link loop (the link leads back to itself)") from e
        raise LoadError(f"cannot read file ({e.strerror or e})") from e
    if not path.is_file():
        raise LoadError("not a regular file")
    return st.st_size


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise LoadError(f"cannot read file ({e.strerror or e})") from e
    if not data:
        raise LoadError("empty file")
    if len(data) > max_bytes:
        raise LoadError(f"file is over the {fmt_limit(max_bytes)} limit")
    return data
