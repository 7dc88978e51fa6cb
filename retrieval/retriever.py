"""Hybrid retrieval: dense (Chroma) and lexical (BM25) rankings fused by RRF."""

from __future__ import annotations

import logging
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from retrieval.question import Query

logger = logging.getLogger(__name__)

RRF_K = 60
CANDIDATES = 30
# Worth one first-place vote: a report of the place asked about outranks one that
# merely mentions the place's name.
REGION_BOOST = 1 / (RRF_K + 1)


def rrf_fuse(rankings: list[list[str]], weights: list[float], k: int = RRF_K) -> dict[str, float]:
    """Weighted reciprocal-rank fusion of ranked id lists."""
    fused: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank + 1)
    return fused


class HybridRetriever(BaseRetriever):
    """Chunks for a question, best first, as LangChain documents.

    ``invoke`` takes the question text; :meth:`retrieve` takes an analysed
    :class:`Query` (the chain uses that, so the question is analysed once).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Any
    embeddings: Any
    analyzer: Any
    k: int = 8
    dense_weight: float = 1.0
    lexical_weight: float = 1.0

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return self.retrieve(self.analyzer.analyze(query))

    def retrieve(self, query: Query) -> list[Document]:
        dense: list[str] = []
        lexical: list[str] = []
        if self.dense_weight > 0:
            vector = self.embeddings.encode_query(query.dense_text)
            dense = [i for i, _ in self.store.dense_search(vector, CANDIDATES)]
        if self.lexical_weight > 0:
            lexical = [i for i, _ in self.store.lexical_search(query.terms, CANDIDATES)]
        # English questions match Chinese text lexically only through the glossary
        # and pinyin names, so the dense ranking leads for them.
        lexical_weight = self.lexical_weight * (0.9 if query.script == "en" else 1.0)
        fused = rrf_fuse([dense, lexical], [self.dense_weight, lexical_weight])
        chunks = self.store.get_chunks(list(fused))
        if query.places:
            # A place named in the question (宛城区, Jiading) favours that place's reports.
            reports = self.store.get_reports({c.doc_id for c in chunks.values()})
            for chunk_id, chunk in chunks.items():
                report = reports.get(chunk.doc_id)
                where = f"{report.region or ''}{report.title}" if report else ""
                if any(place in where for place in query.places):
                    fused[chunk_id] += REGION_BOOST
        ranked = sorted(fused, key=fused.__getitem__, reverse=True)
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
                        "dense_rank": dense.index(chunk_id) if chunk_id in dense else None,
                        "lexical_rank": lexical.index(chunk_id) if chunk_id in lexical else None,
                    },
                )
            )
            if len(documents) >= self.k:
                break
        return documents
