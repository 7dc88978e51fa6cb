"""The store as the rest of govqa sees it: one object over the catalogue, the vectors'
replica, the write path and the audit."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from retrieval.lexical import Tokenizer
from retrieval.store import audit as auditing
from retrieval.store.base import StoredChunk, StoredReport
from retrieval.store.catalogue import Catalogue
from retrieval.store.facts import FigureRow, MeetingRow, OfficialRow, PointRow
from retrieval.store.groups import Match

if TYPE_CHECKING:
    from ingest.duplicates import Fingerprint
from retrieval.store.replicas import EmbeddedReplica, Replica, SharedReplica
from retrieval.store.writes import Item, Writer
from retrieval.writelock import Lease, WriteLock


class Store:
    """Chroma + SQLite, kept consistent report by report."""

    def __init__(
        self,
        db_path: Path,
        chroma: Callable[[], Any],
        collection_name: str,
        encoder_id: str,
        tokenizer: Tokenizer,
        shared: bool = False,
        on_wait: Callable[[str], None] | None = None,
    ) -> None:
        """``chroma`` makes a Chroma client (called again to reload an embedded one);
        ``shared``: it is a server other processes write to as well (see
        :mod:`retrieval.store.replicas`); ``on_wait`` is told when a write waits for
        another process's."""
        self._lock = threading.RLock()
        self._catalogue = Catalogue(db_path, tokenizer, self._lock)
        self._replica: Replica
        if shared:
            self._replica = SharedReplica(
                self._catalogue, self._lock, chroma(), collection_name, encoder_id
            )
            self._replica.sync()
        else:
            self._replica = EmbeddedReplica(
                self._catalogue, self._lock, chroma, collection_name, encoder_id
            )
        self._writer = Writer(
            self._catalogue,
            self._replica,
            self._lock,
            WriteLock(db_path.with_suffix(".lock")),
            on_wait,
        )

    @property
    def _collection(self) -> Any:
        """The Chroma collection of the vectors (tests reach into it)."""
        return self._replica.vectors.collection

    @property
    def shared(self) -> bool:
        return self._replica.shared

    def close(self) -> None:
        """Release the catalogue and the Chroma client; the store is unusable after."""
        self._replica.close()
        self._catalogue.close()

    # -- one writer, fresh views ----------------------------------------------------

    def writing(self, *, wait: bool = True) -> AbstractContextManager[None]:
        """Hold the data dir's write lock for the block (see :meth:`Writer.writing`)."""
        return self._writer.writing(wait=wait)

    def sync(self) -> int:
        """Shared mode: bring the local catalogue up to date with the server's records.

        Returns how many reports were added, replaced or dropped locally (0 when the
        token is unchanged, which costs one request; embedded mode: always 0).
        """
        return self._replica.sync()

    # -- writing (report level: retrieval.store.writes) -------------------------------

    def replace_reports(self, items: Sequence[Item]) -> None:
        """Store reports, replacing earlier versions (see :meth:`Writer.replace_reports`)."""
        self._writer.replace_reports(items)

    def remove_report(self, doc_id: str) -> bool:
        """Remove a report and everything derived from it. False if it was not there."""
        return self._writer.remove_report(doc_id)

    def repair(self) -> list[str]:
        """Clear reports a crash left half-written (see :meth:`Writer.repair`)."""
        return self._writer.repair()

    # -- reading ----------------------------------------------------------------------

    def version(self) -> tuple[int, int]:
        """Changes whenever any process commits to the catalogue: a cache key."""
        return self._catalogue.version()

    def content_hash(self, doc_id: str) -> str | None:
        """The hash of the stored version of a report, if it is completely stored."""
        return self._catalogue.content_hash(doc_id)

    def sources(self) -> dict[str, str]:
        """doc_id → the path it was ingested from."""
        self.sync()
        return self._catalogue.sources()

    def source(self, doc_id: str) -> str | None:
        """The path report ``doc_id`` was ingested from (None: no such report)."""
        return self._catalogue.source(doc_id)

    def being_written(self, doc_id: str) -> Lease | None:
        """The live process writing report ``doc_id`` now, if another one is."""
        return self._catalogue.being_written(doc_id)

    def doc_ids(self) -> set[str]:
        self.sync()
        return self._catalogue.doc_ids()

    def stats(self) -> dict[str, int]:
        self.sync()
        return self._catalogue.stats()

    def has_reports(self) -> bool:
        """Whether any report is completely stored: one row read, where :meth:`stats`
        counts every report and chunk."""
        self.sync()
        return self._catalogue.has_reports()

    def get_chunks(self, ids: Sequence[str]) -> dict[str, StoredChunk]:
        """The chunks with these ids that belong to completely stored reports."""
        return self._catalogue.get_chunks(ids)

    def get_reports(self, doc_ids: Iterable[str]) -> dict[str, StoredReport]:
        return self._catalogue.get_reports(doc_ids)

    def cleaned_texts(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """doc id → cleaned text of those of ``doc_ids`` completely stored."""
        return self._catalogue.cleaned_texts(doc_ids)

    # -- search -----------------------------------------------------------------------

    def warm_up(self) -> None:
        """Have Chroma load the collection's segments now (see :meth:`Vectors.warm_up`)."""
        self._replica.vectors.warm_up()

    def vector_count(self) -> int:
        return self._replica.vectors.count()

    def dense_search(self, vector: Sequence[float], k: int) -> list[tuple[str, float]]:
        """Chunk ids and cosine similarities, best first (none from an empty collection)."""
        self._replica.refresh()
        return self._replica.vectors.search(vector, k)

    def lexical_search(self, tokens: Iterable[str], k: int) -> list[tuple[str, float]]:
        """Chunk ids and BM25 scores (higher is better), best first."""
        return self._catalogue.lexical.search(tokens, k)

    def document_frequencies(self, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        """How many chunks there are, and in how many each of ``terms`` occurs."""
        return self._catalogue.lexical.document_frequencies(terms)

    def vocabulary(self) -> list[str]:
        """Every distinct lexical token in the index."""
        return self._catalogue.lexical.vocabulary()

    def pinyin_readings(self) -> dict[str, str]:
        """The cached pinyin readings (see :meth:`save_pinyin_readings`)."""
        return self._catalogue.lexical.pinyin_readings()

    def save_pinyin_readings(self, readings: dict[str, str]) -> None:
        """Cache readings computed by a reader; a busy database just skips it."""
        self._catalogue.lexical.save_pinyin_readings(readings)

    # -- facts ------------------------------------------------------------------------

    def officials(self, region: str | None = None) -> list[OfficialRow]:
        """Officials of completely stored reports, optionally of one region (substring)."""
        return self._catalogue.facts.officials(region)

    def meetings(self, region: str | None = None, doc_ids: Sequence[str] = ()) -> list[MeetingRow]:
        return self._catalogue.facts.meetings(region, doc_ids)

    def figures(
        self,
        region: str | None = None,
        year: str | None = None,
        *,
        years: Sequence[str] = (),
        targets: bool | None = None,
        metric_terms: Sequence[str] = (),
        places: Sequence[str] = (),
        doc_ids: Sequence[str] = (),
    ) -> list[FigureRow]:
        """Figures of completely stored reports (see :meth:`FactTables.figures`)."""
        return self._catalogue.facts.figures(
            region,
            year,
            years=years,
            targets=targets,
            metric_terms=metric_terms,
            places=places,
            doc_ids=doc_ids,
        )

    def points(self, speakers: Sequence[str] = (), doc_ids: Sequence[str] = ()) -> list[PointRow]:
        """Speech points of completely stored reports (see :meth:`FactTables.points`)."""
        return self._catalogue.facts.points(speakers, doc_ids)

    def newest_date(self, until: str) -> str | None:
        """The latest date of a completely stored report on or before ``until``."""
        return self._catalogue.newest_date(until)

    def groups_of(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """doc id → its group of republished copies (see :mod:`retrieval.store.groups`)."""
        return self._catalogue.groups.of(doc_ids)

    def copies_of(self, doc_ids: Iterable[str]) -> dict[str, list[str]]:
        """doc id → the other stored reports of its group (its republished copies)."""
        return self._catalogue.groups.members(doc_ids)

    def copy_of(self, report: Fingerprint, doc_id: str | None = None) -> Match | None:
        """The stored report a new report would be grouped with (nothing is written;
        ``doc_id``: the report's own, whose stored version does not count)."""
        return self._catalogue.groups.preview(report, doc_id)

    def fact_counts(self) -> dict[str, int]:
        return self._catalogue.facts.counts()

    # -- end-to-end check (govqa check: retrieval.store.audit) -------------------------

    def stored_chunks(self) -> dict[str, str]:
        """chunk id → doc id of every chunk of a completely stored report."""
        return self._catalogue.stored_chunks()

    def vector_owners(self) -> dict[str, str]:
        """vector id → the doc id in its metadata, for every vector in the collection."""
        return self._replica.vectors.owners()

    def unreadable_vectors(self, ids: Sequence[str], page: int = 500) -> list[str]:
        """Those of ``ids`` whose vector cannot be read back (see :meth:`Vectors.unreadable`)."""
        return self._replica.vectors.unreadable(ids, page)

    def pending_reports(self) -> dict[str, Lease | None]:
        """Half-written reports and who was writing each (None: nobody recorded)."""
        return self._catalogue.pending_reports()

    def restore_vectors(self, ids: Sequence[str], encoder: Any) -> int:
        """Embed these stored chunks again and write their vectors (insert or replace)."""
        return auditing.restore_vectors(self._catalogue, self._replica, ids, encoder)

    def delete_vectors(self, ids: Sequence[str]) -> None:
        """Delete vectors that belong to no stored chunk."""
        auditing.delete_vectors(self._catalogue, self._replica, ids)

    def repair_catalogue(self) -> int:
        """Make the lexical index and facts agree with the chunks and reports."""
        return auditing.repair_catalogue(self._catalogue)

    def catalogue_problems(self) -> list[str]:
        """Inconsistencies inside the catalogue: stray lexical and facts rows, chunks
        missing from the lexical index."""
        return auditing.catalogue_problems(self._catalogue)

    def audit(self) -> list[str]:
        """Inconsistencies between Chroma and the catalogue (empty when all is well)."""
        return auditing.audit(self._catalogue, self._replica.vectors)
