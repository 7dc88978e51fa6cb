"""Fit the extractive answerer's ranker and calibrator on the practice set's training half.

    .venv/bin/python -m bench.train_answerer --data-dir /tmp/govqa-bench-quality

The data dir must hold (or is filled with) the practice reports and the 2k corpus —
the index the practice questions are asked over (see ``bench.quality``). Only questions
of the **training** half (``retrieval.evaluation.split_of``) are read, with generated
unanswerable questions made from them (``bench.unanswerable``). Steps:

1. every candidate sentence of every training question, labelled: does it hold the
   gold answer (the ranker finds the sentence; the span is read from it);
2. the ranker: logistic regression over ``retrieval.ranking.RANKER_FEATURES``;
3. the calibrator: the answers the ranker gives, judged by ``govqa eval --strict``'s
   rules, logistic regression over ``CALIBRATOR_FEATURES``;
4. the refusal thresholds (one for answers with a typed direct answer, one for the
   rest): the confidence that maximises right answers minus ``--wrong-cost`` times
   wrong ones (a refusal costs nothing, a wrong answer more
   than a right one gains) over the training questions and unanswerables.

English questions get a ranker, calibrator and threshold of their own, fitted the same
way on ``bench/data/english_train.jsonl`` (training questions put into English; only
the wording is kept there, the gold comes from the practice set) and the dev set's English
questions.

Deterministic (Newton's method, no sampling); no network. Writes
``retrieval/answerer_model.json`` (a few dozen numbers) unless ``--dry-run``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.common import (
    REPO,
    SEEDS,
    TEMP_PREFIX,
    check_outside_repo,
    ingest,
    make_services,
    report,
    setup_logging,
)

PRACTICE = (REPO / "../shared/eval/crud_practice.jsonl").resolve()
DEV = (REPO / "../shared/eval/dev.jsonl").resolve()
DEV_WEIGHT = 10
ENGLISH_TRAIN = REPO / "bench/data/english_train.jsonl"
CORPORA = (
    (REPO / "../shared/corpus/crud_practice_reports.jsonl").resolve(),
    (REPO / "../shared/corpus/crud_gov_2k.jsonl").resolve(),
)


def ensure_index(data_dir: Path) -> Any:
    """Services over ``data_dir``, ingesting the practice reports and the 2k corpus
    (and the seeds) when the store is empty."""
    services = make_services(data_dir)
    if services.store.stats()["documents"] == 0:
        print(f"building the index in {data_dir} (about ten minutes)…", flush=True)
        ingest(services, [*CORPORA, SEEDS])
    return services


def _norm(text: str) -> str:
    from ingest.script import to_simplified

    return "".join(to_simplified(text).split()).lower()


def collect(services: Any, items: list[Any]) -> list[dict[str, Any]]:
    """Each question's expected answer and candidates, as the answerer sees them."""
    from retrieval.answer import ExtractiveAnswerer
    from retrieval.retriever import HybridRetriever

    tuning = services.settings.retrieval
    retriever = HybridRetriever(
        store=services.store,
        embeddings=services.embeddings,
        analyzer=services.analyzer,
        k=max(12, tuning.top_k),
        dense_weight=tuning.dense_weight,
        lexical_weight=tuning.lexical_weight,
    )
    answerer = ExtractiveAnswerer(
        services.store,
        max_sources=tuning.top_k,
        toponyms=services.tokenizer.places_in,
        name_part=services.tokenizer.name_part,
    )
    rows = []
    for item in items:
        query = services.analyzer.analyze(item.question)
        documents = retriever.retrieve(query)
        expected, candidates, _ = answerer.candidates(query, documents)
        rows.append(
            {
                "item": item,
                "query": query,
                "documents": documents,
                "expected": expected,
                "candidates": candidates,
            }  # fmt: skip
        )
    return rows


def fit(rows: list[dict[str, Any]], services: Any, wrong_cost: float) -> Any:
    from retrieval.answer import ExtractiveAnswerer
    from retrieval.evaluation import is_correct
    from retrieval.ranking import (
        CALIBRATOR_FEATURES,
        AnswererModel,
        Logistic,
        candidate_features,
        fit_logistic,
    )

    x: list[list[float]] = []
    y: list[int] = []
    for row in rows:
        answers = [_norm(a) for a in row["item"].answers]
        candidates, expected = row["candidates"], row["expected"]
        if not answers or not candidates:
            continue
        best_coverage = max(c.coverage for c in candidates)
        best_context = max(c.context_coverage for c in candidates)
        for c in candidates:
            # The ranker finds the sentence that says it; reading the span is another
            # step (a label on the span would teach "no span read → wrong sentence").
            holds = any(a in _norm(c.sentence) for a in answers)
            x.append(candidate_features(c, expected, best_coverage, best_context))
            y.append(int(holds))
    ranker = fit_logistic(x, y)
    # The answers this ranker gives, with any confidence accepted (threshold 0).
    width = len(CALIBRATOR_FEATURES)
    accept_all = Logistic((0.0,) * width, 0.0, (0.0,) * width, (1.0,) * width)
    model = AnswererModel(ranker, accept_all, 0.0)
    answerer = ExtractiveAnswerer(
        services.store,
        max_sources=services.settings.retrieval.top_k,
        model=model,
        toponyms=services.tokenizer.places_in,
        name_part=services.tokenizer.name_part,
    )

    cx: list[list[float]] = []
    cy: list[int] = []
    for row in rows:
        if not row["candidates"]:
            continue
        own = row.get("services")
        if own is not None:
            answerer.store = own.store
        # The candidate the answer is read from, as the answerer chooses it.
        decided = answerer.decide(row["query"], row["documents"])
        ranked = decided[1]
        answer = answerer.respond(row["query"], *decided)
        answerer.store = services.store
        if not ranked.candidates:
            continue
        correct = bool(row["item"].answers) and is_correct(row["item"], answer, strict=True)
        cx.append(ranked.features)
        cy.append(int(correct))
    calibrator = fit_logistic(cx, cy)
    confidences = calibrator.probabilities(cx)
    typed_at = CALIBRATOR_FEATURES.index("typed")
    # One threshold for answers with a typed direct answer (an amount, a name…), one
    # for the rest: a wrong figure and a quoted sentence are not the same risk.
    thresholds = []
    for typed in (1.0, 0.0):
        kept = [(c, ok) for c, ok, f in zip(confidences, cy, cx, strict=True)
                if f[typed_at] == typed]  # fmt: skip
        thresholds.append(_best_threshold(kept, wrong_cost))
    return AnswererModel(ranker, calibrator, thresholds[0], untyped=thresholds[1]), cx, cy


def _best_threshold(rows: list[tuple[float, int]], wrong_cost: float) -> float:
    """The confidence above which answering gains most: right answers minus
    ``wrong_cost`` times wrong ones."""
    best_t, best_gain = 0.0, float("-inf")
    for t in sorted({round(c, 3) for c, _ in rows} | {0.0}):
        gain = sum((1 if ok else -wrong_cost) for c, ok in rows if c >= t)
        if gain > best_gain:
            best_t, best_gain = t, gain
    return best_t


def _answered(model: Any, x: list[list[float]], y: list[int]) -> list[int]:
    """Which training answers the model gives (above its threshold): right (1) or not."""
    from retrieval.ranking import CALIBRATOR_FEATURES

    typed_at = CALIBRATOR_FEATURES.index("typed")
    confidences = model.calibrator.probabilities(x)
    return [
        ok
        for f, ok, c in zip(x, y, confidences, strict=True)
        if c >= model.threshold_for(bool(f[typed_at]))
    ]


def english_training_items() -> list[Any]:
    """The training questions put into English: ``bench/data/english_train.jsonl`` holds
    only our English wording (``en-train-<practice id>``); the gold answers, reports and
    type are the practice question's, read from the eval set in place."""
    from retrieval.evaluation import load_items

    practice = {item.id: item for item in load_items(PRACTICE)}
    items = []
    for line in ENGLISH_TRAIN.read_text(encoding="utf-8").splitlines():
        if line.strip():
            data = json.loads(line)
            source = practice[data["id"].removeprefix("en-train-")]
            items.append(replace(source, id=data["id"], question=data["question"], lang="en"))
    return items


def _right_share(model: Any, x: list[list[float]], y: list[int]) -> float:
    kept = _answered(model, x, y)
    return sum(kept) / max(len(kept), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="index of the corpora")
    parser.add_argument("--wrong-cost", type=float, default=1.5, help="a wrong answer's cost")
    parser.add_argument("--unanswerable", type=int, default=400, help="generated, 0 for none")
    parser.add_argument("--dry-run", action="store_true", help="fit and report, write nothing")
    args = parser.parse_args()
    setup_logging()
    from retrieval.evaluation import EvalItem, load_items, split_of

    services = ensure_index(check_outside_repo(args.data_dir))
    items = [i for i in load_items(PRACTICE) if split_of(i) == "train"]
    if args.unanswerable:
        from bench.unanswerable import generate, load_questions, load_texts

        train_ids = {i.id for i in items}
        made = generate(
            [q for q in load_questions() if q["id"] in train_ids], load_texts(), args.unanswerable
        )
        items += [EvalItem(q["id"], q["question"], (), (), "unanswerable", "zh-hans") for q in made]
    rows = collect(services, items)
    # The seeds-style reports govqa is for, in a store of only them: the dev set (a
    # public tuning set, not the held-out one) asked over the seeds, weighted up so
    # twenty questions count beside a thousand.
    seeds = make_services(Path(tempfile.mkdtemp(prefix=TEMP_PREFIX)), services.embeddings)
    ingest(seeds, [SEEDS])
    dev = collect(seeds, load_items(DEV))
    for row in dev:
        row["services"] = seeds
    rows += dev * DEV_WEIGHT
    chinese = [r for r in rows if r["query"].script != "en"]
    model, cx, cy = fit(chinese, services, args.wrong_cost)
    # English questions get models of their own: the training questions put into
    # English (bench/data/english_train.jsonl; gold answers from the practice set) and
    # the dev set's English questions over the seeds.
    english = [r for r in rows if r["query"].script == "en"]
    if ENGLISH_TRAIN.exists():
        english += collect(services, english_training_items())
    if english:
        english_model, ex, ey = fit(english, services, args.wrong_cost)
        model = replace(model, english=english_model)
        print(f"english: {len(english)} rows, thresholds {english_model.threshold:.3f} / "
              f"{english_model.threshold_for(False):.3f}, answered "
              f"{len(_answered(english_model, ex, ey))}, right when answered "
              f"{_right_share(english_model, ex, ey):.3f}")  # fmt: skip
    answered = _answered(model, cx, cy)
    report(
        "train_answerer",
        {
            "questions": len(items),
            "threshold": round(model.threshold, 3),
            "threshold_untyped": round(model.threshold_for(False), 3),
            "train_answered": len(answered),
            "train_right_when_answered": round(sum(answered) / max(len(answered), 1), 3),
        },
    )
    if not args.dry_run:
        model.save()
        print(f"wrote {Path('retrieval/answerer_model.json')}")


if __name__ == "__main__":
    main()
