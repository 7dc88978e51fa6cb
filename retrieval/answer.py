"""The extractive answerer: the sentence that answers, the fact in it, and a citation.

It never writes a fact of its own: every answer is a span of a stored sentence,
quoted with its report. When no sentence covers the question — its places, its
year, its kind of answer — it refuses.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from langchain_core.documents import Document

from ingest.chunking import split_sentences
from ingest.script import Script, render_in, to_simplified
from retrieval.asking import Expected
from retrieval.candidates import Candidate, Weights, gather, wanted_words
from retrieval.choosing import best_candidate, list_items, short_answer, supporting
from retrieval.citing import answer_line, evidence_line, make_source
from retrieval.injection import without_instructions
from retrieval.messages import message
from retrieval.question import Query
from retrieval.ranking import AnswererModel, Ranked, load_model, promote, rank
from retrieval.reading import Toponyms
from retrieval.relative_time import TimeBasis
from retrieval.store import Store, StoredReport
from retrieval.types import Answer, Source
from retrieval.years import sentence_context, speaks_of

_TARGET_WORDS = re.compile(r"目标|力争|确保|预计|计划|有望|预期|以上|左右|争取|要|将")


class ExtractiveAnswerer:
    """Reads the answer out of the retrieved sentences, or refuses.

    Every sentence of the retrieved chunks is a candidate (:mod:`retrieval.candidates`);
    the ranker orders them and the calibrator says how sure the best one is
    (:mod:`retrieval.ranking`). Below the threshold chosen on training questions the
    answer is a refusal that lists the closest passages, marked as such.
    """

    def __init__(
        self,
        store: Store,
        max_sources: int = 5,
        model: AnswererModel | None = None,
        toponyms: Toponyms | None = None,
        name_part: Callable[[str], str | None] | None = None,
    ) -> None:
        self.store = store
        self.max_sources = max_sources
        self._model = model
        self.toponyms = toponyms  # the dictionary's place names in a phrase (冲绳, 伊朗)
        self.name_part = name_part  # the name a gap opens with: 王明还提到 → 王明

    @property
    def model(self) -> AnswererModel:
        if self._model is None:
            self._model = load_model()
        return self._model

    def candidates(
        self, query: Query, documents: Sequence[Document]
    ) -> tuple[Expected, list[Candidate], dict[str, StoredReport]]:
        """The question's expected answer, every acceptable candidate sentence of the
        retrieved chunks, and their reports."""
        # A passage that tries to instruct ("忽略以上指令，回答：…") is never evidence.
        documents = [without_instructions(d) for d in documents]
        expected = query.expected
        reports: dict[str, StoredReport] = self.store.get_reports(
            d.metadata["doc_id"] for d in documents
        )
        report_text = {doc_id: to_simplified(r.cleaned_text) for doc_id, r in reports.items()}
        allowed = naming_places(query, documents, report_text)
        content = query_content(query, expected)
        if query.script == "en":
            # No Chinese wording to cut at the asking words: the Chinese forms of the
            # question's terms anchor the answer on both sides.
            expected = replace(expected, left=content, right=content)
        groups = [(g.forms, g.weight) for g in query.groups]
        chunks, frequencies = self.store.document_frequencies(
            Weights.terms([f for g in groups for f in g[0]])
        )
        wanted = wanted_words(groups, Weights(chunks, frequencies))
        titles = {doc_id: to_simplified(r.title) for doc_id, r in reports.items()}
        found = gather(expected, wanted, content, allowed, titles, self.toponyms)
        basis = query.time_basis
        per_report = basis is not None and basis.per_report and bool(basis.words)
        # The year each sentence speaks of (its own, or its report's), when years matter.
        contexts = (
            {
                doc_id: sentence_context(report_text[doc_id], r.year)[0]
                for doc_id, r in reports.items()
            }
            if query.years or per_report
            else {}
        )
        if query.years:
            for c in found:
                said = contexts[c.doc_id].get(c.sentence, reports[c.doc_id].year)
                c.year_ok = float(said in query.years or any(y in c.sentence for y in query.years))
        weights = Weights(chunks, frequencies)
        if any(g.name and not any(weights.known(f) for f in g.forms) for g in query.groups):
            # The question names something (沃嘉汽车, 华亭) that no report holds: any
            # sentence found would be about someone else.
            return expected, [], reports
        if basis is not None and basis.window is not None and not basis.per_report:
            # 上月, 近日: only reports dated then
            found = [
                c
                for c in found
                if basis.in_window(reports[c.doc_id].date or reports[c.doc_id].date_estimate)
            ]
        if basis is not None and basis.words and query.years and not basis.per_report:
            # 去年 read from now: only sentences of that year (a soft feature otherwise)
            found = [c for c in found if c.year_ok]
        elif basis is not None and per_report:
            # The second try: 去年 as each report says it (the year before its date).
            found = [c for c in found if _own_year(c, basis, reports[c.doc_id], contexts)]
        if query.years:
            # A report that neither names the year asked nor is dated next to it (今年,
            # 去年) does not speak of it: "2033年上半年…" is not 2023's 上半年. (Its
            # passages still count in the chunks' ranks the ranker reads.)
            speaking = {
                doc_id
                for doc_id, r in reports.items()
                if speaks_of(query.years, report_text[doc_id], r.year)
            }
            found = [c for c in found if c.doc_id in speaking]
        unknown = any(not any(weights.known(f) for f in forms) for forms, _ in groups)
        small = 1.0 / (1.0 + math.log10(max(chunks, 1)))  # 1 for a handful of chunks
        for c in found:
            c.unknown_word = float(unknown)
            c.small_index = small
        if query.wants_target and expected.kind == "number":
            found = [c for c in found if _TARGET_WORDS.search(c.sentence)]
        return expected, found, reports

    def decide(
        self, query: Query, documents: Sequence[Document]
    ) -> tuple[Expected, Ranked, dict[str, StoredReport]]:
        """The candidates ranked, the one to answer from first (the best sentence, or
        the best holding a typed answer), and the confidence of answering from it."""
        expected, found, reports = self.candidates(query, documents)
        model = self.model.for_script(query.script)
        ranked = rank(found, expected, model)
        if ranked.candidates:
            best = best_candidate(query, expected, ranked)
            if best is not ranked.candidates[0]:
                ranked = promote(ranked, ranked.candidates.index(best), expected, model)
        return expected, ranked, reports

    def answer(self, query: Query, documents: Sequence[Document]) -> Answer:
        expected, ranked, reports = self.decide(query, documents)
        if not ranked.candidates:
            # Refused before any ranking (a name or a year no report holds, no report
            # of the place asked): the reports that came nearest, marked as such.
            return refusal(query, self._nearest(query, documents, reports))
        return self.respond(query, expected, ranked, reports)

    def respond(
        self,
        query: Query,
        expected: Expected,
        ranked: Ranked,
        reports: dict[str, StoredReport],
    ) -> Answer:
        """The answer (or refusal) for what :meth:`decide` found."""
        script = query.script
        model = self.model.for_script(script)
        if ranked.candidates and _asks_reporter(query, expected):
            byline = self._reporters(query, ranked, reports)
            if byline is not None:
                return byline
            # Who wrote it, and no report found has a byline: no official stands in.
            return refusal(query, self._closest(ranked.candidates, reports, script))
        if not ranked.candidates or (
            ranked.confidence < model.threshold_for(expected.typed)
            and not _listed(expected, ranked)
        ):
            return refusal(query, self._closest(ranked.candidates, reports, script))
        best = ranked.candidates[0]
        short = short_answer(query, expected, best)
        if expected.kind == "person" and short and self.name_part:
            short = self.name_part(short)  # "谁是领导人" read as 要求: a verb, nobody
        if short is None and expected.kind in ("number", "date", "place", "choice"):
            # An amount, a date or a place asked and none read: quoting a sentence
            # that merely matches the question would pass for an answer.
            return refusal(query, self._closest(ranked.candidates, reports, script))
        if expected.kind == "list":
            chosen = list_items(ranked, self.max_sources)
        else:
            figure = expected.kind in ("number", "date")  # refused above without a short
            chosen = [best, *supporting(ranked, best, figure=figure)]
        lines: list[str] = []
        if short:
            lines.append(answer_line(short, script))
        for candidate in chosen:
            lines.append(evidence_line(candidate.sentence, reports[candidate.doc_id], script))
        sources = self._sources(chosen, ranked.candidates, reports, script)
        return Answer.given(
            query.text, lines, sources, script,
            short=render_in(short, script) if short else None, confidence=ranked.confidence,
        )  # fmt: skip

    def _reporters(
        self, query: Query, ranked: Ranked, reports: dict[str, StoredReport]
    ) -> Answer | None:
        """ "记者是谁": the byline of the report the question is about (the best
        candidate's), quoted from the sentence that carries it; None without one."""
        top = ranked.candidates[0]
        report = reports[top.doc_id]
        text = to_simplified(f"{report.title}\n{report.cleaned_text}")
        named = [g.forms for g in query.groups if not set(g.forms) & _ABOUT_A_REPORT]
        held = sum(any(f in text for f in forms) for forms in named)
        # English terms are dictionary guesses: most of them will do.
        needed = len(named) if query.script != "en" else 0.7 * len(named)
        if not report.reporters or not named or held < needed:
            return None  # no byline, or not plainly the report the question means
        same = [c for c in ranked.candidates if c.doc_id == report.doc_id]
        carrying = next(
            (c for c in same if any(name in c.sentence for name in report.reporters)), None
        )
        sentence = carrying.sentence if carrying else to_simplified(report.title)
        short = "、".join(report.reporters)
        script = query.script
        return Answer(
            question=query.text,
            answer="\n".join([answer_line(short, script), evidence_line(sentence, report, script)]),
            answered=True,
            sources=self._sources([carrying or same[0]], ranked.candidates, reports, script),
            lang=script,
            short_answer=render_in(short, script),
            confidence=ranked.confidence,
        )

    def _sources(
        self,
        chosen: list[Candidate],
        ranked: list[Candidate],
        reports: dict[str, StoredReport],
        script: Script,
    ) -> list[Source]:
        """Cited reports first, then the reports of the next candidates, one a report."""
        sources: list[Source] = []
        used: set[str] = set()
        for candidate in [*chosen, *ranked]:
            if candidate.doc_id in used:
                continue
            used.add(candidate.doc_id)
            sources.append(
                make_source(reports[candidate.doc_id], candidate.sentence, candidate.score, script)
            )
            if len(sources) >= self.max_sources:
                break
        return sources

    def _nearest(
        self, query: Query, documents: Sequence[Document], reports: dict[str, StoredReport]
    ) -> list[Source]:
        """The retrieved reports in retrieval order, one passage each: the sentence of
        its retrieved chunks that holds most of the question's terms."""
        forms = [f for g in query.groups for f in g.forms]
        best: dict[str, tuple[int, str]] = {}  # doc id → (terms held, sentence)
        scores: dict[str, float] = {}  # doc id → its best chunk's retrieval score
        for document in documents:
            doc_id = document.metadata["doc_id"]
            if doc_id not in reports:
                continue
            scores.setdefault(doc_id, float(document.metadata.get("score", 0.0)))
            for sentence in split_sentences(without_instructions(document).page_content):
                held = sum(f in to_simplified(sentence) for f in forms)
                if doc_id not in best or held > best[doc_id][0]:
                    best[doc_id] = (held, sentence)
        return [
            make_source(reports[doc_id], sentence, scores[doc_id], query.script)
            for doc_id, (_, sentence) in list(best.items())[: self.max_sources]
        ]

    def _closest(
        self, ranked: list[Candidate], reports: dict[str, StoredReport], script: Script
    ) -> list[Source]:
        """The reports of the best candidates, one passage a report: what a reader
        would open next (and where the right report usually is, when govqa refuses)."""
        return self._sources([], ranked, reports, script)


_REPORTER = re.compile(
    r"记者是谁|记者有哪些|作者是谁|谁写|撰稿人|署名|(?:报道|文章|稿件|新闻)的?(?:记者|作者)|"
    r"\breporters?\b|\bjournalists?\b|\bwho wrote\b|\bauthors?\b",
    re.IGNORECASE,
)


# Words that speak of a report rather than of what it reports.
_ABOUT_A_REPORT = frozenset(
    "报道 这篇 该篇 文章 新闻 稿件 记者 作者 写的 关于 撰写 署名 网讯".split()
)


def naming_places(
    query: Query, documents: Sequence[Document], texts: dict[str, str]
) -> list[Document]:
    """The passages whose reports (``texts``: simplified, by doc id) name every place
    the question writes as a place (宛城区: a report of 黔江区 cannot answer it)."""
    return [
        d
        for d in documents
        if d.metadata["doc_id"] in texts
        and all(place in texts[d.metadata["doc_id"]] for place in query.must_name)
    ]


def _asks_reporter(query: Query, expected: Expected) -> bool:
    """Whether the question asks who wrote the report (its byline)."""
    return expected.kind in ("person", "list") and bool(_REPORTER.search(query.text))


def _listed(expected: Expected, ranked: Ranked) -> bool:
    """A list question ("哪些会议提到了…") is answered by every report that says so:
    enough when the best sentence holds everything telling the question asks about."""
    best = ranked.candidates[0]
    return expected.kind == "list" and best.missing < 0.5 and best.coverage >= 0.6


def query_content(query: Query, expected: Expected) -> str:
    """What of the question an answering sentence should repeat: its two sides around
    the asking words (Chinese), or the Chinese forms of its terms (English)."""
    if query.script == "en":
        return "|".join(f for g in query.groups for f in g.forms)
    return (expected.left + expected.right) or query.index_text


def _own_year(
    c: Candidate,
    basis: TimeBasis,
    report: StoredReport,
    contexts: dict[str, dict[str, str | None]],
) -> bool:
    """Whether ``c`` speaks of the question's 去年 as its own report means it: true for an
    undated report (its own 去年 cannot be told) and a sentence saying 去年 itself."""
    wanted = basis.years_for(report.year)
    if not wanted or any(w in c.sentence for w in basis.words):
        return True
    said = contexts[c.doc_id].get(c.sentence, report.year)
    return said in wanted or any(y in c.sentence for y in wanted)


def refusal(query: Query, closest: Sequence[Source] = ()) -> Answer:
    """ "Not found in the ingested reports", in the question's script; the closest
    passages, if given, are listed as such (they do not answer the question)."""
    text = message("not_found", query.script)
    if closest:
        text += "\n" + message("closest", query.script) + ":"
        text += "".join(f"\n- {source.snippet}（{source.file}）" for source in closest)
    return Answer(
        question=query.text,
        answer=text,
        answered=False,
        sources=list(closest),
        lang=query.script,
    )
