"""The lexical index of the chunks: BM25 over FTS5, the document frequencies of terms,
and the pinyin readings of index words cached beside it."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence

from retrieval.lexical import Tokenizer
from retrieval.store.base import Transaction

logger = logging.getLogger(__name__)

# BM25 gives a term held by more than about a quarter of the chunks almost no weight
# (idf = ln((N − n + ½) / (n + ½)) < 1), but an OR query still scores every chunk that
# holds it: at 100k chunks such terms were most of a lexical search's time. They are
# left out of the query, keeping at least the MIN_QUERY_TERMS rarest terms.
COMMON_TERM_SHARE = 0.25
MIN_QUERY_TERMS = 3


class LexicalIndex:
    """``chunks_fts`` (the chunks' lexical tokens), ``chunks_fts_rows`` (which FTS5 row
    holds which chunk), ``chunks_vocab`` (term frequencies) and the ``pinyin`` cache."""

    def __init__(
        self,
        db: sqlite3.Connection,
        tokenizer: Tokenizer,
        version: Callable[[], object],
        lock: threading.RLock,
    ) -> None:
        """``version`` changes whenever the catalogue does (it keys the chunk count);
        ``lock`` serialises this process's writes."""
        self._db = db
        self._tokenizer = tokenizer
        self._version = version
        self._lock = lock
        self._chunk_count: tuple[object, int] | None = None

    # -- writing (inside the catalogue's transactions) -------------------------------

    def index(self, chunks: Iterable[tuple[str, str]]) -> None:
        """Tokenise and index chunks given as (chunk id, index text)."""
        for chunk, text in chunks:
            tokens = " ".join(self._tokenizer.tokens(text))
            inserted = self._db.execute(
                "INSERT INTO chunks_fts (tokens, chunk_id) VALUES (?, ?)", (tokens, chunk)
            )
            self._db.execute(
                "INSERT INTO chunks_fts_rows (chunk_id, fts_rowid) VALUES (?, ?)",
                (chunk, inserted.lastrowid),
            )

    def unindex(self, doc_id: str) -> None:
        """Drop the rows of a report's chunks (before the chunks themselves go)."""
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

    # -- reading ----------------------------------------------------------------------

    def search(self, tokens: Iterable[str], k: int) -> list[tuple[str, float]]:
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
        common = COMMON_TERM_SHARE * self._chunks()
        frequency = self._frequencies(terms)
        present = sorted((t for t in terms if t in frequency), key=frequency.__getitem__)
        rarest = set(present[:MIN_QUERY_TERMS])
        return [t for t in terms if frequency.get(t, 0) <= common or t in rarest]

    def document_frequencies(self, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        """How many chunks there are, and in how many each of ``terms`` occurs (lexical
        tokens: jieba words and Han bigrams; a term in none is left out)."""
        count = self._chunks()
        wanted = sorted(set(terms))
        return count, self._frequencies(wanted) if wanted else {}

    def _frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        marks = ",".join("?" * len(terms))
        return dict(
            self._db.execute(
                f"SELECT term, doc FROM chunks_vocab WHERE term IN ({marks})", list(terms)
            ).fetchall()
        )

    def _chunks(self) -> int:
        """How many chunks there are, counted again only after the catalogue changed."""
        version = self._version()
        if self._chunk_count is None or self._chunk_count[0] != version:
            count = self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
            self._chunk_count = (version, count)
        return self._chunk_count[1]

    def vocabulary(self) -> list[str]:
        """Every distinct lexical token in the index."""
        return [r[0] for r in self._db.execute("SELECT term FROM chunks_vocab")]

    # -- the pinyin cache -------------------------------------------------------------

    def pinyin_readings(self) -> dict[str, str]:
        """The cached pinyin readings (see :meth:`save_pinyin_readings`)."""
        return dict(self._db.execute("SELECT word, reading FROM pinyin").fetchall())

    def save_pinyin_readings(self, readings: dict[str, str]) -> None:
        """Cache readings computed by a reader; a busy database just skips it."""
        try:
            with self._lock, Transaction(self._db):
                self._db.executemany(
                    "INSERT OR IGNORE INTO pinyin (word, reading) VALUES (?, ?)",
                    readings.items(),
                )
        except sqlite3.OperationalError as e:  # locked by a writer: next time
            logger.debug("cannot cache pinyin readings: %s", e)
