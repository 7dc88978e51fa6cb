"""A figure before it is final: a number with the words around it, the draft read from
it, and the readings of its metric, its milestone and its changes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.facts.figure_words import (
    _ABBREVIATION,
    _ADMIN_UNITS,
    _BARE_VERB,
    _GENERIC_COUNTED,
    _METRIC_CUT,
    _METRIC_LEAD,
    _METRIC_TAIL,
    _POST_CUT,
    _RANK,
    _TIERS,
)
from ingest.facts.records import FigureKind
from ingest.facts.vocabulary import _after_last, _is_han


@dataclass
class _Item:
    """A number with its unit and the words around it, inside one statement."""

    match: re.Match[str]
    unit: str
    pre: str
    post: str  # the words after, up to the next break, cut to _POST_CHARS
    post_end: int  # where those words end in the text (uncut)
    lead: str  # the clause before, when short and without a number: "力争到2025年"


@dataclass
class _Draft:
    metric: str
    inherited: bool
    value: str
    unit: str
    year: str | None
    kind: FigureKind
    sentence: str
    start: int
    change: str | None = None
    rank: str | None = None
    notes: list[str] = field(default_factory=list)
    milestone: str | None = None


def _clean_metric(raw: str) -> str:
    """The metric in the words before a number, or "" when they name none."""
    raw = _ABBREVIATION.sub("", raw)  # 地区生产总值（GDP）
    metric = raw[_after_last(_METRIC_CUT, raw, 0, len(raw)) :]
    for _ in range(3):
        metric = _METRIC_LEAD.sub("", metric)
        metric = _METRIC_TAIL.sub("", metric)
    if metric.endswith("工作") and len(metric) > 2:
        metric = metric[:-2]
    if len(metric) > 14:  # "审议事项“业主大会议事规则”实到有表决权代表人数" -> 实到有表决权代表人数
        tail = max(metric.rfind("”"), metric.rfind("的"))
        if 0 <= tail < len(metric) - 4:
            metric = metric[tail + 1 :]
    if metric in ("生产总值", "GDP"):
        metric = "地区生产总值"
    if sum(1 for ch in metric if _is_han(ch)) < 2 or _BARE_VERB.fullmatch(metric):
        return ""
    return metric


def _milestone_note(milestone: re.Match[str] | None, amount: str) -> str | None:
    """ "首次突破" + "400亿元" -> 首次突破400亿元 (有望/将 go to the figure's kind)."""
    if milestone is None:
        return None
    return milestone.group(0).removeprefix("有望").removeprefix("将") + amount


def _counted(post: str) -> str:
    """The noun after a counter: "市、区两级民生实事项目，…" -> 民生实事项目; "" when the words
    after the number name no thing counted, or belong to the next number ("项目19个资金9.4亿")."""
    noun = _TIERS.sub("", post)
    cut = _POST_CUT.search(noun)
    if cut:
        if noun[cut.start()].isdigit():
            return ""
        noun = noun[: cut.start()]
    if (
        not noun
        or len(noun) > 16
        or (len(noun) == 1 and noun not in _ADMIN_UNITS)  # "7个人当中": not a thing counted
        or noun in _GENERIC_COUNTED
        or _RANK.match(noun)
        or _BARE_VERB.match(noun)  # "13人通报被查"
    ):
        return ""
    return noun


def _attach_changes(drafts: list[_Draft], unchanged: list[_Draft], run: list[_Item]) -> None:
    """Comparisons are the changes of the figures before them: one to the last figure, a
    分别 list to as many figures in order (or to none when they do not pair up).
    ``unchanged`` lists the drafts without a change yet, in order; it is kept up to date."""
    verb = run[0].pre.replace("分别", "")
    if len(run) == 1:
        targets = drafts[-1:]
    else:
        targets = unchanged[-len(run) :]
    if len(targets) != len(run):
        return
    for target, value in zip(targets, run, strict=True):
        text = verb + value.match.group(0)
        target.change = f"{target.change}，{text}" if target.change else text
    if len(run) > 1:
        del unchanged[-len(run) :]
    elif unchanged and unchanged[-1] is targets[0]:
        unchanged.pop()
