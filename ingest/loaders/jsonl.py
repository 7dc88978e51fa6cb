"""JSON Lines (.jsonl): one report a line (`id`, `text`, optional `title`, `date`, `url`),
read lazily; a bad line goes to the caller's handler and is skipped."""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Iterator
from pathlib import Path

from ingest.loaders.base import (
    NEWLINES,
    JsonlLineError,
    LineErrorHandler,
    LoadError,
    RawDocument,
    logger,
    str_or_none,
    too_long,
)
from ingest.loaders.text import DECODE_ERROR, decode_chinese


def log_line_error(error: JsonlLineError) -> None:
    logger.warning("%s: %s (line skipped)", error.path, error)


def iter_jsonl(
    path: Path, on_line_error: LineErrorHandler, max_chars: int
) -> Iterator[RawDocument]:
    yielded = 0
    bad = 0
    first_error: JsonlLineError | None = None
    seen_keys: set[str] = set()
    try:
        for number, line in _jsonl_lines(path):
            if line is not None and not line.strip():
                continue
            try:
                if line is None:
                    raise ValueError(DECODE_ERROR)
                doc = _parse_jsonl_line(line)
                if doc.key in seen_keys:
                    raise ValueError(f"duplicate id {doc.key!r}")
                if len(doc.text) > max_chars:
                    raise ValueError(too_long(max_chars, len(doc.text)))
            except ValueError as e:
                error = JsonlLineError(path, number, str(e))
                bad += 1
                first_error = first_error or error
                on_line_error(error)
                continue
            assert doc.key is not None
            seen_keys.add(doc.key)
            yielded += 1
            yield doc
    except OSError as e:
        raise LoadError(f"cannot read file ({e.strerror or e})") from e
    if not yielded:
        if first_error is None:
            raise LoadError("file has no text")
        raise LoadError(f"no usable line in {bad} line(s) ({first_error})")


def _jsonl_lines(path: Path) -> Iterator[tuple[int, str | None]]:
    """(line number, decoded line or None if undecodable) pairs, read lazily."""
    with path.open("rb") as f:
        head = f.read(4)
        f.seek(0)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # UTF-16 cannot be split on b"\n": let the text layer do it.
            with io.TextIOWrapper(f, encoding="utf-16", errors="replace", newline=None) as t:
                yield from enumerate(t, start=1)
            return
        for number, raw in enumerate(f, start=1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            raw = raw.rstrip(b"\r\n")
            try:
                yield number, raw.decode("utf-8")
            except UnicodeDecodeError:
                # JSON should be UTF-8, but accept a GB18030/Big5 export (b"\n" is never
                # part of a multi-byte character there, so splitting on it is safe).
                yield number, decode_chinese(raw)


def _parse_jsonl_line(line: str) -> RawDocument:
    """A RawDocument from one JSON line; ValueError(short reason) if unusable."""
    try:
        record = json.loads(line, strict=False)  # tolerate raw tabs/newlines in strings
    except json.JSONDecodeError:
        raise ValueError("invalid JSON") from None
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    key = record.get("id")
    if isinstance(key, int) and not isinstance(key, bool):
        key = str(key)
    if not isinstance(key, str) or not key.strip():
        raise ValueError("missing `id`")
    text = record.get("text")
    if not isinstance(text, str):
        raise ValueError("missing `text`")
    if not text.strip():
        raise ValueError("empty `text`")
    return RawDocument(
        text=NEWLINES.sub("\n", text),
        key=key,
        title=str_or_none(record.get("title")),
        date=str_or_none(record.get("date")),
        url=str_or_none(record.get("url")),
    )
