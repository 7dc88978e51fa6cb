"""The one place that writes reports: Chroma vectors plus a SQLite catalogue.

Schema of ``govqa.sqlite3`` (in the data dir):

- ``reports``: one row a report — metadata, texts, ``content_hash`` and ``status``
  (``pending`` while a write is under way, ``ok`` once every part of it is stored).
- ``chunks``: one row a chunk (id, doc_id, chunk_no, text, index_text).
- ``chunks_fts``: an FTS5 table of the chunks' lexical tokens (BM25), and
  ``chunks_fts_rows``, which FTS5 row holds which chunk (FTS5 cannot look up its
  unindexed ``chunk_id`` column: deleting a report's rows by it scanned the whole table,
  ~1 s a report at 50k chunks).
- ``officials``, ``meetings``, ``figures``: the facts extracted from each report
  (``ingest.facts``), each row with its report and evidence sentence.

A report is written in three steps — (1) catalogue: old chunks and facts out, status
``pending``; (2) Chroma: old vectors out, new vectors in (ids and metadata only: the
text is in the catalogue, and Chroma's own full-text index of documents would cost
more than the vectors, ~5 ms a chunk); (3) catalogue: new chunks,
tokens and facts in, status ``ok`` — and readers only see rows of ``ok`` reports that
are in the catalogue. A crash between the steps leaves a ``pending`` row, which
:meth:`Store.repair` clears (vectors included) before the next ingest redoes it.

**Shared mode** (``GOVQA_CHROMA_URL``, several processes or machines on one Chroma
server): Chroma is the system of record. Beside the vectors, a second collection,
``<collection>-reports``, holds one record a report — its catalogue row, chunk texts
and facts as JSON — written *after* the report's vectors, so a record is the commit
mark of a complete report (its removal comes first). Every write also replaces a
random token record. Each process keeps the SQLite catalogue (lexical index, facts)
as a local cache of those records, in its own file per server and collection, and
:meth:`Store.sync` brings it up to date whenever the token has changed — one small
request per question when nothing changed. So an ingest by any process is answered
the same way by every process, and a crashed writer's half-written report (vectors
without a record) is never read and is replaced when the report is ingested again.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ingest.facts import Facts, Figure, Meeting, Official
from ingest.types import Chunk, Report
from retrieval.lexical import Tokenizer
from retrieval.writelock import Lease, WriteLock

logger = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    doc_id TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    source TEXT NOT NULL,
    title TEXT NOT NULL,
    date TEXT,
    date_confidence TEXT NOT NULL DEFAULT 'none',
    date_text TEXT,
    date_estimate TEXT,
    region TEXT,
    outlet TEXT,
    reporters TEXT NOT NULL DEFAULT '[]',
    meeting TEXT,
    url TEXT,
    glosses_removed INTEGER NOT NULL DEFAULT 0,
    residues_removed INTEGER NOT NULL DEFAULT 0,
    original_text TEXT NOT NULL,
    cleaned_text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'ok'))
);
-- status sits after the report's texts, so reading it from the table walks their
-- overflow pages: joins of facts and chunks to reports read it from here instead.
CREATE INDEX IF NOT EXISTS reports_ok ON reports(doc_id, status, file, region);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES reports(doc_id),
    chunk_no INTEGER NOT NULL,
    text TEXT NOT NULL,
    index_text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    tokens, chunk_id UNINDEXED, tokenize = 'unicode61'
);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_vocab USING fts5vocab(chunks_fts, 'row');
-- Toneless pinyin of index words, for English questions (wancheng → 宛城): a cache
-- filled on first use, since reading 160k words takes ~7 s.
CREATE TABLE IF NOT EXISTS pinyin (
    word TEXT PRIMARY KEY,
    reading TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS chunks_fts_rows (
    chunk_id TEXT PRIMARY KEY,
    fts_rowid INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS officials (
    doc_id TEXT NOT NULL REFERENCES reports(doc_id),
    name TEXT NOT NULL,
    titles TEXT NOT NULL,            -- JSON list, e.g. ["区委副书记", "区长"]
    region TEXT,
    sentence TEXT NOT NULL,
    unknown INTEGER NOT NULL DEFAULT 0  -- 1: a garbled name kept as evidence, not an answer
);
CREATE INDEX IF NOT EXISTS officials_doc ON officials(doc_id);
CREATE INDEX IF NOT EXISTS officials_name ON officials(name);
CREATE TABLE IF NOT EXISTS meetings (
    doc_id TEXT NOT NULL REFERENCES reports(doc_id),
    name TEXT NOT NULL,
    date TEXT,
    place TEXT,
    chairs TEXT NOT NULL,            -- JSON lists of names
    speakers TEXT NOT NULL,
    attendees TEXT NOT NULL,
    sentence TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS meetings_doc ON meetings(doc_id);
CREATE TABLE IF NOT EXISTS figures (
    doc_id TEXT NOT NULL REFERENCES reports(doc_id),
    metric TEXT NOT NULL,
    value TEXT NOT NULL,
    unit TEXT NOT NULL,
    year TEXT,
    change TEXT,
    rank TEXT,
    kind TEXT NOT NULL,              -- achieved | expected | target
    sentence TEXT NOT NULL,
    note TEXT
);
CREATE INDEX IF NOT EXISTS figures_doc ON figures(doc_id);
CREATE INDEX IF NOT EXISTS figures_year ON figures(year);
-- generation: bumped by every write, before and after its Chroma step, so a process
-- knows when its in-memory view of an embedded Chroma is stale.
CREATE TABLE IF NOT EXISTS store_meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
-- Who is writing a pending report (retrieval.writelock.Lease as JSON): repair clears
-- a pending report only when that process is provably gone.
CREATE TABLE IF NOT EXISTS leases (
    doc_id TEXT PRIMARY KEY,
    lease TEXT NOT NULL
) WITHOUT ROWID;
"""

# Bumped whenever the tables change; an index from another version is refused with a
# message instead of failing on a missing column.
SCHEMA_VERSION = 4
# Older schemas this version upgrades in place: 2 lacks chunks_fts_rows, 3 store_meta
# and leases (created by the schema script).
_UPGRADABLE = {2, 3}
# BM25 gives a term held by more than about a quarter of the chunks almost no weight
# (idf = ln((N − n + ½) / (n + ½)) < 1), but an OR query still scores every chunk that
# holds it: at 100k chunks such terms were most of a lexical search's time. They are
# left out of the query, keeping at least the MIN_QUERY_TERMS rarest terms.
COMMON_TERM_SHARE = 0.25
MIN_QUERY_TERMS = 3
# Chroma records read a request by audit().
_AUDIT_PAGE = 5000

_REPORT_FIELDS = (
    "doc_id file source title date date_confidence date_text date_estimate region outlet "
    "reporters "
    "meeting url glosses_removed residues_removed original_text cleaned_text content_hash"
).split()


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


def lists_reports(db_path: Path) -> bool:
    """Whether the catalogue at ``db_path`` holds a stored report: one read-only SQLite
    query, without opening Chroma (false when there is no such catalogue)."""
    if not db_path.is_file():
        return False
    try:
        db = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT 1 FROM reports WHERE status = 'ok' LIMIT 1").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return False
    return row is not None


def chunk_id(doc_id: str, content_hash: str, chunk_no: int) -> str:
    """Stable id: the same report content always gives the same chunk ids."""
    return f"{doc_id}#{content_hash[:16]}#{chunk_no}"


_TOKEN_ID = "~govqa-token"


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
        ``on_wait`` is told when a write waits for another process's."""
        db_path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        has_tables = self._db.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'reports'"
        ).fetchone()[0]
        if has_tables and version != SCHEMA_VERSION and version not in _UPGRADABLE:
            raise StoreError(
                f"the index in {db_path.parent} was made by another version of govqa: "
                "ingest your reports into a new data dir (--data-dir)"
            )
        self._db.executescript(_SCHEMA)
        if version != SCHEMA_VERSION:  # a new file, or an upgrade: opening writes nothing
            with _Transaction(self._db):
                if has_tables and version == 2:
                    self._db.execute(
                        "INSERT OR IGNORE INTO chunks_fts_rows (chunk_id, fts_rowid) "
                        "SELECT chunk_id, rowid FROM chunks_fts"
                    )
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self._chunk_count: tuple[tuple[int, int], int] | None = None
        self._lock = threading.RLock()
        self._writes = 0
        self._tokenizer = tokenizer
        self._write_lock = WriteLock(db_path.with_suffix(".lock"))
        self._on_wait = on_wait
        self._chroma = chroma
        self._collection_name = collection_name
        self._encoder_id = encoder_id
        # The generation Chroma was loaded at, read before it is opened: a write after
        # that makes it look stale, never the other way round.
        self._view = self._generation()
        chroma_client = chroma()
        self._client = chroma_client
        self._collection = self._open_collection()
        stored_encoder = (self._collection.metadata or {}).get("encoder")
        if stored_encoder and stored_encoder != encoder_id:
            backend = "onnx" if stored_encoder.endswith("+onnx-int8") else "torch"
            raise StoreError(
                f"collection {collection_name!r} holds vectors from {stored_encoder!r}, "
                f"not {encoder_id!r}: set GOVQA_EMBEDDING_BACKEND={backend} to use it as it "
                "is, or use another GOVQA_COLLECTION or data dir and re-ingest"
            )
        self._records: Any = None
        self._synced_token: str | None = None
        if shared:
            self._records = chroma_client.get_or_create_collection(
                name=f"{collection_name}-reports",
                metadata={"govqa": "one record a stored report"},
                embedding_function=None,
            )
            self.sync()

    def _open_collection(self) -> Any:
        return self._client.get_or_create_collection(
            name=self._collection_name,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"encoder": self._encoder_id},
            embedding_function=None,
        )

    # -- one writer, fresh views ----------------------------------------------------

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
                self._refresh_view()
            yield

    def _generation(self) -> int:
        row = self._db.execute("SELECT value FROM store_meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def _bump_generation(self) -> None:
        """Inside a write transaction, under the write lock: our view stays current."""
        self._db.execute(
            "INSERT INTO store_meta (key, value) VALUES ('generation', 1) "
            "ON CONFLICT(key) DO UPDATE SET value = value + 1"
        )
        self._view = self._generation()

    def _refresh_view(self) -> None:
        """Reload an embedded Chroma when another process has written since we loaded
        it (a shared server is always current)."""
        if self._records is not None:
            return
        generation = self._generation()
        if generation == self._view:
            return
        with self._lock:
            logger.info("reloading Chroma: another process wrote to the store")
            self._client.close()
            self._client = self._chroma()
            self._collection = self._open_collection()
            self._view = generation

    # -- shared mode ------------------------------------------------------------------

    @property
    def shared(self) -> bool:
        return self._records is not None

    def sync(self) -> int:
        """Shared mode: bring the local catalogue up to date with the server's records.

        Returns how many reports were added, replaced or dropped locally (0 when the
        token is unchanged, which costs one request; embedded mode: always 0).
        """
        if self._records is None:
            return 0
        with self._lock:
            token = self._read_token()
            if token is not None and token == self._synced_token:
                return 0
            got = self._records.get(include=["metadatas"])
            remote = {
                i: str((m or {}).get("content_hash"))
                for i, m in zip(got["ids"], got["metadatas"] or [], strict=True)
                if i != _TOKEN_ID
            }
            local = dict(
                self._db.execute("SELECT doc_id, content_hash FROM reports WHERE status = 'ok'")
            )
            changes = 0
            for doc_id in set(local) - set(remote):
                with self._transaction():
                    self._delete_catalogue_rows(doc_id)
                    self._db.execute("DELETE FROM reports WHERE doc_id = ?", (doc_id,))
                changes += 1
            wanted = sorted(d for d, h in remote.items() if local.get(d) != h)
            for start in range(0, len(wanted), 64):
                batch = self._records.get(ids=wanted[start : start + 64], include=["documents"])
                for document in batch["documents"] or []:
                    self._write_catalogue(json.loads(document))
                    changes += 1
            self._synced_token = token
            if changes:
                logger.info("synced %d reports from the Chroma server", changes)
            return changes

    def _read_token(self) -> str | None:
        got = self._records.get(ids=[_TOKEN_ID], include=["metadatas"])
        metadatas = got["metadatas"] or []
        return str(metadatas[0].get("token")) if metadatas and metadatas[0] else None

    def _publish(self, removed: Sequence[str] = (), records: Sequence[dict[str, Any]] = ()) -> None:
        """Shared mode: delete some reports' records and/or write others, then a new token."""
        if self._records is None or not (removed or records):
            return
        if removed:
            self._records.delete(ids=list(removed))
        if records:
            self._records.upsert(
                ids=[r["row"]["doc_id"] for r in records],
                embeddings=[[0.0] for _ in records],
                documents=[json.dumps(r, ensure_ascii=False) for r in records],
                metadatas=[{"content_hash": r["row"]["content_hash"]} for r in records],
            )
        token = uuid.uuid4().hex
        self._records.upsert(
            ids=[_TOKEN_ID], embeddings=[[0.0]], documents=[""], metadatas=[{"token": token}]
        )

    def _write_catalogue(self, record: dict[str, Any]) -> None:
        """One report's catalogue rows (report, chunks, tokens, facts) from a record."""
        row = dict(record["row"])
        doc_id = row["doc_id"]
        with self._transaction():
            self._delete_catalogue_rows(doc_id)
            names = ",".join(row)
            marks = ",".join("?" * len(row))
            self._db.execute(
                f"INSERT OR REPLACE INTO reports ({names}, status) VALUES ({marks}, 'ok')",
                list(row.values()),
            )
            chunks = record["chunks"]
            self._insert_chunks(
                [(c["id"], doc_id, c["chunk_no"], c["text"], c["index_text"]) for c in chunks]
            )
            self._insert_facts(doc_id, _facts_from_json(record["facts"]))

    # -- reading -----------------------------------------------------------------

    def version(self) -> tuple[int, int]:
        """Changes whenever any process commits to the catalogue: a cache key."""
        return self._writes, self._db.execute("PRAGMA data_version").fetchone()[0]

    def content_hash(self, doc_id: str) -> str | None:
        """The hash of the stored version of a report, if it is completely stored."""
        row = self._db.execute(
            "SELECT content_hash FROM reports WHERE doc_id = ? AND status = 'ok'", (doc_id,)
        ).fetchone()
        return row[0] if row else None

    def vocabulary(self) -> list[str]:
        """Every distinct lexical token in the index."""
        return [r[0] for r in self._db.execute("SELECT term FROM chunks_vocab")]

    def pinyin_readings(self) -> dict[str, str]:
        """The cached pinyin readings (see :meth:`save_pinyin_readings`)."""
        return dict(self._db.execute("SELECT word, reading FROM pinyin").fetchall())

    def save_pinyin_readings(self, readings: dict[str, str]) -> None:
        """Cache readings computed by a reader; a busy database just skips it."""
        try:
            with self._lock, _Transaction(self._db):
                self._db.executemany(
                    "INSERT OR IGNORE INTO pinyin (word, reading) VALUES (?, ?)",
                    readings.items(),
                )
        except sqlite3.OperationalError as e:  # locked by a writer: next time
            logger.debug("cannot cache pinyin readings: %s", e)

    def sources(self) -> dict[str, str]:
        """doc_id → the path it was ingested from."""
        self.sync()
        return {r[0]: r[1] for r in self._db.execute("SELECT doc_id, source FROM reports")}

    def being_written(self, doc_id: str) -> Lease | None:
        """The live process writing report ``doc_id`` now, if another one is."""
        row = self._db.execute(
            "SELECT l.lease FROM reports r JOIN leases l ON l.doc_id = r.doc_id "
            "WHERE r.doc_id = ? AND r.status = 'pending'",
            (doc_id,),
        ).fetchone()
        lease = Lease.from_json(row[0]) if row else None
        return lease if lease is not None and not lease.is_mine() and lease.alive() else None

    def source(self, doc_id: str) -> str | None:
        """The path report ``doc_id`` was ingested from (None: no such report)."""
        row = self._db.execute("SELECT source FROM reports WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def doc_ids(self) -> set[str]:
        self.sync()
        return {r[0] for r in self._db.execute("SELECT doc_id FROM reports")}

    def stats(self) -> dict[str, int]:
        self.sync()
        documents = self._db.execute("SELECT COUNT(*) FROM reports WHERE status = 'ok'").fetchone()[
            0
        ]
        chunks = self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        return {"documents": documents, "chunks": chunks}

    def warm_up(self) -> None:
        """Have Chroma load the collection's segments now (the first read takes ~0.6 s,
        and releases the GIL, so a thread can do it while the caller imports things)."""
        self._collection.get(limit=1, include=[])

    def vector_count(self) -> int:
        return int(self._collection.count())

    def dense_search(self, vector: Sequence[float], k: int) -> list[tuple[str, float]]:
        """Chunk ids and cosine similarities, best first (none from an empty collection)."""
        self._refresh_view()
        result = self._collection.query(
            query_embeddings=[[float(x) for x in vector]], n_results=k, include=["distances"]
        )
        ids = result["ids"][0]
        distances = (result.get("distances") or [[1.0] * len(ids)])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]

    def lexical_search(self, tokens: Iterable[str], k: int) -> list[tuple[str, float]]:
        """Chunk ids and BM25 scores (higher is better), best first."""
        terms = sorted({t.replace('"', "") for t in tokens if t.strip('"')})
        if not terms:
            return []
        terms = self._informative(terms)
        query = " OR ".join(f'"{t}"' for t in terms)
        rows = self._db.execute(
            "SELECT chunk_id, -bm25(chunks_fts) AS score FROM chunks_fts "
            "WHERE chunks_fts MATCH ? ORDER BY score DESC LIMIT ?",
            (query, k),
        ).fetchall()
        return [(r[0], float(r[1])) for r in rows]

    def _informative(self, terms: list[str]) -> list[str]:
        """``terms`` without those held by over COMMON_TERM_SHARE of the chunks."""
        if len(terms) <= MIN_QUERY_TERMS:
            return terms
        version = self.version()
        if self._chunk_count is None or self._chunk_count[0] != version:
            count = self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
            self._chunk_count = (version, count)
        common = COMMON_TERM_SHARE * self._chunk_count[1]
        marks = ",".join("?" * len(terms))
        frequency = dict(
            self._db.execute(
                f"SELECT term, doc FROM chunks_vocab WHERE term IN ({marks})", terms
            ).fetchall()
        )
        present = sorted((t for t in terms if t in frequency), key=frequency.__getitem__)
        rarest = set(present[:MIN_QUERY_TERMS])
        return [t for t in terms if frequency.get(t, 0) <= common or t in rarest]

    def document_frequencies(self, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        """How many chunks there are, and in how many each of ``terms`` occurs (lexical
        tokens: jieba words and Han bigrams; a term in none is left out)."""
        version = self.version()
        if self._chunk_count is None or self._chunk_count[0] != version:
            count = self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
            self._chunk_count = (version, count)
        wanted = sorted(set(terms))
        if not wanted:
            return self._chunk_count[1], {}
        marks = ",".join("?" * len(wanted))
        rows = self._db.execute(
            f"SELECT term, doc FROM chunks_vocab WHERE term IN ({marks})", wanted
        ).fetchall()
        return self._chunk_count[1], dict(rows)

    def get_chunks(self, ids: Sequence[str]) -> dict[str, StoredChunk]:
        """The chunks with these ids that belong to completely stored reports."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._db.execute(
            "SELECT c.id, c.doc_id, c.chunk_no, c.text, c.index_text FROM chunks c "
            f"JOIN reports r ON r.doc_id = c.doc_id WHERE r.status = 'ok' AND c.id IN ({marks})",
            list(ids),
        ).fetchall()
        return {r[0]: StoredChunk(*r) for r in rows}

    def get_reports(self, doc_ids: Iterable[str]) -> dict[str, StoredReport]:
        wanted = list(set(doc_ids))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self._db.execute(
            "SELECT doc_id, file, title, date, date_confidence, date_estimate, date_text, region, "
            f"outlet, reporters, meeting, cleaned_text FROM reports WHERE doc_id IN ({marks})",
            wanted,
        ).fetchall()
        return {
            r[0]: StoredReport(
                doc_id=r[0],
                file=r[1],
                title=r[2],
                date=r[3],
                date_confidence=r[4],
                date_estimate=r[5],
                date_text=r[6],
                region=r[7],
                outlet=r[8],
                reporters=tuple(json.loads(r[9])),
                meeting=r[10],
                cleaned_text=r[11],
            )
            for r in rows
        }

    # -- writing (report level) -----------------------------------------------------

    def replace_report(
        self,
        report: Report,
        chunks: Sequence[Chunk],
        vectors: Sequence[Sequence[float]],
        facts: Facts | None = None,
    ) -> None:
        """Store a report with its chunks, vectors and facts, replacing any earlier version."""
        self.replace_reports([(report, chunks, vectors, facts)])

    def replace_reports(
        self,
        items: Sequence[tuple[Report, Sequence[Chunk], Sequence[Sequence[float]], Facts | None]],
    ) -> None:
        """:meth:`replace_report` for several reports, in the same three steps, with one
        Chroma delete and one add for all of them: a Chroma write costs tens of
        milliseconds however few vectors it holds, which is most of the time of an
        ingest of many short reports. A crash leaves all of them ``pending``."""
        latest = {item[0].doc_id: item for item in items}  # a report twice: the last wins
        batch = []
        for report, chunks, vectors, facts in latest.values():
            if len(chunks) != len(vectors):
                raise ValueError("one vector per chunk is needed")
            ids = [chunk_id(report.doc_id, report.content_hash, c.chunk_no) for c in chunks]
            row = {f: getattr(report, f) for f in _REPORT_FIELDS}
            row["reporters"] = json.dumps(list(report.reporters), ensure_ascii=False)
            rows = [
                (i, report.doc_id, c.chunk_no, c.text, c.index_text)
                for i, c in zip(ids, chunks, strict=True)
            ]
            batch.append((report, row, rows, vectors, facts))
        if not batch:
            return
        doc_ids = [report.doc_id for report, *_ in batch]
        lease = Lease.mine().to_json()
        with self.writing():
            # Vectors can only exist for a report with a catalogue row (step 1 writes it
            # first, repair deletes it last), so new reports need no Chroma delete, which
            # scans the collection's metadata. A shared server may hold other processes'.
            stale = doc_ids if self._records is not None else self._known(doc_ids)
            with self._transaction():  # step 1: old chunks out, reports pending
                self._bump_generation()
                for _, row, _, _, _ in batch:
                    self._delete_catalogue_rows(row["doc_id"])
                    self._db.execute(
                        "INSERT OR REPLACE INTO leases (doc_id, lease) VALUES (?, ?)",
                        (row["doc_id"], lease),
                    )
                    names = ",".join(row)
                    marks = ",".join("?" * len(row))
                    self._db.execute(
                        f"INSERT OR REPLACE INTO reports ({names}, status) "
                        f"VALUES ({marks}, 'pending')",
                        list(row.values()),
                    )
            # step 2: vectors (shared mode: the records go first, come back last)
            self._publish(removed=doc_ids)
            if stale:
                self._collection.delete(where={"doc_id": {"$in": stale}})
            ids = [r[0] for _, _, rows, _, _ in batch for r in rows]
            if ids:
                self._write_vectors(
                    self._collection.add,
                    ids,
                    [[float(x) for x in v] for _, _, _, vectors, _ in batch for v in vectors],
                    [
                        _vector_metadata(report, r[2])
                        for report, _, rows, _, _ in batch
                        for r in rows
                    ],
                )
            if self._records is not None:
                self._publish(
                    records=[
                        {
                            "row": row,
                            "chunks": [
                                {"id": r[0], "chunk_no": r[2], "text": r[3], "index_text": r[4]}
                                for r in rows
                            ],
                            "facts": asdict(facts or Facts((), (), ())),
                        }
                        for _, row, rows, _, facts in batch
                    ]
                )
            with self._transaction():  # step 3: chunks and tokens in, reports ok
                self._bump_generation()
                for _, row, rows, _, facts in batch:
                    self._db.execute("DELETE FROM leases WHERE doc_id = ?", (row["doc_id"],))
                    self._insert_chunks(rows)
                    if facts is not None:
                        self._insert_facts(row["doc_id"], facts)
                    self._db.execute(
                        "UPDATE reports SET status = 'ok' WHERE doc_id = ?", (row["doc_id"],)
                    )

    def _write_vectors(
        self,
        write: Callable[..., None],
        ids: Sequence[str],
        embeddings: Sequence[Sequence[float]],
        metadatas: Sequence[dict[str, Any]],
    ) -> None:
        """Chroma refuses one write larger than its maximum batch (5,461 records here):
        a report of 2 M characters makes ~7,000 chunks. Written in slices of it."""
        size = self._max_batch()
        for start in range(0, len(ids), size):
            write(
                ids=list(ids[start : start + size]),
                embeddings=list(embeddings[start : start + size]),
                metadatas=list(metadatas[start : start + size]),
            )

    def _max_batch(self) -> int:
        try:
            return max(1, int(self._client.get_max_batch_size()))
        except Exception:  # noqa: BLE001 - an older server without the call
            return 1000

    def _known(self, doc_ids: Sequence[str]) -> list[str]:
        """Those of ``doc_ids`` that have a catalogue row, whatever its status."""
        marks = ",".join("?" * len(doc_ids))
        return [
            r[0]
            for r in self._db.execute(
                f"SELECT doc_id FROM reports WHERE doc_id IN ({marks})", list(doc_ids)
            )
        ]

    def remove_report(self, doc_id: str) -> bool:
        """Remove a report and everything derived from it. False if it was not there."""
        with self.writing():
            self.sync()
            if not self._known([doc_id]):
                return False
            with self._transaction():
                self._bump_generation()
                self._delete_catalogue_rows(doc_id)
                self._db.execute(
                    "UPDATE reports SET status = 'pending' WHERE doc_id = ?", (doc_id,)
                )
                self._db.execute(
                    "INSERT OR REPLACE INTO leases (doc_id, lease) VALUES (?, ?)",
                    (doc_id, Lease.mine().to_json()),
                )
            self._publish(removed=[doc_id])
            self._collection.delete(where={"doc_id": doc_id})
            with self._transaction():
                self._bump_generation()
                self._db.execute("DELETE FROM reports WHERE doc_id = ?", (doc_id,))
                self._db.execute("DELETE FROM leases WHERE doc_id = ?", (doc_id,))
            return True

    # -- end-to-end check (govqa check) ----------------------------------------------

    def stored_chunks(self) -> dict[str, str]:
        """chunk id → doc id of every chunk of a completely stored report."""
        return dict(
            self._db.execute(
                "SELECT c.id, c.doc_id FROM chunks c JOIN reports r ON r.doc_id = c.doc_id "
                "WHERE r.status = 'ok'"
            ).fetchall()
        )

    def vector_owners(self) -> dict[str, str]:
        """vector id → the doc id in its metadata, for every vector in the collection."""
        owners: dict[str, str] = {}
        for offset in range(0, self._collection.count(), _AUDIT_PAGE):
            # In pages: one get() of 100k records fails ("too many SQL variables").
            got = self._collection.get(include=["metadatas"], limit=_AUDIT_PAGE, offset=offset)
            for vector_id, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
                owners[vector_id] = str((meta or {}).get("doc_id"))
        return owners

    def unreadable_vectors(self, ids: Sequence[str], page: int = 500) -> list[str]:
        """Those of ``ids`` whose vector cannot be read back: absent, or listed but not
        in the vector index ("Error finding id", what two writers' stale indexes left)."""
        bad: list[str] = []

        def probe(part: Sequence[str]) -> None:
            if not part:
                return
            try:
                got = self._collection.get(ids=list(part), include=["embeddings"])
            except Exception:  # noqa: BLE001 - Chroma raises InternalError; narrow it down
                if len(part) == 1:
                    bad.append(part[0])
                    return
                half = len(part) // 2
                probe(part[:half])
                probe(part[half:])
                return
            embeddings = got.get("embeddings")
            found = {
                i
                for n, i in enumerate(got["ids"])
                if embeddings is not None and len(embeddings[n]) > 0
            }
            bad.extend(i for i in part if i not in found)

        for start in range(0, len(ids), page):
            probe(ids[start : start + page])
        return bad

    def pending_reports(self) -> dict[str, Lease | None]:
        """Half-written reports and who was writing each (None: nobody recorded)."""
        rows = self._db.execute(
            "SELECT r.doc_id, l.lease FROM reports r "
            "LEFT JOIN leases l ON l.doc_id = r.doc_id WHERE r.status = 'pending'"
        ).fetchall()
        return {doc_id: Lease.from_json(text) if text else None for doc_id, text in rows}

    def restore_vectors(self, ids: Sequence[str], encoder: Any) -> int:
        """Embed these stored chunks again and write their vectors (insert or replace)."""
        marks = ",".join("?" * len(ids))
        rows = self._db.execute(
            "SELECT c.id, c.chunk_no, c.index_text, r.doc_id, r.file, r.title, r.content_hash, "
            "r.date, r.date_confidence, r.region, r.outlet, r.reporters, r.meeting "
            f"FROM chunks c JOIN reports r ON r.doc_id = c.doc_id WHERE c.id IN ({marks})",
            list(ids),
        ).fetchall() if ids else []  # fmt: skip
        if not rows:
            return 0
        vectors = encoder.encode_passages([r[2] for r in rows])
        metadatas = [
            {
                "doc_id": r[3],
                "file": r[4],
                "title": r[5],
                "chunk_no": r[1],
                "content_hash": r[6],
                "date": r[7] or "",
                "date_confidence": r[8],
                "region": r[9] or "",
                "outlet": r[10] or "",
                "reporters": "、".join(json.loads(r[11])),
                "meeting": r[12] or "",
            }
            for r in rows
        ]
        with self._transaction():
            self._bump_generation()
        # upsert, not delete + add: deleting an id the vector index lost fails in Chroma.
        self._write_vectors(
            self._collection.upsert,
            [r[0] for r in rows],
            [[float(x) for x in v] for v in vectors],
            metadatas,
        )
        with self._transaction():
            self._bump_generation()
        return len(rows)

    def delete_vectors(self, ids: Sequence[str]) -> None:
        """Delete vectors that belong to no stored chunk."""
        if not ids:
            return
        with self._transaction():
            self._bump_generation()
        for start in range(0, len(ids), _AUDIT_PAGE):
            page = list(ids[start : start + _AUDIT_PAGE])
            try:
                self._collection.delete(ids=page)
            except Exception:  # noqa: BLE001 - ids the vector index lost cannot be deleted
                # Give them a vector first (upsert works on a lost id), then delete.
                placeholder = self._any_vector()
                self._collection.upsert(ids=page, embeddings=[placeholder] * len(page))
                self._collection.delete(ids=page)
        with self._transaction():
            self._bump_generation()

    def _any_vector(self) -> list[float]:
        """A vector of the collection's dimension (zeros are not allowed for cosine)."""
        for offset in range(0, self._collection.count(), 100):
            try:
                got = self._collection.get(limit=100, offset=offset, include=["embeddings"])
            except Exception:  # noqa: BLE001 - a page with a lost vector: try the next
                continue
            embeddings = got.get("embeddings")
            if embeddings is not None and len(embeddings):
                return [float(x) for x in embeddings[0]]
        raise StoreError("no readable vector left to learn the dimension from: re-ingest")

    def repair_catalogue(self) -> int:
        """Make the lexical index and the facts tables agree with the chunks and reports:
        rows of nothing stored out, chunks missing from the lexical index tokenised
        again. Returns how many rows changed."""
        changed = 0
        with self._transaction():
            for table in ("officials", "meetings", "figures", "chunks"):
                changed += self._db.execute(
                    f"DELETE FROM {table} WHERE doc_id NOT IN "
                    "(SELECT doc_id FROM reports WHERE status = 'ok')"
                ).rowcount
            changed += self._db.execute(
                "DELETE FROM chunks_fts WHERE chunk_id NOT IN (SELECT id FROM chunks) "
                "OR rowid NOT IN (SELECT fts_rowid FROM chunks_fts_rows)"
            ).rowcount
            changed += self._db.execute(
                "DELETE FROM chunks_fts_rows WHERE chunk_id NOT IN (SELECT id FROM chunks) "
                "OR fts_rowid NOT IN (SELECT rowid FROM chunks_fts)"
            ).rowcount
            unindexed = self._db.execute(
                "SELECT id, index_text FROM chunks WHERE id NOT IN "
                "(SELECT chunk_id FROM chunks_fts_rows)"
            ).fetchall()
            for chunk, text in unindexed:
                tokens = " ".join(self._tokenizer.tokens(text))
                inserted = self._db.execute(
                    "INSERT INTO chunks_fts (tokens, chunk_id) VALUES (?, ?)", (tokens, chunk)
                )
                self._db.execute(
                    "INSERT INTO chunks_fts_rows (chunk_id, fts_rowid) VALUES (?, ?)",
                    (chunk, inserted.lastrowid),
                )
            changed += len(unindexed)
        return changed

    def catalogue_problems(self) -> list[str]:
        """Inconsistencies inside the catalogue: lexical rows and facts of nothing
        stored, chunks missing from the lexical index, duplicate lexical rows."""
        problems: list[str] = []
        for table in ("chunks_fts", "chunks_fts_rows", "officials", "meetings", "figures"):
            of_chunks = table.startswith("chunks")
            column = "chunk_id" if of_chunks else "doc_id"
            parent = "chunks c ON c.id" if of_chunks else "reports r ON r.doc_id"
            orphans = self._db.execute(
                f"SELECT COUNT(*) FROM {table} t LEFT JOIN {parent} = t.{column} "
                f"WHERE {'c.id' if of_chunks else 'r.doc_id'} IS NULL"
            ).fetchone()[0]
            if orphans:
                problems.append(f"{table}: {orphans} rows of nothing stored")
        unstored = self._db.execute(
            "SELECT COUNT(*) FROM chunks WHERE doc_id NOT IN "
            "(SELECT doc_id FROM reports WHERE status = 'ok')"
        ).fetchone()[0]
        if unstored:
            problems.append(f"chunks: {unstored} rows of a report that is not stored")
        unindexed = self._db.execute(
            "SELECT COUNT(*) FROM chunks c LEFT JOIN chunks_fts_rows m ON m.chunk_id = c.id "
            "LEFT JOIN chunks_fts f ON f.rowid = m.fts_rowid WHERE f.rowid IS NULL"
        ).fetchone()[0]
        if unindexed:
            problems.append(f"chunks: {unindexed} missing from the lexical index")
        unmapped = self._db.execute(
            "SELECT COUNT(*) FROM chunks_fts f LEFT JOIN chunks_fts_rows m "
            "ON m.fts_rowid = f.rowid AND m.chunk_id = f.chunk_id WHERE m.chunk_id IS NULL"
        ).fetchone()[0]
        if unmapped:
            problems.append(f"chunks_fts: {unmapped} rows missing from chunks_fts_rows")
        duplicates = self._db.execute(
            "SELECT COUNT(*) - COUNT(DISTINCT chunk_id) FROM chunks_fts"
        ).fetchone()[0]
        if duplicates:
            problems.append(f"chunks_fts: {duplicates} duplicate rows")
        return problems

    def audit(self) -> list[str]:
        """Inconsistencies between Chroma and the catalogue (empty when all is well):
        a stored report whose vectors and chunks differ, vectors or rows of no stored
        report, duplicate chunks. ``pending`` reports are what :meth:`repair` clears."""
        problems: list[str] = []
        ok = {r[0] for r in self._db.execute("SELECT doc_id FROM reports WHERE status = 'ok'")}
        vectors: dict[str, set[str]] = {}
        for offset in range(0, self._collection.count(), _AUDIT_PAGE):
            # In pages: one get() of 100k records fails ("too many SQL variables").
            got = self._collection.get(include=["metadatas"], limit=_AUDIT_PAGE, offset=offset)
            for vector_id, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
                vectors.setdefault(str((meta or {}).get("doc_id")), set()).add(vector_id)
        rows: dict[str, set[str]] = {}
        for chunk, doc_id in self._db.execute("SELECT id, doc_id FROM chunks"):
            rows.setdefault(doc_id, set()).add(chunk)
        for doc_id in ok:
            if vectors.get(doc_id, set()) != rows.get(doc_id, set()):
                problems.append(f"{doc_id}: vectors and chunks differ")
        for doc_id in set(rows) - ok:
            problems.append(f"{doc_id}: chunks of a report that is not stored")
        pending = {
            r[0] for r in self._db.execute("SELECT doc_id FROM reports WHERE status = 'pending'")
        }
        for doc_id in set(vectors) - ok - pending:
            problems.append(f"{doc_id}: vectors of a report that is not stored")
        problems.extend(self.catalogue_problems())
        return problems

    def repair(self) -> list[str]:
        """Clear reports a crash left half-written; returns their doc ids.

        Only reports whose writer is provably gone (:meth:`Lease.alive`) are cleared: a
        pending report of a live process — one that writes without the lock, or on
        another machine — is left alone."""
        with self.writing():
            self.sync()
            pending = dict(
                self._db.execute(
                    "SELECT r.doc_id, l.lease FROM reports r "
                    "LEFT JOIN leases l ON l.doc_id = r.doc_id WHERE r.status = 'pending'"
                ).fetchall()
            )
            cleared = []
            for doc_id, text in pending.items():
                lease = Lease.from_json(text) if text else None
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

    def _insert_chunks(self, rows: Sequence[tuple[str, str, int, str, str]]) -> None:
        """Chunk rows (id, doc_id, chunk_no, text, index_text) and their lexical tokens."""
        self._db.executemany(
            "INSERT INTO chunks (id, doc_id, chunk_no, text, index_text) VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        for row in rows:
            tokens = " ".join(self._tokenizer.tokens(row[4]))
            inserted = self._db.execute(
                "INSERT INTO chunks_fts (tokens, chunk_id) VALUES (?, ?)", (tokens, row[0])
            )
            self._db.execute(
                "INSERT INTO chunks_fts_rows (chunk_id, fts_rowid) VALUES (?, ?)",
                (row[0], inserted.lastrowid),
            )

    def _insert_facts(self, doc_id: str, facts: Facts) -> None:
        def dump(values: Sequence[str]) -> str:
            return json.dumps(list(values), ensure_ascii=False)

        self._db.executemany(
            "INSERT INTO officials (doc_id, name, titles, region, sentence, unknown) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (doc_id, o.name, dump(o.titles), o.region, o.sentence, int(o.unknown))
                for o in facts.officials
            ],
        )
        self._db.executemany(
            "INSERT INTO meetings (doc_id, name, date, place, chairs, speakers, attendees, "
            "sentence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    doc_id,
                    m.name,
                    m.date,
                    m.place,
                    dump(m.chairs),
                    dump(m.speakers),
                    dump(m.attendees),
                    m.sentence,
                )
                for m in facts.meetings
            ],
        )
        self._db.executemany(
            "INSERT INTO figures (doc_id, metric, value, unit, year, change, rank, kind, "
            "sentence, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    doc_id,
                    f.metric,
                    f.value,
                    f.unit,
                    f.year,
                    f.change,
                    f.rank,
                    f.kind,
                    f.sentence,
                    f.note,
                )
                for f in facts.figures
            ],
        )

    # -- facts (reading) -------------------------------------------------------------

    def officials(self, region: str | None = None) -> list[dict[str, Any]]:
        """Officials of completely stored reports, optionally of one region (substring)."""
        rows = self._fact_rows(
            "SELECT o.doc_id, r.file, o.name, o.titles, o.region, o.sentence, o.unknown "
            "FROM officials o JOIN reports r ON r.doc_id = o.doc_id WHERE r.status = 'ok'",
            region_column="o.region",
            region=region,
            order="o.doc_id, o.rowid",
        )
        return [
            {
                "doc_id": r[0],
                "file": r[1],
                "name": r[2],
                "titles": json.loads(r[3]),
                "region": r[4],
                "sentence": r[5],
                "unknown": bool(r[6]),
            }
            for r in rows
        ]

    def meetings(self, region: str | None = None) -> list[dict[str, Any]]:
        rows = self._fact_rows(
            "SELECT m.doc_id, r.file, m.name, m.date, m.place, m.chairs, m.speakers, "
            "m.attendees, m.sentence, r.region FROM meetings m "
            "JOIN reports r ON r.doc_id = m.doc_id WHERE r.status = 'ok'",
            region_column="r.region",
            region=region,
            order="m.doc_id, m.rowid",
        )
        return [
            {
                "doc_id": r[0],
                "file": r[1],
                "name": r[2],
                "date": r[3],
                "place": r[4],
                "chairs": json.loads(r[5]),
                "speakers": json.loads(r[6]),
                "attendees": json.loads(r[7]),
                "sentence": r[8],
                "region": r[9],
            }
            for r in rows
        ]

    def figures(
        self,
        region: str | None = None,
        year: str | None = None,
        *,
        years: Sequence[str] = (),
        targets: bool | None = None,
        metric_terms: Sequence[str] = (),
        places: Sequence[str] = (),
    ) -> list[dict[str, Any]]:
        """Figures of completely stored reports; optionally only of one region
        (substring) or year, of these ``years``, targets or results (``targets``), with
        any of ``metric_terms`` in the metric, and all ``places`` in region or sentence.
        (The filters run in SQLite: at 100k chunks the table has ~65k rows.)"""
        sql = (
            "SELECT f.doc_id, r.file, f.metric, f.value, f.unit, f.year, f.change, f.rank, "
            "f.kind, f.sentence, f.note, r.region FROM figures f "
            "JOIN reports r ON r.doc_id = f.doc_id WHERE r.status = 'ok'"
        )
        params: list[str] = []
        wanted_years = [str(int(y)) for y in (year, *years) if y]  # int(): years only
        if wanted_years:
            sql += f" AND f.year IN ({','.join('?' * len(wanted_years))})"
            params += wanted_years
        if targets is not None:
            sql += f" AND f.kind {'' if targets else 'NOT '}IN ('target', 'expected')"
        if metric_terms:
            sql += " AND (" + " OR ".join(["instr(f.metric, ?) > 0"] * len(metric_terms)) + ")"
            params += metric_terms
        for place in places:
            sql += " AND instr(coalesce(r.region, '') || ' ' || f.sentence, ?) > 0"
            params.append(place)
        rows = self._fact_rows(
            sql, region_column="r.region", region=region, order="f.doc_id, f.rowid", params=params
        )
        return [
            {
                "doc_id": r[0],
                "file": r[1],
                "metric": r[2],
                "value": r[3],
                "unit": r[4],
                "year": r[5],
                "change": r[6],
                "rank": r[7],
                "kind": r[8],
                "sentence": r[9],
                "note": r[10],
                "region": r[11],
            }
            for r in rows
        ]

    def fact_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for table in ("officials", "meetings", "figures"):
            counts[table] = self._db.execute(
                f"SELECT COUNT(*) FROM {table} t JOIN reports r ON r.doc_id = t.doc_id "
                "WHERE r.status = 'ok'"
            ).fetchone()[0]
        return counts

    def _fact_rows(
        self,
        sql: str,
        *,
        region_column: str,
        region: str | None,
        order: str,
        params: Sequence[str] = (),
    ) -> list[Any]:
        params = list(params)
        if region:
            sql += f" AND {region_column} LIKE ?"
            params.append(f"%{region}%")
        return self._db.execute(f"{sql} ORDER BY {order}", params).fetchall()

    def _delete_catalogue_rows(self, doc_id: str) -> None:
        for table in ("officials", "meetings", "figures"):
            self._db.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
        self._db.execute(
            "DELETE FROM chunks_fts WHERE rowid IN (SELECT m.fts_rowid FROM chunks_fts_rows m "
            "JOIN chunks c ON c.id = m.chunk_id WHERE c.doc_id = ?)",
            (doc_id,),
        )
        self._db.execute(
            "DELETE FROM chunks_fts_rows "
            "WHERE chunk_id IN (SELECT id FROM chunks WHERE doc_id = ?)",
            (doc_id,),
        )
        self._db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))

    def _transaction(self) -> _Transaction:
        self._writes += 1
        return _Transaction(self._db)

    def close(self) -> None:
        self._db.close()


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on error (the connection is autocommit)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")


def _facts_from_json(data: dict[str, Any]) -> Facts:
    """The inverse of ``dataclasses.asdict(facts)`` (lists back to tuples)."""

    def tuples(item: dict[str, Any]) -> dict[str, Any]:
        return {k: tuple(v) if isinstance(v, list) else v for k, v in item.items()}

    return Facts(
        officials=tuple(Official(**tuples(o)) for o in data.get("officials", [])),
        meetings=tuple(Meeting(**tuples(m)) for m in data.get("meetings", [])),
        figures=tuple(Figure(**tuples(f)) for f in data.get("figures", [])),
    )


def _vector_metadata(report: Report, chunk_no: int) -> dict[str, Any]:
    """What Chroma keeps beside a chunk's vector (for filters and for other tools)."""
    return {
        "doc_id": report.doc_id,
        "file": report.file,
        "title": report.title,
        "chunk_no": chunk_no,
        "content_hash": report.content_hash,
        "date": report.date or "",
        "date_confidence": report.date_confidence,
        "region": report.region or "",
        "outlet": report.outlet or "",
        "reporters": "、".join(report.reporters),
        "meeting": report.meeting or "",
    }
