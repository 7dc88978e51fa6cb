"""Ingest: the seeds, re-ingest without work, bad input reported and the rest kept."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest

from govqa.services import Services
from tests.helpers import SEEDS, fresh_services, ingest, invoke_cli, last_json

SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))


def _two_seeds(tmp_path: Path) -> Path:
    """A folder with copies of the first two seeds."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in SEED_FILES[:2]:
        shutil.copy(SEEDS / name, folder / name)
    return folder


def test_seeds_are_ingested_as_five_reports(seeded: Services) -> None:
    summary = seeded.seed_summary  # type: ignore[attr-defined]
    assert (summary.added, summary.updated, summary.failed) == (5, 0, [])
    counts = seeded.store.stats()
    assert counts["documents"] == 5
    assert counts["chunks"] == summary.chunks_added > 5
    assert seeded.store.vector_count() == counts["chunks"]
    assert seeded.store.doc_ids() == set(SEED_FILES)


def test_reingesting_unchanged_seeds_embeds_nothing(seeded: Services) -> None:
    before = seeded.store.stats()
    summary = ingest(seeded, SEEDS)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 5)
    assert summary.chunks_added == 0
    assert seeded.store.stats() == before


def test_pinyin_glosses_are_not_indexed(seeded: Services) -> None:
    chunk_ids = [i for i, _ in seeded.store.lexical_search(["召开"], 50)]
    chunks = seeded.store.get_chunks(chunk_ids)
    assert chunks, "召开 should be found once the gloss (kāi) is removed"
    for chunk in chunks.values():
        assert "(kāi)" not in chunk.text and "kāi" not in chunk.index_text


def test_changed_report_is_replaced_and_removed_one_pruned(
    seeded: Services, tmp_path: Path
) -> None:
    folder = _two_seeds(tmp_path)
    services = fresh_services(tmp_path / "data", seeded)
    assert ingest(services, folder).added == 2

    edited = folder / SEED_FILES[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n新增一句话。", encoding="utf-8")
    (folder / SEED_FILES[1]).unlink()
    summary = ingest(services, folder, prune=True)
    assert (summary.added, summary.updated, summary.removed) == (0, 1, 1)
    assert services.store.doc_ids() == {SEED_FILES[0]}
    assert services.store.vector_count() == services.store.stats()["chunks"]


def test_cli_reports_bad_files_and_ingests_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(SEEDS / SEED_FILES[0], folder / SEED_FILES[0])
    (folder / "scan.txt").write_bytes(bytes(range(256)) * 8)  # binary, named .txt
    (folder / "empty.txt").write_bytes(b"")
    result = invoke_cli("ingest", str(folder), "--json", data_dir=tmp_path / "data")
    assert "Traceback" not in result.stderr
    summary = last_json(result.stdout)
    assert summary["added"] == 1
    reasons = {Path(f["path"]).name: f["error"] for f in summary["failed"]}  # type: ignore[union-attr]
    assert set(reasons) == {"scan.txt", "empty.txt"}
    assert "binary" in reasons["scan.txt"]
    assert "empty" in reasons["empty.txt"]
    assert set(summary) >= {
        "added",
        "updated",
        "unchanged",
        "removed",
        "failed",
        "chunks_added",
        "seconds",
    }
    assert result.returncode == 1  # some files failed

    again = invoke_cli("ingest", str(folder / SEED_FILES[0]), "--json", data_dir=tmp_path / "data")
    assert last_json(again.stdout)["unchanged"] == 1
    assert last_json(again.stdout)["chunks_added"] == 0


def test_cli_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    result = invoke_cli("ingest", str(tmp_path / "nope"), data_dir=tmp_path / "data")
    assert result.returncode == 2
    assert "no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_words_most_chunks_hold_are_left_out_of_a_lexical_search(
    seeded: Services, tmp_path: Path
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for n in range(8):
        (folder / f"r{n}.txt").write_text(
            f"第{n}次工作会议召开。会议研究部署今后一个时期的重点工作。", encoding="utf-8"
        )
    (folder / "wancheng.txt").write_text(
        "宛城区工作会议召开，区委书记樊牛出席会议并讲话。", encoding="utf-8"
    )
    services = fresh_services(tmp_path / "data", seeded)
    ingest(services, folder)
    store = services.store
    # 工作, 会议 and 召开 are in every chunk: no BM25 weight, so not in the query.
    hits = store.lexical_search(["工作", "会议", "召开", "宛城", "樊牛", "书记", "出席"], 20)
    assert [store.get_chunks([i])[i].text[:3] for i, _ in hits] == ["宛城区"]
    # With nothing rarer to search for, the common words still find every chunk.
    assert len(store.lexical_search(["工作", "会议", "召开"], 20)) == 9


def test_jieba_starts_from_our_cache_with_its_own_dictionary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jieba

    from retrieval import lexical

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    built = jieba.Tokenizer()
    lexical._load_prefix_dict(built)  # jieba's own start, then our cache is written
    assert list(tmp_path.glob("govqa-jieba-dict-*.marshal"))
    cached = jieba.Tokenizer()
    lexical._load_prefix_dict(cached)  # from our cache
    assert cached.initialized and cached.total == built.total
    assert cached.FREQ == built.FREQ
    text = "宛城区召开三级干部会议，区委书记樊牛出席并讲话"
    assert cached.lcut_for_search(text) == built.lcut_for_search(text)


def test_an_index_of_schema_2_is_upgraded_and_its_reports_still_replaced(
    seeded: Services, tmp_path: Path
) -> None:
    folder = _two_seeds(tmp_path)
    data = tmp_path / "data"
    ingest(fresh_services(data, seeded), folder)
    # What schema 2 had: no map from FTS rows to chunks.
    db = sqlite3.connect(data / "govqa.sqlite3")
    db.executescript("DROP TABLE chunks_fts_rows; PRAGMA user_version = 2;")
    db.close()

    services = fresh_services(data, seeded)
    assert services.store.audit() == []
    (folder / SEED_FILES[0]).write_text(
        "宛城区召开专题会议，区长郭炜主持会议。全区粮食产量达到99.9万吨。", encoding="utf-8"
    )
    summary = ingest(services, folder)
    assert (summary.updated, summary.unchanged) == (1, 1)
    assert services.store.audit() == []
    assert services.store.lexical_search(["郭炜"], 5)
    counts = services.store.stats()
    with sqlite3.connect(data / "govqa.sqlite3") as db:
        fts_rows = db.execute("SELECT COUNT(*) FROM chunks_fts").fetchone()[0]
    assert fts_rows == counts["chunks"]


def test_pinyin_readings_are_kept_for_the_next_process(seeded: Services, tmp_path: Path) -> None:
    services = fresh_services(tmp_path / "data", seeded)
    ingest(services, SEEDS / SEED_FILES[1])  # the Wancheng report
    assert services.store.pinyin_readings() == {}
    answer = services.chain.invoke("What was Wancheng District's GDP in 2024?")
    assert "414.9" in answer.answer
    readings = services.store.pinyin_readings()
    assert readings["宛城"] == "wancheng"
    # Another process reads them instead of computing them again.
    again = fresh_services(tmp_path / "data", seeded)
    assert "414.9" in again.chain.invoke("What was Wancheng District's GDP in 2024?").answer
