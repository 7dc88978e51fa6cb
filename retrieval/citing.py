"""How an answer shows itself: the answer line, quoted evidence with its citation, and
the sources list — the same for every answerer, in the asker's script."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ingest.script import Script, render_in
from retrieval.messages import cite, message
from retrieval.store import StoredReport
from retrieval.types import Answer, Source


def answer_line(span: str, script: Script) -> str:
    """答：414.9亿元 / Answer: 414.9亿元"""
    label = message("answer", script)
    shown = render_in(span, script)
    return f"{label}: {shown}" if script == "en" else f"{label}：{shown}"


def citation(report: StoredReport, script: Script) -> str:
    """（title · region · date · file）"""
    return cite(
        render_in(report.title, script),
        render_in(report.region, script) if report.region else None,
        report.date,
        report.file,
        script,
        report.ocr_confidence,
    )


def evidence_line(sentence: str, report: StoredReport, script: Script) -> str:
    """依据：「…」（title · region · date · file）"""
    quote = render_in(sentence, script)
    evidence = message("evidence", script)
    if script == "en":
        return f"{evidence}: 「{quote}」 {citation(report, script)}"
    return f"{evidence}：「{quote}」{citation(report, script)}"


def make_source(report: StoredReport, sentence: str, score: float, script: Script) -> Source:
    """A cited report with its metadata, shown in the asker's script."""

    def shown(text: str | None) -> str | None:
        return render_in(text, script) if text else None

    return Source(
        file=report.file,
        doc_id=report.doc_id,
        title=render_in(report.title, script),
        date=report.date,
        snippet=render_in(sentence, script),
        score=score,
        date_confidence=report.date_confidence,
        region=shown(report.region),
        meeting=shown(report.meeting),
        outlet=shown(report.outlet),
        reporters=tuple(render_in(r, script) for r in report.reporters),
        ocr_confidence=report.ocr_confidence,
    )


# Evidence read by OCR with less confidence than this is pointed out under the answer.
OCR_CAUTION_BELOW = 0.9


def ocr_caution(answer: Answer) -> Answer:
    """``answer`` with a caution when its evidence was read by OCR with low confidence
    (its confidence no higher than the OCR's)."""
    read = [s.ocr_confidence for s in answer.sources if s.ocr_confidence is not None]
    if not answer.answered or not read or min(read) >= OCR_CAUTION_BELOW:
        return answer
    lowest = min(read)
    script: Script = answer.lang  # type: ignore[assignment]
    answer.answer += "\n" + message("ocr_caution", script).format(confidence=f"{lowest:.2f}")
    answer.confidence = min(answer.confidence, lowest)
    return answer


def with_pinyin(text: str, names: Iterable[str]) -> str:
    """郭炜（区长） → 郭炜 (Guo Wei)（区长), for English readers."""
    from pypinyin import lazy_pinyin

    for name in sorted(set(names), key=len, reverse=True):
        syllables = lazy_pinyin(name)
        spelled = f"{syllables[0].title()} {''.join(syllables[1:]).title()}"
        text = re.sub(rf"{re.escape(name)}(?! \()", f"{name} ({spelled})", text)
    return text
