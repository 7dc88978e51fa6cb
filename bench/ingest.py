"""Ingest throughput against raw encoder throughput on the same passages.

    .venv/bin/python -m bench.ingest [--corpus PATH] [--limit N] [--keep DIR] [--buffered]

(a) raw: passages/s of ``encode_passages`` on exactly the chunk texts the pipeline makes
    for the reports, in one call (the encoder at its best: it sorts by length itself);
(b) ingest: chunks/s of a real ``Ingestor.run`` of the same reports into a new store
    (load, clean, chunk, facts, embed in buffers, Chroma + SQLite writes).
The ratio (b) ÷ (a) is the share of encoder speed that ingest keeps (target ≥ 0.9);
the share of (b)'s wall time spent grouping republished copies is printed beside it
(target ≤ 3 %: issue 16).
The model is loaded and warmed, and jieba's dictionary loaded, before anything is timed.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from bench.common import (
    CORPUS,
    TEMP_PREFIX,
    Timer,
    check_outside_repo,
    corpus_slice,
    ingest,
    load_average,
    make_services,
    peak_rss_mb,
    report,
    setup_logging,
    timed_grouping,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="a .jsonl of reports")
    parser.add_argument("--limit", type=int, default=None, help="only the first N reports")
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="ingest into this new (empty) data dir and keep it for bench.query/bench.retrieval",
    )
    parser.add_argument(
        "--buffered",
        action="store_true",
        help="also time the encoder on the pipeline's own batches (128+ chunks a call)",
    )
    args = parser.parse_args()
    setup_logging()

    with tempfile.TemporaryDirectory(prefix=TEMP_PREFIX) as tmp:
        source = corpus_slice(args.corpus.resolve(), args.limit, Path(tmp))
        data_dir = Path(tmp) / "data"
        if args.keep is not None:
            data_dir = check_outside_repo(args.keep)
            if data_dir.exists() and any(data_dir.iterdir()):
                raise SystemExit(f"--keep needs a new or empty directory: {data_dir} is not")
        figures: dict[str, object] = {"corpus": str(args.corpus), "limit": args.limit}
        figures.update(measure(source, data_dir, buffered=args.buffered))
        if args.keep is not None:
            figures["kept_data_dir"] = str(data_dir)
        report("ingest", figures)


def measure(source: Path, data_dir: Path, *, buffered: bool) -> dict[str, object]:
    from ingest.loaders import load_file
    from ingest.pipeline import EMBED_BUFFER_CHUNKS, build_report, make_chunks

    services = make_services(data_dir)
    with Timer() as load:
        embeddings = services.embeddings
        embeddings.encode_passages(["passage warm-up", "预热一下编码器"])
    services.store  # noqa: B018 - open Chroma and SQLite before timing
    services.tokenizer.tokens("预热分词")  # jieba's dictionary loads once, here

    # The passages exactly as the pipeline makes them, report by report.
    per_report: list[list[str]] = []
    for raw in load_file(source):
        report_ = build_report(
            raw, doc_id=raw.key or source.name, file=source.name, source=str(source)
        )
        per_report.append([c.index_text for c in make_chunks(report_)])
    texts = [t for chunks in per_report for t in chunks]

    load_before = load_average()
    with Timer() as raw_time:
        embeddings.encode_passages(texts)
    raw_rate = len(texts) / raw_time.seconds
    figures: dict[str, object] = {
        "encoder": services.settings.embedding.model,
        "batch_size": services.settings.embedding.batch_size,
        "torch_threads": _torch_threads(),
        "cpu_count": os.cpu_count(),
        "model_load_s": round(load.seconds, 2),
        "reports": len(per_report),
        "passages": len(texts),
        "raw_encode_s": round(raw_time.seconds, 2),
        "raw_passages_per_s": round(raw_rate, 2),
    }
    if buffered:
        with Timer() as buffered_time:
            batch: list[str] = []
            for chunks in per_report:
                batch.extend(chunks)
                if len(batch) >= EMBED_BUFFER_CHUNKS:
                    embeddings.encode_passages(batch)
                    batch = []
            if batch:
                embeddings.encode_passages(batch)
        figures["raw_buffered_passages_per_s"] = round(len(texts) / buffered_time.seconds, 2)

    with timed_grouping() as grouping, Timer() as wall:
        summary = ingest(services, [source])
    ingest_rate = summary.chunks_added / wall.seconds
    # The same ratio from CPU time: steadier when another process competes for the CPU.
    cpu_ratio = (summary.chunks_added / wall.cpu_seconds) / (len(texts) / raw_time.cpu_seconds)
    if summary.chunks_added != len(texts):
        print(f"warning: ingest made {summary.chunks_added} chunks, raw had {len(texts)}")
    figures.update(
        {
            "ingest_reports": summary.added + summary.updated,
            "ingest_failed": len(summary.failed),
            "ingest_chunks": summary.chunks_added,
            "ingest_wall_s": round(wall.seconds, 2),
            "ingest_chunks_per_s": round(ingest_rate, 2),
            "ingest_to_raw_ratio": round(ingest_rate / raw_rate, 3),
            "target_ratio": 0.9,
            "ingest_to_raw_ratio_cpu": round(cpu_ratio, 3),
            "raw_cpu_s": round(raw_time.cpu_seconds, 1),
            "ingest_cpu_s": round(wall.cpu_seconds, 1),
            # Republished-copy grouping inside the write path (Groups.assign): its share
            # of the ingest's wall time is what ingest would gain without it.
            "grouping_s": round(grouping.seconds, 2),
            "grouping_share_of_ingest": round(grouping.seconds / wall.seconds, 4),
            "load_average_before_after": [load_before, load_average()],
            "peak_rss_mb": round(peak_rss_mb(), 1),
        }
    )
    return figures


def _torch_threads() -> int:
    import torch

    return int(torch.get_num_threads())


if __name__ == "__main__":
    main()
