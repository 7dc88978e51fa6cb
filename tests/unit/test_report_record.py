"""The report record is defined once (ingest.types): the catalogue's columns, the vector
metadata, the report read back from the store and `govqa inspect` all follow it, so a
field added there without a place decided for it, or without its migration, fails here."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner

from govqa.cli import cli
from ingest.types import (
    CARD_FIELDS,
    COLUMNS,
    INSPECT_FIELDS,
    VECTOR_FIELDS,
    Report,
    ReportCard,
)
from retrieval.store.base import StoredReport, report_row, stored_report, vector_metadata
from retrieval.store.migrations import migrate
from tests.helpers import SEEDS

# Fields kept on the Report alone, nowhere in the store (a new one is a decision).
NOT_STORED = {"index_text"}


def _report() -> Report:
    """A report with every field set to something other than its default (invented)."""
    return Report(
        doc_id="d1.txt",
        file="d1.txt",
        source="/reports/d1.txt",
        title="示例县召开工作会议",
        original_text="示例縣召開工作會議(huì)。",
        cleaned_text="示例縣召開工作會議。",
        index_text="示例县召开工作会议。",
        content_hash="ab" * 32,
        date="2024-03-05",
        date_confidence="high",
        date_text="3月5日",
        date_estimate="2024-03-05",
        region="示例县",
        outlet=None,
        reporters=("甲乙", "丙丁"),
        meeting="示例县工作会议",
        url="https://example.org/d1",
        glosses_removed=2,
        residues_removed=1,
    )


@pytest.fixture()
def catalogue() -> sqlite3.Connection:
    """A fresh catalogue, made by the store's migrations."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    migrate(db, Path("memory"))
    return db


def _declaration(info: tuple[int, str, str, int, str | None, int]) -> str:
    """A column as ``PRAGMA table_info`` describes it, written as a migration declares it."""
    _, _, kind, not_null, default, primary = info
    return (
        kind
        + (" PRIMARY KEY" if primary else "")
        + (" NOT NULL" if not_null else "")
        + (f" DEFAULT {default}" if default is not None else "")
    )


def test_every_report_field_has_a_decided_place() -> None:
    unkept = {f.name for f in fields(Report) if "kept" not in f.metadata}
    assert unkept == NOT_STORED
    assert set(CARD_FIELDS) <= set(COLUMNS)
    assert set(VECTOR_FIELDS) <= set(COLUMNS)
    assert set(INSPECT_FIELDS) <= set(COLUMNS)


def test_the_migrated_reports_table_has_the_records_columns(
    catalogue: sqlite3.Connection,
) -> None:
    table = {
        info[1]: _declaration(info) for info in catalogue.execute("PRAGMA table_info(reports)")
    }
    assert table.pop("status") == "TEXT NOT NULL"  # the store's own column
    assert table == COLUMNS


def test_a_report_reads_back_as_written(catalogue: sqlite3.Connection) -> None:
    report = _report()
    row = report_row(report)
    assert list(row) == list(COLUMNS)
    assert json.loads(row["reporters"]) == ["甲乙", "丙丁"]
    catalogue.execute(
        f"INSERT INTO reports ({','.join(row)}, status) VALUES ({','.join('?' * len(row))}, 'ok')",
        list(row.values()),
    )
    stored = catalogue.execute(f"SELECT {','.join(COLUMNS)} FROM reports").fetchone()
    assert dict(zip(COLUMNS, stored, strict=True)) == row

    card = stored_report(dict(zip(COLUMNS, stored, strict=True)))
    assert type(card) is StoredReport is ReportCard
    assert {name: getattr(card, name) for name in CARD_FIELDS} == {
        name: getattr(report, name) for name in CARD_FIELDS
    }
    assert card.reporters == ("甲乙", "丙丁")
    assert card.year == "2024"


def test_vector_metadata_holds_the_records_vector_fields() -> None:
    report = _report()
    metadata = vector_metadata(report_row(report), 7)
    assert set(metadata) == {*VECTOR_FIELDS, "chunk_no"}
    assert metadata["chunk_no"] == 7
    assert metadata["reporters"] == "甲乙、丙丁"
    assert metadata["outlet"] == ""  # Chroma keeps no None
    assert metadata["content_hash"] == "ab" * 32
    assert all(type(value) in (str, int, float, bool) for value in metadata.values())
    # These stay in the vector metadata: other tools filter a collection by them.
    assert {"doc_id", "file", "title", "date", "region", "content_hash"} <= set(VECTOR_FIELDS)


def test_inspect_shows_the_records_inspect_fields(tmp_path: Path) -> None:
    seed = SEEDS / "000_362367a7f1d5f63f.txt"
    result = CliRunner().invoke(
        cli, ["--data-dir", str(tmp_path), "inspect", "--json", str(seed)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    info = json.loads(result.output.strip().splitlines()[-1])
    # (the facts counts and the republished copy came after the record was defined: added
    # fields, before the text; no index in the data dir, so no copy)
    assert list(info) == [
        *INSPECT_FIELDS, "characters", "chunks", "facts", "republished_copy_of", "cleaned_start"
    ]  # fmt: skip
    assert info["republished_copy_of"] is None
    # What it printed before the record was defined once, in the same order.
    shown = [
        "doc_id", "file", "title", "date", "date_confidence", "date_text", "date_estimate",
        "region", "outlet", "reporters", "meeting", "glosses_removed", "residues_removed",
        "characters", "chunks", "cleaned_start",
    ]  # fmt: skip
    assert [key for key in info if key in shown] == shown
    assert info["doc_id"] == seed.name
    assert info["reporters"] == ["郑海波", "王会"]
    assert info["date_estimate"] == "2024-12-23"
    assert info["glosses_removed"] == 193
