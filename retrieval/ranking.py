"""Which candidate sentence answers, and how sure to be: two small logistic models.

The **ranker** scores each candidate sentence from its features (see
:func:`candidate_features`): the probability that it holds the answer (its typed span, for
kinds with one). The **calibrator** reads the chosen candidate's features with the
ranker's margin over the runner-up and gives the answer's confidence: of answers given
with confidence ≈ c, about c were right on held-out questions. Below the threshold
chosen on training questions govqa refuses.

Both are fitted by ``bench/train_answerer.py`` on the training half of the practice set
(numpy only, deterministic) and stored in ``retrieval/answerer_model.json``: a dozen
weights each, committed, read once per process.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from retrieval.asking import Expected
from retrieval.candidates import Candidate

MODEL_PATH = Path(__file__).with_name("answerer_model.json")

RANKER_FEATURES = (
    "coverage",
    "context_coverage",
    "run",
    "coverage_gap",  # coverage minus the best coverage among the question's candidates
    "context_gap",
    "chunk_closeness",  # 1 / (1 + rank of the sentence's chunk)
    "first_sentence",
    "span_number",  # a typed span was read, by kind
    "span_date",
    "span_phrase",
    "no_span_typed",  # a kind with a typed answer, and none read here
    "unit_match",
    "anchored",  # characters of the question anchored around the span ÷ its content
    "inside",
    "short_sentence",
    "reading_score",  # how closely the question's anchors hug the span ÷ content length
    "title_coverage",
    "report_coverage",
    "missing",
    "year_ok",
)
CALIBRATOR_FEATURES = (
    "probability",
    "margin",  # the ranker's probability minus the runner-up's
    "coverage",
    "anchored",
    "typed",
    "has_span",
    "same_span_share",  # share of the top five candidates that read the same span
    "missing",
    "context_coverage",
    "year_ok",
    "unknown_word",
    "small_index",
)


def candidate_features(
    candidate: Candidate, expected: Expected, best_coverage: float, best_context: float
) -> list[float]:
    reading = candidate.reading
    span = reading.span if reading else None
    content = max(len(expected.left) + len(expected.right), 1)
    return [
        candidate.coverage,
        candidate.context_coverage,
        candidate.run,
        candidate.coverage - best_coverage,
        candidate.context_coverage - best_context,
        1.0 / (1 + candidate.chunk_rank),
        float(candidate.position == 0),
        float(span is not None and expected.kind == "number"),
        float(span is not None and expected.kind == "date"),
        float(span is not None and expected.kind not in ("number", "date")),
        float(span is None and expected.typed),
        float(bool(span and expected.unit and expected.unit[-1] in span)),
        ((reading.left + reading.right) / content) if reading else 0.0,
        float(bool(reading and reading.inside)),
        1.0 / (1 + len(candidate.sentence) / 60),
        (reading.score / content) if reading else 0.0,
        candidate.title_coverage,
        candidate.report_coverage,
        candidate.missing,
        candidate.year_ok,
    ]


# Standardised features are clipped here: a value far outside what the model was
# fitted on (a five-report index, when training saw thousands) must not swing it.
CLIP = 4.0


@dataclass(frozen=True)
class Logistic:
    """A fitted logistic model over standardised features."""

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]

    def probabilities(self, rows: Sequence[Sequence[float]]) -> list[float]:
        if not rows:
            return []
        x = (np.asarray(rows, dtype=float) - np.asarray(self.mean)) / np.asarray(self.scale)
        x = np.clip(x, -CLIP, CLIP)
        z = x @ np.asarray(self.weights) + self.bias
        return [1.0 / (1.0 + math.exp(-v)) for v in np.clip(z, -30, 30)]

    def to_json(self) -> dict[str, object]:
        return {
            "weights": list(self.weights),
            "bias": self.bias,
            "mean": list(self.mean),
            "scale": list(self.scale),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Logistic:
        return cls(
            tuple(float(w) for w in data["weights"]),  # type: ignore[attr-defined]
            float(data["bias"]),  # type: ignore[arg-type]
            tuple(float(m) for m in data["mean"]),  # type: ignore[attr-defined]
            tuple(float(s) for s in data["scale"]),  # type: ignore[attr-defined]
        )


def fit_logistic(
    rows: Sequence[Sequence[float]], labels: Sequence[int], l2: float = 1.0, steps: int = 500
) -> Logistic:
    """Logistic regression by Newton's method with an L2 penalty (deterministic)."""
    x = np.asarray(rows, dtype=float)
    y = np.asarray(labels, dtype=float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.clip((x - mean) / scale, -CLIP, CLIP)
    z = np.hstack([z, np.ones((len(z), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.eye(z.shape[1]) * l2
    penalty[-1, -1] = 0.0  # the bias is not shrunk
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -30, 30)))
        gradient = z.T @ (p - y) + penalty @ w
        hessian = (z.T * (p * (1 - p))) @ z + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return Logistic(tuple(w[:-1]), float(w[-1]), tuple(mean), tuple(scale))


@dataclass(frozen=True)
class AnswererModel:
    ranker: Logistic
    calibrator: Logistic
    threshold: float  # refuse below this confidence (answers with a typed direct answer)
    untyped: float | None = None  # … answers that quote a sentence (None: the same)
    # English questions match Chinese sentences only through translated terms: their
    # features mean other things, so they have models of their own (fitted on English
    # questions) when the file holds them.
    english: AnswererModel | None = None

    def threshold_for(self, typed: bool) -> float:
        return self.threshold if typed or self.untyped is None else self.untyped

    def for_script(self, script: str) -> AnswererModel:
        return self.english if script == "en" and self.english is not None else self

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "ranker_features": list(RANKER_FEATURES),
            "calibrator_features": list(CALIBRATOR_FEATURES),
            "ranker": self.ranker.to_json(),
            "calibrator": self.calibrator.to_json(),
            "threshold": self.threshold,
            "threshold_untyped": self.untyped,
        }
        if self.english is not None:
            data["english"] = {
                "ranker": self.english.ranker.to_json(),
                "calibrator": self.english.calibrator.to_json(),
                "threshold": self.english.threshold,
                "threshold_untyped": self.english.untyped,
            }
        return data

    def save(self, path: Path = MODEL_PATH) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> AnswererModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    if (
        tuple(data["ranker_features"]) != RANKER_FEATURES
        or tuple(data["calibrator_features"]) != CALIBRATOR_FEATURES
    ):
        raise ValueError(f"{path} was fitted on other features: run bench/train_answerer.py")
    english = data.get("english")
    return AnswererModel(
        Logistic.from_json(data["ranker"]),
        Logistic.from_json(data["calibrator"]),
        float(data["threshold"]),
        _optional(data.get("threshold_untyped")),
        AnswererModel(
            Logistic.from_json(english["ranker"]),
            Logistic.from_json(english["calibrator"]),
            float(english["threshold"]),
            _optional(english.get("threshold_untyped")),
        )
        if english
        else None,
    )


def _optional(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


@dataclass
class Ranked:
    """Candidates best first with the ranker's probabilities, and the answer's
    calibrated confidence."""

    candidates: list[Candidate]
    probabilities: list[float]
    confidence: float
    features: list[float]  # the calibrator's input, for training


def rank(candidates: Sequence[Candidate], expected: Expected, model: AnswererModel) -> Ranked:
    if not candidates:
        return Ranked([], [], 0.0, [])
    best_coverage = max(c.coverage for c in candidates)
    best_context = max(c.context_coverage for c in candidates)
    rows = [candidate_features(c, expected, best_coverage, best_context) for c in candidates]
    probabilities = model.ranker.probabilities(rows)
    order = sorted(range(len(candidates)), key=lambda i: probabilities[i], reverse=True)
    ranked = [candidates[i] for i in order]
    ranked_p = [probabilities[i] for i in order]
    features = calibrator_features(ranked, ranked_p, expected)
    confidence = model.calibrator.probabilities([features])[0]
    return Ranked(ranked, ranked_p, confidence, features)


def promote(ranked: Ranked, index: int, expected: Expected, model: AnswererModel) -> Ranked:
    """``ranked`` with candidate ``index`` first — the one the answer is read from —
    and the confidence of answering from it (its margin over the best is negative)."""
    order = [index, *(i for i in range(len(ranked.candidates)) if i != index)]
    candidates = [ranked.candidates[i] for i in order]
    probabilities = [ranked.probabilities[i] for i in order]
    features = calibrator_features(candidates, probabilities, expected)
    confidence = model.calibrator.probabilities([features])[0]
    return Ranked(candidates, probabilities, confidence, features)


def calibrator_features(
    ranked: Sequence[Candidate], probabilities: Sequence[float], expected: Expected
) -> list[float]:
    top = ranked[0]
    runner_up = max(probabilities[1:], default=0.0)
    span = top.span
    content = max(len(expected.left) + len(expected.right), 1)
    reading = top.reading
    head = ranked[:5]
    same = sum(1 for c in head if span and c.span == span) / len(head)
    return [
        probabilities[0],
        probabilities[0] - runner_up,
        top.coverage,
        ((reading.left + reading.right) / content) if reading else 0.0,
        float(expected.typed),
        float(span is not None),
        same,
        top.missing,
        top.context_coverage,
        top.year_ok,
        top.unknown_word,
        top.small_index,
    ]
