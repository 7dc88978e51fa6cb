"""The answering chain: question → analysis → hybrid retrieval → answerer → Answer."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from langchain_core.runnables import Runnable, RunnableLambda

from retrieval.types import Answer

if TYPE_CHECKING:
    from langchain_core.documents import Document

    from retrieval.question import Query


class Analyzer(Protocol):
    """Reads a question: its script, terms, places, years and expected answer."""

    def analyze(self, question: str, /) -> Query: ...


class Retriever(Protocol):
    """The passages for an analysed question, best first."""

    def retrieve(self, query: Query, /) -> list[Document]: ...


class Answerer(Protocol):
    """Answers an analysed question from retrieved passages (or refuses)."""

    def answer(self, query: Query, documents: Sequence[Document], /) -> Answer: ...


class FactSource(Protocol):
    """Answers an analysed question from the facts tables, or None."""

    def answer(self, query: Query, /) -> Answer | None: ...


def build_chain(
    analyzer: Analyzer,
    retriever: Retriever,
    answerer: Answerer,
    facts: FactSource | None = None,
    refresh: Callable[[], object] | None = None,
    finish: Callable[[Answer], Answer] | None = None,
) -> Runnable[str, Answer]:
    """A LangChain Runnable that answers one question string: from the facts tables
    when a fact fits the question, else from retrieved passages. ``refresh`` runs
    first (the store's sync with a shared Chroma server); ``finish`` last (copies of
    the cited reports named, conflicts between them stated)."""

    def attempt(query: Query) -> tuple[Answer, float]:
        """The answer, from the facts tables or retrieval, and when retrieval ended."""
        from_facts = facts.answer(query) if facts is not None else None
        if from_facts is not None:
            return from_facts, time.perf_counter()
        documents = retriever.retrieve(query)
        retrieved = time.perf_counter()
        return answerer.answer(query, documents), retrieved

    def run(question: str) -> Answer:
        started = time.perf_counter()
        if refresh is not None:
            refresh()
        query = analyzer.analyze(question)
        answer, retrieved = attempt(query)
        basis = query.time_basis
        if (
            basis is not None
            and basis.window is not None
            and answer.answered
            and not basis.in_window(answer.sources[0].date if answer.sources else None)
        ):
            # 上月, 近日: an answer from a report of another time answers something else
            from retrieval.answer import refusal

            answer = refusal(query, answer.sources)
        if basis is not None and answer.answered:
            # A time-bound answer says what its relative words were read as.
            answer.answer += "\n" + basis.note(query.script)
        elif basis is not None and basis.words and query.years == basis.unique_years:
            # No report speaks of 去年 as of today: the reports' own 去年 (the year
            # before each one's date), saying whose date it is.
            answer, retrieved = attempt(
                replace(query, years=(), time_basis=replace(basis, per_report=True))
            )
            if answer.answered and answer.sources:
                answer.answer += "\n" + basis.reports_note(query.script, answer.sources[0].date)
        if finish is not None:
            answer = finish(answer)
        done = time.perf_counter()
        answer.timings_ms = {
            "retrieve": (retrieved - started) * 1000,
            "answer": (done - retrieved) * 1000,
            "total": (done - started) * 1000,
        }
        return answer

    return RunnableLambda(run, name="govqa")
