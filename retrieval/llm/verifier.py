"""The verifier: whether a model's answer says only what the sources it cites say.

:func:`verify` checks, in the simplified script and NFKC-normalised:

- every ``[n]`` points to a numbered source, and the answer cites at least one;
- every number of the answer, as :mod:`ingest.zh.numerals` reads it on both sides —
  digits, Chinese and English numerals (百分之九点九 = 9.9% = nine point nine percent,
  九成 = 90%, 翻两番 = 4倍, 三千二百万 = 3200万, twelve million, 3.2 billion) — occurs with
  the same value, and the same unit when the answer gives one (%, 个百分点, 倍, 家…), in
  the cited sources' evidence: their text without suspect passages, plus their title,
  region, meeting and date (a year the question names may be echoed even when the cited
  chunk does not repeat it);
- every person's name — 2–3 Han characters next to a title (书记, 区长, 主任…), in answer
  position for a who-question (是庄建球[1], 由庄建球主持), or a known surname and one or two
  characters before a verb of the genre (欧阳振华主持, 会议由李大伟主持) — occurs in that
  evidence, compared without whitespace; a name in pinyin (Li Dawei, Ouyang Zhenhua) must
  be the reading of characters of it; in an English answer every run of Han characters
  must occur in it;
- every rank or superlative claim (第一, 首位, 最高, 最快, 领先, 第三名; first, highest,
  fastest, leading) stands in one cited statement as the same word or an equivalent, with
  the same scope (全国, 河南省) and, in a Chinese answer, about the same subject
  (:mod:`retrieval.claims`);
- for a figure question, the answer's first figure that the question did not bring (years
  aside) sits in a cited sentence holding at least half, by weight, of the question's key
  terms (生产总值 and 增速, not 增速 alone), and that sentence speaks of the question's year
  when it names one (the extractive answerer's reading of years); for a who-question, the
  first new name sits in such a sentence or just after one (the meeting, then who chaired
  it). So a true number of another metric or year is not passed off as the answer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ingest.script import to_simplified
from ingest.zh.names import (
    NAME_IN_AN_ANSWER,
    NAME_THEN_TITLE,
    TITLE_THEN_NAME,
    surname_names,
)
from ingest.zh.numerals import Quantity, quantities
from retrieval.candidates import presence
from retrieval.claims import latin_names, pinyin_in, rank_claims, statements
from retrieval.llm.sources import NumberedSource
from retrieval.prompts import NOT_FOUND
from retrieval.question import Query

CITATION = re.compile(
    r"[\[【［]\s*(?:来源|资料|source)?\s*(\d+(?:\s*[,，、]\s*(?:来源|资料|source)?\s*\d+)*)"
    r"\s*[\]】］]",
    re.IGNORECASE,
)
_YEAR_VALUE = re.compile(r"(?:19|20)\d{2}")

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_NOT_FOUND_WORDS = re.compile(
    r"没有找到|未找到|找不到|没有提到|未提到|未提及|没有提及|未涉及|没有涉及|没有相关|无相关|"
    r"没有(?:说明|给出|披露|公布)|未(?:说明|给出|披露|公布)|无法回答|无法确定|"
    r"not found|(?:did|could) not find|no information|not mentioned|"
    r"(?:do|does|did) not (?:contain|mention|say|state|include|give|provide)",
    re.IGNORECASE,
)
_KEY_COVERAGE = 0.5


@dataclass(frozen=True)
class Figure:
    """A number of an answer or of evidence, as :mod:`ingest.zh.numerals` reads it."""

    value: str  # the number as written, before its scale: 414.9 of 414.9亿元
    unit: str  # its scale and unit as written: 亿 (元 after a scale left out), %, 家
    amount: Decimal  # the value with its scale folded in: 41490000000
    measure: str  # what it counts: %, 百分点, 倍, 家 … ("" for an amount of money or none)


def _figure(quantity: Quantity) -> Figure:
    unit = quantity.unit
    shown = quantity.scale if quantity.scale and unit == "元" else quantity.scale + unit
    return Figure(
        value=_canonical(format(quantity.number, "f")),
        unit=shown,
        amount=quantity.value,
        measure="" if unit == "元" else unit,
    )


def _canonical(number: str) -> str:
    whole, _, fraction = number.partition(".")
    whole = whole.lstrip("0") or "0"
    fraction = fraction.rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole


def figures(text: str) -> list[Figure]:
    """The numbers of ``text`` (NFKC, simplified) with their units, in order: digits,
    Chinese and English numerals (百分之九点九, 九成, 翻两番, nine point nine percent)."""
    return [_figure(q) for q in quantities(text)]


def person_names(text: str, answer_position: bool) -> list[str]:
    """Names in ``text`` (simplified): next to a title, or — for who-questions — where an
    answer stands (是庄建球[1], 、李四, 由庄建球主持)."""
    names: list[str] = []
    for sentence in re.split(r"[。！？；;!?\n]", text):
        names += [m.group(1) for m in TITLE_THEN_NAME.finditer(sentence)]
        names += [m.group(1) for m in NAME_THEN_TITLE.finditer(sentence)]
        if answer_position:
            names += [m.group(1) for m in NAME_IN_AN_ANSWER.finditer(sentence)]
    return list(dict.fromkeys(names))


def citations(text: str) -> list[int]:
    """The source numbers an answer cites, in order of first citation."""
    numbers = [int(n) for m in CITATION.finditer(text) for n in re.findall(r"\d+", m.group(1))]
    return list(dict.fromkeys(numbers))


def says_not_found(text: str) -> bool:
    """The model found no answer: the NOT_FOUND word, or a refusal in its first sentence
    ("资料中没有提到……") that cites nothing or states no figure or name of its own."""
    if NOT_FOUND in text.upper():
        return True
    plain = normal_form(CITATION.sub(" ", text))
    first = re.split(r"(?<=[。！？!?])|(?<=\.)\s", plain.strip(), maxsplit=1)[0]
    if not _NOT_FOUND_WORDS.search(first):
        return False
    stated = [f for f in figures(plain) if not _is_year(f)] + person_names(plain, False)
    return not citations(text) or not stated


def normal_form(text: str) -> str:
    return unicodedata.normalize("NFKC", to_simplified(text))


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _key_terms(query: Query) -> list[tuple[tuple[str, ...], float]]:
    """The question's weighted content terms that say what is asked (not where, not
    filler): 生产总值 and 增速, 区委书记, 专题会议."""
    keys: list[tuple[tuple[str, ...], float]] = []
    for group in query.groups:
        forms = tuple(f for f in group.forms if len(f) >= 2 and not f.isascii())
        if not forms or group.weight <= 1.0:
            continue
        if any(p in f or f in p for f in forms for p in query.places):
            continue
        keys.append((forms, group.weight))
    return keys


def _about_the_question(window: str, keys: Sequence[tuple[tuple[str, ...], float]]) -> bool:
    """Whether ``window`` holds enough of the question's key terms, by weight."""
    text = normal_form(window)
    found = sum(weight * presence(forms, text) for forms, weight in keys)
    return found >= _KEY_COVERAGE * sum(weight for _, weight in keys)


def _is_year(figure: Figure) -> bool:
    return bool(_YEAR_VALUE.fullmatch(figure.value)) and figure.unit in ("", "年")


def _figure_supported(figure: Figure, evidence: Sequence[Figure]) -> bool:
    """Whether ``evidence`` holds ``figure``: the same amount (九成 = 90%, 1.2万亿 =
    12000亿) of the same measure when the answer gives one; a bare number (414.9) may
    quote one written with its scale (414.9亿元)."""
    return any(
        (not figure.measure or e.measure == figure.measure)
        and (e.amount == figure.amount or (not figure.unit and e.value == figure.value))
        for e in evidence
    )


def verify(text: str, query: Query, sources: Sequence[NumberedSource]) -> str | None:
    """Why the model's answer cannot be trusted, or None when every check passes."""
    cited = citations(text)
    if not cited:
        return "the answer cites no source"
    by_number = {s.number: s for s in sources}
    unknown = [n for n in cited if n not in by_number]
    if unknown:
        return f"the answer cites [{unknown[0]}], which is not one of the {len(sources)} sources"
    used = [by_number[n] for n in cited]
    evidence_text = normal_form(" ".join(s.header() + " " + " ".join(s.sentences) for s in used))
    evidence = _compact(evidence_text)
    answer = normal_form(CITATION.sub(" ", text))
    question = normal_form(query.index_text)

    evidence_figures = figures(evidence_text)
    answer_figures = figures(answer)
    # A year the question names may be echoed ("宛城区2024年…") though the cited chunk
    # does not repeat it; which year a figure is of is checked below.
    echoed = {f.value for f in figures(question) if _is_year(f)}
    for figure in answer_figures:
        if not _figure_supported(figure, evidence_figures) and not (
            _is_year(figure) and figure.value in echoed
        ):
            return f"the figure {figure.value}{figure.unit} is not in the cited sources"

    if query.script == "en":
        for run in _HAN_RUN.findall(answer):
            if run not in evidence:
                return f"{run!r} is not in the cited sources"
    names = person_names(answer, query.qtype in ("person", "role", "list"))
    names = [n for n in dict.fromkeys(names + surname_names(answer)) if n]
    for name in names:
        if name not in evidence:
            return f"the name {name} is not in the cited sources"
    for written, reading in latin_names(answer):
        if not pinyin_in(reading, evidence):
            return f"the name {written} is not in the cited sources"
    said = list(
        statements(
            [normal_form(s.header()) for s in used]
            + [normal_form(t) for s in used for t in s.sentences]
        )
    )
    for claim in rank_claims(answer, query.places):
        if not claim.said_in(said):
            return f"the claim {claim.word!r} is not in the cited sources"

    # The direct answer — the first figure or name the question did not bring — must be
    # said of what is asked: a figure in a sentence that holds the question's key terms
    # (and speaks of the question's year, if it names one), a name in such a sentence or
    # just after one (the meeting, then who chaired it).
    keys = _key_terms(query)
    if keys and query.qtype == "figure":
        question_values = {f.value for f in figures(question)}
        answered = [f for f in answer_figures if f.value not in question_values and not _is_year(f)]
        if answered:
            figure = answered[0]
            about = [
                year
                for source in used
                for sentence, year in zip(source.sentences, source.years, strict=True)
                if _figure_supported(figure, figures(normal_form(sentence)))
                and _about_the_question(sentence, keys)
            ]
            if not about:
                return (
                    f"the figure {figure.value}{figure.unit} is not said of what the question asks"
                )
            if query.years and not any(year in query.years for year in about):
                return (
                    f"the figure {figure.value}{figure.unit} is of {about[0] or 'another year'}, "
                    f"not {'/'.join(query.years)}"
                )
    if keys and query.qtype == "person":
        answered_names = [n for n in names if n not in question]
        if answered_names and not any(
            answered_names[0] in _compact(normal_form(sentence))
            and _about_the_question(" ".join(source.sentences[max(0, i - 1) : i + 1]), keys)
            for source in used
            for i, sentence in enumerate(source.sentences)
        ):
            return f"the name {answered_names[0]} is not said of what the question asks"
    return None
