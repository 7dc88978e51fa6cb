"""Building the scale index of ``bench.scale`` from a source index's real reports and
vectors (steps 1–4 of its docstring), and the services that open it."""

from __future__ import annotations

import shutil
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import Timer, peak_rss_mb

COPY_MARK = "~copy"
ONNX_SUFFIX = "+onnx-int8"  # what Settings.encoder_id appends for the onnx backend
READ_PAGE = 5000  # vectors read back from Chroma per call
PROGRESS_EVERY = 2000  # chunks between progress lines while building


@dataclass(frozen=True)
class Source:
    """One real report of the source index, ready to be written again."""

    report: Any  # ingest.types.Report
    chunks: list[Any]  # ingest.types.Chunk
    vectors: np.ndarray  # one row a chunk, as stored
    facts: Any  # ingest.facts.Facts


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
