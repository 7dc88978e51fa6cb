"""Dense only, lexical only and hybrid retrieval on questions generated from the 2k corpus.

    .venv/bin/python -m bench.retrieval [--corpus PATH] [--data-dir DIR] [--limit N]
                                        [--questions N] [--seed S]

Questions come from ``bench.questions`` (how they are built and their limits are
described there); they are written to a temp file outside the repository. Each is run
through ``HybridRetriever(k=20)`` with weights (dense, lexical) = (1, 0), (0, 1) and
(1, 1); the retrieved chunks are reduced to reports (first occurrence kept), and a
question is a hit@k when one of its gold reports is among the first k reports.

With a zero weight the retriever still returns the chunks that only the zero-weighted
ranking found, scored 0, after the others (RRF adds ``0 / (60 + rank)``); those are
dropped here so that "lexical only" is not padded with dense results and vice versa.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import IO, Any

from bench.common import (
    CORPUS,
    TEMP_PREFIX,
    Timer,
    check_outside_repo,
    corpus_slice,
    ingest,
    make_services,
    peak_rss_mb,
    report,
    setup_logging,
)
from bench.questions import Question, generate, load_reports, to_json

MODES = {"dense": (1.0, 0.0), "lexical": (0.0, 1.0), "hybrid": (1.0, 1.0)}
K = 20
HITS_AT = (1, 5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="a .jsonl of reports")
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="an index of the corpus (bench.ingest --keep)"
    )
    parser.add_argument(
        "--limit", type=int, default=None, help="without --data-dir: ingest the first N reports"
    )
    parser.add_argument("--questions", type=int, default=200, help="how many to generate")
    parser.add_argument("--seed", type=int, default=7, help="seed of the report sample")
    parser.add_argument(
        "--out", type=Path, default=None, help="where to save the questions (outside the repo)"
    )
    args = parser.parse_args()
    setup_logging()

    with tempfile.TemporaryDirectory(prefix=TEMP_PREFIX) as tmp:
        corpus = args.corpus.resolve()
        if args.data_dir is not None:
            data_dir = check_outside_repo(args.data_dir)
            services = make_services(data_dir)
            ingest_s = 0.0
        else:
            data_dir = Path(tmp) / "data"
            services = make_services(data_dir)
            with Timer() as t:
                ingest(services, [corpus_slice(corpus, args.limit, Path(tmp))])
            ingest_s = t.seconds
        stored = services.store.doc_ids()
        if not stored:
            raise SystemExit(f"no reports in {data_dir}")

        with Timer() as gen:
            sources = load_reports(corpus, doc_ids=stored)
            questions = generate(sources, args.questions, seed=args.seed)
        out = _save(questions, args.out)
        figures: dict[str, Any] = {
            "reports_indexed": len(stored),
            "reports_sampled_from": len(sources),
            "questions": len(questions),
            "questions_by_type": dict(Counter(q.type for q in questions)),
            "questions_file": str(out),
            "generate_s": round(gen.seconds, 2),
        }
        if ingest_s:
            figures["ingest_s_with_model_load"] = round(ingest_s, 1)
        figures.update(score(services, questions))
        figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
        print_table(figures, sorted({q.type for q in questions}))
        report("retrieval", figures)


def score(services: Any, questions: list[Question]) -> dict[str, Any]:
    """hit@1 and hit@5 per mode, overall and per question type."""
    from retrieval.retriever import HybridRetriever

    retrievers = {
        mode: HybridRetriever(
            store=services.store,
            embeddings=services.embeddings,
            analyzer=services.analyzer,
            k=K,
            dense_weight=dense,
            lexical_weight=lexical,
        )
        for mode, (dense, lexical) in MODES.items()
    }
    ranks: dict[str, list[tuple[str, int | None]]] = {mode: [] for mode in MODES}
    padded = dict.fromkeys(MODES, 0)
    for question in questions:
        query = services.analyzer.analyze(question.question)
        for mode, retriever in retrievers.items():
            documents = retriever.retrieve(query)
            kept = [d for d in documents if d.metadata["score"] > 0]
            padded[mode] += len(kept) < len(documents)
            reports = list(dict.fromkeys(d.metadata["doc_id"] for d in kept))
            rank = next((i + 1 for i, doc in enumerate(reports) if doc in question.gold), None)
            ranks[mode].append((question.type, rank))

    figures: dict[str, Any] = {}
    for mode, rows in ranks.items():
        for k in HITS_AT:
            figures[f"{mode}_hit@{k}"] = _hit_rate([r for _, r in rows], k)
        for kind in sorted({t for t, _ in rows}):
            for k in HITS_AT:
                mine = [r for t, r in rows if t == kind]
                figures[f"{mode}_{kind}_hit@{k}"] = _hit_rate(mine, k)
    figures["questions_with_zero_weight_padding"] = padded
    return figures


def print_table(figures: dict[str, Any], kinds: list[str]) -> None:
    columns = [f"hit@{k}" for k in HITS_AT] + [f"{kind} hit@{k}" for kind in kinds for k in HITS_AT]
    print(f"{'mode':8}" + "".join(f"{c:>16}" for c in columns))
    for mode in MODES:
        keys = [f"{mode}_hit@{k}" for k in HITS_AT] + [
            f"{mode}_{kind}_hit@{k}" for kind in kinds for k in HITS_AT
        ]
        print(f"{mode:8}" + "".join(f"{figures[key]:>16.3f}" for key in keys))


def _hit_rate(ranks: list[int | None], k: int) -> float:
    if not ranks:
        return 0.0
    return round(sum(1 for r in ranks if r is not None and r <= k) / len(ranks), 3)


def _save(questions: list[Question], out: Path | None) -> Path:
    """Write the questions as JSON lines to ``out`` or a new temp file; return its path."""
    fh: IO[str]
    if out is None:
        fh = tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", prefix="govqa-bench-questions-", suffix=".jsonl", delete=False
        )
    else:
        fh = check_outside_repo(out).open("w", encoding="utf-8")
    with fh:
        for question in questions:
            fh.write(json.dumps(to_json(question), ensure_ascii=False) + "\n")
    return Path(fh.name)


if __name__ == "__main__":
    main()
