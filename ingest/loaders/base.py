"""What every loader shares: the document it returns, its errors, the default limits, a
limit in MB in bytes, and how a limit is worded."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.ocr import OcrSummary

# One logger for all loader modules, under the name they logged with as one module.
logger = logging.getLogger("ingest.loaders")

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Refused rather than cut: a cut report would answer as if it were whole, and a text this
# long is a book, a dump or a bomb, not one news report (GOVQA_MAX_CHARS raises it).
DEFAULT_MAX_CHARS = 2_000_000
NEWLINES = re.compile(r"\r\n?")


@dataclass(frozen=True)
class RawDocument:
    """One document as loaded, before any cleaning or script conversion."""

    text: str  # paragraphs separated by "\n"
    key: str | None = None  # .jsonl: the line's `id`; None for single-document files
    title: str | None = None  # jsonl `title`, HTML title/og:title/h1, docx core title
    date: str | None = None  # jsonl `date` as given, HTML meta date (YYYY-MM-DD)
    url: str | None = None  # jsonl `url`, HTML canonical/og:url
    ocr: OcrSummary | None = None  # pages read by OCR (an image, a scanned PDF page)


class LoadError(Exception):
    """A file (or a .jsonl line) cannot be loaded; ``str(e)`` is one short sentence."""


class JsonlLineError(LoadError):
    """One unusable line of a .jsonl file; the other lines are still loaded.

    ``str(e)`` reads like ``"line 3: invalid JSON"``.
    """

    def __init__(self, path: Path, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


LineErrorHandler = Callable[[JsonlLineError], None]


def fmt_size(n: int) -> str:
    if n >= 1024 * 1024 * 1024:
        return f"{n / (1024 * 1024 * 1024):.1f} GB"
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def mb_to_bytes(mb: float) -> int:
    """A size limit given in MB (GOVQA_MAX_FILE_MB, the Bot API's), in bytes."""
    return int(mb * 1024 * 1024)


def fmt_limit(n: int) -> str:
    # "20 MB" rather than "20.0 MB" for round limits
    return re.sub(r"\.0 ", " ", fmt_size(n))


def require_text(text: str, what: str = "file has no text") -> str:
    if not text.strip():
        raise LoadError(what)
    return text


def too_long(limit: int, chars: int | None = None) -> str:
    """The reason for a text over ``limit``; ``chars`` None when reading stopped early."""
    extracted = f"{chars:,} characters" if chars is not None else f"more than {limit:,} characters"
    return f"text too long: {extracted} extracted, the limit is {limit:,} (GOVQA_MAX_CHARS)"


def check_length(text: str, limit: int) -> None:
    if len(text) > limit:
        raise LoadError(too_long(limit, len(text)))


def str_or_none(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
