"""The ingest progress bar: rate and ETA on a terminal, nothing with --json or when piped."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

from tests.helpers import ROOT, SEEDS, last_json

# tqdm's closing line, e.g. "100%|██████████| 2/2 [00:09<00:00,  4.71s/ reports]"
FINISHED_BAR = re.compile(r"2/2 \[\d\d:\d\d<\d\d:\d\d, +[\d.]+(?: reports/s|s/ reports)\]")


def _ingest_on_a_terminal(*args: str, data: Path) -> tuple[int, str, str]:
    """Run `govqa ingest ARGS` with its stderr on a pseudo-terminal; returns exit code,
    stdout and what the terminal showed."""
    env = {**os.environ, "GOVQA_DATA_DIR": str(data), "GOVQA_LOG_LEVEL": "WARNING"}
    master, slave = pty.openpty()
    # A terminal 100 columns wide (a new pseudo-terminal has no size: tqdm would fit
    # its bar into zero columns).
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "govqa", "ingest", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=slave,
        text=True,
    )
    os.close(slave)
    shown = b""
    while True:
        try:
            block = os.read(master, 4096)
        except OSError:  # EIO: the process closed the terminal
            break
        if not block:
            break
        shown += block
    os.close(master)
    stdout, _ = process.communicate(timeout=600)
    return process.returncode, stdout, shown.decode("utf-8", "replace")


def test_progress_bar_shows_rate_and_eta_on_a_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("000_362367a7f1d5f63f.txt", "003_320e35281dc089dc.txt"):
        shutil.copy(SEEDS / name, folder / name)

    code, stdout, terminal = _ingest_on_a_terminal(str(folder), data=tmp_path / "a")
    assert code == 0, terminal
    assert stdout.startswith("added 2,")
    assert FINISHED_BAR.search(terminal), terminal

    code, stdout, terminal = _ingest_on_a_terminal(str(folder), "--json", data=tmp_path / "b")
    assert code == 0, terminal
    assert last_json(stdout)["added"] == 2
    assert "reports" not in terminal and "\r" not in terminal, terminal
