"""Two files, one doc id: the second is refused and listed, never silently stored over
the first (``ingest dirA/`` then ``ingest dirB/``, both with a report.txt; a JSONL line
whose id is a file's name). ``--replace`` lets a file take the id over on purpose."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import SEEDS, invoke_cli, last_json

WANCHENG = SEEDS / "001_240d0124548b3155.txt"
JIADING = SEEDS / "004_c877433114cd8e59.txt"


def _folder(path: Path, seed: Path) -> Path:
    path.mkdir()
    (path / "report.txt").write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def _gdp_answer(data: Path) -> str:
    result = invoke_cli("ask", "--json", "宛城区2024年地区生产总值是多少？", data_dir=data)
    return str(last_json(result.stdout)["answer"])


def test_a_second_folder_cannot_overwrite_a_report_of_the_first(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = _folder(tmp_path / "a", WANCHENG)
    second = _folder(tmp_path / "b", JIADING)
    assert invoke_cli("ingest", str(first), data_dir=data).returncode == 0
    result = invoke_cli("ingest", str(second), "--json", data_dir=data)
    assert result.returncode == 1
    (failed,) = last_json(result.stdout)["failed"]  # type: ignore[misc]
    assert failed["path"] == str(second / "report.txt")
    assert failed["error"] == (
        f"doc id report.txt already holds {first / 'report.txt'}; use --replace or another root"
    )
    assert "414.9亿元" in _gdp_answer(data)  # the first report is still there

    replaced = invoke_cli("ingest", str(second), "--replace", "--json", data_dir=data)
    assert replaced.returncode == 0, replaced.stderr
    assert last_json(replaced.stdout)["updated"] == 1
    assert "414.9亿元" not in _gdp_answer(data)


def test_one_run_with_two_roots_keeps_the_first(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = _folder(tmp_path / "a", WANCHENG)
    second = _folder(tmp_path / "b", JIADING)
    result = invoke_cli("ingest", str(first), str(second), "--json", data_dir=data)
    assert result.returncode == 1
    summary = last_json(result.stdout)
    assert summary["added"] == 1
    assert [f["path"] for f in summary["failed"]] == [str(second / "report.txt")]  # type: ignore[union-attr]
    assert "414.9亿元" in _gdp_answer(data)


def test_a_jsonl_id_cannot_take_a_files_doc_id(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = _folder(tmp_path / "a", WANCHENG)
    lines = tmp_path / "more.jsonl"
    lines.write_text(
        json.dumps({"id": "report.txt", "title": "别的报告", "text": "宛城区GDP为1亿元。"},
                   ensure_ascii=False) + "\n", encoding="utf-8")  # fmt: skip
    assert invoke_cli("ingest", str(first), data_dir=data).returncode == 0
    result = invoke_cli("ingest", str(lines), "--json", data_dir=data)
    assert result.returncode == 1
    assert "doc id report.txt already holds" in result.stdout
    assert "414.9亿元" in _gdp_answer(data)


def test_a_moved_folder_takes_its_ids_with_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    old = _folder(tmp_path / "old", WANCHENG)
    assert invoke_cli("ingest", str(old), data_dir=data).returncode == 0
    new = old.rename(tmp_path / "new")
    result = invoke_cli("ingest", str(new), "--json", data_dir=data)
    assert result.returncode == 0, result.stdout
    assert last_json(result.stdout)["failed"] == []


def test_reading_commands_never_create_a_missing_data_dir(tmp_path: Path) -> None:
    missing = tmp_path / "nothing-here"
    for args in (("ask", "宛城区GDP是多少？"), ("stats",), ("figures",), ("check",)):
        result = invoke_cli(*args, data_dir=missing)
        assert result.returncode == 2, (args, result.stderr)
        assert "no index in" in result.stderr and "Traceback" not in result.stderr
        assert not missing.exists(), args
