"""The answering chain: question → analysis → hybrid retrieval → answerer → Answer."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from retrieval.types import Answer


def build_chain(
    analyzer: Any,
    retriever: Any,
    answerer: Any,
    facts: Any = None,
    refresh: Callable[[], object] | None = None,
) -> Runnable[str, Answer]:
    """A LangChain Runnable that answers one question string: from the facts tables
    when a fact fits the question, else from retrieved passages. ``refresh`` runs
    first (the store's sync with a shared Chroma server)."""

    def run(question: str) -> Answer:
        started = time.perf_counter()
        if refresh is not None:
            refresh()
        query = analyzer.analyze(question)
        from_facts: Answer | None = facts.answer(query) if facts is not None else None
        retrieved = time.perf_counter()
        if from_facts is not None:
            answer = from_facts
        else:
            documents = retriever.retrieve(query)
            retrieved = time.perf_counter()
            answer = answerer.answer(query, documents)
        done = time.perf_counter()
        answer.timings_ms = {
            "retrieve": (retrieved - started) * 1000,
            "answer": (done - retrieved) * 1000,
            "total": (done - started) * 1000,
        }
        return answer

    return RunnableLambda(run, name="govqa")
