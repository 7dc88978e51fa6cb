"""Bad files are listed and the rest ingested; `inspect` shows what cleaning removed.
That every format gives the same cleaned text: tests/unit/test_formats.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import SEEDS, html_page, invoke_cli, last_json

SEED = SEEDS / "002_f2ba840133a4e5d0.txt"  # no headline lines: the same in every format


def test_bad_files_are_listed_and_the_rest_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "huge.txt").write_bytes("很长的报告。".encode() * 5000)  # 90 KB
    (folder / "garbage.txt").write_bytes(bytes(range(0x80, 0x100)) * 40)
    (folder / "nav.html").write_text(html_page("<aside>相关链接</aside>"), encoding="utf-8")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    scan = canvas.Canvas(str(folder / "scan.pdf"))
    scan.rect(100, 100, 200, 200, fill=1)
    scan.showPage()
    scan.save()

    result = invoke_cli(
        "ingest",
        str(folder),
        "--json",
        data_dir=tmp_path / "data",
        env={"GOVQA_MAX_FILE_MB": "0.05"},
    )
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    summary = last_json(result.stdout)
    assert summary["added"] == 1
    reasons = {Path(f["path"]).name: f["error"] for f in summary["failed"]}  # type: ignore[union-attr]
    assert reasons == {
        "empty.txt": "empty file",
        "huge.txt": reasons["huge.txt"],
        "garbage.txt": reasons["garbage.txt"],
        "nav.html": "HTML page has no article text",
        "broken.docx": reasons["broken.docx"],
        "photo.png": "not a readable picture (corrupt, or not the format its name says)",
        "scan.pdf": "no readable text: page 1: no text found by OCR",
    }
    assert "over the" in reasons["huge.txt"]
    assert "decode" in reasons["garbage.txt"] or "binary" in reasons["garbage.txt"]
    assert reasons["broken.docx"].startswith("corrupt .docx")


def test_inspect_shows_metadata_and_noise_removed(tmp_path: Path) -> None:
    result = invoke_cli(
        "inspect", "--json", str(SEEDS / "000_362367a7f1d5f63f.txt"), data_dir=tmp_path
    )
    assert result.returncode == 0, result.stderr
    info = last_json(result.stdout)
    assert info["date"] == "2024-12-23"
    assert info["region"] == "济源示范区"
    assert info["outlet"] == "济源网"
    assert info["reporters"] == ["郑海波", "王会"]
    assert info["glosses_removed"] == 193
    assert info["residues_removed"] == 4
    assert "(kāi)" not in "".join(info["cleaned_start"])  # type: ignore[arg-type]
    # the facts it would store: the seed's twelve sentences of 庄建球's speech among them
    assert info["facts"] == {"officials": 13, "meetings": 1, "figures": 0, "speech_points": 12}
