"""Republished copies in answers: one member of a group cited, the others named, and
copies that disagree on a figure flagged with both citations.

A report republished by several outlets is one news item; citing three copies of it
says nothing three times. Each cited report keeps the first copy cited (the others are
listed under it as "also reported by"), and when a copy of the cited report states the
answered figure otherwise (the same metric, kind and year, another value), the answer
says so instead of picking one copy silently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ingest.script import Script, render_in, to_simplified
from retrieval.citing import citation, make_source
from retrieval.store import FigureRow, Store, StoredReport
from retrieval.types import Answer, Copy, Source


def annotate(store: Store, answer: Answer) -> Answer:
    """``answer`` with its sources' copies named, copies of one report cited once, and
    conflicts between copies stated."""
    if not answer.sources:
        return answer
    copies = store.copies_of(s.doc_id for s in answer.sources)
    if not any(copies.values()):
        return answer
    script: Script = answer.lang  # type: ignore[assignment]
    reports = store.get_reports({c for found in copies.values() for c in found})
    kept: list[Source] = []
    covered: set[str] = set()  # copies of the reports kept
    for source in answer.sources:
        if source.doc_id in covered:
            continue  # a copy of a report cited above: named under it
        others = [reports[c] for c in copies.get(source.doc_id, []) if c in reports]
        covered.update(o.doc_id for o in others)
        kept.append(replace(source, also_reported_by=tuple(_copy(o, script) for o in others)))
    answer.sources = kept
    if answer.answered:
        notes = conflicts(store, answer, copies, script)
        if notes:
            answer.answer += "\n" + "\n".join(notes)
            answer.confidence = min(answer.confidence, 0.5)
    return answer


def _copy(report: StoredReport, script: Script) -> Copy:
    """A copy as listed under its original."""
    return Copy(
        report.doc_id,
        report.file,
        render_in(report.title, script),
        render_in(report.outlet, script) if report.outlet else None,
    )


def conflicts(
    store: Store, answer: Answer, copies: dict[str, list[str]], script: Script
) -> list[str]:
    """Lines saying which copies of the first cited report state its figure otherwise."""
    first = answer.sources[0]
    others = copies.get(first.doc_id, [])
    if not others or not answer.short_answer:
        return []
    figures = store.figures(doc_ids=[first.doc_id, *others])
    answered = [
        f
        for f in figures
        if f["doc_id"] == first.doc_id
        and re.search(rf"(?<![\d.]){re.escape(f['value'])}(?![\d.])", answer.short_answer)
    ]
    snippet = to_simplified(first.snippet)
    said = [f for f in answered if f["sentence"] in snippet] or answered
    lines = []
    for mine in said[:1]:
        differing = _differing(mine, [f for f in figures if f["doc_id"] in others])
        if not differing:
            continue
        reports = store.get_reports(f["doc_id"] for f in differing)
        for theirs in differing:
            report = reports[theirs["doc_id"]]
            lines.append(_conflict_line(mine, theirs, report, script))
            answer.sources.append(make_source(report, theirs["sentence"], 0.0, script))
    return lines


def _differing(mine: FigureRow, theirs: Sequence[FigureRow]) -> list[FigureRow]:
    return [
        f
        for f in theirs
        if f["metric"] == mine["metric"]
        and f["kind"] == mine["kind"]
        and f["year"] == mine["year"]
        and f["unit"] == mine["unit"]
        and f["value"] != mine["value"]
    ]


def _conflict_line(mine: FigureRow, theirs: FigureRow, report: StoredReport, script: Script) -> str:
    value = f"{theirs['value']}{theirs['unit']}"
    quote = render_in(theirs["sentence"], script)
    if script == "en":
        return (
            f"Note: a republished copy states {value} instead of {mine['value']}{mine['unit']}: "
            f"「{quote}」{citation(report, script)}"
        )
    text = f"注意：同一报道的另一版本写作{value}（而非{mine['value']}{mine['unit']}）：「{quote}」"
    return render_in(text, script) + citation(report, script)
