"""`govqa eval`: run a question set and score it the way eval/README.md defines.

**Strict** scoring (the one that counts) judges figure, person, role, date, place and time
questions on the direct answer alone (``Answer.short_answer``); quoted evidence that
happens to hold the gold string does not count, and no direct answer is wrong.

Question sets are split into a training and a validation half **by report**: a hash of
a question's first doc id decides, so all questions about one report fall on one side
(tune on ``train``, report ``validation``).
"""

from __future__ import annotations

import hashlib
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


# Question types judged on the direct answer alone under strict scoring.
# ``time``: a question bound to a relative time (宛城区去年GDP是多少？), judged as a figure.
STRICT_TYPES = frozenset({"figure", "person", "role", "date", "place", "time"})
# Judged by the share of their answers present: a list's items, a speaker's points.
SHARE_TYPES = frozenset({"list", "speech"})
Split = str  # "train", "validation" or "all"


def split_of(item: EvalItem) -> str:
    """``train`` or ``validation``: a hash of the first doc id, so one report's questions
    stay on one side (questions without docs go by their own id)."""
    key = item.docs[0] if item.docs else item.id
    return "train" if hashlib.sha1(key.encode("utf-8")).digest()[0] % 2 == 0 else "validation"


def select_split(items: Iterable[EvalItem], split: Split) -> list[EvalItem]:
    if split not in ("train", "validation", "all"):
        raise ValueError(f"split must be train, validation or all, not {split!r}")
    return [i for i in items if split == "all" or split_of(i) == split]


@dataclass(frozen=True)
class EvalResult:
    item: EvalItem
    answer: Answer
    correct: bool
    doc_rank: int | None  # 1-based rank of the first expected doc among cited sources

    @property
    def direct_wrong(self) -> bool:
        """An answer that states something (a direct answer, or for an unanswerable
        question any answer) and is wrong."""
        if not self.answer.answered:
            return False
        if not self.item.answers:
            return True
        return self.answer.short_answer is not None and not self.correct


@dataclass
class EvalReport:
    results: list[EvalResult] = field(default_factory=list)
    k: int = 5

    def summary(self, results: Sequence[EvalResult] | None = None) -> dict[str, object]:
        rows = list(self.results if results is None else results)
        answerable = [r for r in rows if r.item.docs]
        ranks = [r.doc_rank for r in answerable]
        latencies = sorted(r.answer.timings_ms.get("total", 0.0) for r in rows)
        with_answers = [r for r in rows if r.item.answers]
        unanswerable = [r for r in rows if not r.item.answers]
        return {
            "questions": len(rows),
            "correct": sum(r.correct for r in rows),
            "accuracy": _ratio(sum(r.correct for r in rows), len(rows)),
            "refusals": sum(not r.answer.answered for r in rows),
            "answerable_refused": _ratio(
                sum(not r.answer.answered for r in with_answers), len(with_answers)
            ),
            "wrong_direct": _ratio(sum(r.direct_wrong for r in rows), len(rows)),
            "unanswerable_refused": sum(not r.answer.answered for r in unanswerable),
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


def is_correct(item: EvalItem, answer: Answer, strict: bool = False) -> bool:
    """Scoring of eval/README.md: simplified, no whitespace; lists need 80 %. Strict:
    figure, person, role, date, place and time questions by their direct answer alone."""
    if not item.answers:
        return not answer.answered
    if not answer.answered:
        return False
    if strict and item.type in STRICT_TYPES:
        if answer.short_answer is None:
            return False
        text = _norm(answer.short_answer)
    else:
        text = _norm(answer.answer)
    found = sum(_norm(a) in text for a in item.answers)
    if item.type in SHARE_TYPES:
        # a list's items, a speaker's points ("X强调了什么"): 80 % of them
        return found >= 0.8 * len(item.answers)
    return found > 0


def doc_rank(item: EvalItem, answer: Answer) -> int | None:
    """The rank of the first cited source that is an expected report, or a republished
    copy of one (cited once, its copies named under it)."""
    for rank, source in enumerate(answer.sources, 1):
        copies = {c.doc_id for c in source.also_reported_by}
        if source.file in item.docs or source.doc_id in item.docs or copies & set(item.docs):
            return rank
    return None


def run_eval(
    items: Iterable[EvalItem],
    ask: Callable[[str], Answer],
    k: int = 5,
    strict: bool = False,
    on_result: Callable[[EvalResult], None] | None = None,
) -> EvalReport:
    report = EvalReport(k=k)
    for item in items:
        answer = ask(item.question)
        result = EvalResult(item, answer, is_correct(item, answer, strict), doc_rank(item, answer))
        report.results.append(result)
        if on_result is not None:
            on_result(result)
    return report


def calibration(results: Sequence[EvalResult], buckets: int = 5) -> list[dict[str, object]]:
    """Answered questions by confidence bucket: how many, mean confidence, how many right."""
    rows: list[dict[str, object]] = []
    answered = [r for r in results if r.answer.answered]
    for b in range(buckets):
        low, high = b / buckets, (b + 1) / buckets
        inside = [
            r
            for r in answered
            if low <= r.answer.confidence < high or (b == buckets - 1 and r.answer.confidence == 1)
        ]
        rows.append(
            {
                "bucket": f"{low:.1f}-{high:.1f}",
                "answers": len(inside),
                "mean_confidence": round(statistics.fmean(r.answer.confidence for r in inside), 3)
                if inside
                else None,
                "accuracy": _ratio(sum(r.correct for r in inside), len(inside)),
            }
        )
    return rows


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def _percentile(values: Sequence[float], pct: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]
