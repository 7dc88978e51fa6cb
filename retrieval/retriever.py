"""Hybrid retrieval: dense (Chroma) and lexical (BM25) rankings, fused.

How the two are fused was chosen on numbers (``bench.retrieval --sweep`` on the 2k
corpus plus the dev and held-out questions over the 2k corpus with the seeds added;
the README's "Retrieval" section has the table):

- **Chinese questions**: a weighted sum of min-max-normalised scores, BM25 weight 1,
  dense weight 0.3 (``GOVQA_DENSE_WEIGHT``). BM25 over jieba words and bigrams is the
  better ranker on these reports; its score gaps say how sure it is, and rank-based
  fusion (RRF) throws them away: RRF at any dense weight ranked worse than BM25 alone.
- **English questions**: weighted RRF (dense 1, lexical 0.9). Their lexical terms come
  only from the glossary and pinyin names, so BM25 scores are not comparable across
  questions and the dense ranking leads.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, cast

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, SkipValidation

from retrieval.question import Query, QuestionAnalyzer
from retrieval.store import Store

if TYPE_CHECKING:
    import numpy as np

logger = logging.getLogger(__name__)

Ranking = list[tuple[str, float]]  # chunk id and score, best first


class QueryEncoder(Protocol):
    """The embedding model, as the retriever uses it (either backend)."""

    def encode_query(self, text: str) -> np.ndarray: ...


RRF_K = 60
CANDIDATES = 30
# English questions: RRF with these weights.
ENGLISH_DENSE_WEIGHT = 1.0
ENGLISH_LEXICAL_WEIGHT = 0.9
# A place named in the question favours that place's reports: worth one first-place
# RRF vote, or a fifth of a ranking's best normalised score.
RRF_REGION_BOOST = 1 / (RRF_K + 1)
SCORE_REGION_BOOST = 0.2
# A year favours reports dated that year or the next, half as much.
YEAR_SHARE = 0.5


def rrf_fuse(rankings: list[Ranking], weights: list[float], k: int = RRF_K) -> dict[str, float]:
    """Weighted reciprocal-rank fusion of ranked id lists."""
    fused: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, (item, _) in enumerate(ranking):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank + 1)
    return fused


def score_fuse(rankings: list[Ranking], weights: list[float]) -> dict[str, float]:
    """Weighted sum of min-max-normalised scores (a ranking's best is 1, its last 0)."""
    fused: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        if not ranking or weight == 0:
            continue
        high, low = ranking[0][1], ranking[-1][1]
        for item, score in ranking:
            share = (score - low) / (high - low) if high > low else 1.0
            fused[item] = fused.get(item, 0.0) + weight * share
    return fused


class HybridRetriever(BaseRetriever):
    """Chunks for a question, best first, as LangChain documents.

    ``invoke`` takes the question text; :meth:`retrieve` takes an analysed
    :class:`Query` (the chain uses that, so the question is analysed once).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    # Not validated: pydantic would check instances the composition root built itself.
    store: SkipValidation[Store]
    embeddings: SkipValidation[QueryEncoder]
    analyzer: SkipValidation[QuestionAnalyzer]
    k: int = 8
    dense_weight: float = 0.3
    lexical_weight: float = 1.0

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return self.retrieve(self.analyzer.analyze(query))

    def retrieve(self, query: Query) -> list[Document]:
        return self.fuse(query, *self.rankings(query))

    def rankings(self, query: Query) -> tuple[Ranking, Ranking]:
        """The dense and the lexical ranking (empty where the weight is 0)."""
        dense: Ranking = []
        lexical: Ranking = []
        if self.dense_weight > 0 or query.script == "en":
            vector = self.embeddings.encode_query(query.dense_text)
            # Chroma takes the array as it is; Store.dense_search is typed for a sequence.
            dense = self.store.dense_search(cast("Sequence[float]", vector), CANDIDATES)
        if self.lexical_weight > 0:
            lexical = self.store.lexical_search(query.terms, CANDIDATES)
        return dense, lexical

    def fuse(self, query: Query, dense: Ranking, lexical: Ranking) -> list[Document]:
        """The two rankings fused with this retriever's weights, boosted, as documents."""
        if query.script == "en":
            fused = rrf_fuse(
                [dense, lexical],
                [ENGLISH_DENSE_WEIGHT, ENGLISH_LEXICAL_WEIGHT * (self.lexical_weight > 0)],
            )
            boost = RRF_REGION_BOOST
        else:
            fused = score_fuse([dense, lexical], [self.dense_weight, self.lexical_weight])
            boost = SCORE_REGION_BOOST
        chunks = self.store.get_chunks(list(fused))
        if query.places or query.years:
            self._boost(query, fused, chunks, boost)
        ranked = sorted(fused, key=fused.__getitem__, reverse=True)
        dense_ranks = {item: rank for rank, (item, _) in enumerate(dense)}
        lexical_ranks = {item: rank for rank, (item, _) in enumerate(lexical)}
        documents: list[Document] = []
        for chunk_id in ranked:
            chunk = chunks.get(chunk_id)
            if chunk is None:
                continue
            documents.append(
                Document(
                    page_content=chunk.text,
                    metadata={
                        "chunk_id": chunk_id,
                        "doc_id": chunk.doc_id,
                        "chunk_no": chunk.chunk_no,
                        "index_text": chunk.index_text,
                        "score": fused[chunk_id],
                        "dense_rank": dense_ranks.get(chunk_id),
                        "lexical_rank": lexical_ranks.get(chunk_id),
                    },
                )
            )
            if len(documents) >= self.k:
                break
        return documents

    def _boost(
        self, query: Query, fused: dict[str, float], chunks: dict[str, Any], boost: float
    ) -> None:
        """Region and time words of the question favour the reports they describe.

        A place named in the question (宛城区, Jiading) favours that place's reports over
        ones that merely mention it; a year (2024年) favours reports dated that year or
        the next (when its results are announced).
        """
        reports = self.store.get_reports({c.doc_id for c in chunks.values()})
        years = {int(y) + d for y in query.years for d in (0, 1)}
        for chunk_id, chunk in chunks.items():
            report = reports.get(chunk.doc_id)
            if report is None:
                continue
            where = f"{report.region or ''}{report.title}"
            if query.places and any(place in where for place in query.places):
                fused[chunk_id] += boost
            year = report.year or ""
            if years and year.isdigit() and int(year) in years:
                fused[chunk_id] += boost * YEAR_SHARE
