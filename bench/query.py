"""Warm query latency on the seeds and on the 2k corpus, and cold `govqa ask` wall time.

    .venv/bin/python -m bench.query [--corpus PATH] [--limit N] [--data-dir DIR]
                                    [--generated N] [--cold-runs N]

Warm: one process, model and indexes loaded, one question of each language asked
first; then every question is answered once through ``services.chain`` (the path
`govqa ask` takes) and its wall time taken. Seeds: the questions of
../shared/eval/dev.jsonl and tests/data/heldout.jsonl on an index of seeds/. 2k corpus:
the same questions plus ``--generated`` questions made from its reports
(bench.questions), on an index of the corpus (``--data-dir`` from
`bench.ingest --keep`, or ingested here, the first ``--limit`` reports).
Cold: `.venv/bin/govqa --data-dir DIR ask "…"` as a new process on the 2k index,
``--cold-runs`` times (run from a temp dir, so no .env applies).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import (
    CORPUS,
    QUESTION_FILES,
    REPO,
    SEEDS,
    TEMP_PREFIX,
    Timer,
    check_outside_repo,
    corpus_slice,
    ingest,
    load_average,
    make_services,
    median,
    peak_rss_mb,
    percentile,
    report,
    setup_logging,
)
from bench.questions import generate, load_reports

COLD_QUESTION = "宛城区2024年地区生产总值是多少？"
TARGETS = {"p50_ms": 80.0, "p95_ms": 150.0, "cold_s": 6.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="a .jsonl of reports")
    parser.add_argument(
        "--limit", type=int, default=None, help="without --data-dir: ingest the first N reports"
    )
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="an index of the corpus (bench.ingest --keep)"
    )
    parser.add_argument(
        "--generated", type=int, default=30, help="questions generated from the corpus (2k set)"
    )
    parser.add_argument("--cold-runs", type=int, default=3, help="cold `govqa ask` runs (0: none)")
    args = parser.parse_args()
    setup_logging()

    questions, warm_up = eval_questions()
    figures: dict[str, Any] = {}
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix=TEMP_PREFIX) as tmp:
        seeds = make_services(Path(tmp) / "seeds")
        ingest(seeds, [SEEDS])
        figures.update(_prefixed("seeds", warm_latency(seeds, questions, warm_up)))

        corpus = args.corpus.resolve()
        if args.data_dir is not None:
            corpus_dir = check_outside_repo(args.data_dir)
            services = make_services(corpus_dir, embeddings=seeds.embeddings)
        else:
            corpus_dir = Path(tmp) / "corpus"
            services = make_services(corpus_dir, embeddings=seeds.embeddings)
            with Timer() as t:
                ingest(services, [corpus_slice(corpus, args.limit, Path(tmp))])
            figures["corpus_ingest_s"] = round(t.seconds, 1)
        stored = services.store.doc_ids()
        if not stored:
            raise SystemExit(f"no reports in {corpus_dir}")
        generated = [
            q.question
            for q in generate(load_reports(corpus, doc_ids=stored), args.generated, seed=11)
        ]
        figures["corpus_reports"] = len(stored)
        figures["corpus_chunks"] = services.store.stats()["chunks"]
        figures["corpus_generated_questions"] = len(generated)
        figures.update(_prefixed("corpus", warm_latency(services, questions + generated, warm_up)))
        figures["peak_rss_mb"] = round(peak_rss_mb(), 1)

        if args.cold_runs > 0:
            figures.update(cold_ask(corpus_dir, args.cold_runs, cwd=Path(tmp)))
    figures["load_average_before_after"] = [load_before, load_average()]
    figures["targets"] = TARGETS
    report("query", figures)


def eval_questions() -> tuple[list[str], list[str]]:
    """The eval questions, and the first one of each language (for warming up)."""
    questions: list[str] = []
    first_by_lang: dict[str, str] = {}
    for path in QUESTION_FILES:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    item = json.loads(line)
                    questions.append(item["question"])
                    first_by_lang.setdefault(item.get("lang", ""), item["question"])
    return questions, list(first_by_lang.values())


def warm_latency(services: Any, questions: list[str], warm_up: list[str]) -> dict[str, Any]:
    """Latency of answering each question once, after the warm-up questions.

    Warming up with one question of each language matters: the first English question
    builds the pinyin index of the store (~0.5 s on the seeds), once per process.
    """
    chain = services.chain
    for question in warm_up:
        chain.invoke(question)
    timings: list[float] = []
    answered = 0
    for question in questions:
        started = time.perf_counter()
        answer = chain.invoke(question)
        timings.append((time.perf_counter() - started) * 1000)
        answered += answer.answered
    return {
        "questions": len(questions),
        "answered": answered,
        "p50_ms": round(percentile(timings, 50), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "max_ms": round(max(timings), 1),
    }


# Runs a command and prints its wall time, peak RSS (KiB) and exit code. It runs in a
# small interpreter of its own because a child inherits its parent's RSS high-water mark
# (fork/vfork), so measuring from this big process would report at least its own peak.
_MEASURE = """
import os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
child.returncode = os.waitstatus_to_exitcode(status)
print(time.perf_counter() - started, usage.ru_maxrss, child.returncode)
"""


def cold_ask(data_dir: Path, runs: int, cwd: Path) -> dict[str, Any]:
    """Wall time and peak RSS of a new `govqa ask` process, ``runs`` times."""
    command = [str(REPO / ".venv/bin/govqa"), "--data-dir", str(data_dir), "ask", COLD_QUESTION]
    env = {k: v for k, v in os.environ.items() if k != "GOVQA_DATA_DIR"}
    times: list[float] = []
    peaks: list[float] = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", _MEASURE, *command],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        seconds, max_rss_kib, code = done.stdout.split()
        if code != "0":
            raise SystemExit(f"govqa ask failed ({code}): {done.stderr.strip()}")
        times.append(float(seconds))
        peaks.append(int(max_rss_kib) / 1024)
    return {
        "cold_ask_runs": runs,
        "cold_ask_min_s": round(min(times), 2),
        "cold_ask_median_s": round(median(times), 2),
        "cold_ask_peak_rss_mb": round(max(peaks), 1),
    }


def _prefixed(prefix: str, figures: dict[str, Any]) -> dict[str, Any]:
    return {f"{prefix}_{key}": value for key, value in figures.items()}


if __name__ == "__main__":
    main()
