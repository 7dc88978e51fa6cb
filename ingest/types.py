"""The shapes data takes on its way from a file to the store."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Report:
    """One report, in its three text forms, with what govqa understood about it.

    ``original_text`` is what the file held (display), ``cleaned_text`` has the
    converter noise removed (chunking, quoting) and ``index_text`` is the cleaned
    text in simplified script (matching).
    """

    doc_id: str
    file: str
    source: str
    title: str
    original_text: str
    cleaned_text: str
    index_text: str
    content_hash: str
    date: str | None = None
    date_confidence: str = "none"
    date_text: str | None = None
    date_estimate: str | None = None  # "2024-12" or "2024" when the day is unknown
    region: str | None = None
    outlet: str | None = None
    reporters: tuple[str, ...] = ()
    meeting: str | None = None
    url: str | None = None
    glosses_removed: int = 0
    residues_removed: int = 0


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

    def to_json(self) -> dict[str, object]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "failed": self.failed,
            "chunks_added": self.chunks_added,
            "seconds": round(self.seconds, 2),
        }
