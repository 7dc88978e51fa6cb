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
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

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

COPY_MARK = "~copy"
ONNX_SUFFIX = "+onnx-int8"  # what Settings.encoder_id appends for the onnx backend
TARGET_P95_MS = 250.0
READ_PAGE = 5000  # vectors read back from Chroma per call
PROGRESS_EVERY = 2000  # chunks between progress lines while building


@dataclass(frozen=True)
class Source:
    """One real report of the source index, ready to be written again."""

    report: Any  # ingest.types.Report
    chunks: list[Any]  # ingest.types.Chunk
    vectors: np.ndarray  # one row a chunk, as stored
    facts: Any  # ingest.facts.Facts


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


# -- building ----------------------------------------------------------------------------


def build(
    source_index: Path,
    corpus: Path,
    data_dir: Path,
    *,
    target: int,
    noise: float,
    seed: int,
    buffer_chunks: int,
    tmp: Path,
) -> dict[str, Any]:
    """Write the source index's reports, then noisy copies, until ``target`` chunks."""
    collection = default_settings().store.collection
    with Timer() as read:
        stored, encoder = read_vectors(source_index, collection, tmp)
        sources, unpaired, by_text = pair(corpus, stored)
    # No model is loaded here: the store needs only the encoder's name.
    services = services_for(data_dir, encoder)
    if not sources:
        raise SystemExit(f"no report of {corpus} pairs with the vectors in {source_index}")
    source_chunks = sum(len(s.chunks) for s in sources)
    print(
        f"read {len(stored)} vectors, {len(sources)} reports ({source_chunks} chunks) "
        f"in {read.seconds:.0f} s; building {target} chunks",
        file=sys.stderr,
        flush=True,
    )

    store = services.store
    rng = np.random.default_rng(seed)
    written = reports = copies = 0
    copy_cosines: list[float] = []
    next_progress = PROGRESS_EVERY
    buffer: list[tuple[Any, list[Any], list[list[float]], Any]] = []
    started = time.perf_counter()
    with Timer() as write:
        for report_, chunks, vectors, facts in versions(sources, target):
            if COPY_MARK in report_.doc_id:
                moved = perturb(vectors, noise, rng)
                copy_cosines.extend(np.sum(moved * vectors, axis=1).tolist())
                vectors = moved
                copies += 1
            buffer.append((report_, chunks, vectors.tolist(), facts))
            if sum(len(item[1]) for item in buffer) < buffer_chunks:
                continue
            # As the Ingestor writes: a buffer of reports in one call, one Chroma add.
            store.replace_reports(buffer)
            written += sum(len(item[1]) for item in buffer)
            reports += len(buffer)
            buffer = []
            if written >= next_progress:
                rate = written / (time.perf_counter() - started)
                left = (target - written) / rate / 60
                print(
                    f"  {written} chunks, {rate:.1f} chunks/s, about {left:.0f} min to go",
                    file=sys.stderr,
                    flush=True,
                )
                next_progress += PROGRESS_EVERY
        if buffer:
            store.replace_reports(buffer)
            written += sum(len(item[1]) for item in buffer)
            reports += len(buffer)
    figures: dict[str, Any] = {
        "source_vectors": len(stored),
        "source_reports": len(sources),
        "source_chunks": source_chunks,
        "source_reports_unpaired": unpaired,
        "source_reports_paired_by_text": by_text,
        "noise": noise,
        "copy_cosine_to_original_mean": round(float(np.mean(copy_cosines or [1.0])), 4),
        "copy_cosine_to_original_min": round(float(np.min(copy_cosines or [1.0])), 4),
        "read_back_s": round(read.seconds, 1),
        "build_chunks_per_write": buffer_chunks,
        "build_reports_written": reports,
        "build_copies_written": copies,
        "build_chunks_written": written,
        "build_s": round(write.seconds, 1),
        "build_chunks_per_s": round(written / write.seconds, 1),
        "build_cpu_s": round(write.cpu_seconds, 1),
        "build_peak_rss_mb": round(peak_rss_mb(), 1),
    }
    with Timer() as audit:
        problems = store.audit()
    figures["audit_problems"] = len(problems)
    figures["audit_s"] = round(audit.seconds, 1)
    if problems:
        print(f"warning: the built index has problems: {problems[:5]}", file=sys.stderr)
    store.close()
    return figures


def read_vectors(
    source_index: Path, collection: str, tmp: Path
) -> tuple[dict[str, tuple[np.ndarray, str, dict[str, Any]]], str | None]:
    """chunk id → (vector, document, metadata) of a copy of the source index's Chroma,
    and the encoder the collection records."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    if not (source_index / "chroma").is_dir():
        raise SystemExit(f"no Chroma folder in {source_index} (make it with bench.ingest --keep)")
    copy = tmp / "source-chroma"
    shutil.copytree(source_index / "chroma", copy)
    client = chromadb.PersistentClient(
        path=str(copy), settings=ChromaSettings(anonymized_telemetry=False)
    )
    try:
        col = client.get_collection(collection)
    except Exception as e:  # chromadb raises its own NotFoundError, or ValueError
        raise SystemExit(f"no collection {collection!r} in {source_index}: {e}") from e
    stored: dict[str, tuple[np.ndarray, str, dict[str, Any]]] = {}
    total = col.count()
    for offset in range(0, total, READ_PAGE):
        got = col.get(
            include=["embeddings", "documents", "metadatas"], limit=READ_PAGE, offset=offset
        )
        embeddings = got["embeddings"]
        if embeddings is None:
            raise SystemExit(f"Chroma returned no vectors from {source_index}")
        for i, vector, document, meta in zip(
            got["ids"],
            list(embeddings),
            got["documents"] or [],
            got["metadatas"] or [],
            strict=True,
        ):
            stored[i] = (np.asarray(vector, dtype=np.float32), document or "", dict(meta or {}))
    encoder = (col.metadata or {}).get("encoder")
    return stored, str(encoder) if encoder else None


def pair(
    corpus: Path, stored: dict[str, tuple[np.ndarray, str, dict[str, Any]]]
) -> tuple[list[Source], int, int]:
    """The source index's reports rebuilt from the corpus, each chunk with its stored
    vector; and how many reports could not be paired, and how many paired by text."""
    from ingest.loaders import load_file
    from ingest.pipeline import build_report, make_chunks, make_facts
    from retrieval.store import chunk_id

    by_position: dict[tuple[str, int], str] = {}
    files: dict[str, str] = {}
    stored_chunks: Counter[str] = Counter()
    for i, (_, _, meta) in stored.items():
        doc_id = str(meta.get("doc_id"))
        by_position[(doc_id, int(meta.get("chunk_no", -1)))] = i
        files[doc_id] = str(meta.get("file") or corpus.name)
        stored_chunks[doc_id] += 1
    sources: list[Source] = []
    unpaired = by_text = 0
    for raw in load_file(corpus):
        doc_id = raw.key or corpus.name
        if doc_id not in files:
            continue
        report_ = build_report(raw, doc_id=doc_id, file=files[doc_id], source=str(corpus))
        chunks = make_chunks(report_)
        ids: list[str] = []
        texts_only = False
        for chunk in chunks:
            exact = chunk_id(doc_id, report_.content_hash, chunk.chunk_no)
            same_place = by_position.get((doc_id, chunk.chunk_no))
            if exact in stored:
                ids.append(exact)
            elif same_place is not None and stored[same_place][1] == chunk.text:
                ids.append(same_place)
                texts_only = True
        if not chunks or len(ids) != len(chunks) or stored_chunks[doc_id] != len(chunks):
            unpaired += 1
            continue
        by_text += texts_only
        vectors = np.stack([stored[i][0] for i in ids])
        sources.append(Source(report_, chunks, vectors, make_facts(report_)))
    return sources, unpaired, by_text


def versions(
    sources: Sequence[Source], target: int
) -> Iterator[tuple[Any, list[Any], np.ndarray, Any]]:
    """(report, chunks, vectors, facts) to write: every report as itself, then round
    after round of copies under new doc ids, until ``target`` chunks."""
    written = 0
    round_no = 0
    while written < target:
        for source in sources:
            if written >= target:
                return
            report_, chunks = source.report, source.chunks
            if round_no:
                doc_id = f"{report_.doc_id}{COPY_MARK}{round_no}"
                report_ = replace(report_, doc_id=doc_id)
                chunks = [replace(c, doc_id=doc_id) for c in chunks]
            yield report_, chunks, source.vectors, source.facts
            written += len(chunks)
        round_no += 1


def perturb(vectors: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    """Each row plus gaussian noise of expected norm ``noise``, re-normalised."""
    moved = vectors + rng.normal(0.0, noise / np.sqrt(vectors.shape[1]), vectors.shape)
    return (moved / np.linalg.norm(moved, axis=1, keepdims=True)).astype(np.float32)


def default_settings() -> Any:
    """govqa's settings as the benchmarks use them (GOVQA_* variables apply, no .env)."""
    from govqa.settings import load_settings

    return load_settings(env_file=None)


def services_for(data_dir: Path, encoder: str | None) -> Any:
    """Services on ``data_dir`` with the encoder that made ``encoder``'s vectors, whatever
    GOVQA_EMBEDDING_BACKEND says: questions must be embedded by the model that embedded
    the chunks (and the store refuses any other)."""
    from govqa.services import build_services
    from govqa.settings import load_settings

    settings = load_settings(env_file=None, store={"data_dir": data_dir})
    if encoder and encoder != settings.embedding.encoder_id:
        settings = load_settings(
            env_file=None,
            store={"data_dir": data_dir},
            embedding={
                "model": encoder.removesuffix(ONNX_SUFFIX),
                "backend": "onnx" if encoder.endswith(ONNX_SUFFIX) else "torch",
            },
        )
        if settings.embedding.encoder_id != encoder:
            raise SystemExit(f"cannot load the encoder {encoder!r} that made the vectors")
    return build_services(settings)


def index_encoder(data_dir: Path, collection: str) -> str | None:
    """The encoder a govqa index's collection records (None if it records none)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(
        path=str(data_dir / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    try:
        metadata = client.get_collection(collection).metadata or {}
    except Exception as e:  # chromadb raises its own NotFoundError, or ValueError
        raise SystemExit(f"no collection {collection!r} in {data_dir}: {e}") from e
    encoder = metadata.get("encoder")
    return str(encoder) if encoder else None


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
