"""kill -9 at any moment of an ingest leaves the store consistent; the next run finishes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers import ROOT, report_rows, seed_variants, start_cli

AUDIT = """
import json, sys
from govqa.services import build_services
from govqa.settings import load_settings
store = build_services(load_settings(env_file=None, store={"data_dir": sys.argv[1]})).store
print(json.dumps({"problems": store.audit(), **store.stats(), "vectors": store.vector_count()}))
"""


def _ingest(folder: Path, data: Path) -> subprocess.Popen[str]:
    return start_cli("ingest", str(folder), "--json", data_dir=data)


def _audit(data: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", AUDIT, str(data)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_kill_9_during_ingest_never_leaves_half_a_report(tmp_path: Path) -> None:
    folder, data = tmp_path / "reports", tmp_path / "data"
    expected_chunks = seed_variants(folder, copies=4)  # 20 reports
    for kill_after_rows in (1, 7, 14):
        process = _ingest(folder, data)
        deadline = time.monotonic() + 300
        while report_rows(data) < kill_after_rows and process.poll() is None:
            assert time.monotonic() < deadline, "ingest made no progress"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait()
        # Stored reports are whole; a report being written when the process died is
        # still "pending" (never shown) and the next run clears and redoes it.
        state = _audit(data)
        assert state["problems"] == [], state

    finished = _ingest(folder, data)
    stdout, stderr = finished.communicate(timeout=600)
    assert finished.returncode == 0, stderr
    summary = json.loads(stdout.strip().splitlines()[-1])
    assert summary["failed"] == []
    state = _audit(data)
    assert state["problems"] == []
    assert state["documents"] == 20
    assert state["chunks"] == state["vectors"] == expected_chunks
