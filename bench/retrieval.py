"""Dense only, lexical only and hybrid retrieval on questions generated from the 2k corpus.

    .venv/bin/python -m bench.retrieval [--corpus PATH] [--data-dir DIR] [--limit N]
                                        [--questions N] [--seed S]

Questions come from ``bench.questions`` (how they are built and their limits are
described there); they are written to a temp file outside the repository. Each is run
through ``HybridRetriever(k=20)``: its dense and lexical rankings are computed once,
then fused as "dense" (the dense ranking alone), "lexical" (the lexical one alone) and
"hybrid" (both, with govqa's default weights); the retrieved chunks are reduced to
reports (first occurrence kept), and a question is a hit@k when one of its gold reports
is among the first k reports. Region and year boosts apply in every mode.

``--sweep`` adds one hybrid row per dense weight from 0.0 to 1.0 (lexical weight 1):
the numbers behind the default ``GOVQA_DENSE_WEIGHT``.
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

SWEEP = tuple(round(0.1 * i, 1) for i in range(11))
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
    parser.add_argument(
        "--sweep", action="store_true", help="also score hybrid at dense weights 0.0 … 1.0"
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
        modes = make_modes(services.settings.retrieval, args.sweep)
        figures.update(score(services, questions, modes))
        figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
        print_table(figures, list(modes), sorted({q.type for q in questions}))
        report("retrieval", figures)


def make_modes(tuning: Any, sweep: bool) -> dict[str, tuple[float, float]]:
    """Mode name → (dense weight, lexical weight)."""
    modes = {
        "dense": (1.0, 0.0),
        "lexical": (0.0, 1.0),
        "hybrid": (tuning.dense_weight, tuning.lexical_weight),
    }
    if sweep:
        modes.update({f"d={w:.1f}": (w, 1.0) for w in SWEEP})
    return modes


def score(
    services: Any, questions: list[Question], modes: dict[str, tuple[float, float]]
) -> dict[str, Any]:
    """hit@1 and hit@5 per mode, overall and per question type."""
    from retrieval.retriever import HybridRetriever

    def retriever(dense: float, lexical: float) -> HybridRetriever:
        return HybridRetriever(
            store=services.store,
            embeddings=services.embeddings,
            analyzer=services.analyzer,
            k=K,
            dense_weight=dense,
            lexical_weight=lexical,
        )

    both = retriever(1.0, 1.0)
    fusers = {mode: retriever(*weights) for mode, weights in modes.items()}
    ranks: dict[str, list[tuple[str, int | None]]] = {mode: [] for mode in modes}
    for question in questions:
        query = services.analyzer.analyze(question.question)
        dense, lexical = both.rankings(query)
        for mode, fuser in fusers.items():
            documents = fuser.fuse(
                query,
                dense if fuser.dense_weight > 0 else [],
                lexical if fuser.lexical_weight > 0 else [],
            )
            reports = list(dict.fromkeys(d.metadata["doc_id"] for d in documents))
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
    return figures


def print_table(figures: dict[str, Any], modes: list[str], kinds: list[str]) -> None:
    columns = [f"hit@{k}" for k in HITS_AT] + [f"{kind} hit@{k}" for kind in kinds for k in HITS_AT]
    print(f"{'mode':8}" + "".join(f"{c:>16}" for c in columns))
    for mode in modes:
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
