"""Warm query latency at 100,000 chunks (target p95 ≤ 250 ms), on an honestly built index.

    .venv/bin/python -m bench.scale --source-index DIR [--target-chunks N] [--keep DIR]
                                    [--noise X] [--buffer-chunks N] [--corpus PATH]
                                    [--generated N]
    .venv/bin/python -m bench.scale --data-dir DIR [--corpus PATH] [--generated N]

Encoding 100,000 chunks would take hours here (~9–13 passages/s), so the index is built
from real reports and real vectors instead:

1. ``--source-index`` is an index of the corpus made by ``bench.ingest --keep DIR``. Its
   Chroma folder is copied to a temp dir (opening Chroma writes to it; the source stays
   untouched) and every vector is read back with its document and metadata.
2. The reports of that index are rebuilt from the corpus with the pipeline's own
   ``build_report``, ``make_chunks`` and ``make_facts``, and each chunk is paired with
   its stored vector by chunk id (or, if the pipeline version changed since, by doc id
   and chunk number when the stored text is the same). A report with any chunk
   unpaired is left out, and counted.
3. Every report is written through the real write path as the Ingestor uses it,
   ``Store.replace_reports`` on buffers of ``--buffer-chunks`` chunks (default the
   Ingestor's 128; 1 writes one report a call), first as itself, then
   as copies under new doc ids ``<doc_id>~copy1``, ``~copy2``, … round after round until
   the index holds ``--target-chunks`` chunks (16.6 rounds of the 2k corpus's 6,025
   chunks for 100,000). So Chroma's HNSW index, the FTS5 lexical index and the facts
   tables really hold that many rows.
4. A copy's vectors are its report's vectors plus gaussian noise of norm ≈ ``--noise``
   (default 0.1, cosine ≈ 0.995 to the original), re-normalised, so HNSW is not full of
   exact duplicates. Texts and facts are the originals' unchanged: lexical matches and
   fact lookups find every copy, as they would near-duplicate reports.

The scale index is made and queried with the encoder that made the source's vectors
(its collection records it), whatever GOVQA_EMBEDDING_BACKEND says.

Then, as in ``bench.query``: the real chain (``services.chain``, the path `govqa ask`
takes), one warm-up question per language, then each question answered once — the
questions of ../shared/eval/dev.jsonl and tests/data/heldout.jsonl (fixed) and
``--generated`` questions made by ``bench.questions`` from the original reports — and
p50/p95 of their wall time. Also: build time and rate, peak RSS of the build and of the
whole run, and the index's size on disk.

``--data-dir DIR`` skips the build and measures an index kept earlier with ``--keep``.
Indexes and copies go under the system temp dir or ``--keep``; nothing inside the repo.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import (
    CORPUS,
    TEMP_PREFIX,
    Timer,
    check_outside_repo,
    load_average,
    peak_rss_mb,
    percentile,
    report,
    setup_logging,
)
from bench.query import eval_questions
from bench.questions import generate, load_reports
from bench.scale_build import (
    COPY_MARK,
    ONNX_SUFFIX,
    PROGRESS_EVERY,
    READ_PAGE,
    Source,
    build,
    default_settings,
    index_encoder,
    pair,
    perturb,
    read_vectors,
    services_for,
    versions,
)

# The building part lives in bench.scale_build; its names stay importable from here.
__all__ = [
    "COPY_MARK",
    "ONNX_SUFFIX",
    "PROGRESS_EVERY",
    "READ_PAGE",
    "Source",
    "TARGET_P95_MS",
    "build",
    "default_settings",
    "disk_usage",
    "index_encoder",
    "main",
    "measure",
    "pair",
    "perturb",
    "read_vectors",
    "services_for",
    "versions",
]

TARGET_P95_MS = 250.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--source-index",
        type=Path,
        default=None,
        help="an index of the corpus (bench.ingest --keep)",
    )
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="measure this index, built earlier with --keep"
    )
    parser.add_argument("--target-chunks", type=int, default=100_000, help="chunks to build")
    parser.add_argument(
        "--keep", type=Path, default=None, help="build into this new (empty) dir and keep it"
    )
    parser.add_argument(
        "--noise", type=float, default=0.1, help="norm of the noise added to a copy's vectors"
    )
    parser.add_argument(
        "--buffer-chunks",
        type=int,
        default=None,
        help="chunks a write holds (default: the Ingestor's buffer, 128; 1: one report a write)",
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the corpus of the index")
    parser.add_argument(
        "--generated", type=int, default=40, help="questions generated from the reports"
    )
    parser.add_argument("--seed", type=int, default=11, help="seed of the questions and noise")
    args = parser.parse_args()
    if (args.source_index is None) == (args.data_dir is None):
        parser.error("give either --source-index (to build) or --data-dir (to measure)")
    if args.data_dir is not None and args.keep is not None:
        parser.error("--keep is for building; --data-dir measures an index already built")
    setup_logging()
    from ingest.pipeline import EMBED_BUFFER_CHUNKS

    corpus = args.corpus.resolve()
    figures: dict[str, Any] = {"corpus": str(corpus)}
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix=TEMP_PREFIX) as tmp:
        if args.data_dir is not None:
            data_dir = check_outside_repo(args.data_dir)
            if not (data_dir / "govqa.sqlite3").is_file():
                raise SystemExit(f"no govqa index in {data_dir}")
        else:
            data_dir = Path(tmp) / "scale"
            if args.keep is not None:
                data_dir = check_outside_repo(args.keep)
                if data_dir.exists() and any(data_dir.iterdir()):
                    raise SystemExit(f"--keep needs a new or empty directory: {data_dir} is not")
            source_index = check_outside_repo(args.source_index)
            figures["source_index"] = str(source_index)
            figures.update(
                build(
                    source_index,
                    corpus,
                    data_dir,
                    target=args.target_chunks,
                    noise=args.noise,
                    seed=args.seed,
                    buffer_chunks=args.buffer_chunks or EMBED_BUFFER_CHUNKS,
                    tmp=Path(tmp),
                )
            )
        figures.update(measure(data_dir, corpus, generated=args.generated, seed=args.seed))
        figures.update(disk_usage(data_dir))
        if args.keep is not None:
            figures["kept_data_dir"] = str(data_dir)
    figures["load_average_before_after"] = [load_before, load_average()]
    figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
    figures["target_p95_ms"] = TARGET_P95_MS
    report("scale", figures)


# -- measuring ---------------------------------------------------------------------------


def measure(data_dir: Path, corpus: Path, *, generated: int, seed: int) -> dict[str, Any]:
    """Warm latency of the real chain on the index, as bench.query measures it."""
    services = services_for(data_dir, index_encoder(data_dir, default_settings().store.collection))
    with Timer() as load:
        services.embeddings.encode_query("预热")
        stats = services.store.stats()
    originals = {d for d in services.store.doc_ids() if COPY_MARK not in d}
    with Timer() as gen:
        made = generate(load_reports(corpus, doc_ids=originals), generated, seed=seed)
    fixed, warm_up = eval_questions()
    chain = services.chain
    first_ms = [round(_answer(chain, q)[0], 1) for q in warm_up]
    timings: dict[str, list[tuple[float, float, float]]] = {"fixed": [], "generated": []}
    answered = 0
    for kind, questions in (("fixed", fixed), ("generated", [q.question for q in made])):
        for question in questions:
            total, parts, ok = _answer(chain, question)
            timings[kind].append((total, parts.get("retrieve", 0.0), parts.get("answer", 0.0)))
            answered += ok
    # The query encoder alone, on the same questions: how much of the latency is the
    # model rather than the index (it swings most when other processes share the CPU).
    encode_ms: list[float] = []
    for question in [*fixed, *(q.question for q in made)]:
        started = time.perf_counter()
        services.embeddings.encode_query(question)
        encode_ms.append((time.perf_counter() - started) * 1000)
    every = timings["fixed"] + timings["generated"]
    figures: dict[str, Any] = {
        "encoder": services.settings.embedding.encoder_id,
        "reports": stats["documents"],
        "chunks": stats["chunks"],
        "vectors": services.store.vector_count(),
        **{f"facts_{k}": v for k, v in services.store.fact_counts().items()},
        "model_load_s": round(load.seconds, 2),
        "generate_s": round(gen.seconds, 1),
        "warm_up_questions_ms": first_ms,
        "questions": len(every),
        "questions_fixed": len(timings["fixed"]),
        "questions_generated": len(timings["generated"]),
        "answered": answered,
        "p50_ms": round(percentile([t[0] for t in every], 50), 1),
        "p95_ms": round(percentile([t[0] for t in every], 95), 1),
        "max_ms": round(max((t[0] for t in every), default=0.0), 1),
    }
    for kind, rows in timings.items():
        figures[f"{kind}_p50_ms"] = round(percentile([t[0] for t in rows], 50), 1)
        figures[f"{kind}_p95_ms"] = round(percentile([t[0] for t in rows], 95), 1)
    # Where the time goes: the chain's own split (facts answers count as "retrieve").
    figures["retrieve_p95_ms"] = round(percentile([t[1] for t in every], 95), 1)
    figures["answer_p95_ms"] = round(percentile([t[2] for t in every], 95), 1)
    figures["query_encode_p50_ms"] = round(percentile(encode_ms, 50), 1)
    figures["query_encode_p95_ms"] = round(percentile(encode_ms, 95), 1)
    return figures


def _answer(chain: Any, question: str) -> tuple[float, dict[str, float], bool]:
    """Wall time (ms) of one question through the chain, its own split, and whether
    it was answered."""
    started = time.perf_counter()
    answer = chain.invoke(question)
    total = (time.perf_counter() - started) * 1000
    return total, dict(getattr(answer, "timings_ms", None) or {}), bool(answer.answered)


def disk_usage(data_dir: Path) -> dict[str, Any]:
    """Bytes the index takes on disk (allocated blocks, as du counts them), by part."""

    def allocated(path: Path) -> int:
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        return sum(p.stat().st_blocks * 512 for p in files)

    chroma = allocated(data_dir / "chroma") if (data_dir / "chroma").exists() else 0
    sqlite = sum(allocated(p) for p in data_dir.glob("govqa.sqlite3*"))
    return {
        "disk_chroma_mb": round(chroma / 2**20, 1),
        "disk_sqlite_mb": round(sqlite / 2**20, 1),
        "disk_total_mb": round(allocated(data_dir) / 2**20, 1),
    }


if __name__ == "__main__":
    main()
