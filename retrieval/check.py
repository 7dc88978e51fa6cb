"""`govqa check`: the store verified end to end, and repaired on request.

Every chunk of every stored report must have a vector that can be read back by id (a
listing is not enough: an index written from two processes lists ids whose vectors are
gone), no vector may belong to no stored chunk, no report may be half-written, and the
lexical index and facts tables must agree with the chunks and reports. With
``repair``, missing or unreadable vectors are embedded again, orphan vectors deleted,
half-written reports of writers that are gone cleared (ingest them again), and the
catalogue's stray rows removed or re-indexed.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from retrieval.store import Store

if TYPE_CHECKING:
    from retrieval.embeddings import LoadedEmbeddings

logger = logging.getLogger(__name__)


@dataclass
class CheckReport:
    """What `govqa check` found (and, with --repair, what it did)."""

    reports: int = 0
    chunks: int = 0
    vectors: int = 0
    unreadable_vectors: list[str] = field(default_factory=list)  # chunk ids
    orphan_vectors: list[str] = field(default_factory=list)  # vector ids
    half_written: list[str] = field(default_factory=list)  # doc ids, writer gone
    being_written: list[str] = field(default_factory=list)  # doc ids, writer alive
    catalogue: list[str] = field(default_factory=list)  # descriptions
    repaired: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def problems(self) -> int:
        return (
            len(self.unreadable_vectors)
            + len(self.orphan_vectors)
            + len(self.half_written)
            + len(self.catalogue)
        )

    @property
    def ok(self) -> bool:
        return self.problems == 0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        data["problems"] = self.problems
        data["seconds"] = round(self.seconds, 2)
        return data


def check_store(store: Store, *, wait: bool = True) -> CheckReport:
    """Verify ``store`` under its write lock (a running writer is waited for)."""
    started = time.perf_counter()
    with store.writing(wait=wait):
        store.sync()
        report = _inspect(store)
    report.seconds = time.perf_counter() - started
    return report


def repair_store(store: Store, encoder: LoadedEmbeddings, *, wait: bool = True) -> CheckReport:
    """Repair what :func:`check_store` finds, then check again; the result carries the
    counts of what was done in ``repaired``."""
    started = time.perf_counter()
    with store.writing(wait=wait):
        store.sync()
        found = _inspect(store)
        repaired: dict[str, int] = {}
        if found.half_written:
            repaired["half_written_cleared"] = len(store.repair())
        if found.catalogue:
            repaired["catalogue_rows"] = store.repair_catalogue()
        if found.unreadable_vectors:
            repaired["vectors_embedded"] = store.restore_vectors(found.unreadable_vectors, encoder)
        if found.orphan_vectors:
            store.delete_vectors(found.orphan_vectors)
            repaired["orphan_vectors_deleted"] = len(found.orphan_vectors)
        after = _inspect(store)
    after.repaired = repaired
    after.seconds = time.perf_counter() - started
    return after


def _inspect(store: Store) -> CheckReport:
    chunks = store.stored_chunks()
    owners = store.vector_owners()
    pending = store.pending_reports()
    report = CheckReport(
        reports=store.stats()["documents"],
        chunks=len(chunks),
        vectors=len(owners),
        catalogue=store.catalogue_problems(),
    )
    for doc_id, lease in sorted(pending.items()):
        if lease is not None and not lease.is_mine() and lease.alive():
            report.being_written.append(doc_id)
        else:
            report.half_written.append(doc_id)
    report.unreadable_vectors = store.unreadable_vectors(sorted(chunks))
    pending_ids = set(pending)
    report.orphan_vectors = sorted(
        vector_id
        for vector_id, doc_id in owners.items()
        if vector_id not in chunks and doc_id not in pending_ids
    )
    if not report.ok:
        logger.info("check: %d problems", report.problems)
    return report
