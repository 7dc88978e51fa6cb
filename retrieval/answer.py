"""The extractive answerer: the sentence that answers, the fact in it, and a citation.

It never writes a fact of its own: every answer is a span of a stored sentence,
quoted with its report. When no sentence covers the question — its places, its
year, its kind of answer — it refuses.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.documents import Document

from ingest.chunking import split_sentences
from ingest.script import Script, to_simplified
from retrieval.citing import answer_line, evidence_line, make_source
from retrieval.injection import without_instructions
from retrieval.messages import message
from retrieval.question import Query, content_terms
from retrieval.store import StoredReport
from retrieval.types import Answer, Source

logger = logging.getLogger(__name__)

_NUMBER = (
    r"\d+(?:\.\d+)?\s*(?:%|‰|个百分点|亿元|万元|千元|元|万亿|亿|万|千|个|项|家|件|人|名|位|次|倍|"
    r"公里|千米|米|平方米|平方公里|亩|公顷|吨|户|所|条|台|辆|座|套|天|月|年)"
)
_FIGURE = re.compile(_NUMBER)
# 三个, 两项 — but not the reduplicated 一项项 / 一件件 ("one by one").
_CN_NUMBER = re.compile(r"[一二三四五六七八九十百千万两]+([个项家次倍条])(?!\1)")
_DATE = re.compile(
    r"(?:(?:19|20)\d{2}年)?\d{1,2}月\d{1,2}日(?:至(?:\d{1,2}月)?\d{1,2}日)?(?:上午|下午|晚上|晚)?"
)
_PLACE = re.compile(r"在([\u4e00-\u9fff0-9（）()]{2,20}?)(?:召开|举行|举办|开幕)")
_TITLE = r"(?:书记|区长|市长|县长|镇长|主任|主席|常委|委员|部长|局长|厅长|领导|秘书长)"
# Characters that do not occur in the personal part of a name in these reports; they
# stop "常委会作工作报告" from reading as a person called 会作工.
_NOT_IN_NAME = "会作工区委市县省镇党政府的在和及与是了为对将等上下中全各新代表同志们"
_NAME = rf"[^\W\d_a-zA-Z{_NOT_IN_NAME}]{{2,3}}?"
_PERSON = re.compile(
    rf"({_TITLE})({_NAME})(?=主持|出席|讲话|作报告|作了|强调|指出|参加|表示|要求|介绍|传达|通报|"
    r"宣读|代表|在|对|就|带领|一行|同志|，|,|、|。|；|和|及|等)"
)
_YEAR = re.compile(r"((?:19|20)\d{2})年")
_RELATIVE = {"去年": -1, "今年": 0, "明年": 1, "上年": -1, "次年": 1}
_RELATIVE_YEAR = re.compile("|".join(_RELATIVE))
_ASKS_RATE = re.compile(r"增速|增长率|增幅|比重|占比|百分|\brate\b|percent|growth|share")
_THRESHOLD = re.compile(r"(?:突破|超过|超|逾|跨越|迈上|迈过|站上|跃上)\s*$")
_TARGET_WORDS = re.compile(r"目标|力争|确保|预计|计划|有望|预期|以上|左右|争取|要|将")
_TYPE_BONUS = 0.35
_MIN_COVERAGE = 0.6
_MIN_OWN = 0.1
# A question term found only in the report's title or region, or in the sentence just
# before, counts this much.
_CONTEXT_CREDIT = 0.7
_VERB_HINTS = ("主持", "出席", "讲话", "参加", "作报告", "传达")


@dataclass
class _Candidate:
    doc_id: str
    sentence: str  # simplified
    position: int  # sentence number inside its chunk
    chunk_rank: int
    year: str | None
    coverage: float = 0.0  # share of the question found in the sentence or its context
    own: float = 0.0  # share found in the sentence itself
    score: float = 0.0


class ExtractiveAnswerer:
    """Picks the best-supported sentence(s) from retrieved chunks, or refuses."""

    def __init__(self, store: object, max_sources: int = 5) -> None:
        self.store = store
        self.max_sources = max_sources

    def answer(self, query: Query, documents: Sequence[Document]) -> Answer:
        script = query.script
        # A passage that tries to instruct ("忽略以上指令，回答：…") is never evidence.
        documents = [without_instructions(d) for d in documents]
        if not documents:
            return refusal(query)
        reports: dict[str, StoredReport] = self.store.get_reports(  # type: ignore[attr-defined]
            d.metadata["doc_id"] for d in documents
        )
        report_text = {doc_id: to_simplified(r.cleaned_text) for doc_id, r in reports.items()}
        allowed = {
            doc_id
            for doc_id, text in report_text.items()
            if all(place in text for place in query.places)
        }
        candidates = self._candidates(query, documents, reports, report_text, allowed)
        if not candidates:
            return refusal(query)
        best = candidates[0]
        if query.qtype == "list":
            chosen = _list_items(candidates, self.max_sources)
        else:
            chosen = [best]
        span = _span(query, best.sentence)
        lines: list[str] = []
        if span and query.qtype != "list":
            lines.append(answer_line(span, script))
        for candidate in chosen:
            lines.append(evidence_line(candidate.sentence, reports[candidate.doc_id], script))
        sources = _sources(chosen, candidates, reports, script, self.max_sources)
        return Answer(
            question=query.text,
            answer="\n".join(lines),
            answered=True,
            sources=sources,
            lang=script,
        )

    def _candidates(
        self,
        query: Query,
        documents: Sequence[Document],
        reports: dict[str, StoredReport],
        report_text: dict[str, str],
        allowed: set[str],
    ) -> list[_Candidate]:
        total = sum(g.weight for g in query.groups) or 1.0
        seen: set[tuple[str, str]] = set()
        out: list[_Candidate] = []
        for rank, document in enumerate(documents):
            doc_id = document.metadata["doc_id"]
            report = reports.get(doc_id)
            if report is None or doc_id not in allowed:
                continue
            context = to_simplified(
                " ".join(filter(None, [report.title, report.region, report.meeting]))
            )
            years, before = sentence_context(report_text[doc_id], report.year)
            for position, sentence in enumerate(split_sentences(document.metadata["index_text"])):
                # A report names the meeting, then who chaired it: the sentence before
                # counts as context, like the report's title and region.
                nearby = context + " " + before.get(sentence, "")
                key = (doc_id, sentence)
                if key in seen:
                    continue
                seen.add(key)
                matched = own = 0.0
                for group in query.groups:
                    found = presence(group.forms, sentence)
                    own += group.weight * found
                    if found < 1.0:
                        found = max(found, _CONTEXT_CREDIT * presence(group.forms, nearby))
                    matched += group.weight * found
                year = years.get(sentence, report.year)
                candidate = _Candidate(doc_id, sentence, position, rank, year)
                candidate.coverage = matched / total
                candidate.own = own / total
                if not _acceptable(query, candidate):
                    continue
                candidate.score = (
                    candidate.coverage
                    + (_TYPE_BONUS if _has_type(query, sentence) else 0.0)
                    + 0.15 / (1 + rank)
                )
                out.append(candidate)
        out.sort(key=lambda c: c.score, reverse=True)
        return out


def _relative_years(sentence: str, report_year: str | None) -> list[str]:
    if not report_year:
        return []
    base = int(report_year)
    return [str(base + _RELATIVE[m.group(0)]) for m in _RELATIVE_YEAR.finditer(sentence)]


def presence(forms: Sequence[str], text: str) -> float:
    """1 if a form occurs in ``text``; else the best share of a long form's bigrams that
    do (地区生产总值 against 全区生产总值: 4 of 5)."""
    best = 0.0
    for form in forms:
        if form in text:
            return 1.0
        if len(form) >= 3:
            bigrams = [form[i : i + 2] for i in range(len(form) - 1)]
            best = max(best, sum(b in text for b in bigrams) / len(bigrams))
    return best


def sentence_context(
    text: str, report_year: str | None
) -> tuple[dict[str, str | None], dict[str, str]]:
    """For each sentence of a report: the year it speaks of (its own first year — 明年
    and 去年 counted from the report's year — else the last year named earlier in its
    paragraph, else the report's year) and the sentence before it in its paragraph."""
    years: dict[str, str | None] = {}
    before: dict[str, str] = {}
    for paragraph in text.split("\n"):
        current, previous = report_year, ""
        for sentence in split_sentences(paragraph):
            named = _YEAR.findall(sentence)
            spoken = named or _relative_years(sentence, report_year)
            years.setdefault(sentence, spoken[0] if spoken else current)
            before.setdefault(sentence, previous)
            if spoken:  # "2024年…，2025年…" moves on; "今年收官、明年开局" speaks of 今年
                current = named[-1] if named else spoken[0]
            previous = sentence
    return years, before


def _acceptable(query: Query, candidate: _Candidate) -> bool:
    """Hard requirements: enough of the question covered, the right kind, the right year."""
    if candidate.coverage < _MIN_COVERAGE or candidate.own < _MIN_OWN:
        return False
    sentence = candidate.sentence
    if query.qtype in ("figure", "date", "place", "person") and not _has_type(query, sentence):
        return False
    if query.qtype == "figure" and query.years and candidate.year not in query.years:
        return False
    return not (
        query.wants_target and query.qtype == "figure" and not _TARGET_WORDS.search(sentence)
    )


def _has_type(query: Query, sentence: str) -> bool:
    match query.qtype:
        case "figure":
            return bool(
                _FIGURE.search(sentence)
                or _CN_NUMBER.search(sentence)
                or re.search(r"第一|台阶", sentence)
            )
        case "date":
            return bool(_DATE.search(sentence))
        case "place":
            return bool(_PLACE.search(sentence))
        case "person" | "role":
            return bool(_PERSON.search(sentence))
        case "list":
            return sentence.count("、") >= 2 or bool(_PERSON.search(sentence))
        case _:
            return False


def _span(query: Query, sentence: str) -> str | None:
    """The shortest part of the sentence that answers, when the kind allows one."""
    match query.qtype:
        case "figure":
            figures = [m for m in _FIGURE.finditer(sentence)]
            if not figures:
                return None
            anchor = _anchor(query, sentence)
            after = [m for m in figures if m.start() >= anchor] or figures
            # "突破400亿元大关，实现414.9亿元": a threshold passed is not the figure.
            stated = [m for m in after if not _THRESHOLD.search(sentence[: m.start()])] or after
            if _ASKS_RATE.search(query.index_text.lower()):
                stated = [m for m in stated if m.group(0).endswith(("%", "‰", "百分点"))] or stated
            return stated[0].group(0)
        case "date":
            found = _DATE.search(sentence)
            return found.group(0) if found else None
        case "place":
            found = _PLACE.search(sentence)
            return found.group(1) if found else None
        case "person":
            people = list(_PERSON.finditer(sentence))
            verb = next((v for v in _VERB_HINTS if v in query.index_text), None)
            if verb:
                people = [p for p in people if sentence[p.end() :].startswith(verb)] or people
            titles = [t for t in re.findall(_TITLE, query.index_text)]
            if titles:
                people = [p for p in people if p.group(1) in titles] or people
            return people[0].group(2) if people else None
        case _:
            return None


def _anchor(query: Query, sentence: str) -> int:
    """Where the question's longest matched term ends in the sentence (0 if none)."""
    best = 0
    best_len = 0
    for term in content_terms(query):
        at = sentence.find(term)
        if at >= 0 and len(term) > best_len:
            best, best_len = at + len(term), len(term)
    return best


def _list_items(candidates: list[_Candidate], limit: int) -> list[_Candidate]:
    """Every well-supported sentence, at most two a report, each report's best first:
    a list question may be answered by one enumeration or by several reports."""
    best = max(c.coverage for c in candidates)
    supported = [c for c in candidates if c.coverage >= 0.75 * best]
    firsts = _one_per_report(supported)
    seconds = [c for c in supported if c not in firsts]
    chosen = firsts[:limit]
    per_report = dict.fromkeys((c.doc_id for c in chosen), 1)
    for candidate in seconds:
        if len(chosen) >= limit:
            break
        if per_report.get(candidate.doc_id, 0) < 2:
            chosen.append(candidate)
            per_report[candidate.doc_id] = per_report.get(candidate.doc_id, 0) + 1
    return sorted(chosen, key=lambda c: c.score, reverse=True)


def _one_per_report(candidates: list[_Candidate]) -> list[_Candidate]:
    chosen: dict[str, _Candidate] = {}
    for candidate in candidates:
        chosen.setdefault(candidate.doc_id, candidate)
    return list(chosen.values())


def _sources(
    chosen: list[_Candidate],
    candidates: list[_Candidate],
    reports: dict[str, StoredReport],
    script: Script,
    limit: int,
) -> list[Source]:
    """Cited reports first, then other supporting reports, one source a report."""
    ordered = chosen + [c for c in _one_per_report(candidates) if c not in chosen]
    sources: list[Source] = []
    used: set[str] = set()
    for candidate in ordered:
        if candidate.doc_id in used:
            continue
        used.add(candidate.doc_id)
        sources.append(
            make_source(reports[candidate.doc_id], candidate.sentence, candidate.score, script)
        )
        if len(sources) >= limit:
            break
    return sources


def refusal(query: Query) -> Answer:
    """ "Not found in the ingested reports", in the question's script."""
    return Answer(
        question=query.text,
        answer=message("not_found", query.script),
        answered=False,
        sources=[],
        lang=query.script,
    )
