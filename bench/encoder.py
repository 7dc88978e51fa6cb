"""int8 ONNX ÷ fp32 torch encoder throughput on the same passages, and what int8 costs.

    .venv/bin/python -m bench.encoder [--corpus PATH] [--limit N] [--questions N]
                                      [--batch-sizes 8,32,64] [--slice N] [--no-variants]

Passages: the chunk texts the pipeline makes (``build_report`` + ``make_chunks``, the
``index_text`` that ingest embeds) for the first ``--limit`` reports of the corpus
(200 reports give about 600 passages).

Headline: the two encoders govqa ships, loaded with ``make_embeddings`` exactly as
``GOVQA_EMBEDDING_BACKEND=torch`` and ``=onnx`` load them (the int8 build is made the
way ``govqa models prepare`` makes it when it is missing), each warmed on one batch,
then ``encode_passages`` on 128 passages a call (the pipeline's buffer), fp32 and int8
alternating slice by slice so that a neighbour's CPU use falls on both alike:
passages/s of each, and their ratio ``int8_to_fp32_throughput`` (target ≥ 1.4).

Variants, each paired the same way with its backend's headline run: int8 without
sorting by length, other batch sizes, and other onnxruntime thread settings (one
intra-op thread; onnxruntime's own default; no spin-waiting; parallel execution with
two inter-op threads); fp32 without sorting and with batch 32. ``*_speedup`` is the
variant's rate ÷ the headline's over the same slices. The int8 variants run the same
model file through a copy of ``OnnxEncoder.encode`` with one knob changed (``int8_copy``
changes none: its speedup should be 1); ``*_min_cosine`` checks that each gives the
headline's vectors (dynamic int8 quantises activations per batch, so batching moves
them a little).

Quality: cosine between the int8 and fp32 vector of each passage (min, mean), and
dense retrieval agreement on questions generated from these reports by
``bench.questions``: exact dot-product search over the passages, fp32 query against
fp32 passages and int8 against int8; hit@1 of each (the first report is a gold one)
and how often both put the same report first.

Nothing is written except the int8 model folder when it is missing (in the model dir).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from bench.common import CORPUS, Timer, load_average, peak_rss_mb, report, setup_logging
from bench.questions import Question, generate, load_reports

TARGET_RATIO = 1.4
PASSAGE_PROMPT = "passage: "


@dataclass(frozen=True)
class Run:
    """One way of encoding passages."""

    name: str  # the figure's prefix: fp32_torch, int8_onnx, int8_unsorted, ...
    encode: Callable[[list[str]], np.ndarray]
    precision: str  # fp32 | int8: whose headline vectors and rate it is compared to
    open: Callable[[list[str]], None] | None = None  # set up and warm (not timed)
    close: Callable[[], None] | None = None  # free what open() took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="a .jsonl of reports")
    parser.add_argument(
        "--limit", type=int, default=200, help="the first N reports (200: ~600 passages)"
    )
    parser.add_argument("--questions", type=int, default=60, help="questions for hit@1")
    parser.add_argument(
        "--batch-sizes",
        default="8,32,64",
        help="int8 batch sizes to try besides the configured one (comma-separated)",
    )
    parser.add_argument(
        "--slice",
        type=int,
        default=None,
        help="passages per encode call (default: the pipeline's buffer, 128)",
    )
    parser.add_argument(
        "--no-variants", action="store_true", help="only the headline figures and quality"
    )
    args = parser.parse_args()
    setup_logging()
    from ingest.pipeline import EMBED_BUFFER_CHUNKS

    corpus = args.corpus.resolve()
    texts, doc_ids = passages(corpus, args.limit)
    figures: dict[str, Any] = {
        "corpus": str(corpus),
        "reports": len(set(doc_ids)),
        "passages": len(texts),
        "mean_passage_chars": round(sum(map(len, texts)) / len(texts), 1),
        "passages_per_call": args.slice or EMBED_BUFFER_CHUNKS,
        "cpu_count": os.cpu_count(),
    }
    fp32, int8, load_figures = load_encoders(texts)
    figures.update(load_figures)
    load_before = load_average()

    size = args.slice or EMBED_BUFFER_CHUNKS
    headline = {
        "fp32": Run("fp32_torch", fp32.encode_passages, "fp32"),
        "int8": Run("int8_onnx", int8.encode_passages, "int8"),
    }
    fp32_time, int8_time = paired(headline["fp32"], headline["int8"], texts, size)
    vectors = {"fp32": fp32_time.stacked(), "int8": int8_time.stacked()}
    figures["fp32_torch_passages_per_s"] = fp32_time.rate(len(texts))
    figures["fp32_torch_cpu_ms_per_passage"] = fp32_time.cpu_ms(len(texts))
    figures["int8_onnx_passages_per_s"] = int8_time.rate(len(texts))
    figures["int8_onnx_cpu_ms_per_passage"] = int8_time.cpu_ms(len(texts))
    ratio = fp32_time.seconds / int8_time.seconds
    figures["int8_to_fp32_throughput"] = round(ratio, 3)
    figures["target_ratio"] = TARGET_RATIO

    if not args.no_variants:
        sizes = [int(s) for s in args.batch_sizes.split(",") if s.strip()]
        folder = Path(load_figures["int8_model"])
        variants = int8_variants(folder, int8.encoder.batch_size, sizes) + fp32_variants(fp32)
        speedups: dict[str, float] = {}
        for run in variants:
            reference_time, run_time = paired(headline[run.precision], run, texts, size)
            speedups[run.name] = reference_time.seconds / run_time.seconds
            cos = np.sum(run_time.stacked() * vectors[run.precision], axis=1)
            figures[f"{run.name}_passages_per_s"] = run_time.rate(len(texts))
            figures[f"{run.name}_speedup"] = round(speedups[run.name], 3)
            figures[f"{run.name}_cpu_ms_per_passage"] = run_time.cpu_ms(len(texts))
            figures[f"{run.name}_min_cosine"] = round(float(cos.min()), 4)
        tried = [r.name for r in variants if r.precision == "int8" and r.name != "int8_copy"]
        if tried:
            best = max(tried, key=lambda name: speedups[name])
            figures["best_int8_variant"] = best
            figures["best_int8_speedup"] = round(speedups[best], 3)
            figures["best_int8_to_fp32_throughput"] = round(ratio * speedups[best], 3)
    figures["load_average_before_after"] = [load_before, load_average()]

    figures.update(cosines(vectors["fp32"], vectors["int8"]))
    questions = generate(load_reports(corpus, limit=args.limit), args.questions, seed=7)
    figures.update(agreement(questions, doc_ids, fp32, vectors["fp32"], int8, vectors["int8"]))
    figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
    report("encoder", figures)


@dataclass
class Timing:
    """Wall and CPU seconds a run spent over all the slices, and its vectors by slice."""

    seconds: float = 0.0
    cpu_seconds: float = 0.0
    parts: list[np.ndarray] = field(default_factory=list)

    def rate(self, passages: int) -> float:
        return round(passages / self.seconds, 2)

    def cpu_ms(self, passages: int) -> float:
        return round(self.cpu_seconds / passages * 1000, 1)

    def stacked(self) -> np.ndarray:
        return np.concatenate(self.parts)


def paired(a: Run, b: Run, texts: list[str], size: int) -> tuple[Timing, Timing]:
    """Both runs over the same passages, ``size`` at a time, alternating slice by slice
    (a then b, then b then a), so that whatever else the machine does in the meantime
    falls on both alike. The CPU time is this process's, all threads."""
    for run in (a, b):
        if run.open is not None:
            run.open(texts)
    timings = {a.name: Timing(), b.name: Timing()}
    for n, start in enumerate(range(0, len(texts), size)):
        part = texts[start : start + size]
        for run in (a, b) if n % 2 == 0 else (b, a):
            with Timer() as timer:
                out = np.asarray(run.encode(part))
            timing = timings[run.name]
            timing.seconds += timer.seconds
            timing.cpu_seconds += timer.cpu_seconds
            timing.parts.append(out)
    for run in (a, b):
        if run.close is not None:
            run.close()
    ta, tb = timings[a.name], timings[b.name]
    print(
        f"  {a.name} {ta.rate(len(texts))} vs {b.name} {tb.rate(len(texts))} passages/s",
        file=sys.stderr,
        flush=True,
    )
    return ta, tb


def passages(corpus: Path, limit: int) -> tuple[list[str], list[str]]:
    """The passages the pipeline embeds for the first ``limit`` reports, and their doc ids."""
    from ingest.loaders import load_file
    from ingest.pipeline import build_report, make_chunks

    texts: list[str] = []
    doc_ids: list[str] = []
    for n, raw in enumerate(load_file(corpus)):
        if n >= limit:
            break
        doc_id = raw.key or corpus.name
        built = build_report(raw, doc_id=doc_id, file=corpus.name, source=str(corpus))
        for chunk in make_chunks(built):
            texts.append(chunk.index_text)
            doc_ids.append(doc_id)
    if not texts:
        raise SystemExit(f"no passages in the first {limit} reports of {corpus}")
    return texts, doc_ids


def load_encoders(texts: list[str]) -> tuple[Any, Any, dict[str, Any]]:
    """fp32 (torch) and int8 (onnx) embeddings as govqa loads them, each warmed on a batch."""
    from govqa.backends import embedding_config
    from govqa.settings import EmbeddingSettings, load_settings
    from models.onnx_export import ONNX_FOLDER
    from retrieval.embeddings import make_embeddings

    def settings(backend: Literal["torch", "onnx"]) -> EmbeddingSettings:
        return load_settings(env_file=None, embedding={"backend": backend}).embedding

    torch_settings, onnx_settings = settings("torch"), settings("onnx")
    int8_folder = onnx_settings.resolved_model_dir / ONNX_FOLDER
    existed = (int8_folder / "model.onnx").is_file()
    warm = texts[: torch_settings.batch_size]
    started = time.perf_counter()
    fp32 = make_embeddings(embedding_config(torch_settings))
    fp32.encode_passages(warm)
    fp32_load = time.perf_counter() - started
    started = time.perf_counter()
    int8 = make_embeddings(
        embedding_config(onnx_settings), progress=lambda m: print(m, file=sys.stderr)
    )
    int8.encode_passages(warm)
    int8_load = time.perf_counter() - started
    return (
        fp32,
        int8,
        {
            "batch_size": torch_settings.batch_size,
            "torch_threads": _torch_threads(),
            "fp32_load_s": round(fp32_load, 2),
            "int8_load_s": round(int8_load, 2),
            "int8_built_now": not existed,
            "int8_model": str(int8_folder),
        },
    )


class Int8Variant:
    """``OnnxEncoder.encode`` with its knobs exposed: session threads, batch size, sorting.

    A copy of retrieval/onnx_model.py's loop (tokenise all, sort by token count, pad per
    batch, run, mean-pool, L2-normalise), so that one knob can change at a time. The
    session exists only between :meth:`open` and :meth:`close`: each holds its own
    copy of the weights and memory arena, and a dozen at once would take gigabytes.
    """

    def __init__(
        self, folder: Path, tokenizer: Any, *, batch_size: int, sort: bool, **options: Any
    ) -> None:
        self.folder = folder
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        self.sort = sort
        self.options = options
        self.session: Any = None

    def open(self, texts: list[str]) -> None:
        """Create the session and warm it on one batch of ``texts``."""
        self.session = _session(self.folder, **self.options)
        self(texts[: self.batch_size])

    def close(self) -> None:
        self.session = None

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch([PASSAGE_PROMPT + t for t in texts])
        order = list(range(len(texts)))
        if self.sort:
            order.sort(key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            width = max(len(encodings[i].ids) for i in batch)
            ids = np.full((len(batch), width), 1, dtype=np.int64)  # 1 = <pad>
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            (hidden,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
            pooled = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            out[batch] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return out


def _session(
    folder: Path, *, intra: int, inter: int = 0, spinning: bool = True, parallel: bool = False
) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = intra
    options.inter_op_num_threads = inter
    if parallel:
        options.execution_mode = ort.ExecutionMode.ORT_PARALLEL
    if not spinning:
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(
        str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
    )


def int8_variants(folder: Path, configured: int, sizes: Sequence[int]) -> list[Run]:
    """The int8 model with one knob changed at a time."""
    from tokenizers import Tokenizer

    from retrieval.onnx_model import MAX_TOKENS

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    cores = os.cpu_count() or 1
    # name → (session options, batch size, sorted by length). int8_copy is OnnxEncoder's
    # own configuration through the copy: its rate should match int8_onnx's.
    plan: dict[str, tuple[dict[str, Any], int, bool]] = {
        "int8_copy": ({"intra": cores}, configured, True),
        "int8_unsorted": ({"intra": cores}, configured, False),
        **{f"int8_batch_{b}": ({"intra": cores}, b, True) for b in sizes if b != configured},
        "int8_intra_1": ({"intra": 1}, configured, True),
        "int8_ort_default_threads": ({"intra": 0}, configured, True),
        "int8_no_spinning": ({"intra": cores, "spinning": False}, configured, True),
        "int8_parallel_inter_2": ({"intra": cores, "inter": 2, "parallel": True}, configured, True),
    }
    runs: list[Run] = []
    for name, (options, batch_size, ordered) in plan.items():
        variant = Int8Variant(folder, tokenizer, batch_size=batch_size, sort=ordered, **options)
        runs.append(Run(name, variant, "int8", open=variant.open, close=variant.close))
    return runs


def fp32_variants(fp32: Any) -> list[Run]:
    """fp32 without sorting (one batch a call, in input order) and with batch 32.

    sentence-transformers sorts a call's texts by length itself, so one call a batch is
    the only way to see what sorting saves it.
    """
    configured = fp32.batch_size

    def unsorted(texts: list[str]) -> np.ndarray:
        return np.concatenate(
            [
                fp32.encode_passages(texts[i : i + configured])
                for i in range(0, len(texts), configured)
            ]
        )

    def batch_32(texts: list[str]) -> np.ndarray:
        fp32.batch_size = 32
        try:
            return np.asarray(fp32.encode_passages(texts))
        finally:
            fp32.batch_size = configured

    runs = [Run("fp32_unsorted", unsorted, "fp32")]
    if configured != 32:
        runs.append(Run("fp32_batch_32", batch_32, "fp32"))
    return runs


def cosines(fp32: np.ndarray, int8: np.ndarray) -> dict[str, Any]:
    """How close each passage's int8 vector is to its fp32 vector."""
    cos = np.sum(fp32 * int8, axis=1)
    return {
        "int8_fp32_cosine_min": round(float(cos.min()), 4),
        "int8_fp32_cosine_mean": round(float(cos.mean()), 4),
        "int8_fp32_cosine_p5": round(float(np.percentile(cos, 5)), 4),
    }


def agreement(
    questions: Sequence[Question],
    doc_ids: Sequence[str],
    fp32: Any,
    fp32_vectors: np.ndarray,
    int8: Any,
    int8_vectors: np.ndarray,
) -> dict[str, Any]:
    """Dense hit@1 of each encoder against its own passage vectors, and top-1 agreement."""
    if not questions:
        return {"questions": 0}

    def first_report(query: np.ndarray, vectors: np.ndarray) -> str:
        return doc_ids[int(np.argmax(vectors @ query))]

    fp32_hits = int8_hits = same = 0
    for question in questions:
        a = first_report(fp32.encode_query(question.question), fp32_vectors)
        b = first_report(int8.encode_query(question.question), int8_vectors)
        fp32_hits += a in question.gold
        int8_hits += b in question.gold
        same += a == b
    n = len(questions)
    return {
        "questions": n,
        "fp32_dense_hit@1": round(fp32_hits / n, 3),
        "int8_dense_hit@1": round(int8_hits / n, 3),
        "same_first_report": round(same / n, 3),
    }


def _torch_threads() -> int:
    import torch

    return int(torch.get_num_threads())


if __name__ == "__main__":
    main()
