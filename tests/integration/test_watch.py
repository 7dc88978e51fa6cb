"""`govqa ingest --watch`: a real watcher process, real files, other processes reading."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest

from tests.helpers import ROOT, SEEDS, last_json, run_cli

WANCHENG = "001_240d0124548b3155.txt"  # 宛城区: GDP 414.9亿元
JIADING = "004_c877433114cd8e59.txt"  # 嘉定区: 陆方舟 is 区委书记
TIMEOUT = 120  # seconds for one change to show; the machine is slow


class Watcher:
    """`govqa ingest --watch FOLDER --json` in a subprocess, its output read as it comes."""

    def __init__(self, folder: Path, data: Path) -> None:
        env = {**os.environ, "GOVQA_DATA_DIR": str(data), "GOVQA_LOG_LEVEL": "WARNING"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "govqa", "ingest", "--watch", str(folder), "--json"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[dict[str, object]] = queue.Queue()
        self.stderr: list[str] = []
        assert self.process.stdout and self.process.stderr
        self._readers = [
            threading.Thread(target=self._read_json, args=(self.process.stdout,), daemon=True),
            threading.Thread(target=self._read_err, args=(self.process.stderr,), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _read_json(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.put(json.loads(line))

    def _read_err(self, stream: IO[str]) -> None:
        for line in stream:
            self.stderr.append(line)

    def wait_ready(self) -> dict[str, object]:
        """The summary of the initial ingest, once the watcher says it is watching."""
        summary = self.next_line()
        deadline = time.monotonic() + TIMEOUT
        while not any("watching" in line for line in self.stderr):
            assert self.process.poll() is None, "".join(self.stderr)
            assert time.monotonic() < deadline, "".join(self.stderr)
            time.sleep(0.2)
        return summary

    def next_line(self) -> dict[str, object]:
        try:
            return self.lines.get(timeout=TIMEOUT)
        except queue.Empty:
            pytest.fail(f"no output from the watcher in {TIMEOUT} s: {''.join(self.stderr)}")

    def changes_until(
        self, done: Callable[[list[dict[str, object]]], bool]
    ) -> list[dict[str, object]]:
        seen: list[dict[str, object]] = []
        while not done(seen):
            seen.append(self.next_line())
        return seen

    def stop(self, sig: int = signal.SIGINT) -> tuple[int, str]:
        self.process.send_signal(sig)
        code = self.process.wait(timeout=60)
        for reader in self._readers:
            reader.join(timeout=10)
        return code, "".join(self.stderr)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def watch_dirs(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder, tmp_path / "data"


def _stored_text(data: Path, doc_id: str) -> str | None:
    with sqlite3.connect(data / "govqa.sqlite3") as db:
        row = db.execute(
            "SELECT original_text FROM reports WHERE doc_id = ? AND status = 'ok'", (doc_id,)
        ).fetchone()
    return row[0] if row else None


def _stats(data: Path) -> dict[str, object]:
    result = run_cli("stats", "--json", data_dir=data)
    assert result.returncode == 0, result.stderr
    return last_json(result.stdout)


@pytest.mark.slow
def test_watch_adds_updates_and_removes_reports(watch_dirs: tuple[Path, Path]) -> None:
    folder, data = watch_dirs
    shutil.copy(SEEDS / JIADING, folder / JIADING)  # there before the watch starts
    watcher = Watcher(folder, data)
    try:
        summary = watcher.wait_ready()
        assert (summary["added"], summary["failed"]) == (1, [])

        # Written in three parts, each within the quiet second: stored once, complete.
        text = (SEEDS / WANCHENG).read_text(encoding="utf-8")
        thirds = [text[: len(text) // 3], text[len(text) // 3 : 2 * len(text) // 3]]
        with (folder / WANCHENG).open("w", encoding="utf-8") as fh:
            for part in [*thirds, text[2 * len(text) // 3 :]]:
                fh.write(part)
                fh.flush()
                time.sleep(0.3)
        (change,) = watcher.changes_until(lambda seen: len(seen) == 1)
        assert change == {
            "change": "added",
            "path": str((folder / WANCHENG).resolve()),
            "doc_id": WANCHENG,
        }
        assert _stored_text(data, WANCHENG) == text
        time.sleep(2)  # reading the file to ingest it is no change: nothing more comes
        assert watcher.lines.empty()

        # Another process reads the same data dir while the watcher runs.
        assert _stats(data)["documents"] == 2
        result = run_cli("ask", "--json", "宛城区2024年地区生产总值是多少？", data_dir=data)
        assert result.returncode == 0, result.stderr
        answer = last_json(result.stdout)
        assert answer["answered"] is True and "414.9亿元" in str(answer["answer"])
        assert answer["sources"][0]["file"] == WANCHENG  # type: ignore[index]

        (folder / "scan.txt").write_bytes(bytes(range(256)) * 8)
        (failed,) = watcher.changes_until(lambda seen: len(seen) == 1)
        assert failed["change"] == "failed" and "binary file" in str(failed["error"])

        with (folder / JIADING).open("a", encoding="utf-8") as fh:
            fh.write("\n会议还研究了其他事项。\n")
        (updated,) = watcher.changes_until(lambda seen: len(seen) == 1)
        assert (updated["change"], updated["doc_id"]) == ("updated", JIADING)

        (folder / WANCHENG).unlink()
        (removed,) = watcher.changes_until(lambda seen: len(seen) == 1)
        assert (removed["change"], removed["doc_id"]) == ("removed", WANCHENG)
        assert _stats(data)["documents"] == 1
        result = run_cli("ask", "--json", "宛城区2024年地区生产总值是多少？", data_dir=data)
        assert last_json(result.stdout)["answered"] is False

        code, stderr = watcher.stop(signal.SIGINT)
        assert code == 0, stderr
        assert "Traceback" not in stderr
        assert "stopped watching" in stderr
    finally:
        watcher.kill()


def test_sigterm_stops_the_watcher_cleanly(watch_dirs: tuple[Path, Path]) -> None:
    folder, data = watch_dirs
    watcher = Watcher(folder, data)
    try:
        summary = watcher.wait_ready()
        assert summary["added"] == 0
        code, stderr = watcher.stop(signal.SIGTERM)
        assert code == 0, stderr
        assert "Traceback" not in stderr
        assert "stopped watching" in stderr
    finally:
        watcher.kill()


def test_watch_needs_one_folder(tmp_path: Path) -> None:
    seed = SEEDS / WANCHENG
    for args in ([str(seed)], [str(SEEDS), str(tmp_path)]):
        result = run_cli("ingest", "--watch", *args, data_dir=tmp_path / "data")
        assert result.returncode == 2
        assert "--watch takes one folder" in result.stderr
