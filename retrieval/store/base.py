"""What every part of the store shares: its error, the rows it hands out, the shape of
a report on its way in, chunk ids and transactions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ingest.facts import Facts
from ingest.types import Chunk, Report

# The columns of a report's catalogue row, as named on ingest.types.Report (``status``
# is the store's own).
REPORT_FIELDS = (
    "doc_id file source title date date_confidence date_text date_estimate region outlet "
    "reporters "
    "meeting url glosses_removed residues_removed original_text cleaned_text content_hash"
).split()

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
class StoredReport:
    doc_id: str
    file: str
    title: str
    date: str | None
    date_confidence: str
    date_estimate: str | None
    date_text: str | None
    region: str | None
    outlet: str | None
    reporters: tuple[str, ...]
    meeting: str | None
    cleaned_text: str

    @property
    def year(self) -> str | None:
        """The year the report is from, exact or estimated."""
        known = self.date or self.date_estimate
        return known[:4] if known else None


@dataclass(frozen=True)
class StagedReport:
    """A report on its way into the store: its catalogue row (``reporters`` as JSON),
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
        row = {f: getattr(report, f) for f in REPORT_FIELDS}
        row["reporters"] = json.dumps(list(report.reporters), ensure_ascii=False)
        ids = [chunk_id(report.doc_id, report.content_hash, c.chunk_no) for c in chunks]
        rows = [
            (i, report.doc_id, c.chunk_no, c.text, c.index_text)
            for i, c in zip(ids, chunks, strict=True)
        ]
        return cls(row, rows, vectors, facts)


def chunk_id(doc_id: str, content_hash: str, chunk_no: int) -> str:
    """Stable id: the same report content always gives the same chunk ids."""
    return f"{doc_id}#{content_hash[:16]}#{chunk_no}"


def vector_metadata(row: Mapping[str, Any], chunk_no: int) -> dict[str, Any]:
    """What Chroma keeps beside a chunk's vector (for filters and for other tools), from
    its report's catalogue row (``reporters`` as JSON)."""
    return {
        "doc_id": row["doc_id"],
        "file": row["file"],
        "title": row["title"],
        "chunk_no": chunk_no,
        "content_hash": row["content_hash"],
        "date": row["date"] or "",
        "date_confidence": row["date_confidence"],
        "region": row["region"] or "",
        "outlet": row["outlet"] or "",
        "reporters": "、".join(json.loads(row["reporters"])),
        "meeting": row["meeting"] or "",
    }


class Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on error (the connection is autocommit)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")
