"""One file can never take the machine down: bombs built here at run time are refused with
their reason while the ingest stays under 1 GB, a 2-million-character line is read in
linear time, and files that lead nowhere or have hostile names are listed, escaped."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT, SEEDS, invoke_cli, last_json

MAX_RSS_MB = 1024
SEED = sorted(SEEDS.glob("*.txt"))[0]


def _peak_mb(pid: int) -> float:
    """VmHWM, the process's own peak RSS so far, in MB (as in test_large_batch)."""
    for row in Path(f"/proc/{pid}/status").read_text().splitlines():
        if row.startswith("VmHWM:"):
            return int(row.split()[1]) / 1024
    return 0.0


def _ingest_measured(
    *args: str, data_dir: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> tuple[int, str, str, float, float]:
    """`govqa ingest ARGS` in a fresh process: exit code, stdout, stderr, peak RSS in MB
    (read every 50 ms while it runs) and seconds."""
    environment = {
        **os.environ,
        "GOVQA_DATA_DIR": str(data_dir),
        "GOVQA_LOG_LEVEL": "WARNING",
        **(env or {}),
    }
    out, err = data_dir.parent / "ingest.out", data_dir.parent / "ingest.err"
    peak = 0.0
    started = time.perf_counter()
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "govqa", "ingest", *args],
            stdout=stdout,
            stderr=stderr,
            env=environment,
            cwd=ROOT,
        )
        while process.poll() is None:
            with contextlib.suppress(OSError):
                peak = max(peak, _peak_mb(process.pid))
            if time.perf_counter() - started > timeout:
                process.kill()
                process.wait()
                pytest.fail(f"ingest still running after {timeout:.0f} s (peak {peak:.0f} MB)")
            time.sleep(0.05)
    seconds = time.perf_counter() - started
    return process.returncode, out.read_text(), err.read_text(), peak, seconds


def _blank_docx_parts() -> list[tuple[str, bytes]]:
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


def _write_docx(path: Path, body: bytes | list[bytes]) -> None:
    """A Word file whose main part is ``body`` inside <w:body>, written as it streams."""
    namespace = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in _blank_docx_parts():
            if name != "word/document.xml":
                archive.writestr(name, data)
                continue
            with archive.open(name, "w") as part:
                part.write(b'<?xml version="1.0" encoding="UTF-8"?><w:document ')
                part.write(namespace + b"><w:body><w:p><w:r><w:t>")
                part.write("宛城区召开会议。".encode() + b"</w:t></w:r></w:p>")
                for chunk in [body] if isinstance(body, bytes) else body:
                    part.write(chunk)
                part.write(b"</w:body></w:document>")


def _zip_bomb(path: Path) -> None:
    """A 1.6 GB main part of spaces (valid XML) in a file of about 1.6 MB."""
    spaces = b" " * (64 << 20)
    _write_docx(path, [spaces] * 24)


def _docx_text_bomb(path: Path) -> None:
    """25 M characters of a seed's paragraphs, compressed about 150:1 (a few hundred KB)."""
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n") if p.strip()]
    block = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs).encode()
    repeats = 25_000_000 // sum(map(len, paragraphs))
    _write_docx(path, [block] * repeats)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_bombs_are_refused_with_their_reason_under_1_gb(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _zip_bomb(folder / "zip-bomb.docx")
    _docx_text_bomb(folder / "text-bomb.docx")
    seed_text = SEED.read_text(encoding="utf-8")
    text = (seed_text * (1_800_000 // len(seed_text) + 1))[:1_800_000]
    (folder / "text-bomb.txt").write_text(text, encoding="utf-8")
    (folder / "report.txt").write_text(seed_text, encoding="utf-8")
    sizes = {p.name: p.stat().st_size for p in folder.iterdir()}
    assert sizes["zip-bomb.docx"] < 3_000_000 and sizes["text-bomb.docx"] < 1_000_000

    # A limit that is not the default shows the setting reaches the ingest.
    code, stdout, stderr, peak, seconds = _ingest_measured(
        str(folder), "--json", data_dir=tmp_path / "data", env={"GOVQA_MAX_CHARS": "1500000"}
    )
    print(f"\nbombs: {seconds:.1f} s, peak RSS {peak:.0f} MB")  # noqa: T201 - the figures asked for
    assert "Traceback" not in stderr
    summary = last_json(stdout)
    assert code == 1 and summary["added"] == 1
    errors = {Path(f["path"]).name: f["error"] for f in summary["failed"]}  # type: ignore[attr-defined]
    assert errors == {
        "zip-bomb.docx": "Word file expands to 1.5 GB, over the 256 MB limit for its parts "
        "(a zip bomb?)",
        "text-bomb.docx": "text too long: more than 1,500,000 characters extracted, "
        "the limit is 1,500,000 (GOVQA_MAX_CHARS)",
        "text-bomb.txt": "text too long: 1,800,000 characters extracted, "
        "the limit is 1,500,000 (GOVQA_MAX_CHARS)",
    }
    assert peak < MAX_RSS_MB, f"peak RSS {peak:.0f} MB"
    assert seconds < 180


# A script run in its own process: the pure steps of an ingest (cleaning, script,
# metadata, chunks, facts) on one report of N characters, timed twice per size.
_TIMING = textwrap.dedent(
    """
    import json, re, sys, time
    from pathlib import Path
    from ingest.loaders import RawDocument
    from ingest.pipeline import build_report, make_chunks, make_facts

    kind = sys.argv[1]
    seeds = "".join(p.read_text(encoding="utf-8") for p in sorted(Path("seeds").glob("*.txt")))
    if kind == "one-line":  # the sentences that name officials, one after another
        sentences = re.findall(r"[^。！？\\n]+[。！？]?", seeds)
        base = "".join(s for s in sentences if re.search("書記|区长|區長|主任|常委|領導", s))
    else:  # no punctuation, no digits, no spaces: one run of Han characters
        base = "".join(ch for ch in seeds if "\\u4e00" <= ch <= "\\u9fff")
    times = {}
    for size in (1_000_000, 2_000_000, 1_000_000, 2_000_000):
        text = (base * (size // len(base) + 1))[:size]
        started = time.perf_counter()
        report = build_report(RawDocument(text=text), doc_id="x", file="x.txt", source="x.txt")
        make_chunks(report)
        make_facts(report)
        times[size] = min(times.get(size, 1e9), time.perf_counter() - started)
    print(json.dumps(times))
    """
)


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("kind", ["one-line", "no-punctuation"])
def test_a_two_million_character_line_takes_linear_time(kind: str) -> None:
    try:
        result = subprocess.run(
            [sys.executable, "-c", _TIMING, kind],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("1 M and 2 M characters took over 5 minutes")
    assert result.returncode == 0, result.stderr
    times = {int(k): v for k, v in json.loads(result.stdout).items()}
    print(f"\n{kind}: 1 M {times[1_000_000]:.2f} s, 2 M {times[2_000_000]:.2f} s")  # noqa: T201
    # Linear: twice the text, about twice the time (quadratic would be four times).
    assert times[2_000_000] < 3 * times[1_000_000], times
    assert times[2_000_000] < 120, times


@pytest.mark.slow
def test_links_that_lead_nowhere_and_hostile_names_are_listed_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "report.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "dangling.txt").symlink_to(folder / "gone\nfile.txt")
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    (folder / "self.txt").symlink_to(folder / "self.txt")
    hostile = "evil\nname\u202etxt.exe.txt"
    (folder / hostile).write_bytes(b"")  # empty: listed as failed, with its name

    code, stdout, stderr, _, _ = _ingest_measured(str(folder), data_dir=tmp_path / "data")
    assert code == 1 and stdout.startswith("added 1,")
    assert "\u202e" not in stderr
    failed = sorted(line for line in stderr.splitlines() if line.startswith("  failed: "))
    prefix = f"  failed: {folder}/"
    assert failed == [
        prefix + "dangling.txt: broken symbolic link (to '" + str(folder) + "/gone\\nfile.txt')",
        prefix + "evil\\nname\\u202etxt.exe.txt: empty file",
        prefix + "loop-a.txt: symbolic link loop (the link leads back to itself)",
        prefix + "loop-b.txt: symbolic link loop (the link leads back to itself)",
        prefix + "self.txt: symbolic link loop (the link leads back to itself)",
    ]

    code, stdout, stderr, _, _ = _ingest_measured(str(folder), "--json", data_dir=tmp_path / "data")
    assert code == 1 and "\u202e" not in stdout  # escaped as \\u202e: the same string
    summary = last_json(stdout)
    listed = {Path(f["path"]).name for f in summary["failed"]}  # type: ignore[attr-defined]
    assert listed == {"dangling.txt", hostile, "loop-a.txt", "loop-b.txt", "self.txt"}
    assert summary["unchanged"] == 1


def test_inspect_prints_a_hostile_file_name_escaped(tmp_path: Path) -> None:
    path = tmp_path / "evil\nname\u202etxt.exe.txt"
    path.write_bytes(b"")
    result = invoke_cli("inspect", str(path), data_dir=tmp_path / "data")
    assert result.returncode == 2
    assert result.stderr == f"Error: {tmp_path}/evil\\nname\\u202etxt.exe.txt: empty file\n"
