"""A batch of 1,000 files, 20 of them broken in different ways: every good report is
stored, every broken file is listed with its reason, and memory stays bounded."""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document

from govqa.services import build_services
from ingest.chunking import split_sentences
from ingest.loaders import load_file
from ingest.pipeline import build_report, make_chunks
from tests.helpers import ROOT, SEEDS, last_json, make_settings, report_rows

FILES = 1000
MAX_FILE_MB = 1  # GOVQA_MAX_FILE_MB for the run, so a too-large file stays cheap to write
# Peak RSS: the model, its runtime, Chroma and jieba take 0.7-1.2 GB here depending on
# the embedding backend; 2.5 GB leaves room for a slower allocator or another model build.
MAX_RSS_MB = 2500
# Bounded, not growing with the batch: once the first quarter of the reports is stored
# (every lazy table, arena and cache is warm by then), the other 750 may add at most this
# much, 200 KB a report (each is about 1 KB of text and one vector of 384 floats). The
# ingest holds one file and at most ~64 chunks of embeddings at a time.
MAX_GROWTH_AFTER_WARM_UP_MB = 150


def _sentences() -> list[str]:
    return [
        sentence
        for seed in sorted(SEEDS.glob("*.txt"))
        for sentence in split_sentences(seed.read_text(encoding="utf-8"))
        if len(sentence) >= 12
    ]


def _short_report(n: int, sentences: list[str]) -> str:
    """A distinct small report: a numbered title and 2–3 real sentences of the seeds."""
    rng = random.Random(n)
    body = rng.sample(sentences, rng.choice((2, 3)))
    return f"第{n}号工作简报\n" + "\n".join(body) + "\n"


def _pdf(text: str, *, drawn_only: bool = False) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    if drawn_only:
        page.rect(72, 72, 200, 200)  # no text layer, like a scan
    else:
        page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _docx(paragraphs: list[str]) -> bytes:
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _broken_files() -> dict[str, tuple[bytes, str]]:
    """name → (content, a phrase its reason must contain): 20 kinds of unreadable file."""
    rng = random.Random(7)
    garbage = bytes(rng.getrandbits(8) for _ in range(4096))
    undecodable = ("宛城区召开会议。".encode() + b"\xff\xfe\xff") * 60  # no encoding fits
    empty_zip = io.BytesIO()
    with zipfile.ZipFile(empty_zip, "w") as archive:
        archive.writestr("readme.txt", "not a Word document")
    pdf = _pdf("Wancheng District work report 2024")
    too_large = ("第1号工作简报。" * 80_000).encode()  # about 1.8 MB of valid text
    assert len(too_large) > MAX_FILE_MB * 1024 * 1024
    return {
        "garbage-random.txt": (garbage, "binary file"),
        "garbage-bytes.txt": (bytes(range(256)) * 16, "binary file"),
        "garbage.md": (garbage[::-1], "binary file"),
        "empty.txt": (b"", "empty file"),
        "empty.html": (b"", "empty file"),
        "empty.docx": (b"", "empty file"),
        "blank.txt": (b"  \n\n\t \r\n", "no text"),
        "undecodable.txt": (undecodable, "cannot decode text"),
        "undecodable-latin.txt": (b"report " + b"\x80\xff" * 300 + b" end", "cannot decode"),
        "not-a-zip.docx": ("这不是Word文件".encode(), "not a zip archive"),
        "old-word.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024, "old .doc"),
        "zip-without-document.docx": (empty_zip.getvalue(), "no readable Word document"),
        "truncated.pdf": (pdf[: len(pdf) // 2], "corrupt .pdf"),
        "truncated-header.pdf": (pdf[:200], "corrupt .pdf"),
        "scanned.pdf": (_pdf("", drawn_only=True), "no text layer (scanned?) and OCR is off"),
        "too-large.txt": (too_large, f"over the {MAX_FILE_MB} MB limit"),
        "picture.png": (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "not a readable picture"),
        "README": (b"notes", "no extension"),
        "navigation-only.html": (b"<html><body><nav>home</nav></body></html>", "no article"),
        "all-lines-bad.jsonl": (b"{not json\n[1, 2]\n", "no usable line"),
    }


def _make_batch(folder: Path) -> tuple[set[str], int, list[tuple[str, str]]]:
    """Write the batch; returns the doc ids expected, their chunks and the failures
    expected as (file name, a phrase of the reason), one a listed failure."""
    sentences = _sentences()
    broken = _broken_files()
    jsonl_lines = [
        json.dumps(
            {"id": f"line-{n}", "title": f"第{n}号通报", "text": _short_report(n, sentences)}
        )
        for n in range(5000, 5005)
    ]
    good: dict[str, bytes] = {
        "mixed.jsonl": "\n".join([*jsonl_lines[:2], "{broken", *jsonl_lines[2:]]).encode(),
        "report.html": (
            "<html><head><title>工作简报</title></head><body><nav>首页</nav><article><p>"
            + "</p><p>".join(_short_report(9000, sentences).splitlines())
            + "</p></article><footer>版权所有</footer></body></html>"
        ).encode(),
        "report.docx": _docx(_short_report(9001, sentences).splitlines()),
    }
    for n in range(FILES - len(broken) - len(good)):
        suffix = ".md" if n % 10 == 0 else ".txt"
        good[f"r{n // 100}/report-{n:04d}{suffix}"] = _short_report(n, sentences).encode()

    expected: set[str] = set()
    chunks = 0
    for name, data in good.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        for raw in load_file(path, on_line_error=lambda e: None):
            doc_id = raw.key or name
            report = build_report(raw, doc_id=doc_id, file=path.name, source=str(path))
            expected.add(doc_id)
            chunks += len(make_chunks(report))
    for name, (data, _) in broken.items():
        (folder / name).write_bytes(data)
    failures = [(name, phrase) for name, (_, phrase) in broken.items()]
    # A bad JSONL line is listed on its own, and a file with no good line once more.
    failures += [
        ("all-lines-bad.jsonl", "line 1: invalid JSON"),
        ("all-lines-bad.jsonl", "line 2: not a JSON object"),
        ("mixed.jsonl", "line 3: invalid JSON"),
    ]
    assert sum(1 for p in folder.rglob("*") if p.is_file()) == FILES
    return expected, chunks, failures


def _memory_mb(pid: int, field: str) -> float:
    """VmRSS (now) or VmHWM (peak so far) of a process, in MB."""
    for row in Path(f"/proc/{pid}/status").read_text().splitlines():
        if row.startswith(f"{field}:"):
            return int(row.split()[1]) / 1024
    return 0.0


def _ingest_measured(
    folder: Path, data_dir: Path
) -> tuple[int, str, str, float, list[tuple[int, float]]]:
    """Run `govqa ingest FOLDER --json`; returns exit code, stdout, stderr, peak RSS in MB
    and (reports stored, RSS MB) samples on the way.

    The peak is the child's own high-water mark (VmHWM), read every half second. Not
    ``ru_maxrss`` from wait4: Linux starts a forked child's maxrss at its parent's RSS
    and keeps it across exec, so under a pytest that holds models it measures pytest."""
    env = {
        **os.environ,
        "GOVQA_DATA_DIR": str(data_dir),
        "GOVQA_LOG_LEVEL": "WARNING",
        "GOVQA_MAX_FILE_MB": str(MAX_FILE_MB),
        # The OCR engine (about 500 MB, loaded once, on the first scanned page) would
        # count as growth here; this measures what a thousand files leave behind, and
        # tests/integration/test_ocr.py and bench.ocr take OCR's own memory.
        "GOVQA_OCR": "false",
    }
    out, err = data_dir.parent / "ingest.out", data_dir.parent / "ingest.err"
    samples: list[tuple[int, float]] = []
    peak = 0.0
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "govqa", "ingest", str(folder), "--json"],
            stdout=stdout,
            stderr=stderr,
            env=env,
            cwd=ROOT,
        )
        ticks = 0
        while process.poll() is None:
            with contextlib.suppress(OSError):
                peak = max(peak, _memory_mb(process.pid, "VmHWM"))
                if ticks % 4 == 0:
                    samples.append((report_rows(data_dir), _memory_mb(process.pid, "VmRSS")))
            ticks += 1
            time.sleep(0.5)
    return process.returncode, out.read_text(), err.read_text(), peak, samples


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_thousand_files_with_twenty_broken(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    expected, expected_chunks, expected_failures = _make_batch(folder)
    assert len(expected) == FILES - 20 - 3 + 5 + 2  # text files, 5 JSONL lines, html, docx

    code, stdout, stderr, rss, samples = _ingest_measured(folder, tmp_path / "data")
    assert "Traceback" not in stderr
    summary = last_json(stdout)
    after_warm_up = [mb for stored, mb in samples if stored >= len(expected) // 4] or [0.0]
    warm, last = after_warm_up[0], max(after_warm_up)
    print(  # noqa: T201 - the figures asked for
        f"\ningest of {FILES} files: {summary['seconds']} s, {summary['chunks_added']} chunks; "
        f"peak RSS {rss:.0f} MB; RSS {warm:.0f} MB with a quarter stored, at most "
        f"{last:.0f} MB after"
    )
    assert code == 1  # some files failed; the rest are stored
    assert (summary["added"], summary["updated"], summary["removed"]) == (len(expected), 0, 0)
    assert summary["chunks_added"] == expected_chunks

    listed: list[dict[str, str]] = summary["failed"]  # type: ignore[assignment]
    failed = sorted((Path(f["path"]).name, f["error"]) for f in listed)
    assert len(failed) == len(expected_failures) == 23, failed
    for (name, error), (expected_name, phrase) in zip(
        failed, sorted(expected_failures), strict=True
    ):
        assert name == expected_name and phrase in error, (name, error, phrase)

    store = build_services(make_settings(tmp_path / "data")).store
    assert store.doc_ids() == expected
    counts = store.stats()
    assert (counts["documents"], counts["chunks"]) == (len(expected), expected_chunks)
    assert store.vector_count() == expected_chunks
    assert store.audit() == []

    # stderr is a pipe here: no progress bar (and --json turns it off anyway).
    assert "reports/s" not in stderr and "\r" not in stderr
    assert rss < MAX_RSS_MB, f"peak RSS {rss:.0f} MB"
    assert len(after_warm_up) >= 3, samples  # sampled every 2 s: not a vacuous check
    assert last - warm < MAX_GROWTH_AFTER_WARM_UP_MB, samples
