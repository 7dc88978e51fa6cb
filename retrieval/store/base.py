"""What every part of the store shares: its error, the rows it hands out, the shape of
a report on its way in, chunk ids and transactions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, get_origin, get_type_hints

from ingest.facts import Facts
from ingest.types import CARD_FIELDS, COLUMNS, VECTOR_FIELDS, Chunk, Report, ReportCard

# A report as the catalogue hands it back: its metadata and cleaned text.
StoredReport = ReportCard

# The report columns that hold a sequence, as a JSON list.
_SEQUENCES = frozenset(
    name
    for name, hint in get_type_hints(Report).items()
    if name in COLUMNS and get_origin(hint) is tuple
)

# A chunk's catalogue row: (id, doc_id, chunk_no, text, index_text).
ChunkRow = tuple[str, str, int, str, str]


class StoreError(Exception):
    """A store problem a user can act on (message is one sentence)."""


@dataclass(frozen=True)
class StoredChunk:
    id: str
    doc_id: str
    chunk_no: int
    text: str
    index_text: str


@dataclass(frozen=True)
class StagedReport:
    """A report on its way into the store: its catalogue row (:func:`report_row`),
    chunk rows, one vector a chunk, and its facts (None: keep none)."""

    row: dict[str, Any]
    chunks: list[ChunkRow]
    vectors: Sequence[Sequence[float]]
    facts: Facts | None

    @property
    def doc_id(self) -> str:
        return str(self.row["doc_id"])

    @classmethod
    def of(
        cls,
        report: Report,
        chunks: Sequence[Chunk],
        vectors: Sequence[Sequence[float]],
        facts: Facts | None,
    ) -> StagedReport:
        if len(chunks) != len(vectors):
            raise ValueError("one vector per chunk is needed")
        ids = [chunk_id(report.doc_id, report.content_hash, c.chunk_no) for c in chunks]
        rows = [
            (i, report.doc_id, c.chunk_no, c.text, c.index_text)
            for i, c in zip(ids, chunks, strict=True)
        ]
        return cls(report_row(report), rows, vectors, facts)


def chunk_id(doc_id: str, content_hash: str, chunk_no: int) -> str:
    """Stable id: the same report content always gives the same chunk ids."""
    return f"{doc_id}#{content_hash[:16]}#{chunk_no}"


def report_row(report: Report) -> dict[str, Any]:
    """A report's catalogue row: its fields with a column (``ingest.types.COLUMNS``),
    sequences as JSON lists."""
    row = {name: getattr(report, name) for name in COLUMNS}
    for name in _SEQUENCES:
        row[name] = json.dumps(list(row[name]), ensure_ascii=False)
    return row


def stored_report(row: Mapping[str, Any]) -> StoredReport:
    """A report read back from its catalogue row (at least its ``CARD_FIELDS``)."""
    values: dict[str, Any] = {name: row[name] for name in CARD_FIELDS}
    for name in _SEQUENCES & values.keys():
        values[name] = tuple(json.loads(values[name]))
    return StoredReport(**values)


def vector_metadata(row: Mapping[str, Any], chunk_no: int) -> dict[str, Any]:
    """What Chroma keeps beside a chunk's vector (for filters and for other tools), from
    its report's catalogue row: the report's ``VECTOR_FIELDS`` (None as "", a sequence
    joined with "、") and the chunk's number."""
    metadata: dict[str, Any] = {}
    for name in VECTOR_FIELDS:
        value = row[name]
        if name in _SEQUENCES:
            value = "、".join(json.loads(value))
        metadata[name] = "" if value is None else value
    metadata["chunk_no"] = chunk_no
    return metadata


class Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on error (the connection is autocommit)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")
