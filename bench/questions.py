"""Deterministic retrieval questions generated from a corpus of reports.

How a question is built (one at most per report, reports drawn by a seeded shuffle):

- **figure**: a sentence with a number and a unit (``414.9亿元``, ``5.7%``, ``45个``).
  The question is *subject + metric + 是多少？*. The metric is the nouns just before
  the number in the same clause (jieba part-of-speech tags), after verbs and adverbs
  such as 实现/达到/增长/首次/同比 are cut; the subject is a place or organisation
  heading the metric, else the first one in the sentence, else the report's region from
  its metadata (``全区生产总值首次突破400亿元`` in a 宛城区 report → ``宛城区生产总值是多少？``).
- **meeting**: a sentence naming a meeting (``……工作座谈会``, ``……常务会议``). The
  question asks who attended it, who chaired it or when it was held, naming the meeting
  only: ``谁出席了全国安全生产电视电话会议？``.

The number and the rest of the sentence are never in the question, so
a lexical match has to work from a few salient words. A question is kept only when every
salient string (subject, metric or meeting) occurs together in at most ``MAX_GOLD``
reports of the corpus; those reports are its gold set (a hit is any of them), so
near-duplicate reports do not count against a retriever.

Limits: the words still come from the report itself (real users paraphrase more, so
lexical retrieval is favoured); there is no English or traditional-script question;
extraction is a heuristic over jieba's segmentation, so some questions read awkwardly
or are cut in the wrong place (``浙江标省委是多少？``, ``谁出席了省委书记专题会议？``);
"gold" means "mentions the same salient words", not "answers the question".
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

MAX_GOLD = 3

_NUMBER_UNIT = re.compile(
    r"(?<![\d.])\d+(?:\.\d+)?(?:万亿|亿|万|千)?"
    r"(?:元|美元|人次|人|个|家|项|所|件|户|亩|公顷|平方公里|平方米|公里|千米|米|吨|辆|台|套|"
    r"%|％|倍|场|次|名|座|条|处|批|篇|千瓦|千瓦时|立方米)"
)
# Words at the end of a metric that say what happened to it rather than what it is.
_TRAILING = re.compile(
    r"(?:首次|同比|环比|分别|累计|共计|总计|合计|共|总|约|近|超过|超|突破|达到|达|实现|完成|"
    r"增长|增加|提高|提升|下降|减少|新增|保持在|保持|稳定在|为|是|有|在|了|已|将|至|到|比|较|占|"
    r"以上|以下|左右|年均|平均)+$"
)
_STOP_WORDS = frozenset("的在将已对向把被和与及为有是了中从由让使并等共")  # one-character words
# Verbs that name a quantity in these reports (jieba tags them v).
_NOUNY_VERBS = frozenset("率 收入 投资 出口 进口 消费 支出 就业 销售 产值 整改 增加值 贷款".split())
# jieba tags of words a metric is made of: nouns, places, organisations, abbreviations.
# A metric ends with one of these; a verbal noun (vn) may only come before one.
_NOUN_TAGS = frozenset("n nz ng ns nt j l b an eng".split())
_GENERIC_PLACE = r"^(?:全[省市区县镇]|我[省市区县]|本[市区县]|该[市区县])"
_MEETING = re.compile(
    r"([\u4e00-\u9fff\d《》、“”]{4,30}?(?:工作会议|常务会议|常委会会议|专题会议|座谈会|推进会|"
    r"部署会|动员会|调度会|现场会|视频会议|电视电话会议|全体会议|党组会议|联席会议|工作会|大会))"
    r"(?=$|上|中|后|期间|精神|部署|召开|举行|在|于|并|暨)"
)
# What comes before a meeting's name in a sentence: its last verb or particle.
_MEETING_PREFIX = re.compile(
    r"^.*(?:召开|主持|出席|参加|举行|组织|落实|传达|学习|贯彻|结束|开好|开展|按照|根据|围绕|"
    r"要求|代表|向|在|于|经|赴|的|了|要)"
)
_BAD_MEETING = re.compile(r"^[年月日会和及与]|、(?![^《]*》)|[和及]")
_MEETING_TEMPLATES = ("谁出席了{}？", "{}由谁主持？", "{}是哪天召开的？")
_CLAUSE = re.compile(r"[，,；;：:、（）()“”\"]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    type: str  # figure | meeting
    doc_id: str  # the report it was made from
    gold: tuple[str, ...]  # every report holding all its salient strings
    evidence: str  # the sentence it was made from


@dataclass(frozen=True)
class SourceReport:
    doc_id: str
    sentences: Sequence[str]  # simplified, cleaned
    region: str | None


def generate(reports: Sequence[SourceReport], n: int, seed: int = 7) -> list[Question]:
    """Up to ``n`` questions, one at most per report, the same for the same inputs."""
    rng = random.Random(seed)
    texts = {r.doc_id: "".join(r.sentences) for r in reports}
    order = sorted(texts)
    rng.shuffle(order)
    by_id = {r.doc_id: r for r in reports}
    questions: list[Question] = []
    asked: set[str] = set()
    for doc_id in order:
        if len(questions) >= n:
            break
        candidates = list(_candidates(by_id[doc_id], rng))
        rng.shuffle(candidates)
        for text, kind, salient, evidence in candidates:
            if text in asked:
                continue
            gold = tuple(sorted(d for d in order if all(s in texts[d] for s in salient)))
            if doc_id in gold and len(gold) <= MAX_GOLD:
                questions.append(
                    Question(f"g{len(questions) + 1:03d}", text, kind, doc_id, gold, evidence)
                )
                asked.add(text)
                break
    return questions


def _candidates(
    report: SourceReport, rng: random.Random
) -> Iterable[tuple[str, str, tuple[str, ...], str]]:
    """(question, type, salient strings, evidence sentence) made from one report."""
    for sentence in report.sentences:
        if len(sentence) < 12:
            continue
        figure = _figure_question(sentence, report.region)
        if figure:
            yield figure[0], "figure", figure[1], sentence
        meeting = _meeting_name(sentence)
        if meeting:
            template = rng.choice(_MEETING_TEMPLATES)
            yield template.format(meeting), "meeting", (meeting,), sentence


def _figure_question(sentence: str, region: str | None) -> tuple[str, tuple[str, ...]] | None:
    for match in _NUMBER_UNIT.finditer(sentence):
        if sentence[max(0, match.start() - 1) : match.start()] in ("第", "至", "-", "~"):
            continue  # an ordinal or the upper end of a range
        clause = _CLAUSE.split(sentence[: match.start()])[-1]
        words = _pos(_TRAILING.sub("", clause))
        metric_words: list[tuple[str, str]] = []
        for word, flag in reversed(words):
            if word in _STOP_WORDS or not (
                word in _NOUNY_VERBS or flag in _NOUN_TAGS or (metric_words and flag == "vn")
            ):
                break
            metric_words.insert(0, (word, flag))
            if sum(len(w) for w, _ in metric_words) >= 8:
                break
        # A place or organisation heading the metric is its subject: 芙蓉区 | 市场主体数.
        subject = None
        while metric_words and metric_words[0][1] in ("ns", "nt"):
            subject = (subject or "") + metric_words.pop(0)[0]
        metric = re.sub(_GENERIC_PLACE, "", "".join(w for w, _ in metric_words))
        if len(metric) < 3 or not _HAN.match(metric):
            continue
        if subject is None:
            places = [w for w, f in _pos(sentence[: match.start()]) if f in ("ns", "nt")]
            subject = places[0] if places else region
        subject = "" if not subject or subject in metric else subject
        question = f"{subject}{metric}是多少？"
        if len(question) >= len(sentence) * 0.6:
            continue  # too close to the whole sentence
        return question, tuple(s for s in (subject, metric) if s)
    return None


def _meeting_name(sentence: str) -> str | None:
    for clause in re.split(r"[，,；;：:（）()]", sentence):
        match = _MEETING.search(clause)
        if not match:
            continue
        name = _MEETING_PREFIX.sub("", match.group(1))
        if _BAD_MEETING.search(name):
            continue  # a list of meetings, or a name cut in the middle
        if len(_HAN.findall(name)) >= 6 and len(name) < len(sentence) * 0.6:
            return name
    return None


def _pos(text: str) -> list[tuple[str, str]]:
    """jieba's words of ``text`` with their part-of-speech tags."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return [(p.word, p.flag) for p in jieba.posseg.lcut(text)]


def load_reports(
    corpus: Path, limit: int | None = None, doc_ids: Collection[str] | None = None
) -> list[SourceReport]:
    """The corpus's reports as the pipeline cleans them (first ``limit``; only ``doc_ids``)."""
    from ingest.chunking import split_sentences
    from ingest.loaders import load_file
    from ingest.pipeline import build_report

    reports: list[SourceReport] = []
    for n, raw in enumerate(load_file(corpus)):
        if limit is not None and n >= limit:
            break
        doc_id = raw.key or corpus.name
        if doc_ids is not None and doc_id not in doc_ids:
            continue
        report = build_report(raw, doc_id=doc_id, file=corpus.name, source=str(corpus))
        reports.append(SourceReport(doc_id, split_sentences(report.index_text), report.region))
    return reports


def to_json(question: Question) -> dict[str, object]:
    data = asdict(question)
    data["gold"] = list(question.gold)
    return data
