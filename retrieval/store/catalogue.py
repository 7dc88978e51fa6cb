"""The SQLite catalogue: reports, chunks, their lexical index and facts, the writers'
leases and the write generation (tables: :mod:`retrieval.store.migrations`).

Readers see only rows of reports whose ``status`` is ``ok``; the write path
(:mod:`retrieval.store.writes`) marks a report ``pending`` while it changes it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ingest.facts import Facts
from ingest.types import CARD_FIELDS
from retrieval.lexical import Tokenizer
from retrieval.store.base import (
    ChunkRow,
    StoredChunk,
    StoredReport,
    Transaction,
    stored_report,
)
from retrieval.store.facts import FactTables
from retrieval.store.groups import Groups
from retrieval.store.lexical import LexicalIndex
from retrieval.store.migrations import migrate
from retrieval.writelock import Lease


def lists_reports(db_path: Path) -> bool:
    """Whether the catalogue at ``db_path`` holds a stored report: one read-only SQLite
    query, without opening Chroma (false when there is no such catalogue)."""
    if not db_path.is_file():
        return False
    try:
        db = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
        try:
            return _any_report(db)
        finally:
            db.close()
    except sqlite3.Error:
        return False


def _any_report(db: sqlite3.Connection) -> bool:
    """Whether a report is completely stored: one row read, however many there are."""
    return db.execute("SELECT 1 FROM reports WHERE status = 'ok' LIMIT 1").fetchone() is not None


class Catalogue:
    """One connection to the catalogue file, opened (and migrated) once a process."""

    def __init__(self, db_path: Path, tokenizer: Tokenizer, lock: threading.RLock) -> None:
        """``lock`` serialises this process's writes."""
        db_path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        migrate(self.db, db_path.parent)
        self._writes = 0
        self.lexical = LexicalIndex(self.db, tokenizer, self.version, lock)
        self.facts = FactTables(self.db)
        self.groups = Groups(self.db)

    def newest_date(self, until: str) -> str | None:
        """The latest date (or estimate) of a stored report on or before ``until``."""
        row = self.db.execute(
            "SELECT max(coalesce(date, date_estimate)) FROM reports WHERE status = 'ok' "
            "AND coalesce(date, date_estimate) <= ?",
            (until,),
        ).fetchone()
        return row[0] if row else None

    def version(self) -> tuple[int, int]:
        """Changes whenever any process commits to the catalogue: a cache key."""
        return self._writes, self.db.execute("PRAGMA data_version").fetchone()[0]

    def transaction(self) -> Transaction:
        """A write transaction (see :class:`~retrieval.store.base.Transaction`)."""
        self._writes += 1
        return Transaction(self.db)

    def generation(self) -> int:
        """How many write steps the store has had (see :meth:`bump_generation`)."""
        row = self.db.execute("SELECT value FROM store_meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def bump_generation(self) -> int:
        """Inside a write transaction, before and after each Chroma step of a write: a
        process with an older generation knows its view of an embedded Chroma is stale.
        Returns the new generation."""
        self.db.execute(
            "INSERT INTO store_meta (key, value) VALUES ('generation', 1) "
            "ON CONFLICT(key) DO UPDATE SET value = value + 1"
        )
        return self.generation()

    def close(self) -> None:
        self.db.close()

    # -- reports ----------------------------------------------------------------------

    def content_hash(self, doc_id: str) -> str | None:
        """The hash of the stored version of a report, if it is completely stored."""
        row = self.db.execute(
            "SELECT content_hash FROM reports WHERE doc_id = ? AND status = 'ok'", (doc_id,)
        ).fetchone()
        return row[0] if row else None

    def stored_hashes(self) -> dict[str, str]:
        """doc_id → content hash of every completely stored report."""
        return dict(self.db.execute("SELECT doc_id, content_hash FROM reports WHERE status = 'ok'"))

    def source(self, doc_id: str) -> str | None:
        """The path report ``doc_id`` was ingested from (None: no such report)."""
        row = self.db.execute("SELECT source FROM reports WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def sources(self) -> dict[str, str]:
        """doc_id → the path it was ingested from."""
        return {r[0]: r[1] for r in self.db.execute("SELECT doc_id, source FROM reports")}

    def doc_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT doc_id FROM reports")}

    def has_reports(self) -> bool:
        """Whether any report is completely stored (one row read)."""
        return _any_report(self.db)

    def knows(self, doc_id: str, *, pending: bool = False) -> bool:
        """Whether report ``doc_id`` has a catalogue row, whatever its status (with
        ``pending``: a pending one)."""
        sql = "SELECT 1 FROM reports WHERE doc_id = ?"
        if pending:
            sql += " AND status = 'pending'"
        return self.db.execute(sql, (doc_id,)).fetchone() is not None

    def known(self, doc_ids: Sequence[str]) -> list[str]:
        """Those of ``doc_ids`` that have a catalogue row, whatever its status."""
        marks = ",".join("?" * len(doc_ids))
        return [
            r[0]
            for r in self.db.execute(
                f"SELECT doc_id FROM reports WHERE doc_id IN ({marks})", list(doc_ids)
            )
        ]

    def stats(self) -> dict[str, int]:
        documents = self.db.execute("SELECT COUNT(*) FROM reports WHERE status = 'ok'").fetchone()[
            0
        ]
        chunks = self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        return {"documents": documents, "chunks": chunks, **self.groups.counts()}

    def cleaned_texts(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """doc id → cleaned text of those of ``doc_ids`` completely stored."""
        wanted = list(set(doc_ids))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        return dict(
            self.db.execute(
                f"SELECT doc_id, cleaned_text FROM reports WHERE status = 'ok' "
                f"AND doc_id IN ({marks})",
                wanted,
            ).fetchall()
        )

    def get_reports(self, doc_ids: Iterable[str]) -> dict[str, StoredReport]:
        wanted = list(set(doc_ids))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self.db.execute(
            f"SELECT {','.join(CARD_FIELDS)} FROM reports WHERE doc_id IN ({marks})", wanted
        ).fetchall()
        reports = (stored_report(dict(zip(CARD_FIELDS, r, strict=True))) for r in rows)
        return {report.doc_id: report for report in reports}

    # -- chunks -----------------------------------------------------------------------

    def get_chunks(self, ids: Sequence[str]) -> dict[str, StoredChunk]:
        """The chunks with these ids that belong to completely stored reports."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            "SELECT c.id, c.doc_id, c.chunk_no, c.text, c.index_text FROM chunks c "
            f"JOIN reports r ON r.doc_id = c.doc_id WHERE r.status = 'ok' AND c.id IN ({marks})",
            list(ids),
        ).fetchall()
        return {r[0]: StoredChunk(*r) for r in rows}

    def stored_chunks(self) -> dict[str, str]:
        """chunk id → doc id of every chunk of a completely stored report."""
        return dict(
            self.db.execute(
                "SELECT c.id, c.doc_id FROM chunks c JOIN reports r ON r.doc_id = c.doc_id "
                "WHERE r.status = 'ok'"
            ).fetchall()
        )

    # -- who is writing -----------------------------------------------------------------

    def being_written(self, doc_id: str) -> Lease | None:
        """The live process writing report ``doc_id`` now, if another one is."""
        row = self.db.execute(
            "SELECT l.lease FROM reports r JOIN leases l ON l.doc_id = r.doc_id "
            "WHERE r.doc_id = ? AND r.status = 'pending'",
            (doc_id,),
        ).fetchone()
        lease = Lease.from_json(row[0]) if row else None
        return lease if lease is not None and not lease.is_mine() and lease.alive() else None

    def pending_reports(self) -> dict[str, Lease | None]:
        """Half-written reports and who was writing each (None: nobody recorded)."""
        rows = self.db.execute(
            "SELECT r.doc_id, l.lease FROM reports r "
            "LEFT JOIN leases l ON l.doc_id = r.doc_id WHERE r.status = 'pending'"
        ).fetchall()
        return {doc_id: Lease.from_json(text) if text else None for doc_id, text in rows}

    # -- writing (inside transactions) ---------------------------------------------------

    def stage(self, row: Mapping[str, Any], lease: str) -> None:
        """A report's old chunks and facts out, its new row in as ``pending``, written
        under ``lease``."""
        self._delete_rows(row["doc_id"])
        self.db.execute(
            "INSERT OR REPLACE INTO leases (doc_id, lease) VALUES (?, ?)", (row["doc_id"], lease)
        )
        self._insert_report(row, "pending")

    def complete(self, doc_id: str, chunks: Sequence[ChunkRow], facts: Facts | None) -> None:
        """A staged report's chunks, tokens and facts in, its status ``ok``."""
        self.db.execute("DELETE FROM leases WHERE doc_id = ?", (doc_id,))
        self._insert_chunks(chunks)
        if facts is not None:
            self.facts.insert(doc_id, facts)
        self.groups.assign(doc_id)
        self.db.execute("UPDATE reports SET status = 'ok' WHERE doc_id = ?", (doc_id,))

    def put(self, row: Mapping[str, Any], chunks: Sequence[ChunkRow], facts: Facts) -> None:
        """A whole report at once, ``ok`` (a copy of one stored elsewhere)."""
        self._delete_rows(row["doc_id"])
        self._insert_report(row, "ok")
        self._insert_chunks(chunks)
        self.facts.insert(row["doc_id"], facts)
        self.groups.assign(row["doc_id"])

    def unstage(self, doc_id: str, lease: str) -> None:
        """A report's chunks and facts out, its row ``pending`` until :meth:`drop`."""
        self._delete_rows(doc_id)
        self.db.execute("UPDATE reports SET status = 'pending' WHERE doc_id = ?", (doc_id,))
        self.db.execute(
            "INSERT OR REPLACE INTO leases (doc_id, lease) VALUES (?, ?)", (doc_id, lease)
        )

    def drop(self, doc_id: str) -> None:
        """Every row of a report, its lease included."""
        self._delete_rows(doc_id)
        self.db.execute("DELETE FROM reports WHERE doc_id = ?", (doc_id,))
        self.db.execute("DELETE FROM leases WHERE doc_id = ?", (doc_id,))

    def _insert_report(self, row: Mapping[str, Any], status: str) -> None:
        names = ",".join(row)
        marks = ",".join("?" * len(row))
        self.db.execute(
            f"INSERT OR REPLACE INTO reports ({names}, status) VALUES ({marks}, ?)",
            [*row.values(), status],
        )

    def _insert_chunks(self, rows: Sequence[ChunkRow]) -> None:
        """Chunk rows and their lexical tokens."""
        self.db.executemany(
            "INSERT INTO chunks (id, doc_id, chunk_no, text, index_text) VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        self.lexical.index((r[0], r[4]) for r in rows)

    def _delete_rows(self, doc_id: str) -> None:
        """A report's facts, lexical rows and chunks (its report row stays)."""
        self.facts.delete(doc_id)
        self.groups.delete(doc_id)
        self.lexical.unindex(doc_id)
        self.db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
