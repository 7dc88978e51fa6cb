"""Checking a store end to end, and the repairs ``govqa check --repair`` makes: vectors
embedded again or deleted, the catalogue's stray rows removed or re-indexed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ingest.types import VECTOR_FIELDS
from retrieval.store.base import vector_metadata
from retrieval.store.catalogue import Catalogue
from retrieval.store.replicas import Replica
from retrieval.store.vectors import Vectors


def audit(catalogue: Catalogue, vectors: Vectors) -> list[str]:
    """Inconsistencies between Chroma and the catalogue (empty when all is well):
    a stored report whose vectors and chunks differ, vectors or rows of no stored
    report, duplicate chunks. ``pending`` reports are what repair clears."""
    db = catalogue.db
    problems: list[str] = []
    ok = {r[0] for r in db.execute("SELECT doc_id FROM reports WHERE status = 'ok'")}
    by_report: dict[str, set[str]] = {}
    for vector_id, doc_id in vectors.owners().items():
        by_report.setdefault(doc_id, set()).add(vector_id)
    rows: dict[str, set[str]] = {}
    for chunk, doc_id in db.execute("SELECT id, doc_id FROM chunks"):
        rows.setdefault(doc_id, set()).add(chunk)
    for doc_id in ok:
        if by_report.get(doc_id, set()) != rows.get(doc_id, set()):
            problems.append(f"{doc_id}: vectors and chunks differ")
    for doc_id in set(rows) - ok:
        problems.append(f"{doc_id}: chunks of a report that is not stored")
    pending = {r[0] for r in db.execute("SELECT doc_id FROM reports WHERE status = 'pending'")}
    for doc_id in set(by_report) - ok - pending:
        problems.append(f"{doc_id}: vectors of a report that is not stored")
    problems.extend(catalogue_problems(catalogue))
    return problems


def catalogue_problems(catalogue: Catalogue) -> list[str]:
    """Inconsistencies inside the catalogue: lexical rows and facts of nothing
    stored, chunks missing from the lexical index, duplicate lexical rows."""
    db = catalogue.db
    problems: list[str] = []
    for table in ("chunks_fts", "chunks_fts_rows", "officials", "meetings", "figures"):
        of_chunks = table.startswith("chunks")
        column = "chunk_id" if of_chunks else "doc_id"
        parent = "chunks c ON c.id" if of_chunks else "reports r ON r.doc_id"
        orphans = db.execute(
            f"SELECT COUNT(*) FROM {table} t LEFT JOIN {parent} = t.{column} "
            f"WHERE {'c.id' if of_chunks else 'r.doc_id'} IS NULL"
        ).fetchone()[0]
        if orphans:
            problems.append(f"{table}: {orphans} rows of nothing stored")
    unstored = db.execute(
        "SELECT COUNT(*) FROM chunks WHERE doc_id NOT IN "
        "(SELECT doc_id FROM reports WHERE status = 'ok')"
    ).fetchone()[0]
    if unstored:
        problems.append(f"chunks: {unstored} rows of a report that is not stored")
    unindexed = db.execute(
        "SELECT COUNT(*) FROM chunks c LEFT JOIN chunks_fts_rows m ON m.chunk_id = c.id "
        "LEFT JOIN chunks_fts f ON f.rowid = m.fts_rowid WHERE f.rowid IS NULL"
    ).fetchone()[0]
    if unindexed:
        problems.append(f"chunks: {unindexed} missing from the lexical index")
    unmapped = db.execute(
        "SELECT COUNT(*) FROM chunks_fts f LEFT JOIN chunks_fts_rows m "
        "ON m.fts_rowid = f.rowid AND m.chunk_id = f.chunk_id WHERE m.chunk_id IS NULL"
    ).fetchone()[0]
    if unmapped:
        problems.append(f"chunks_fts: {unmapped} rows missing from chunks_fts_rows")
    duplicates = db.execute(
        "SELECT COUNT(*) - COUNT(DISTINCT chunk_id) FROM chunks_fts"
    ).fetchone()[0]
    if duplicates:
        problems.append(f"chunks_fts: {duplicates} duplicate rows")
    return problems


def repair_catalogue(catalogue: Catalogue) -> int:
    """Make the lexical index and the facts tables agree with the chunks and reports:
    rows of nothing stored out, chunks missing from the lexical index tokenised
    again. Returns how many rows changed."""
    db = catalogue.db
    changed = 0
    with catalogue.transaction():
        for table in ("officials", "meetings", "figures", "chunks"):
            changed += db.execute(
                f"DELETE FROM {table} WHERE doc_id NOT IN "
                "(SELECT doc_id FROM reports WHERE status = 'ok')"
            ).rowcount
        changed += db.execute(
            "DELETE FROM chunks_fts WHERE chunk_id NOT IN (SELECT id FROM chunks) "
            "OR rowid NOT IN (SELECT fts_rowid FROM chunks_fts_rows)"
        ).rowcount
        changed += db.execute(
            "DELETE FROM chunks_fts_rows WHERE chunk_id NOT IN (SELECT id FROM chunks) "
            "OR fts_rowid NOT IN (SELECT rowid FROM chunks_fts)"
        ).rowcount
        unindexed = db.execute(
            "SELECT id, index_text FROM chunks WHERE id NOT IN "
            "(SELECT chunk_id FROM chunks_fts_rows)"
        ).fetchall()
        catalogue.lexical.index(unindexed)
        changed += len(unindexed)
    return changed


def restore_vectors(
    catalogue: Catalogue, replica: Replica, ids: Sequence[str], encoder: Any
) -> int:
    """Embed these stored chunks again and write their vectors (insert or replace)."""
    marks = ",".join("?" * len(ids))
    columns = ", ".join(f"r.{c}" for c in VECTOR_FIELDS)
    rows = catalogue.db.execute(
        f"SELECT c.id, c.chunk_no, c.index_text, {columns} "
        f"FROM chunks c JOIN reports r ON r.doc_id = c.doc_id WHERE c.id IN ({marks})",
        list(ids),
    ).fetchall() if ids else []  # fmt: skip
    if not rows:
        return 0
    vectors = encoder.encode_passages([r[2] for r in rows])
    metadatas = [vector_metadata(dict(zip(VECTOR_FIELDS, r[3:], strict=True)), r[1]) for r in rows]
    with catalogue.transaction():
        replica.bump()
    # upsert, not delete + add: deleting an id the vector index lost fails in Chroma.
    replica.vectors.add(
        [r[0] for r in rows], [[float(x) for x in v] for v in vectors], metadatas, upsert=True
    )
    with catalogue.transaction():
        replica.bump()
    return len(rows)


def delete_vectors(catalogue: Catalogue, replica: Replica, ids: Sequence[str]) -> None:
    """Delete vectors that belong to no stored chunk."""
    if not ids:
        return
    with catalogue.transaction():
        replica.bump()
    replica.vectors.delete(ids)
    with catalogue.transaction():
        replica.bump()
