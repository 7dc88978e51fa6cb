"""The report's date: the dateline's, with its year inferred from clues when it has none.

Local reports write their dateline without a year (``12月23日至24日``, ``2月13日上午``,
``近日``), so the year is inferred from evidence in the text.  Each piece of evidence is
a *clue* voting for one report year with a weight; cited events also give hard *bounds*
(the report cannot predate an event it studies, nor follow one it is preparing for).

Clues (weight, kind):

* 3, ``anchor`` - a relative year tied to an absolute one: ``今年（2024年）``, ``明年是
  “十四五”规划的收官之年`` (十四五 ends 2025, so 明年 = 2025 and the report is from 2024).
* 2, ``anchor`` - the current period tied to a plan's last year: ``四季度工作关系到……“十四五”
  圆满收官`` (the report is from 2025).
* 2, ``review_plan`` - reviewing year A and planning A+1 (``总结2024年工作，部署2025年任务``):
  A when the dateline month is July or later, A+1 when it is June or earlier; without a
  month, A if the text speaks of 明年 and A+1 if it speaks of 去年.
* 2 (1 without a month), ``event`` - preparing for a dated event (``迎接党的二十大胜利召开``):
  the event's year if the dateline month is not after the event's month, else the year before.
* 1, ``event`` - studying a dated event (``学习贯彻党的二十届四中全会精神``) is a lower bound;
  it supports the winning year only when it is tight (the earliest year it allows).
* 2 / 1, ``anniversary`` - ``庆祝新中国成立75周年`` (1949 + 75); 2 after 今年是/庆祝/喜迎.
* 1, ``review_plan`` - reviewing year A alone: A+1 if the dateline month is January to March,
  A if it is October to December.
* 1, ``years`` - fallback when nothing above weighs 2 or more: the latest year reported with
  results (``2023年上半年，全区……增长``), plus one if the dateline month is January to March;
  else the year mentioned most often (ties to the later), ignoring targets (``到2035年``).

Clues outside the bounds are dropped; per year the strongest clue of each kind counts,
kinds add up, and the highest total wins (ties: the stronger single clue, then the later
year).

``date_confidence``:

* ``given`` - the source supplied the date (``date=`` argument).
* ``high`` - the dateline states the year, or at least two kinds of clue agree on the year,
  one of them weighing 2 or more, and no clue points elsewhere.
* ``medium`` - a clue weighing 2 or more supports the year and outweighs any rival.
* ``low`` - only weak clues (fallback years, a lower bound), or a contested year.
* ``none`` - no year could be inferred (``date`` and ``date_estimate`` are None).

``date`` is an ISO ``yyyy-mm-dd`` only when year, month and day are all known.
``date_estimate`` holds the best estimate at the precision known (``"2024-12-23"``,
``"2024-12"`` or ``"2024"``), and ``date_confidence`` grades that estimate: a ``近日``
report has ``date=None`` but may have ``date_estimate="2024-12"`` with ``high`` confidence.
A month for an undated report comes from bounds within the inferred year and from annual
December meetings (中央经济工作会议) cited by a report that reviews this year and plans 明年.
The event tables (congresses, plenums, five-year plans) need a line when a new event happens;
a plenum later than the table knows still counts as "after the last one known".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from ingest.metadata.dateline import _find_dateline, _iso, _normalise_given_date
from ingest.metadata.events import (
    _ANNIVERSARY_BASES,
    _ANNUAL_MEETINGS,
    _CN_NUMERAL,
    _cn_number,
    _event_mentions,
    _plan_year,
)

DateConfidence = Literal["given", "high", "medium", "low", "none"]

# Words before an event that mean it is still to come: "迎接党的二十大胜利召开".
_BEFORE_EVENT = re.compile(r"(?:迎接|喜迎|筹备|即将召开|召开前夕)[^。；;，,]{0,6}$")
_AFTER_EVENT_TO_COME = re.compile(r"^[^。；;，,]{0,6}(?:即将召开|召开前夕)")
# "今年（2024年）", "明年2025年".
_REL_YEAR_EXPLICIT = re.compile(
    r"(?P<rel>今年|明年|去年)(?:[（(](?P<y>(?:19|20)\d{2})年?[）)]|(?P<y2>(?:19|20)\d{2})年)"
)
# Within a sentence, not crossing another relative year (so 明年 binds to its own plan).
_SAME_SPAN = r"(?:(?!今年|明年|去年)[^。；;])"
# "明年是实施“十四五”规划的收官之年".
_REL_YEAR_PLAN = re.compile(
    rf"(?P<rel>今年|明年|去年)(?:是|为|将是)?{_SAME_SPAN}{{0,16}}?(?P<plan>十[一二三四五六]五)"
    rf"{_SAME_SPAN}{{0,8}}?(?P<phase>收官|开局|起步|开篇|最后一年|第一年|首年)"
)
# "四季度工作关系到……“十四五”圆满收官": the current quarter tied to a plan's last year.
_PERIOD_PLAN_END = re.compile(
    rf"(?:第?四季度|年底|年末|岁末){_SAME_SPAN}{{0,20}}?(?P<plan>十[一二三四五六]五)"
    rf"{_SAME_SPAN}{{0,6}}?收官"
)
# Review of a year: "总结2024年工作", "2024年工作完成情况".
_REVIEW_YEAR = re.compile(
    r"(?:总结|回顾|盘点|回眸)[^。；;，,]{0,8}?(?P<y>(?:19|20)\d{2})年"
    r"|(?P<y2>(?:19|20)\d{2})年度?[^。；;，,]{0,6}?(?:完成情况|工作总结|工作回顾)"
)
# Plan for a year: "部署2025年任务", "2025年工作谋划".
_PLAN_YEAR = re.compile(
    r"(?:部署|谋划|安排|规划|展望)[^。；;，,]{0,8}?(?P<y>(?:19|20)\d{2})年"
    r"|(?P<y2>(?:19|20)\d{2})年度?[^。；;，,]{0,6}?(?:谋划|计划|工作要点|目标任务)"
)
# "庆祝新中国成立75周年", "建党一百周年".
_ANNIVERSARY = re.compile(
    "(?P<base>" + "|".join(_ANNIVERSARY_BASES) + rf")(?P<n>\d{{1,3}}|{_CN_NUMERAL}{{1,4}})周年"
)
# An explicit year just before an anniversary dates that year, not the report.
_YEAR_NEARBY = re.compile(r"\d{4}年")
_ANNIVERSARY_STRONG = re.compile(r"(?:今年是|庆祝|喜迎|纪念)[^。；;，,]{0,4}$")
# An explicit year; not the end of a range ("2021—2025年") nor part of a longer number.
_EXPLICIT_YEAR = re.compile(r"(?<![\d—–\-~～])(?P<y>(?:19|20)\d{2})年(?!\d)")
# Targets are not the report's year: "到2035年", "2030年前", "2035年远景目标" (but
# "截至2024年底" looks back).
_TARGET_BEFORE = re.compile(r"(?:(?<!截)到|(?<!截)至|力争|预计|计划)$")
_TARGET_AFTER = re.compile(r"^(?:前|以前|远景|左右)")
# "2024年，全区生产总值……增长5.7%", "2023年上半年……实现": a year with results.
_ACHIEVED = re.compile(r"^[^。；;]{0,24}?(?:实现|完成|增长|突破|达到|累计|同比|下降|新增)")
_EARLY_MONTH = 3  # annual results of year A are reported up to March of A+1
_LATE_MONTH = 7  # from July on, a report reviewing year A and planning A+1 is from A
_YEAR_END_MONTH = 10  # from October on, a review of year A alone is a year-end review


@dataclass(frozen=True)
class _Clue:
    year: int
    weight: int
    kind: str


@dataclass
class _Evidence:
    clues: list[_Clue]
    floors: list[tuple[int, int]]  # the report is not before these (year, month)
    ceilings: list[tuple[int, int]]  # the report is not after these (year, month)
    year_end: bool  # the report reviews its own year and plans 明年


def _event_evidence(text: str, month: int | None, evidence: _Evidence) -> None:
    for mention in _event_mentions(text):
        year, held_month, position = mention.year, mention.month, mention.position
        before = _BEFORE_EVENT.search(text[max(0, position - 12) : position])
        after = _AFTER_EVENT_TO_COME.search(text[position : position + 16])
        if not mention.exact:
            if not (before or after):
                evidence.floors.append((year, held_month))
        elif before or after:
            evidence.ceilings.append((year, held_month))
            if month is None:
                evidence.clues.append(_Clue(year, 1, "event"))
            else:
                evidence.clues.append(_Clue(year if month <= held_month else year - 1, 2, "event"))
        else:
            evidence.floors.append((year, held_month))


def _anchor_evidence(text: str, evidence: _Evidence) -> None:
    offsets = {"今年": 0, "明年": 1, "去年": -1}
    for match in _REL_YEAR_EXPLICIT.finditer(text):
        offset = offsets[match.group("rel")]
        year = int(match.group("y") or match.group("y2"))
        evidence.clues.append(_Clue(year - offset, 3, "anchor"))
        evidence.year_end |= offset == 1
    for match in _REL_YEAR_PLAN.finditer(text):
        phase_year = _plan_year(match.group("plan"), match.group("phase"))
        if phase_year:
            offset = offsets[match.group("rel")]
            evidence.clues.append(_Clue(phase_year - offset, 3, "anchor"))
            evidence.year_end |= offset == 1
    for match in _PERIOD_PLAN_END.finditer(text):
        end_year = _plan_year(match.group("plan"), "收官")
        if end_year:
            evidence.clues.append(_Clue(end_year, 2, "anchor"))


def _years(pattern: re.Pattern[str], text: str) -> set[int]:
    return {int(m.group("y") or m.group("y2")) for m in pattern.finditer(text)}


def _review_only_evidence(reviewed: set[int], month: int | None, evidence: _Evidence) -> None:
    """A review of year A without a plan for A+1: A+1 early in the year, A late in it."""
    if not reviewed or month is None or _EARLY_MONTH < month < _YEAR_END_MONTH:
        return
    year = max(reviewed)
    evidence.clues.append(_Clue(year + 1 if month <= _EARLY_MONTH else year, 1, "review_plan"))


def _review_plan_evidence(text: str, month: int | None, evidence: _Evidence) -> None:
    reviewed = _years(_REVIEW_YEAR, text)
    planned = _years(_PLAN_YEAR, text)
    pairs = sorted(year for year in reviewed if year + 1 in planned)
    if not pairs:
        _review_only_evidence(reviewed, month, evidence)
        return
    year = pairs[-1]
    if month is not None:
        late = month >= _LATE_MONTH
    elif ("明年" in text) != ("去年" in text):
        late = "明年" in text
    else:
        return
    evidence.clues.append(_Clue(year if late else year + 1, 2, "review_plan"))
    evidence.year_end |= late


def _anniversary_evidence(text: str, evidence: _Evidence) -> None:
    for match in _ANNIVERSARY.finditer(text):
        count = _cn_number(match.group("n"))
        preceding = text[max(0, match.start() - 8) : match.start()]
        if not count or _YEAR_NEARBY.search(preceding):
            continue  # "2024年是新中国成立75周年" dates a year, not the report
        weight = 2 if _ANNIVERSARY_STRONG.search(preceding) else 1
        evidence.clues.append(
            _Clue(_ANNIVERSARY_BASES[match.group("base")] + count, weight, "anniversary")
        )


def _explicit_years(text: str) -> tuple[Counter[int], set[int]]:
    """(how often each non-target year is mentioned, the years reported with results)."""
    counts: Counter[int] = Counter()
    achieved: set[int] = set()
    for match in _EXPLICIT_YEAR.finditer(text):
        before = text[max(0, match.start() - 2) : match.start()]
        after = text[match.end() : match.end() + 30]
        if _TARGET_BEFORE.search(before) or _TARGET_AFTER.match(after):
            continue
        year = int(match.group("y"))
        counts[year] += 1
        if _ACHIEVED.match(after):
            achieved.add(year)
    return counts, achieved


def _fallback_year(text: str, month: int | None) -> int | None:
    """The latest year with results (the next one if the dateline is in its first quarter),
    else the year mentioned most often (ties to the later)."""
    counts, achieved = _explicit_years(text)
    if achieved:
        year = max(achieved)
        return year + 1 if month is not None and month <= _EARLY_MONTH else year
    if counts:
        return max(counts, key=lambda y: (counts[y], y))
    return None


def _gather_evidence(text: str, month: int | None) -> _Evidence:
    evidence = _Evidence([], [], [], False)
    _anchor_evidence(text, evidence)
    _review_plan_evidence(text, month, evidence)
    _event_evidence(text, month, evidence)
    _anniversary_evidence(text, evidence)
    if not any(clue.weight >= 2 for clue in evidence.clues):
        year = _fallback_year(text, month)
        if year is not None:
            evidence.clues.append(_Clue(year, 1, "years"))
    return evidence


def _within_bounds(year: int, month: int | None, evidence: _Evidence) -> bool:
    low = (year, month or 12)
    high = (year, month or 1)
    return all(low >= floor for floor in evidence.floors) and all(
        high <= ceiling for ceiling in evidence.ceilings
    )


def _floor_year(month: int | None, evidence: _Evidence) -> int | None:
    """The earliest report year the studied events allow."""
    if not evidence.floors:
        return None
    year, floor_month = max(evidence.floors)
    return year if month is None or month >= floor_month else year + 1


def _scores(clues: list[_Clue]) -> dict[int, dict[str, int]]:
    """year → kind → strongest weight of that kind."""
    table: dict[int, dict[str, int]] = {}
    for clue in clues:
        kinds = table.setdefault(clue.year, {})
        kinds[clue.kind] = max(kinds.get(clue.kind, 0), clue.weight)
    return table


@dataclass(frozen=True)
class _YearGuess:
    year: int | None
    confidence: DateConfidence
    year_end: bool  # the report reviews its own year and plans 明年
    floors: tuple[tuple[int, int], ...]  # (year, month) of the events it studies


def _infer_year(text: str, month: int | None) -> _YearGuess:
    """The report's year from the text, for a dateline with ``month`` (or none)."""
    evidence = _gather_evidence(text, month)
    floors = tuple(evidence.floors)
    clues = [c for c in evidence.clues if _within_bounds(c.year, month, evidence)]
    floor = _floor_year(month, evidence)
    table = _scores(clues)
    if not table:
        if floor is None or not _within_bounds(floor, month, evidence):
            return _YearGuess(None, "none", False, floors)
        return _YearGuess(floor, "low", evidence.year_end, floors)
    year = max(table, key=lambda y: (sum(table[y].values()), max(table[y].values()), y))
    if floor == year:
        table[year].setdefault("event", 1)  # a tight lower bound agrees
    kinds = table[year]
    score = sum(kinds.values())
    rival = max((sum(k.values()) for y, k in table.items() if y != year), default=0)
    strong = max(kinds.values()) >= 2
    confidence: DateConfidence
    if strong and rival == 0 and len(kinds) >= 2:
        confidence = "high"
    elif strong and score > rival:
        confidence = "medium"
    else:
        confidence = "low"
    return _YearGuess(year, confidence, evidence.year_end, floors)


def _infer_month(text: str, guess: _YearGuess) -> int | None:
    """A month for an undated report: December if it reviews its year, plans 明年 and cites
    a meeting held every December; otherwise only when studied events pin it down."""
    low = max((m for y, m in guess.floors if y == guess.year), default=1)
    if guess.year_end:
        for name, held_month in _ANNUAL_MEETINGS:
            if name in text:
                low = max(low, held_month)
    return 12 if low == 12 else None


@dataclass(frozen=True)
class _DateResult:
    date: str | None
    confidence: DateConfidence
    text: str | None
    estimate: str | None


def _extract_date(text: str, body: list[str], given: str | None) -> _DateResult:
    dateline = _find_dateline(body)
    date_text = dateline.text if dateline else None
    normalised = _normalise_given_date(given)
    if normalised:
        return _DateResult(normalised, "given", date_text, normalised)
    month = dateline.month if dateline else None
    if dateline and dateline.year:
        guess = _YearGuess(dateline.year, "high", False, ())
    else:
        guess = _infer_year(text, month)
    year = guess.year
    if year is None:
        return _DateResult(None, "none", date_text, None)
    if dateline and dateline.month and dateline.day:
        full = _iso(year, dateline.month, dateline.day)
        estimate = full or f"{year:04d}-{dateline.month:02d}"
        return _DateResult(full, guess.confidence, date_text, estimate)
    inferred_month = _infer_month(text, guess)
    estimate = f"{year:04d}-{inferred_month:02d}" if inferred_month else f"{year:04d}"
    return _DateResult(None, guess.confidence, date_text, estimate)
