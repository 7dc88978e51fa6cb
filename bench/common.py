"""Helpers shared by the benchmark scripts: services on a data dir, timing, figures."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govqa.services import Services
    from ingest.types import IngestSummary

REPO = Path(__file__).resolve().parent.parent
CORPUS = (REPO / "../shared/corpus/crud_gov_2k.jsonl").resolve()
SEEDS = REPO / "seeds"
QUESTION_FILES = ((REPO / "../shared/eval/dev.jsonl").resolve(), REPO / "tests/data/heldout.jsonl")
TEMP_PREFIX = "govqa-bench-"  # temp dirs are made under the system temp dir, never the repo


def make_services(data_dir: Path, embeddings: Any = None) -> Services:
    """Services on ``data_dir`` with default settings (GOVQA_* variables apply, no .env)."""
    from govqa.services import build_services
    from govqa.settings import load_settings

    settings = load_settings(env_file=None, store={"data_dir": data_dir})
    return build_services(settings, embeddings=embeddings)


def ingest(services: Services, paths: Sequence[Path]) -> IngestSummary:
    """A real ingest of files and folders into the services' store, as `govqa ingest` does."""
    from ingest.pipeline import Ingestor, find_files

    summary = Ingestor(
        services.store,
        services.embeddings,
        max_bytes=services.settings.ingest.max_bytes,
        max_chars=services.settings.ingest.max_chars,
    ).run(find_files(paths))
    if summary.failed:
        print(f"warning: {len(summary.failed)} failed: {summary.failed[:3]}", file=sys.stderr)
    return summary


def corpus_slice(corpus: Path, limit: int | None, folder: Path) -> Path:
    """The corpus itself, or a copy of its first ``limit`` lines in ``folder`` (a temp dir)."""
    if limit is None:
        return corpus
    if folder.resolve().is_relative_to(REPO):
        raise SystemExit(f"refusing to write corpus lines inside the repository: {folder}")
    target = folder / f"{corpus.stem}_first{limit}.jsonl"
    with corpus.open(encoding="utf-8") as src, target.open("w", encoding="utf-8") as dst:
        written = 0
        for line in src:
            if written >= limit:
                break
            if line.strip():
                dst.write(line)
                written += 1
    return target


def check_outside_repo(path: Path) -> Path:
    """``path`` resolved; never inside the repository (corpus text must not go there)."""
    resolved = path.expanduser().resolve()
    if resolved.is_relative_to(REPO):
        raise SystemExit(f"use a directory outside the repository, not {path}")
    return resolved


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct``-th percentile with linear interpolation (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * pct / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB.

    Not usable for child processes: a child started by fork or vfork inherits the
    parent's high-water mark, so RUSAGE_CHILDREN reports at least the parent's peak.
    """
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class Timer:
    """``with Timer() as t: ...`` then ``t.seconds`` (wall) and ``t.cpu_seconds``.

    CPU time is of this process, all threads. When another process competes for the
    cores, wall times swing and CPU time per item stays roughly steady.
    """

    seconds: float = 0.0
    cpu_seconds: float = 0.0

    def __enter__(self) -> Timer:
        self._start = time.perf_counter()
        self._cpu_start = time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._start
        self.cpu_seconds = time.process_time() - self._cpu_start


def load_average() -> float:
    """The 1-minute load average: above the number of cores, timings are contended."""
    return round(os.getloadavg()[0], 2)


def setup_logging() -> None:
    """Library warnings to stderr, as the CLI shows them by default."""
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


def report(name: str, figures: dict[str, Any]) -> None:
    """Print ``name: value`` lines, then the whole set as one JSON line."""
    for key, value in figures.items():
        print(f"{key}: {_fmt(value)}")
    print(json.dumps({"bench": name, **figures}, ensure_ascii=False))


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


class Seconds:
    """Seconds accumulated by a timed block."""

    seconds = 0.0


@contextlib.contextmanager
def timed_grouping() -> Iterator[Seconds]:
    """Time spent grouping reports by republication during the block."""
    from retrieval.store.groups import Groups

    spent = Seconds()
    assign = Groups.assign

    def timed(self: Groups, doc_id: str) -> str:
        start = time.perf_counter()
        try:
            return assign(self, doc_id)
        finally:
            spent.seconds += time.perf_counter() - start

    Groups.assign = timed  # type: ignore[method-assign]
    try:
        yield spent
    finally:
        Groups.assign = assign  # type: ignore[method-assign]
