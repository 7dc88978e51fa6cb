"""Groups of republished reports, kept with the catalogue (see :mod:`ingest.duplicates`).

Each stored report has a row in ``report_groups`` (its group, and how much it resembles
the member it joined) and its LSH keys in ``group_bands``. A report joins the group of
the stored report it copies most closely, found through the bands (no rescan of the
corpus); a report that copies none starts a group of its own, named by its doc id. A
removed or replaced report leaves its group; the others keep theirs.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.duplicates import Fingerprint, Likeness, band_keys, copies, fingerprint

logger = logging.getLogger(__name__)

# Candidates verified on their text, most shared bands first.
CANDIDATES = 20


@dataclass(frozen=True)
class Match:
    """A stored report a text copies, and the group it is in."""

    doc_id: str
    group_id: str
    likeness: Likeness


class Groups:
    """The republished-report groups of one catalogue connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    # -- writing (inside the catalogue's transactions) -------------------------------

    def assign(self, doc_id: str) -> str:
        """Put stored report ``doc_id`` (its row written) in a group; returns the group."""
        mine = self._fingerprint(doc_id)
        keys = band_keys(mine.pieces) if mine else []
        match = self._best(mine, keys, exclude=doc_id) if mine else None
        group = match.group_id if match else doc_id
        self._db.execute(
            "INSERT OR REPLACE INTO report_groups (doc_id, group_id, likeness) VALUES (?, ?, ?)",
            (doc_id, group, match.likeness.containment if match else None),
        )
        self._db.executemany(
            "INSERT OR IGNORE INTO group_bands (key, doc_id) VALUES (?, ?)",
            [(key, doc_id) for key in keys],
        )
        return group

    def delete(self, doc_id: str) -> None:
        self._db.execute("DELETE FROM report_groups WHERE doc_id = ?", (doc_id,))
        self._db.execute("DELETE FROM group_bands WHERE doc_id = ?", (doc_id,))

    def assign_all(self) -> int:
        """Group every stored report not yet grouped, in the order they were stored (a
        catalogue made before groups existed); returns how many."""
        todo = [
            r[0]
            for r in self._db.execute(
                "SELECT doc_id FROM reports WHERE status = 'ok' AND doc_id NOT IN "
                "(SELECT doc_id FROM report_groups) ORDER BY rowid"
            )
        ]
        if todo:
            logger.warning("grouping %d stored reports by republication (once)", len(todo))
        for doc_id in todo:
            self.assign(doc_id)
        return len(todo)

    # -- reading ----------------------------------------------------------------------

    def preview(self, report: Fingerprint, doc_id: str | None = None) -> Match | None:
        """The stored report a new one would be grouped with, without storing it (not
        the stored version of itself, ``doc_id``)."""
        return self._best(report, band_keys(report.pieces), exclude=doc_id)

    def of(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """doc id → group of those of ``doc_ids`` that are stored and grouped."""
        wanted = list(set(doc_ids))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        return dict(
            self._db.execute(
                f"SELECT doc_id, group_id FROM report_groups WHERE doc_id IN ({marks})", wanted
            ).fetchall()
        )

    def members(self, doc_ids: Iterable[str]) -> dict[str, list[str]]:
        """doc id → the other completely stored members of its group, oldest first."""
        groups = self.of(doc_ids)
        if not groups:
            return {}
        marks = ",".join("?" * len(set(groups.values())))
        rows = self._db.execute(
            "SELECT g.group_id, g.doc_id FROM report_groups g JOIN reports r "
            f"ON r.doc_id = g.doc_id WHERE r.status = 'ok' AND g.group_id IN ({marks}) "
            "ORDER BY r.rowid",
            list(set(groups.values())),
        ).fetchall()
        by_group: dict[str, list[str]] = {}
        for group, member in rows:
            by_group.setdefault(group, []).append(member)
        return {
            doc_id: [m for m in by_group.get(group, []) if m != doc_id]
            for doc_id, group in groups.items()
        }

    def counts(self) -> dict[str, int]:
        """Groups of two or more stored reports, and the reports in them."""
        sizes = [
            r[0]
            for r in self._db.execute(
                "SELECT COUNT(*) FROM report_groups g JOIN reports r ON r.doc_id = g.doc_id "
                "WHERE r.status = 'ok' GROUP BY g.group_id HAVING COUNT(*) > 1"
            )
        ]
        return {"republished_groups": len(sizes), "reports_in_groups": sum(sizes)}

    def _fingerprint(self, doc_id: str) -> Fingerprint | None:
        """A stored report's fingerprint, its officials read from the facts table."""
        row = self._db.execute(
            "SELECT cleaned_text, date, region FROM reports WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            return None
        names = [
            r[0]
            for r in self._db.execute(
                "SELECT DISTINCT name FROM officials WHERE doc_id = ? AND unknown = 0", (doc_id,)
            )
        ]
        return fingerprint(row[0], names, row[1], row[2])

    def _best(self, mine: Fingerprint, keys: list[int], exclude: str | None) -> Match | None:
        if not keys:
            return None
        hits: Counter[str] = Counter()
        for start in range(0, len(keys), 500):
            part = keys[start : start + 500]
            marks = ",".join("?" * len(part))
            hits.update(
                r[0]
                for r in self._db.execute(
                    f"SELECT doc_id FROM group_bands WHERE key IN ({marks})", part
                )
            )
        hits.pop(exclude or "", None)
        best: Match | None = None
        for candidate, _ in hits.most_common(CANDIDATES):
            row = self._db.execute(
                "SELECT g.group_id FROM reports r JOIN report_groups g ON g.doc_id = r.doc_id "
                "WHERE r.doc_id = ? AND r.status = 'ok'",
                (candidate,),
            ).fetchone()
            theirs = self._fingerprint(candidate) if row else None
            found = copies(mine, theirs) if theirs else None
            if found is not None and (
                best is None or found.containment > best.likeness.containment
            ):
                best = Match(candidate, row[0], found)
        return best
