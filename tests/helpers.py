"""Plain helpers shared by tests/unit and tests/integration: paths, settings, and the
real `govqa` command run in a fresh process. Fixtures stay in the conftest files.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from govqa.services import Services, build_services
from govqa.settings import Settings, load_settings
from ingest.pipeline import Ingestor, find_files
from ingest.types import IngestSummary

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
DEV_SET = SHARED / "eval" / "dev.jsonl"
# The bot token of the tests (the fake Bot API accepts it; no log may show it).
TOKEN = "424242:AAH-fakeTokenForTests_9f8e7d6c5b4a39281716"


def make_settings(data_dir: Path, **sections: dict[str, object]) -> Settings:
    """Settings for a test: environment defaults, no .env file, this data dir, and the
    fields of ``sections`` (e.g. ``llm={"mode": "openai"}``)."""
    store = {"data_dir": data_dir, **sections.pop("store", {})}
    return load_settings(env_file=None, store=store, **sections)


def ingest(services: Services, *paths: Path, prune: bool = False) -> IngestSummary:
    return Ingestor(services.store, services.embeddings, max_bytes=20 * 1024 * 1024).run(
        find_files(paths), prune_roots=paths if prune else ()
    )


def fresh_services(data_dir: Path, seeded: Services) -> Services:
    """Services over an empty store in ``data_dir`` that reuse the loaded model."""
    return build_services(make_settings(data_dir), embeddings=seeded.embeddings)


def report_rows(data_dir: Path) -> int:
    """Report rows in a data dir's catalogue, read from outside a running ingest (0
    while it is not there yet or locked)."""
    try:
        with sqlite3.connect(data_dir / "govqa.sqlite3", timeout=1) as db:
            return int(db.execute("SELECT COUNT(*) FROM reports").fetchone()[0])
    except sqlite3.Error:
        return 0


def seed_variants(folder: Path, copies: int, tag: str = "") -> int:
    """Seeds and variants of them in ``folder`` (each a distinct report, named
    ``<tag>NN-<seed>``); returns how many chunks they make."""
    from ingest.loaders import load_file
    from ingest.pipeline import build_report, make_chunks

    folder.mkdir(parents=True)
    expected = 0
    for n in range(copies):
        for seed in sorted(SEEDS.glob("*.txt")):
            path = folder / f"{tag}{n:02d}-{seed.name}"
            path.write_text(seed.read_text(encoding="utf-8") + f"\n第{n}份副本{tag}。", "utf-8")
            (raw,) = list(load_file(path))
            report = build_report(raw, doc_id=path.name, file=path.name, source=str(path))
            expected += len(make_chunks(report))
    return expected


def run_cli(
    *args: str, data_dir: Path, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real `govqa` command in a fresh process."""
    env = {
        **os.environ,
        "GOVQA_DATA_DIR": str(data_dir),
        "GOVQA_LOG_LEVEL": "WARNING",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "govqa", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )


def start_cli(
    *args: str, data_dir: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """Start the real `govqa` command in a fresh process (stdout and stderr piped)."""
    return subprocess.Popen(
        [sys.executable, "-m", "govqa", *args],
        cwd=ROOT,
        env={
            **os.environ,
            "GOVQA_DATA_DIR": str(data_dir),
            "GOVQA_LOG_LEVEL": "WARNING",
            **(env or {}),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def last_json(stdout: str) -> dict[str, object]:
    return json.loads(stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]
