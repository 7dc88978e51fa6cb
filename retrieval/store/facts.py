"""The facts tables (officials, meetings, figures, speech points): written with their
report, read only for completely stored reports."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any, TypedDict

from ingest.facts import Facts, Figure, Meeting, Official, SpeechPoint

TABLES = ("officials", "meetings", "figures", "speech_points")


class OfficialRow(TypedDict):
    """An official named in a stored report (``govqa officials --json`` prints these)."""

    doc_id: str
    file: str
    name: str
    titles: list[str]
    region: str | None
    sentence: str
    unknown: bool  # a garbled name kept as evidence, not an answer
    date: str | None  # the report's date: when the title was seen held


class MeetingRow(TypedDict):
    """A meeting a stored report tells of; ``region`` is the report's."""

    doc_id: str
    file: str
    name: str
    date: str | None
    place: str | None
    chairs: list[str]
    speakers: list[str]
    attendees: list[str]
    sentence: str
    region: str | None


class FigureRow(TypedDict):
    """A figure a stored report announces; ``region`` is the report's."""

    doc_id: str
    file: str
    metric: str
    value: str
    unit: str
    year: str | None
    change: str | None
    rank: str | None
    kind: str  # achieved | expected | target
    sentence: str
    note: str | None
    region: str | None
    title: str  # the report's
    outlet: str | None  # the report's: 湖北日报 of a report that only says 全省


class PointRow(TypedDict):
    """A sentence a speaker said in a stored report, with the report's date and region."""

    doc_id: str
    file: str
    title: str
    date: str | None
    region: str | None
    speaker: str
    verb: str
    point: str
    paragraph: int


class FactTables:
    """The facts tables of one catalogue connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    # -- writing (inside the catalogue's transactions) -------------------------------

    def insert(self, doc_id: str, facts: Facts) -> None:
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

        self._db.executemany(
            "INSERT INTO speech_points (doc_id, speaker, verb, point, paragraph) "
            "VALUES (?, ?, ?, ?, ?)",
            [(doc_id, p.speaker, p.verb, p.point, p.paragraph) for p in facts.points],
        )

    def delete(self, doc_id: str) -> None:
        for table in TABLES:
            self._db.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))

    # -- reading ----------------------------------------------------------------------

    def officials(self, region: str | None = None) -> list[OfficialRow]:
        """Officials of completely stored reports, optionally of one region (substring)."""
        rows = self._rows(
            "SELECT o.doc_id, r.file, o.name, o.titles, o.region, o.sentence, o.unknown, "
            "coalesce(r.date, r.date_estimate) FROM officials o JOIN reports r "
            "ON r.doc_id = o.doc_id WHERE r.status = 'ok'",
            region_column="o.region",
            region=region,
            order="o.doc_id, o.rowid",
        )
        return [
            OfficialRow(
                doc_id=r[0],
                file=r[1],
                name=r[2],
                titles=json.loads(r[3]),
                region=r[4],
                sentence=r[5],
                unknown=bool(r[6]),
                date=r[7],
            )
            for r in rows
        ]

    def meetings(self, region: str | None = None, doc_ids: Sequence[str] = ()) -> list[MeetingRow]:
        """Meetings of completely stored reports; optionally of one region (substring)
        or of these reports (``doc_ids``)."""
        sql = (
            "SELECT m.doc_id, r.file, m.name, m.date, m.place, m.chairs, m.speakers, "
            "m.attendees, m.sentence, r.region FROM meetings m "
            "JOIN reports r ON r.doc_id = m.doc_id WHERE r.status = 'ok'"
        )
        rows = self._rows(
            sql, region_column="r.region", region=region, order="m.doc_id, m.rowid",
            within=[("m.doc_id", doc_ids)],
        )  # fmt: skip
        return [
            MeetingRow(
                doc_id=r[0],
                file=r[1],
                name=r[2],
                date=r[3],
                place=r[4],
                chairs=json.loads(r[5]),
                speakers=json.loads(r[6]),
                attendees=json.loads(r[7]),
                sentence=r[8],
                region=r[9],
            )
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
        doc_ids: Sequence[str] = (),
    ) -> list[FigureRow]:
        """Figures of completely stored reports; optionally only of one region
                (substring) or year, of these ``years``, targets or results (``targets``), with
                any of ``metric_terms`` in the metric, all ``places`` in region or sentence, and
        of these reports (``doc_ids``).
                (The filters run in SQLite: at 100k chunks the table has ~65k rows.)"""
        sql = (
            "SELECT f.doc_id, r.file, f.metric, f.value, f.unit, f.year, f.change, f.rank, "
            "f.kind, f.sentence, f.note, r.region, r.title, r.outlet FROM figures f "
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
        rows = self._rows(
            sql, region_column="r.region", region=region, order="f.doc_id, f.rowid",
            params=params, within=[("f.doc_id", doc_ids)],
        )  # fmt: skip
        return [
            FigureRow(
                doc_id=r[0],
                file=r[1],
                metric=r[2],
                value=r[3],
                unit=r[4],
                year=r[5],
                change=r[6],
                rank=r[7],
                kind=r[8],
                sentence=r[9],
                note=r[10],
                region=r[11],
                title=r[12],
                outlet=r[13],
            )
            for r in rows
        ]

    def points(self, speakers: Sequence[str] = (), doc_ids: Sequence[str] = ()) -> list[PointRow]:
        """Speech points of completely stored reports, in text order; only of these
        ``speakers`` and reports when given."""
        sql = (
            "SELECT p.doc_id, r.file, r.title, r.date, r.region, p.speaker, p.verb, p.point, "
            "p.paragraph FROM speech_points p JOIN reports r ON r.doc_id = p.doc_id "
            "WHERE r.status = 'ok'"
        )
        rows = self._rows(sql, region_column="r.region", region=None, order="p.doc_id, p.rowid",
                          within=[("p.speaker", speakers), ("p.doc_id", doc_ids)])  # fmt: skip
        return [
            PointRow(
                doc_id=r[0],
                file=r[1],
                title=r[2],
                date=r[3],
                region=r[4],
                speaker=r[5],
                verb=r[6],
                point=r[7],
                paragraph=r[8],
            )
            for r in rows
        ]

    def counts(self) -> dict[str, int]:
        """How many rows of completely stored reports each table holds."""
        counts: dict[str, int] = {}
        for table in TABLES:
            counts[table] = self._db.execute(
                f"SELECT COUNT(*) FROM {table} t JOIN reports r ON r.doc_id = t.doc_id "
                "WHERE r.status = 'ok'"
            ).fetchone()[0]
        return counts

    def _rows(
        self,
        sql: str,
        *,
        region_column: str,
        region: str | None,
        order: str,
        params: Sequence[str] = (),
        within: Sequence[tuple[str, Sequence[str]]] = (),
    ) -> list[Any]:
        """Rows of ``sql`` (its WHERE begun), of a region (substring) when given, and with
        each column of ``within`` among its values when they are given."""
        params = list(params)
        for column, values in within:
            if values:
                sql += f" AND {column} IN ({','.join('?' * len(values))})"
                params += list(values)
        if region:
            sql += f" AND {region_column} LIKE ?"
            params.append(f"%{region}%")
        return self._db.execute(f"{sql} ORDER BY {order}", params).fetchall()


def facts_from_json(data: dict[str, Any]) -> Facts:
    """The inverse of ``dataclasses.asdict(facts)`` (lists back to tuples)."""

    def tuples(item: dict[str, Any]) -> dict[str, Any]:
        return {k: tuple(v) if isinstance(v, list) else v for k, v in item.items()}

    return Facts(
        officials=tuple(Official(**tuples(o)) for o in data.get("officials", [])),
        meetings=tuple(Meeting(**tuples(m)) for m in data.get("meetings", [])),
        figures=tuple(Figure(**tuples(f)) for f in data.get("figures", [])),
        # records written before speech points existed have none
        points=tuple(SpeechPoint(**p) for p in data.get("points", [])),
    )
