"""The simplest baseline: character-bigram BM25 over 300-character chunks, no rules.

Its top chunk is its whole answer. Used by ``bench.quality`` beside govqa's figures:
"does the top chunk hold the gold string" and "is the top chunk from the right report".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

CHUNK = 300
K1, B = 1.5, 0.75


def _bigrams(text: str) -> list[str]:
    text = "".join(text.split())
    return [text[i : i + 2] for i in range(len(text) - 1)]


class BigramBM25:
    """BM25 over (doc_id, text) reports cut into CHUNK-character chunks."""

    def __init__(self, reports: Iterable[tuple[str, str]]) -> None:
        self.chunks: list[tuple[str, str]] = []
        for doc_id, text in reports:
            for start in range(0, max(len(text), 1), CHUNK):
                self.chunks.append((doc_id, text[start : start + CHUNK]))
        self.freqs = [Counter(_bigrams(text)) for _, text in self.chunks]
        self.lengths = [sum(f.values()) for f in self.freqs]
        self.average = sum(self.lengths) / max(len(self.lengths), 1)
        df: Counter[str] = Counter()
        for freq in self.freqs:
            df.update(freq.keys())
        n = len(self.chunks)
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self.postings: dict[str, list[int]] = {}
        for i, freq in enumerate(self.freqs):
            for term in freq:
                self.postings.setdefault(term, []).append(i)

    def search(self, question: str, k: int = 5) -> list[tuple[str, str]]:
        """The k best chunks for ``question``: (doc_id, chunk text), best first."""
        scores: Counter[int] = Counter()
        for term in set(_bigrams(question)):
            idf = self.idf.get(term)
            if idf is None:
                continue
            for i in self.postings[term]:
                tf = self.freqs[i][term]
                norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * self.lengths[i] / self.average))
                scores[i] += idf * norm
        return [self.chunks[i] for i, _ in scores.most_common(k)]
