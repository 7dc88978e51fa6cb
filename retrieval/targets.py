"""Targets against results: "嘉定区2025年的目标完成了吗？", "Did Qinghe meet its 2025 GDP
target?", ``govqa figures --compare GDP --year 2025``.

A target (or expected) figure of year Y is paired with the achieved figure of the same
place, metric and year Y — usually from a report of the next year — when both are
reported ("目标6%左右，实际5.8%"), each with its sentence. Growth rates pair with growth
rates, totals with totals (万元 as 亿元); a target with no reported result says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.script import Script, render_in
from retrieval.citing import answer_line, citation, make_source
from retrieval.compare import (
    Row,
    figure_period,
    measure,
    metric_name,
    metric_of,
    named_places,
    place_of,
)
from retrieval.question import Query
from retrieval.store import FigureRow, Store
from retrieval.types import Answer

_ASKS = re.compile(
    r"目标.{0,15}(?:完成|实现|达到|达成|落实|兑现)|(?:完成|实现|达到).{0,8}目标|目标.{0,10}实际|"
    r"\btargets?\b.{0,40}\b(?:met|meet|reach\w*|achiev\w*|hit)\b|"
    r"\b(?:met|meet|reach\w*|achiev\w*|hit)\b.{0,40}\btargets?\b"
)
_GROWTH_WORD = re.compile(r"(?:增长|增速|增幅)$")
CONFIDENCE = 0.85


@dataclass(frozen=True)
class Pair:
    """A target of a place and year, and the result reported for it (None: not)."""

    place: str
    metric: str
    rate: bool
    year: str
    target: Row
    achieved: Row | None

    @property
    def gap(self) -> float | None:
        """How far the result is below the target (negative: above); None: no result."""
        if self.achieved is None or self.achieved.value is None or self.target.value is None:
            return None
        return round(self.target.value - self.achieved.value, 4)

    @property
    def met(self) -> bool | None:
        return None if self.gap is None else self.gap <= 0

    @property
    def around(self) -> bool:
        """A target "左右" (about): a result just under it is not a miss."""
        figure = self.target.figure
        return figure is not None and f"{figure['value']}%左右" in figure["sentence"]

    def wanted(self, script: Script) -> str:
        """The target as the report sets it: 6%左右 / about 6%."""
        if not self.around:
            return self.target.shown
        return f"about {self.target.shown}" if script == "en" else f"{self.target.shown}左右"

    def cell(self) -> dict[str, object]:
        """The pair as ``Answer.table`` and ``govqa figures --compare --json`` hold it."""
        return {
            "place": self.place,
            "metric": self.metric,
            "measure": "growth" if self.rate else "total",
            "year": self.year,
            "target": self.target.cell(),
            "achieved": self.achieved.cell() if self.achieved else None,
            "met": self.met,
        }


def base_metric(figure: FigureRow) -> str:
    """The vocabulary's name of a figure's metric, without 增长/增速 ("地区生产总值增长"
    → 地区生产总值)."""
    bare = _GROWTH_WORD.sub("", figure["metric"])
    return metric_of(bare) or bare


def pairs(
    store: Store, *, year: str | None = None, places: Sequence[str] = (), metric: str | None = None
) -> list[Pair]:
    """Every target of these places (all when none), year and metric, with its result."""
    years = [year] if year else []
    results: dict[tuple[str, str, str], list[FigureRow]] = {}  # (place, year, metric)
    for figure in store.figures(years=years, targets=False):
        place = place_of(figure)
        if place and figure["year"] and figure_period(figure) is None:  # not 上半年's
            results.setdefault((place, figure["year"], base_metric(figure)), []).append(figure)
    found: dict[tuple[str, str, bool, str], Pair] = {}
    for target in store.figures(years=years, targets=True):
        place = place_of(target) or ""
        if not place or not target["year"] or not _among(place, places):
            continue
        if figure_period(target) is not None:
            continue
        name = base_metric(target)
        rate = target["unit"] == "%"
        key = (place, name, rate, target["year"])
        wanted = measure(target, rate, place)
        if (metric is not None and name != metric) or wanted is None or key in found:
            continue
        reported = results.get((place, target["year"], name), [])
        result = next((r for f in reported if (r := measure(f, rate, place)) is not None), None)
        found[key] = Pair(place, name, rate, target["year"], wanted, result)
    return list(found.values())


def _among(place: str, places: Sequence[str]) -> bool:
    """Whether ``place`` is one of ``places`` (all when none; 柳溪 is 柳溪区)."""
    return not places or any(p in place or place in p for p in places)


def asks_targets(query: Query) -> bool:
    return bool(_ASKS.search(query.index_text.lower()))


def answer_targets(store: Store, query: Query) -> Answer | None:
    """The targets of the place (and year, metric) the question names, with results."""
    if not asks_targets(query):
        return None
    places = named_places(query) or list(query.places)
    if not places:
        return None
    metric = metric_of(query.index_text.lower())
    year = query.years[0] if query.years else None
    found = pairs(store, year=year, places=places, metric=metric)
    if not found:
        return None
    latest = max(p.year for p in found)
    found = [p for p in found if p.year == latest]
    return _answer(store, query, found)


def status(pair: Pair, script: Script) -> str:
    """完成 / 未完成（低0.2个百分点） / 结果未报道, in the asker's script."""
    words = {
        "zh-hans": ("完成", "未完成", "基本完成", "结果未报道", "低", "个百分点"),
        "zh-hant": ("完成", "未完成", "基本完成", "結果未報道", "低", "個百分點"),
        "en": ("met", "not met", "about met", "result not reported", "short by ", " points"),
    }[script]
    gap = pair.gap
    if gap is None:
        return words[3]
    if gap <= 0:
        return words[0]
    unit = words[5] if pair.rate else ("亿元" if script != "en" else " 亿元")
    said = words[2] if pair.around and pair.rate and gap <= 0.5 else words[1]
    return (
        f"{said}（{words[4]}{gap:.2g}{unit}）"
        if script != "en"
        else f"{said} ({words[4]}{gap:.2g}{unit})"
    )


def _answer(store: Store, query: Query, found: Sequence[Pair]) -> Answer:
    script: Script = query.script
    rows = [r for p in found for r in (p.target, p.achieved) if r is not None and r.figure]
    reports = store.get_reports(r.figure["doc_id"] for r in rows if r.figure)
    first = found[0]
    if len(found) == 1:
        result = first.achieved.shown if first.achieved else "?"
        short = (
            f"目标{first.wanted(script)}，实际{result}，{status(first, 'zh-hans')}"
            if script != "en"
            else f"target {first.wanted(script)}, achieved {result}: {status(first, 'en')}"
        )
    else:
        met = sum(1 for p in found if p.met)
        short = (
            f"{len(found)}项目标中{met}项完成"
            if script != "en"
            else f"{met} of {len(found)} targets met"
        )
    lines = [answer_line(short, script)]
    sources = []
    for n, pair in enumerate(found, 1):
        what = metric_name(pair.metric, pair.rate, script)
        result = pair.achieved.shown if pair.achieved else "—"
        lines.append(
            render_in(
                f"{n}. {pair.place}{pair.year}年{what}：目标{pair.wanted(script)}，实际{result}"
                f" — {status(pair, 'zh-hans')}",
                script,
            )
            if script != "en"
            else f"{n}. {pair.place} {pair.year} {what}: target {pair.wanted(script)}, "
            f"achieved {result} — {status(pair, 'en')}"
        )
        for row in (pair.target, pair.achieved):
            if row is None or row.figure is None:
                continue
            report = reports[row.figure["doc_id"]]
            quote = render_in(row.figure["sentence"], script)
            lines.append(f"   「{quote}」{citation(report, script)}")
            source = make_source(report, row.figure["sentence"], 1.0, script)
            if source not in sources:
                sources.append(source)
    return Answer.given(
        query.text, lines, sources, script, short=render_in(short, script),
        confidence=CONFIDENCE, table=[p.cell() for p in found],
    )  # fmt: skip
