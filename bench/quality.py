"""Answer quality on questions govqa was not tuned on, beside the simplest baseline.

    .venv/bin/python -m bench.quality --data-dir /tmp/govqa-bench-quality

The index holds the practice reports, the 2k corpus and the seeds (built on first use,
about ten minutes; ``bench.train_answerer`` uses the same one). Measured in one run:

- the **validation half** of ``crud_practice.jsonl`` (split by report; the answerer's
  models are fitted on the other half), scored strictly as ``govqa eval --strict``:
  correct, answerable questions refused, wrong direct answers, the right report cited
  first / among the first five, latency;
- the same questions for a character-bigram BM25 over 300-character chunks
  (``bench.baseline``): does its top chunk hold the gold string (a loose score: a
  chunk is no direct answer), is it from the right report, is the right report among
  its first five;
- generated unanswerable questions (``bench.unanswerable``): the share refused, for
  those made from validation questions (held out) and for all;
- the English questions of ``tests/data/english.jsonl`` and the dev set;
- the calibration curve: answers by confidence bucket, and how many were right.

Prints ``name: value`` lines and one JSON line, as every bench script does.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bench.common import REPO, check_outside_repo, report, setup_logging
from bench.train_answerer import CORPORA, PRACTICE, ensure_index

ENGLISH = REPO / "tests/data/english.jsonl"
DEV = (REPO / "../shared/eval/dev.jsonl").resolve()


def _baseline(items: list[Any]) -> dict[str, float]:
    from bench.baseline import BigramBM25
    from ingest.script import to_simplified

    reports = []
    for corpus in CORPORA:
        for line in corpus.read_text(encoding="utf-8").splitlines():
            if line.strip():
                data = json.loads(line)
                reports.append((data["id"], to_simplified(data.get("text", ""))))
    bm25 = BigramBM25(reports)
    holds = first = five = 0
    for item in items:
        top = bm25.search(to_simplified(item.question), k=5)
        gold = ["".join(to_simplified(a).split()) for a in item.answers]
        if top and any(g in "".join(top[0][1].split()) for g in gold):
            holds += 1
        if top and top[0][0] in item.docs:
            first += 1
        if any(doc_id in item.docs for doc_id, _ in top):
            five += 1
    n = max(len(items), 1)
    return {
        "baseline_top_chunk_holds_gold": round(holds / n, 3),
        "baseline_right_report_first": round(first / n, 3),
        "baseline_right_report_top5": round(five / n, 3),
    }


def _dump(results: list[Any], path: Path) -> None:
    """One line a question: what was asked and expected, what govqa answered."""
    with path.open("w", encoding="utf-8") as fh:
        for r in results:
            row = {
                "id": r.item.id,
                "question": r.item.question,
                "type": r.item.type,
                "gold": list(r.item.answers),
                "docs": list(r.item.docs),
                "correct": r.correct,
                "answered": r.answer.answered,
                "short_answer": r.answer.short_answer,
                "confidence": round(r.answer.confidence, 3),
                "doc_rank": r.doc_rank,
                "answer": r.answer.answer,
            }
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="index of the corpora")
    parser.add_argument("--split", default="validation", choices=["validation", "train", "all"])
    parser.add_argument("--unanswerable", type=int, default=400, help="generated, 0 for none")
    parser.add_argument("--limit", type=int, default=None, help="first N practice questions")
    parser.add_argument(
        "--dump", type=Path, default=None, help="write each practice question's result (JSONL)"
    )
    args = parser.parse_args()
    setup_logging()
    from retrieval.evaluation import EvalItem, calibration, load_items, run_eval, select_split

    services = ensure_index(check_outside_repo(args.data_dir))
    ask = services.chain.invoke
    items = select_split(load_items(PRACTICE), args.split)[: args.limit]
    practice = run_eval(items, ask, strict=True)
    summary = practice.summary()
    if args.dump:
        _dump(practice.results, check_outside_repo(args.dump))  # answers quote reports
    figures: dict[str, Any] = {
        "practice_questions": summary["questions"],
        "correct": summary["accuracy"],
        "answerable_refused": summary["answerable_refused"],
        "wrong_direct": summary["wrong_direct"],
        "right_report_first": summary["hit@1"],
        "right_report_top5": summary["hit@5"],
        "latency_ms_p50": summary["latency_ms_p50"],
        "latency_ms_p95": summary["latency_ms_p95"],
    }
    for kind, row in practice.by("type").items():
        figures[f"correct_{kind}"] = row["accuracy"]
    figures.update(_baseline(items))
    if args.unanswerable:
        from bench.unanswerable import generate, load_questions, load_texts
        from retrieval.evaluation import split_of

        made = generate(load_questions(), load_texts(), args.unanswerable)
        sources = {i.id: i for i in load_items(PRACTICE)}
        # ids are "unans-<practice id>-<kind>": held out when that question is.
        held_out = [
            split_of(sources[q["id"].removeprefix("unans-").rsplit("-", 1)[0]]) == "validation"
            for q in made
        ]
        unanswerable = [EvalItem(q["id"], q["question"], (), (), "unanswerable", "zh-hans")
                        for q in made]  # fmt: skip
        refused = [not r.answer.answered for r in run_eval(unanswerable, ask).results]
        kept = [r for r, h in zip(refused, held_out, strict=True) if h]
        figures["unanswerable_questions"] = len(made)
        figures["unanswerable_refused"] = round(sum(refused) / max(len(refused), 1), 3)
        figures["unanswerable_held_out"] = len(kept)
        figures["unanswerable_held_out_refused"] = round(sum(kept) / max(len(kept), 1), 3)
    if ENGLISH.exists():
        english = run_eval(load_items(ENGLISH), ask, strict=True).summary()
        figures["english_questions"] = english["questions"]
        figures["english_correct"] = english["accuracy"]
    figures["calibration"] = calibration(practice.results)
    report("quality", figures)


if __name__ == "__main__":
    main()
