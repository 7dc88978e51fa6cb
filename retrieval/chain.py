"""The answering chain: question → analysis → hybrid retrieval → answerer → Answer."""

from __future__ import annotations

import time
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from retrieval.types import Answer


def build_chain(analyzer: Any, retriever: Any, answerer: Any) -> Runnable[str, Answer]:
    """A LangChain Runnable that answers one question string."""

    def run(question: str) -> Answer:
        started = time.perf_counter()
        query = analyzer.analyze(question)
        documents = retriever.retrieve(query)
        retrieved = time.perf_counter()
        answer: Answer = answerer.answer(query, documents)
        done = time.perf_counter()
        answer.timings_ms = {
            "retrieve": (retrieved - started) * 1000,
            "answer": (done - retrieved) * 1000,
            "total": (done - started) * 1000,
        }
        return answer

    return RunnableLambda(run, name="govqa")
