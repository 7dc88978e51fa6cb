"""`govqa eval`: run a question set and score it the way eval/README.md defines."""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.script import to_simplified
from retrieval.types import Answer


@dataclass(frozen=True)
class EvalItem:
    id: str
    question: str
    answers: tuple[str, ...]
    docs: tuple[str, ...]
    type: str
    lang: str


@dataclass(frozen=True)
class EvalResult:
    item: EvalItem
    answer: Answer
    correct: bool
    doc_rank: int | None  # 1-based rank of the first expected doc among cited sources


@dataclass
class EvalReport:
    results: list[EvalResult] = field(default_factory=list)
    k: int = 5

    def summary(self, results: Sequence[EvalResult] | None = None) -> dict[str, object]:
        rows = list(self.results if results is None else results)
        answerable = [r for r in rows if r.item.docs]
        ranks = [r.doc_rank for r in answerable]
        latencies = sorted(r.answer.timings_ms.get("total", 0.0) for r in rows)
        return {
            "questions": len(rows),
            "correct": sum(r.correct for r in rows),
            "accuracy": _ratio(sum(r.correct for r in rows), len(rows)),
            "refusals": sum(not r.answer.answered for r in rows),
            "unanswerable_refused": sum(
                not r.answer.answered for r in rows if r.item.type == "unanswerable"
            ),
            "hit@1": _ratio(sum(1 for x in ranks if x == 1), len(answerable)),
            f"hit@{self.k}": _ratio(sum(1 for x in ranks if x and x <= self.k), len(answerable)),
            "mrr": round(sum(1 / x for x in ranks if x) / len(answerable), 3) if answerable else 0,
            "latency_ms_p50": round(_percentile(latencies, 50), 1),
            "latency_ms_p95": round(_percentile(latencies, 95), 1),
        }

    def by(self, field_name: str) -> dict[str, dict[str, object]]:
        groups: dict[str, list[EvalResult]] = {}
        for r in self.results:
            groups.setdefault(str(getattr(r.item, field_name)), []).append(r)
        return {key: self.summary(rows) for key, rows in sorted(groups.items())}


def load_items(path: Path) -> list[EvalItem]:
    items: list[EvalItem] = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                items.append(
                    EvalItem(
                        id=str(data.get("id", n)),
                        question=data["question"],
                        answers=tuple(data.get("answers", [])),
                        docs=tuple(data.get("docs", [])),
                        type=data.get("type", "unknown"),
                        lang=data.get("lang", "unknown"),
                    )
                )
            except (json.JSONDecodeError, KeyError, TypeError) as e:
                raise ValueError(f"{path}:{n}: not an eval question ({e})") from e
    return items


def _norm(text: str) -> str:
    return "".join(to_simplified(text).split()).lower()


def is_correct(item: EvalItem, answer: Answer) -> bool:
    """Scoring of eval/README.md: simplified, no whitespace; lists need 80 %."""
    if not item.answers:
        return not answer.answered
    if not answer.answered:
        return False
    text = _norm(answer.answer)
    found = sum(_norm(a) in text for a in item.answers)
    if item.type == "list":
        return found >= 0.8 * len(item.answers)
    return found > 0


def doc_rank(item: EvalItem, answer: Answer) -> int | None:
    for rank, source in enumerate(answer.sources, 1):
        if source.file in item.docs or source.doc_id in item.docs:
            return rank
    return None


def run_eval(items: Iterable[EvalItem], ask: Callable[[str], Answer], k: int = 5) -> EvalReport:
    report = EvalReport(k=k)
    for item in items:
        answer = ask(item.question)
        report.results.append(
            EvalResult(item, answer, is_correct(item, answer), doc_rank(item, answer))
        )
    return report


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def _percentile(values: Sequence[float], pct: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]
