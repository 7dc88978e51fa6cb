"""The one path that writes reports, under the data dir's write lock.

A batch of reports is written in three steps — (1) catalogue: old chunks and facts
out, status ``pending``; (2) Chroma: old vectors out, new vectors in (and, with a shared
server, the reports' records withdrawn before and committed after); (3) catalogue: new
chunks, tokens and facts in, status ``ok`` — and readers only see rows of ``ok`` reports
that are in the catalogue. A crash between the steps leaves a ``pending`` row, which
:meth:`Writer.repair` clears (vectors included) before the next ingest redoes it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from ingest.facts import Facts
from ingest.types import Chunk, Report
from retrieval.store.base import StagedReport, vector_metadata
from retrieval.store.catalogue import Catalogue
from retrieval.store.replicas import Replica
from retrieval.writelock import Lease, WriteLock

logger = logging.getLogger(__name__)

# What the Ingestor hands over: a report, its chunks, a vector a chunk, its facts.
Item = tuple[Report, Sequence[Chunk], Sequence[Sequence[float]], Facts | None]


class Writer:
    """Writes and removes whole reports, keeping Chroma and the catalogue consistent."""

    def __init__(
        self,
        catalogue: Catalogue,
        replica: Replica,
        lock: threading.RLock,
        write_lock: WriteLock,
        on_wait: Callable[[str], None] | None,
    ) -> None:
        self._catalogue = catalogue
        self._replica = replica
        self._lock = lock
        self._write_lock = write_lock
        self._on_wait = on_wait

    @contextmanager
    def writing(self, *, wait: bool = True) -> Iterator[None]:
        """Hold the data dir's write lock for the block (re-entrant in this process).

        Taking it, the store reloads an embedded Chroma that another process wrote to
        since this one loaded it: writing from a stale in-memory index would persist it
        over the other process's vectors. Without ``wait``, a busy lock raises
        :class:`~retrieval.writelock.StoreBusyError` instead of waiting.
        """
        with self._lock, self._write_lock.held(wait=wait, on_wait=self._on_wait) as first:
            if first:
                self._replica.refresh()
            yield

    def replace_reports(self, items: Sequence[Item]) -> None:
        """Store reports with their chunks, vectors and facts, replacing any earlier
        versions, with one Chroma delete and one add for all of them: a Chroma write
        costs tens of milliseconds however few vectors it holds, which is most of the
        time of an ingest of many short reports. A crash leaves all of them ``pending``."""
        latest = {item[0].doc_id: item for item in items}  # a report twice: the last wins
        batch = [StagedReport.of(*item) for item in latest.values()]
        if not batch:
            return
        doc_ids = [report.doc_id for report in batch]
        lease = Lease.mine().to_json()
        catalogue, replica = self._catalogue, self._replica
        with self.writing():
            stale = replica.may_hold(doc_ids)
            with catalogue.transaction():  # step 1: old chunks out, reports pending
                replica.bump()
                for report in batch:
                    catalogue.stage(report.row, lease)
            # step 2: vectors (shared mode: the records go first, come back last)
            replica.withdraw(doc_ids)
            if stale:
                replica.vectors.delete_reports(stale)
            ids = [r[0] for report in batch for r in report.chunks]
            if ids:
                replica.vectors.add(
                    ids,
                    [[float(x) for x in v] for report in batch for v in report.vectors],
                    [vector_metadata(report.row, r[2]) for report in batch for r in report.chunks],
                )
            replica.commit(batch)
            with catalogue.transaction():  # step 3: chunks and tokens in, reports ok
                replica.bump()
                for report in batch:
                    catalogue.complete(report.doc_id, report.chunks, report.facts)

    def remove_report(self, doc_id: str) -> bool:
        """Remove a report and everything derived from it. False if it was not there.

        Whether it is there is asked of this one report (with a shared server, not by
        bringing the whole catalogue up to date, which lists every record on the server
        once a removal, as every removal changes the token)."""
        catalogue, replica = self._catalogue, self._replica
        with self.writing():
            if not replica.holds(doc_id):
                return False
            with catalogue.transaction():
                replica.bump()
                catalogue.unstage(doc_id, Lease.mine().to_json())
            replica.withdraw([doc_id])
            replica.vectors.delete_reports([doc_id])
            with catalogue.transaction():
                replica.bump()
                catalogue.drop(doc_id)
            return True

    def repair(self) -> list[str]:
        """Clear reports a crash left half-written; returns their doc ids.

        Only reports whose writer is provably gone (:meth:`Lease.alive`) are cleared: a
        pending report of a live process — one that writes without the lock, or on
        another machine — is left alone."""
        with self.writing():
            self._replica.sync()
            cleared = []
            for doc_id, lease in self._catalogue.pending_reports().items():
                # Our own pending reports are debris too: no write of ours is under way
                # while we hold the lock (writes hold it until they are done).
                if lease is not None and not lease.is_mine() and lease.alive():
                    logger.warning(
                        "leaving %s alone: %s is still writing it", doc_id, lease.describe()
                    )
                    continue
                logger.warning("clearing %s, left half-written by an interrupted run", doc_id)
                self.remove_report(doc_id)
                cleared.append(doc_id)
            return cleared
