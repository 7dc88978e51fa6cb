"""The one place that writes reports: Chroma vectors plus a SQLite catalogue.

:class:`Store` is what the rest of govqa uses; its parts, each in its own module:

- :mod:`~retrieval.store.migrations`: the catalogue's tables, as numbered migrations.
- :mod:`~retrieval.store.catalogue`: the catalogue (reports, chunks, leases), with
  :mod:`~retrieval.store.lexical` (BM25 over FTS5) and :mod:`~retrieval.store.facts`
  (officials, meetings, figures, speech points) and :mod:`~retrieval.store.groups`
  (republished copies of one report, grouped).
- :mod:`~retrieval.store.vectors`: the chunks' vectors in a Chroma collection, and
  :mod:`~retrieval.store.replicas`: an embedded Chroma, or a server shared by several
  processes, behind one interface.
- :mod:`~retrieval.store.writes`: the report-level write path (three steps, a crash
  leaves a report ``pending``, never half-visible).
- :mod:`~retrieval.store.audit`: the end-to-end check and its repairs.
"""

from __future__ import annotations

from retrieval.store.base import StoredChunk, StoredReport, StoreError, chunk_id
from retrieval.store.catalogue import lists_reports
from retrieval.store.core import Store
from retrieval.store.facts import FigureRow, MeetingRow, OfficialRow, PointRow
from retrieval.store.migrations import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "FigureRow",
    "MeetingRow",
    "OfficialRow",
    "PointRow",
    "Store",
    "StoreError",
    "StoredChunk",
    "StoredReport",
    "chunk_id",
    "lists_reports",
]
