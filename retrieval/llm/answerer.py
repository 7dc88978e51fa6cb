"""The LLM answerer: numbered sources to the chat model, its answer through the verifier,
and the extractive answer whenever either fails.

When the model says it found nothing but the extractive answerer does find a supported
answer, the extractive answer is returned (the extractive answer quotes a stored sentence,
so it cannot be a fabrication; a refusal that hides it would only lose an answer).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from langchain_core.documents import Document
from langchain_core.output_parsers import StrOutputParser

from ingest.script import render_in, to_simplified
from retrieval.answer import ExtractiveAnswerer, naming_places, refusal
from retrieval.citing import make_source
from retrieval.injection import without_instructions
from retrieval.llm.sources import MAX_CONTEXT, NumberedSource, number_sources
from retrieval.llm.verifier import (
    CITATION,
    citations,
    figures,
    normal_form,
    person_names,
    says_not_found,
    verify,
)
from retrieval.prompts import ANSWER_PROMPT, LANGUAGE
from retrieval.question import Query
from retrieval.store import Store, StoredReport
from retrieval.types import Answer

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

# The name the answerer logged with as one module (retrieval.llm).
logger = logging.getLogger("retrieval.llm")

_SNIPPET_CHARS = 80


class LLMAnswerer:
    """Answers with a chat model over numbered sources; falls back to ``fallback``
    (the extractive answerer) whenever the model's answer fails the verifier or the
    model cannot be reached."""

    def __init__(
        self,
        chat_model: BaseChatModel,
        fallback: ExtractiveAnswerer,
        store: Store,
        max_sources: int = 5,
        max_context: int = MAX_CONTEXT,
    ) -> None:
        self.fallback = fallback
        self.store = store
        self.max_sources = max_sources
        self.max_context = max(max_context, max_sources)
        self.chain = ANSWER_PROMPT | chat_model | StrOutputParser()

    def answer(self, query: Query, documents: Sequence[Document]) -> Answer:
        # Instruction-like passages are never evidence: the model sees them marked as
        # suspect, the verifier and the extractive fallback do not see them at all.
        clean = [without_instructions(d) for d in documents]
        reports: dict[str, StoredReport] = self.store.get_reports(
            d.metadata["doc_id"] for d in documents
        )
        texts = {doc_id: to_simplified(r.cleaned_text) for doc_id, r in reports.items()}
        # Like the extractive answerer: only reports that name the question's places.
        allowed = naming_places(query, documents, texts)
        sources = number_sources(allowed, reports, self.max_context)
        if not sources:
            return self.fallback.answer(query, clean)
        try:
            reply = self.chain.invoke(
                {
                    "sources": "\n".join(s.block() for s in sources),
                    "question": query.text.strip(),
                    "language": LANGUAGE[query.script],
                }
            )
        except Exception as e:  # timeouts, HTTP errors, and replies that are not a completion
            # (invalid JSON, an HTML page, no choices): the extractive answer stands.
            logger.warning(
                "LLM unavailable, answering without it: %s",
                _describe(e),
                exc_info=logger.isEnabledFor(logging.DEBUG),
            )
            return self.fallback.answer(query, clean)
        text = reply.strip() if isinstance(reply, str) else ""
        if not text:
            logger.warning("LLM answer rejected: %s", "the model returned no text")
            return self.fallback.answer(query, clean)

        if says_not_found(text):
            extractive = self.fallback.answer(query, clean)
            if extractive.answered:
                logger.warning(
                    "LLM answer rejected: %s",
                    "the model found no answer but the extractive answerer found one",
                )
                return extractive
            return refusal(query)
        reason = verify(text, query, sources)
        if reason is not None:
            logger.warning("LLM answer rejected: %s", reason)
            return self.fallback.answer(query, clean)
        return self._accepted(query, text, sources)

    def _accepted(self, query: Query, text: str, sources: Sequence[NumberedSource]) -> Answer:
        script = query.script
        cited = citations(text)
        by_number = {s.number: s for s in sources}
        answer_plain = normal_form(CITATION.sub(" ", text))
        needles = [f.value for f in figures(answer_plain)] + person_names(answer_plain, True)
        # Cited sources first (one per report, all of them), then the others up to the limit.
        ordered = [by_number[n] for n in cited] + [s for s in sources if s.number not in cited]
        position: dict[str, int] = {}
        chosen: list[tuple[NumberedSource, str]] = []
        for source in ordered:
            doc_id = source.report.doc_id
            if doc_id in position:
                continue
            if source.number not in cited and len(chosen) >= self.max_sources:
                break
            position[doc_id] = len(chosen) + 1
            chosen.append((source, _best_sentence(source, needles, answer_plain)))
        renumber = {n: position[by_number[n].report.doc_id] for n in cited}

        def relabel(m: re.Match[str]) -> str:
            numbers = dict.fromkeys(renumber[int(n)] for n in re.findall(r"\d+", m.group(1)))
            return "".join(f"[{n}]" for n in numbers)

        body = CITATION.sub(relabel, text)
        if script != "en":
            body = render_in(body, script)
        return Answer(
            question=query.text,
            answer=body,
            answered=True,
            sources=[
                make_source(
                    s.report, snippet, float(s.document.metadata.get("score") or 0.0), script
                )
                for s, snippet in chosen
            ],
            lang=script,
        )


def _best_sentence(source: NumberedSource, needles: Sequence[str], answer: str) -> str:
    """The sentence of the chunk that holds most of the answer's figures and names, else
    the one sharing most of its character bigrams, else the chunk's opening (never a
    suspect passage)."""
    bigrams = {answer[i : i + 2] for i in range(len(answer) - 1)}

    def score(sentence: str) -> tuple[int, int]:
        plain = normal_form(sentence)
        held = sum(n in plain for n in needles)
        shared = sum(plain[i : i + 2] in bigrams for i in range(len(plain) - 1))
        return held, shared

    if source.sentences:
        best = max(source.sentences, key=score)
        if score(best) > (0, 1):
            return best
    opening = "".join(source.sentences) or to_simplified(source.report.title)
    return opening if len(opening) <= _SNIPPET_CHARS else opening[:_SNIPPET_CHARS] + "…"


def _describe(error: BaseException) -> str:
    status = getattr(error, "status_code", None)
    kind = type(error).__name__
    return f"{kind} (HTTP {status})" if status else f"{kind}: {error}"
