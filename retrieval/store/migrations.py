"""The catalogue's schema, as numbered migrations applied in order.

``PRAGMA user_version`` holds the number of migrations a catalogue has had (0: a new
file). Opening one applies the missing migrations in one transaction; a current one is
only read, never written. A change to the tables is a new function at the end of
:data:`MIGRATIONS`, never an edit of an old one: catalogues made by every earlier
version must keep opening.

The tables of ``govqa.sqlite3`` (in the data dir; with a Chroma server, a local cache
file of the same shape):

- ``reports``: one row a report — metadata, texts, ``content_hash`` and ``status``
  (``pending`` while a write is under way, ``ok`` once every part of it is stored).
- ``chunks``: one row a chunk (id, doc_id, chunk_no, text, index_text).
- ``chunks_fts``: an FTS5 table of the chunks' lexical tokens (BM25), and
  ``chunks_fts_rows``, which FTS5 row holds which chunk (FTS5 cannot look up its
  unindexed ``chunk_id`` column: deleting a report's rows by it scanned the whole table,
  ~1 s a report at 50k chunks).
- ``officials``, ``meetings``, ``figures``: the facts extracted from each report
  (``ingest.facts``), each row with its report and evidence sentence; ``speech_points``:
  what each speaker said, a sentence a row.
- ``report_groups`` and ``group_bands``: which reports are copies of one another
  (republished by several outlets) and the LSH keys that find them
  (:mod:`retrieval.store.groups`).
- ``pinyin``, ``store_meta`` and ``leases``: a cache of index words' readings, the
  write generation, and who is writing each pending report.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from retrieval.store.base import StoreError, Transaction

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = []


def migration(function: Migration) -> Migration:
    """Add ``function`` to :data:`MIGRATIONS`: its place there is its version."""
    MIGRATIONS.append(function)
    return function


def _run(db: sqlite3.Connection, *statements: str) -> None:
    # One by one: executescript would commit the migrations' transaction first.
    for statement in statements:
        db.execute(statement)


@migration
def m001_reports_and_chunks(db: sqlite3.Connection) -> None:
    _run(
        db,
        """CREATE TABLE IF NOT EXISTS reports (
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
)""",
        """CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES reports(doc_id),
    chunk_no INTEGER NOT NULL,
    text TEXT NOT NULL,
    index_text TEXT NOT NULL
)""",
        "CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id)",
        """CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    tokens, chunk_id UNINDEXED, tokenize = 'unicode61'
)""",
        "CREATE VIRTUAL TABLE IF NOT EXISTS chunks_vocab USING fts5vocab(chunks_fts, 'row')",
    )


@migration
def m002_facts(db: sqlite3.Connection) -> None:
    """The facts of each report. (Catalogues of version 1 are refused, not upgraded:
    their reports have no facts until they are ingested again.)"""
    _run(
        db,
        """CREATE TABLE IF NOT EXISTS officials (
    doc_id TEXT NOT NULL REFERENCES reports(doc_id),
    name TEXT NOT NULL,
    titles TEXT NOT NULL,            -- JSON list, e.g. ["区委副书记", "区长"]
    region TEXT,
    sentence TEXT NOT NULL,
    unknown INTEGER NOT NULL DEFAULT 0  -- 1: a garbled name kept as evidence, not an answer
)""",
        "CREATE INDEX IF NOT EXISTS officials_doc ON officials(doc_id)",
        "CREATE INDEX IF NOT EXISTS officials_name ON officials(name)",
        """CREATE TABLE IF NOT EXISTS meetings (
    doc_id TEXT NOT NULL REFERENCES reports(doc_id),
    name TEXT NOT NULL,
    date TEXT,
    place TEXT,
    chairs TEXT NOT NULL,            -- JSON lists of names
    speakers TEXT NOT NULL,
    attendees TEXT NOT NULL,
    sentence TEXT NOT NULL
)""",
        "CREATE INDEX IF NOT EXISTS meetings_doc ON meetings(doc_id)",
        """CREATE TABLE IF NOT EXISTS figures (
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
)""",
        "CREATE INDEX IF NOT EXISTS figures_doc ON figures(doc_id)",
    )


@migration
def m003_fts_row_map(db: sqlite3.Connection) -> None:
    """Which FTS5 row holds which chunk, filled from the rows already there."""
    _run(
        db,
        """CREATE TABLE IF NOT EXISTS chunks_fts_rows (
    chunk_id TEXT PRIMARY KEY,
    fts_rowid INTEGER NOT NULL
) WITHOUT ROWID""",
        "INSERT OR IGNORE INTO chunks_fts_rows (chunk_id, fts_rowid) "
        "SELECT chunk_id, rowid FROM chunks_fts",
    )


@migration
def m004_writers(db: sqlite3.Connection) -> None:
    """The write generation and writers' leases; and what version 3 gained without a
    new number (some catalogues of version 2 or 3 lack it): the covering index of
    reports, the figures' year index and the pinyin cache."""
    _run(
        db,
        # status sits after the report's texts, so reading it from the table walks their
        # overflow pages: joins of facts and chunks to reports read it from here instead.
        "CREATE INDEX IF NOT EXISTS reports_ok ON reports(doc_id, status, file, region)",
        "CREATE INDEX IF NOT EXISTS figures_year ON figures(year)",
        # Toneless pinyin of index words, for English questions (wancheng → 宛城): a
        # cache filled on first use, since reading 160k words takes ~7 s.
        """CREATE TABLE IF NOT EXISTS pinyin (
    word TEXT PRIMARY KEY,
    reading TEXT NOT NULL
) WITHOUT ROWID""",
        # generation: bumped by every write, before and after its Chroma step, so a
        # process knows when its in-memory view of an embedded Chroma is stale.
        """CREATE TABLE IF NOT EXISTS store_meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID""",
        # Who is writing a pending report (retrieval.writelock.Lease as JSON): repair
        # clears a pending report only when that process is provably gone.
        """CREATE TABLE IF NOT EXISTS leases (
    doc_id TEXT PRIMARY KEY,
    lease TEXT NOT NULL
) WITHOUT ROWID""",
    )


@migration
def m005_speech_points(db: sqlite3.Connection) -> None:
    """What each speaker of a report said, sentence by sentence (ingest.facts.speech).
    Reports stored before have none until they are ingested again (the content hash's
    version changed with it, so the next ingest of them rebuilds them)."""
    _run(
        db,
        """CREATE TABLE IF NOT EXISTS speech_points (
    doc_id TEXT NOT NULL REFERENCES reports(doc_id),
    speaker TEXT NOT NULL,           -- a name, or 会议 / 全会 for the meeting itself
    verb TEXT NOT NULL,              -- 强调, 指出, 要求 … as the report introduces it
    point TEXT NOT NULL,
    paragraph INTEGER NOT NULL
)""",
        "CREATE INDEX IF NOT EXISTS speech_points_doc ON speech_points(doc_id)",
        "CREATE INDEX IF NOT EXISTS speech_points_speaker ON speech_points(speaker)",
    )


@migration
def m006_republished_groups(db: sqlite3.Connection) -> None:
    """Groups of republished reports; the reports already stored are grouped here, once
    (from their cleaned text: nothing has to be ingested again)."""
    from retrieval.store.groups import Groups

    _run(
        db,
        """CREATE TABLE IF NOT EXISTS report_groups (
    doc_id TEXT PRIMARY KEY,
    group_id TEXT NOT NULL,          -- the doc id of the report that started the group
    likeness REAL                    -- share of the shorter text in the one it joined
) WITHOUT ROWID""",
        "CREATE INDEX IF NOT EXISTS report_groups_group ON report_groups(group_id)",
        """CREATE TABLE IF NOT EXISTS group_bands (
    key INTEGER NOT NULL,            -- a MinHash band's hash (ingest.duplicates)
    doc_id TEXT NOT NULL,
    PRIMARY KEY (key, doc_id)
) WITHOUT ROWID""",
        "CREATE INDEX IF NOT EXISTS group_bands_doc ON group_bands(doc_id)",
    )
    Groups(db).assign_all()


@migration
def m007_ocr_confidence(db: sqlite3.Connection) -> None:
    """A report read by OCR keeps its pages' confidence (None: it had text)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(reports)")}
    if "ocr_confidence" not in columns:  # like the others, safe to run again
        _run(db, "ALTER TABLE reports ADD COLUMN ocr_confidence REAL")


SCHEMA_VERSION = len(MIGRATIONS)
# The oldest version upgraded in place; an older (or newer) catalogue is refused with a
# message instead of failing on a missing column.
OLDEST_UPGRADABLE = 2


def migrate(db: sqlite3.Connection, where: Path) -> None:
    """Bring the catalogue on ``db`` (an autocommit connection) to :data:`SCHEMA_VERSION`;
    ``where`` is the data dir a refusal names."""
    if _applied(db, where) == SCHEMA_VERSION:
        return
    with Transaction(db):
        done = _applied(db, where)  # again, locked: another process may have done it
        for step in MIGRATIONS[done:]:
            step(db)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _applied(db: sqlite3.Connection, where: Path) -> int:
    """How many of the migrations the catalogue has had (0: it has no tables)."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    has_tables = db.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'reports'").fetchone()[
        0
    ]
    if not has_tables:
        return 0
    if not OLDEST_UPGRADABLE <= version <= SCHEMA_VERSION:
        raise StoreError(
            f"the index in {where} was made by another version of govqa: "
            "ingest your reports into a new data dir (--data-dir)"
        )
    return version
