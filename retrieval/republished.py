"""Republished copies in answers: one member of a group cited, the others named, and
copies that disagree on the answer flagged with both citations.

A report republished by several outlets is one news item; citing three copies of it
says nothing three times. Each cited report keeps the first copy cited (the others are
listed under it as "also reported by"), and when a copy of the cited report writes the
cited sentence with another figure or name where the answer stands, the answer says so
instead of picking one copy silently.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.script import Script, render_in, to_simplified
from ingest.zh.patterns import sentences
from retrieval.citing import citation, make_source
from retrieval.store import Store, StoredReport
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
    """Lines quoting each copy of the first cited report that writes the cited sentence
    with something else where the answer stands: its most alike sentence (character
    bigrams), the same words around the answer, other words in its place
    (区长唐书宁主持会议 / 区长唐书明主持会议; 318.6亿元 / 319.6亿元; not 15.0% / 15%)."""
    first = answer.sources[0]
    others = copies.get(first.doc_id, [])
    core = to_simplified(re.split(r"[（(，,]", answer.short_answer or "", maxsplit=1)[0]).strip()
    cited = to_simplified(first.snippet)
    if not others or len(core) < 2 or core not in cited:
        return []
    texts = store.cleaned_texts(others)
    reports = store.get_reports(texts)
    lines = []
    for doc_id, text in texts.items():
        score, theirs = max(
            ((_resemblance(cited, s), s) for s in sentences(to_simplified(text))),
            default=(0.0, ""),
        )
        instead = _instead(cited, theirs, core) if score >= SAME_SENTENCE else None
        if instead is None:
            continue
        quote = render_in(theirs, script)
        line = (
            f"Note: a republished copy writes {instead} instead of {core}: 「{quote}」"
            if script == "en"
            else render_in(
                f"注意：同一报道的另一版本写作{instead}（而非{core}）：「{quote}」", script
            )
        )
        lines.append(line + citation(reports[doc_id], script))
        answer.sources.append(make_source(reports[doc_id], theirs, 0.0, script))
    return lines


# Two sentences this alike (character bigrams, Jaccard) are one sentence, edited.
SAME_SENTENCE = 0.6
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _resemblance(a: str, b: str) -> float:
    grams_a = {a[i : i + 2] for i in range(len(a) - 1)}
    grams_b = {b[i : i + 2] for i in range(len(b) - 1)}
    return len(grams_a & grams_b) / (len(grams_a | grams_b) or 1)


def _instead(cited: str, theirs: str, core: str) -> str | None:
    """What ``theirs`` writes where ``cited`` writes ``core`` — the same words around it,
    other words between — or None (the same, the same number written otherwise, or a
    sentence cut short)."""
    if core in theirs:
        return None
    at = cited.find(core)
    before, after = cited[max(at - 6, 0) : at], cited[at + len(core) : at + len(core) + 6]
    start = theirs.find(before) + len(before) if before else 0
    end = theirs.find(after, start) if after else len(theirs)
    if (before and start < len(before)) or end < 0:
        return None
    between = theirs[start:end]
    if not 0 < len(between) <= 2 * len(core) + 4 or _same_numbers(between, core):
        return None
    return between


def _same_numbers(a: str, b: str) -> bool:
    """15% and 15.0%: the same words and numbers, written otherwise."""
    numbers_a = [float(n) for n in _NUMBER.findall(a)]
    numbers_b = [float(n) for n in _NUMBER.findall(b)]
    return bool(numbers_a) and numbers_a == numbers_b and _NUMBER.sub("#", a) == _NUMBER.sub("#", b)
