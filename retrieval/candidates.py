"""Candidate answer sentences from retrieved chunks, each with what speaks for it.

Every sentence of the top chunks is measured against the question: how much of the
question's wording it holds (character bigrams weighted by how rare they are in the
index), how much its context holds (the sentence before it, the report's title), the
longest run of the question it repeats, where its chunk ranked, and what
:func:`retrieval.reading.read` finds in its gap. The answerer ranks candidates by these
features and its confidence model reads them; both live elsewhere, so this stays a
description of the evidence, not a decision.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.documents import Document

from ingest.zh.patterns import sentences, tighten
from retrieval.asking import Expected, canonical
from retrieval.reading import Reading, Toponyms, read

_NOT_CONTENT = re.compile(r"[^\u4e00-\u9fff0-9a-z%.]+")


# Particles and adverbs a question adds or drops freely ("郭炜还强调了什么").
_FILLERS = re.compile(r"已经|了|还|也|又|都|曾")


def bigrams(text: str) -> list[str]:
    """Character bigrams of the content characters of ``text`` (Han, digits, latin)."""
    runs = _NOT_CONTENT.split(text.lower())
    return [run[i : i + 2] for run in runs for i in range(len(run) - 1)]


@dataclass
class Candidate:
    """One sentence that may answer the question, with its evidence."""

    doc_id: str
    sentence: str  # simplified
    chunk_rank: int  # 0 for the best chunk
    position: int  # sentence number in its chunk
    coverage: float = 0.0  # idf-weighted share of the question's bigrams in the sentence
    context_coverage: float = 0.0  # … in the sentence, the one before it and the title
    run: float = 0.0  # longest run of the question's content repeated, ÷ content length
    title_coverage: float = 0.0  # … of the question's bigrams in the report's title
    report_coverage: float = 0.0  # the best coverage of any sentence of the same report
    missing: float = 0.0  # the rarest question bigram absent from sentence and context, 0–1
    year_ok: float = 0.5  # the sentence speaks of the year asked (1), of another (0), none asked
    unknown_word: float = 0.0  # the question names something no report holds
    small_index: float = 0.0  # 1 / (1 + log10 chunks): rarity means less in a small index
    reading: Reading | None = None
    score: float = 0.0

    @property
    def span(self) -> str | None:
        return self.reading.span if self.reading else None


class Weights:
    """idf of question bigrams in the index, looked up once per question."""

    def __init__(self, chunks: int, frequencies: dict[str, int]) -> None:
        self.chunks = max(chunks, 1)
        self.frequencies = frequencies

    def idf(self, term: str) -> float:
        """idf of a word: its own frequency when the index has it as a token, else that
        of its rarest bigram (a word occurs no more often than each of its bigrams)."""
        n = self.frequencies.get(term)
        if n is None:
            pairs = [self.frequencies.get(p, 0) for p in _pairs(term)]
            n = min(pairs) if pairs else 0
        return math.log(1 + (self.chunks - n + 0.5) / (n + 0.5))

    def known(self, word: str) -> bool:
        """Whether ``word`` may occur in the index at all (it, or else each of its
        bigrams, is in some chunk); a name no report holds makes a question unanswerable."""
        if self.frequencies.get(word):
            return True
        pairs = _pairs(word)
        return bool(pairs) and all(self.frequencies.get(p, 0) > 0 for p in pairs)

    @staticmethod
    def terms(forms: Sequence[str]) -> list[str]:
        """What to look up for these forms: the forms and their bigrams."""
        return [t for f in forms for t in (f, *_pairs(f))]


def _pairs(word: str) -> list[str]:
    return [word[i : i + 2] for i in range(len(word) - 1)]


@dataclass(frozen=True)
class Wanted:
    """A content word of the question: its written forms (synonyms, Chinese forms of an
    English word) and how telling it is (idf of its rarest form in the index)."""

    forms: tuple[str, ...]
    weight: float


def wanted_words(groups: Sequence[tuple[tuple[str, ...], float]], weights: Weights) -> list[Wanted]:
    return [
        Wanted(tuple(canonical(f) for f in forms), max(weights.idf(f) for f in forms))
        for forms, _ in groups
        if forms
    ]


def presence(forms: Sequence[str], text: str) -> float:
    """1 if a form occurs in ``text``; else the best share of a long form's bigrams that
    do (地区生产总值 against 全区生产总值: 4 of 5)."""
    best = 0.0
    for form in forms:
        if form in text:
            return 1.0
        if len(form) >= 3:
            pairs = [form[i : i + 2] for i in range(len(form) - 1)]
            best = max(best, sum(b in text for b in pairs) / len(pairs))
    return best


def _coverage(wanted: Sequence[Wanted], text: str) -> float:
    total = sum(w.weight for w in wanted)
    if not total:
        return 0.0
    return sum(w.weight * presence(w.forms, text) for w in wanted) / total


def _missing(wanted: Sequence[Wanted], text: str) -> float:
    """The weight of the most telling question word that ``text`` lacks, ÷ the most
    telling of all: 1 when the question's rarest word is missing."""
    top = max((w.weight for w in wanted), default=0.0)
    if not top:
        return 0.0
    return max((w.weight for w in wanted if presence(w.forms, text) < 0.5), default=0.0) / top


def _longest_run(content: str, sentence: str) -> int:
    """Length of the longest substring of ``content`` that ``sentence`` holds."""
    best = 0
    for start in range(len(content)):
        size = best + 1
        while start + size <= len(content) and content[start : start + size] in sentence:
            best = size
            size += 1
    return best


def gather(
    expected: Expected,
    wanted: Sequence[Wanted],
    content: str,
    documents: Sequence[Document],
    titles: dict[str, str],
    toponyms: Toponyms | None = None,
) -> list[Candidate]:
    """Every sentence of ``documents`` (retrieved chunks, best first) as a candidate.
    ``wanted`` are the question's content words; ``content`` the question without its
    asking words (simplified); ``titles`` the reports' titles by doc id; ``toponyms``
    finds the dictionary's place names in a phrase."""
    content = _FILLERS.sub("", canonical(content))
    terms = wanted
    out: list[Candidate] = []
    seen: set[tuple[str, str]] = set()
    for rank, document in enumerate(documents):
        doc_id = document.metadata["doc_id"]
        previous = ""
        text = tighten(document.metadata["index_text"])
        for position, sentence in enumerate(sentences(text)):
            key = (doc_id, sentence)
            if key in seen:
                previous = sentence
                continue
            seen.add(key)
            candidate = Candidate(doc_id, sentence, rank, position)
            plain = canonical(sentence)
            context = canonical(f"{titles.get(doc_id, '')} {previous} {sentence}")
            candidate.coverage = _coverage(terms, plain)
            candidate.context_coverage = _coverage(terms, context)
            candidate.run = _longest_run(content, plain) / max(len(content), 1)
            candidate.title_coverage = _coverage(terms, canonical(titles.get(doc_id, "")))
            candidate.missing = _missing(terms, context)
            candidate.reading = read(expected, sentence, toponyms)
            out.append(candidate)
            previous = sentence
    best: dict[str, float] = {}
    for candidate in out:
        best[candidate.doc_id] = max(best.get(candidate.doc_id, 0.0), candidate.coverage)
    for candidate in out:
        candidate.report_coverage = best[candidate.doc_id]
    return out
