"""The shapes data takes on its way from a file to the store.

A report's fields are listed once, on :class:`ReportCard` and :class:`Report`; each
field's :class:`Kept` says where else it goes — its column of the catalogue's
``reports`` table, the metadata beside each of its chunks' vectors, ``govqa inspect``
— and every such listing (:data:`COLUMNS`, :data:`VECTOR_FIELDS`,
:data:`INSPECT_FIELDS`, what the store reads back) is derived from them: a new field
is one edit here, plus a migration for its column.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class Kept:
    """Where a report field goes besides the :class:`Report` itself."""

    # Its column of the catalogue's ``reports`` table, declared as its migration
    # (retrieval.store.migrations) wrote it; a sequence is stored as a JSON list.
    sql: str
    # Kept beside each of the report's chunk vectors in Chroma (None as "", a sequence
    # joined with "、"), for filters and for other tools reading the collection.
    vector: bool = False
    # Shown by ``govqa inspect`` (which adds its own counts of the texts).
    inspect: bool = False


def kept(sql: str, *, vector: bool = False, inspect: bool = False) -> dict[str, Kept]:
    """A field's metadata: ``field(metadata=kept(...))``."""
    return {"kept": Kept(sql, vector, inspect)}


@dataclass(frozen=True, kw_only=True)
class ReportCard:
    """What answering reads back of a stored report: its metadata and cleaned text
    (``retrieval.store.StoredReport``), like a library's catalogue card."""

    doc_id: str = field(metadata=kept("TEXT PRIMARY KEY", vector=True, inspect=True))
    file: str = field(metadata=kept("TEXT NOT NULL", vector=True, inspect=True))
    title: str = field(metadata=kept("TEXT NOT NULL", vector=True, inspect=True))
    date: str | None = field(default=None, metadata=kept("TEXT", vector=True, inspect=True))
    date_confidence: str = field(
        default="none",
        metadata=kept("TEXT NOT NULL DEFAULT 'none'", vector=True, inspect=True),
    )
    date_text: str | None = field(default=None, metadata=kept("TEXT", inspect=True))
    # "2024-12" or "2024" when the day is unknown
    date_estimate: str | None = field(default=None, metadata=kept("TEXT", inspect=True))
    region: str | None = field(default=None, metadata=kept("TEXT", vector=True, inspect=True))
    outlet: str | None = field(default=None, metadata=kept("TEXT", vector=True, inspect=True))
    reporters: tuple[str, ...] = field(
        default=(), metadata=kept("TEXT NOT NULL DEFAULT '[]'", vector=True, inspect=True)
    )
    meeting: str | None = field(default=None, metadata=kept("TEXT", vector=True, inspect=True))
    cleaned_text: str = field(metadata=kept("TEXT NOT NULL"))
    # Read by OCR (a picture, a scanned PDF page): the pages' confidence, 0..1; None: text
    ocr_confidence: float | None = field(
        default=None, metadata=kept("REAL", vector=True, inspect=True)
    )

    @property
    def year(self) -> str | None:
        """The year the report is from, exact or estimated."""
        known = self.date or self.date_estimate
        return known[:4] if known else None


@dataclass(frozen=True, kw_only=True)
class Report(ReportCard):
    """One report, in its three text forms, with what govqa understood about it.

    ``original_text`` is what the file held (display), ``cleaned_text`` has the
    converter noise removed (chunking, quoting) and ``index_text`` is the cleaned
    text in simplified script (matching; not stored, the chunks keep their own).
    """

    source: str = field(metadata=kept("TEXT NOT NULL"))
    original_text: str = field(metadata=kept("TEXT NOT NULL"))
    index_text: str
    content_hash: str = field(metadata=kept("TEXT NOT NULL", vector=True))
    url: str | None = field(default=None, metadata=kept("TEXT"))
    glosses_removed: int = field(
        default=0, metadata=kept("INTEGER NOT NULL DEFAULT 0", inspect=True)
    )
    residues_removed: int = field(
        default=0, metadata=kept("INTEGER NOT NULL DEFAULT 0", inspect=True)
    )


_KEPT: dict[str, Kept] = {
    f.name: f.metadata["kept"] for f in fields(Report) if "kept" in f.metadata
}
# The report's columns of the ``reports`` table (name → declaration; the store adds its
# own ``status``).
COLUMNS: dict[str, str] = {name: k.sql for name, k in _KEPT.items()}
# The report fields in each chunk's vector metadata (the store adds ``chunk_no``).
VECTOR_FIELDS: tuple[str, ...] = tuple(name for name, k in _KEPT.items() if k.vector)
# The report fields ``govqa inspect`` shows, in its order.
INSPECT_FIELDS: tuple[str, ...] = tuple(name for name, k in _KEPT.items() if k.inspect)
# The fields of a ReportCard: what the store reads back.
CARD_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ReportCard))


@dataclass(frozen=True)
class Chunk:
    """A passage of a report: cleaned text for quoting, simplified text for matching."""

    doc_id: str
    chunk_no: int
    text: str
    index_text: str


@dataclass
class IngestSummary:
    """What one ingest run did; ``--json`` prints it as one object."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    chunks_added: int = 0
    seconds: float = 0.0
    # Parts of a file left out of its report: OCR pages below the floor, over the caps.
    warnings: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "failed": self.failed,
            "chunks_added": self.chunks_added,
            "seconds": round(self.seconds, 2),
            "warnings": self.warnings,
        }
