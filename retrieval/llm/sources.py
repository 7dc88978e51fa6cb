"""Numbered sources: the retrieved chunks as the model sees them (``<source>`` blocks with
instruction-like passages marked), and what counts as evidence in each for the verifier."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.documents import Document

from ingest.script import to_simplified
from retrieval.injection import ESCAPES, split_instructions
from retrieval.prompts import SOURCE_BLOCK
from retrieval.store import StoredReport
from retrieval.years import sentence_context

MAX_CONTEXT = 8  # numbered sources shown to the model


@dataclass(frozen=True)
class NumberedSource:
    """One retrieved chunk as the model sees it, and what counts as its evidence."""

    number: int
    document: Document
    report: StoredReport
    prompt_text: str  # simplified chunk text, suspect passages marked
    sentences: tuple[str, ...]  # simplified evidence sentences, suspect passages left out
    years: tuple[str | None, ...]  # the year each sentence speaks of
    suspect: tuple[str, ...]

    def block(self) -> str:
        report = self.report
        attributes = {
            "title": to_simplified(report.title),
            "region": to_simplified(report.region or ""),
            "date": report.date or "",
            "file": report.file,
        }
        rendered = " ".join(
            f'{k}="{v.translate(ESCAPES).replace(chr(34), "“")}"'
            for k, v in attributes.items()
            if v
        )
        return SOURCE_BLOCK.format(number=self.number, attributes=rendered, text=self.prompt_text)

    def header(self) -> str:
        """The report's metadata as evidence (a date also written 2025年2月13日)."""
        report = self.report
        parts = [report.title, report.region or "", report.meeting or "", report.file]
        if report.date:
            parts.append(report.date)
            year, month, day = (report.date.split("-") + ["", "", ""])[:3]
            if year and month and day:
                parts.append(f"{year}年{int(month)}月{int(day)}日")
        return to_simplified(" ".join(parts))


def number_sources(
    documents: Sequence[Document], reports: dict[str, StoredReport], limit: int
) -> list[NumberedSource]:
    """Distinct chunks of known reports, numbered from 1, at most ``limit``."""
    sources: list[NumberedSource] = []
    seen: set[str] = set()
    years_of: dict[str, dict[str, str | None]] = {}
    for document in documents:
        key = str(document.metadata.get("chunk_id") or document.metadata["index_text"])
        report = reports.get(document.metadata["doc_id"])
        if key in seen or report is None:
            continue
        seen.add(key)
        shown, evidence, suspect = split_instructions(document.metadata["index_text"])
        if report.doc_id not in years_of:
            # The same reading of years as the extractive answerer's (明年, 去年, a year
            # named earlier in the paragraph, else the report's own).
            text = to_simplified(report.cleaned_text)
            years_of[report.doc_id] = sentence_context(text, report.year)[0]
        years = years_of[report.doc_id]
        sources.append(
            NumberedSource(
                number=len(sources) + 1,
                document=document,
                report=report,
                prompt_text=shown,
                sentences=tuple(evidence),
                years=tuple(years.get(sentence, report.year) for sentence in evidence),
                suspect=tuple(suspect),
            )
        )
        if len(sources) >= limit:
            break
    return sources
