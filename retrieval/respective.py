"""Values given respectively: "A、B和C分别增长x、y和z" — the value of the item a question
names. Pure functions on simplified text."""

from __future__ import annotations

import re

from ingest.zh.patterns import HAN_CHAR, amounts
from retrieval.asking import Expected
from retrieval.spans import _amounts, _dates, clause_start

# "A、B和C分别增长x、y和z": the value of the item the question names. The same without
# 分别 when the items are named beside their own figures just before ("工业产值86.5亿元、
# 税收收入7.2亿元，同比增长9.4%和12.6%") or in the clause that leads to the values
# ("对服务业收入与税收增长的贡献率达到31.5%和27.8%").
_LIST_JOIN = r"(?:、|和|及|与|以及|，|,)"
_ITEM_JOIN = r"(?:、|和|及|与|以及)"
_RESPECTIVELY = re.compile(r"分别")
_LIST_BREAK = re.compile(r"[，,。；;：:]|——")
# What leads up to an item's own figure: "全县实现工业产值86.5亿元" names 工业产值.
_VERB_BEFORE_ITEM = re.compile(r".*(?:完成|实现|达到|达|为|是|累计|共|其中|占)")


def value_of_item(expected: Expected, sentence: str, start: int) -> tuple[str, int] | None:
    """When the value read at ``start`` stands in a list of values given respectively
    to a list of items, the value (and where it starts) whose item the question names."""
    find = _amounts if expected.kind == "number" else _dates
    found = find(expected, sentence)
    if len(found) < 2:
        return None
    # The run of values the reading's span belongs to: joined by 、/和 with nothing else
    # — and the runs that give the same items values measured another way.
    runs = _runs(found, sentence)
    current = next((r for r in runs if found[r[0]][1] <= start <= found[r[1]][1]), None)
    if current is None or current[0] == current[1]:
        return None
    chain = _parallel(runs, found, sentence, current)
    values = found[chain[0][0] : chain[0][1] + 1]
    earlier = [(a.text, a.start) for a in amounts(sentence) if a.start < values[0][1]]
    items = _items(sentence, values, earlier)
    if items is None:
        return None
    question = expected.left + expected.right
    if len(chain) > 1:
        items, run = _measured_as_asked(sentence, found, chain, items, question)
        values = found[run[0] : run[1] + 1]
    items = _abbreviated(items, question)
    # The item the question names by what only that item says: "手持订单量" among
    # "新增订单量和累计订单量" (订单量 names both).
    overlaps = [_distinct(i, items, question) for i in range(len(items))]
    best = max(range(len(items)), key=lambda i: overlaps[i])
    if overlaps[best] == 0 or overlaps.count(overlaps[best]) > 1:
        return None
    return values[best]


Run = tuple[int, int]  # first and last index of a run of values


def _runs(found: list[tuple[str, int]], sentence: str) -> list[Run]:
    """The maximal runs of values joined by 、/和 with nothing else."""
    runs: list[Run] = []
    for n in range(len(found)):
        joined = n > 0 and re.fullmatch(
            _LIST_JOIN, sentence[found[n - 1][1] + len(found[n - 1][0]) : found[n][1]]
        )
        if joined:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _measure(sentence: str, found: list[tuple[str, int]], before: Run, run: Run) -> str | None:
    """How ``run`` is measured when it repeats the items of the run ``before`` it
    ("，按产量计分别占…": 按产量计), else None."""
    if run[1] - run[0] != before[1] - before[0]:
        return None
    between = sentence[found[before[1]][1] + len(found[before[1]][0]) : found[run[0]][1]]
    head, marker, _ = between.partition("分别")
    head = head.strip("，,；; ")
    if not marker or not head or len(head) > 12 or _LIST_BREAK.search(head):
        return None
    return head


def _parallel(
    runs: list[Run], found: list[tuple[str, int]], sentence: str, current: Run
) -> list[Run]:
    """The chain of runs ``current`` belongs to — same count of values, each after the
    first introduced by its own measure and 分别 — from its first run."""
    at = runs.index(current)
    while at > 0 and _measure(sentence, found, runs[at - 1], runs[at]) is not None:
        at -= 1
    chain = [runs[at]]
    for run in runs[at + 1 :]:
        if _measure(sentence, found, chain[-1], run) is None:
            break
        chain.append(run)
    return chain


def _measured_as_asked(
    sentence: str,
    found: list[tuple[str, int]],
    chain: list[Run],
    items: list[str],
    question: str,
) -> tuple[list[str], Run]:
    """Of the same items given values twice ("A、B和C按面积计分别占x、y和z，按产量计分别占
    u、v和w"), the run measured the way the question asks — and the items without the
    first run's measure ("C按面积计" is C)."""
    measures = [
        _measure(sentence, found, before, run) or ""
        for before, run in zip(chain, chain[1:], strict=False)
    ]
    # The first run's measure ends the last item, framed like the next one ("按…计").
    frame = re.escape(measures[0][0]) + r"[^、，]{1,10}" + re.escape(measures[0][-1]) + "$"
    own = re.search(frame, items[-1]) if len(measures[0]) >= 2 else None
    if own is not None and own.start() > 0:
        items = [*items[:-1], items[-1][: own.start()]]
    named = [own.group(0) if own else "", *measures]
    scores = [_distinct(i, named, question) for i in range(len(named))]
    best = max(range(len(named)), key=lambda i: scores[i])
    if scores[best] < 2 or scores.count(scores[best]) > 1:
        best = 0
    return items, chain[best]


def _abbreviated(items: list[str], question: str) -> list[str]:
    """Items written short before the last one: "汽、柴油零售价" is 汽油零售价 and 柴油零售价
    — when the question joins the short item to the last one's tail (汽油)."""
    last = items[-1]
    out = []
    for item in items[:-1]:
        whole = item[-1:] + last[1:]
        if len(last) >= 2 and HAN_CHAR.fullmatch(item[-1:]) and whole[:2] in question:
            out.append(whole)
        else:
            out.append(item)
    return [*out, last]


def _items(
    sentence: str, values: list[tuple[str, int]], earlier: list[tuple[str, int]]
) -> list[str] | None:
    """The items a run of values is given to, one per value, else None."""
    count = len(values)
    before = sentence[: values[0][1]]
    marker = None
    for m in _RESPECTIVELY.finditer(before):
        marker = m
    if marker is not None and values[0][1] - marker.end() <= 12:
        # The items are listed in one clause ("A、B和C…分别"), often the one before
        # a clause naming what is measured ("纺织业、家具业带动明显，增速分别").
        end = marker.start()
        for _ in range(3):
            start = max((m.end() for m in _LIST_BREAK.finditer(before, 0, end)), default=0)
            listed = _listed_in(before[start:end], count)
            if listed is not None:
                return listed
            if start == 0:
                break
            end = start - 1
        # Items that are whole clauses: "A增长较快，B平稳，分别…".
        head = before[_clause_start_list(before, marker.start(), count) : marker.start()]
        pieces = [p for p in re.split(_LIST_JOIN, head) if p.strip() not in _NOT_ITEMS]
        return _shared_tail_off(pieces[-count:], count)
    # No 分别: the clause leading to the values names the items itself …
    lead_start = max((m.end() for m in _LIST_BREAK.finditer(before)), default=0)
    listed = _listed_in(before[lead_start:], count)
    if listed is not None:
        return listed
    # … or the clause before it gives each item its own figure, in the same order.
    owned = [(text, at) for text, at in earlier if at >= clause_start(sentence, lead_start - 1)]
    if len(owned) != count or lead_start == 0:
        return None
    items = []
    start = clause_start(sentence, owned[0][1])
    for text, at in owned:
        own = re.sub(_LIST_JOIN, "", sentence[start:at])
        items.append(_VERB_BEFORE_ITEM.sub("", own) or own)
        start = at + len(text)
    return items


def _listed_in(clause: str, count: int) -> list[str] | None:
    """``count`` items listed in one clause, split at 、 first ("纺织和服装制造业、
    汽车制造业": the 和 is inside a name), else at 、/和/与/及."""
    for join in ("、", _ITEM_JOIN):
        pieces = [p for p in re.split(join, clause) if p.strip()]
        if len(pieces) >= count:
            return _shared_tail_off(pieces[-count:], count)
    return None


def _shared_tail_off(items: list[str], count: int) -> list[str] | None:
    """Items without what the last one says of them all ("甲镇和乙乡的入户率":
    的入户率 belongs to both) or the first one of them all ("南湖学院本科生和研究生":
    南湖学院 is the 研究生's too)."""
    if len(items) < count or any(not i.strip() for i in items):
        return None
    last = items[-1]
    cut = last.rfind("的")
    if cut > 0 and all("的" not in i for i in items[:-1]):
        items = [*items[:-1], last[:cut]]
    longest_other = max(len(i) for i in items[1:])
    if len(items[0]) > max(2 * longest_other, 4):
        items = [items[0][-longest_other:], *items[1:]]
    return items


_NOT_ITEMS = frozenset("同比 环比 均 较上年 比上年 同期 其中 累计 全年 今年 上半年".split())


def _clause_start_list(text: str, end: int, items: int) -> int:
    """Where a list of ``items`` items ending at ``end`` starts: back over as many
    commas as needed (items may be whole clauses), at most to the sentence start."""
    start = end
    seen = 0
    for m in reversed(list(_LIST_BREAK.finditer(text[:end]))):
        start = m.end()
        if m.group(0) in "：:——" or text[m.end() : end].strip() not in _NOT_ITEMS:
            seen += 1
        if seen >= items or m.group(0) in "：:——":
            break
    else:
        start = 0
    return start


def _distinct(index: int, items: list[str], question: str) -> int:
    """Length of the longest piece of ``items[index]`` that the question repeats and no
    other item holds (figures and units aside)."""
    item = re.sub(r"[0-9.,%亿万元]+", "", items[index])
    others = [i for n, i in enumerate(items) if n != index]
    for size in range(len(item), 0, -1):
        for begin in range(len(item) - size + 1):
            piece = item[begin : begin + size]
            if piece in question and not any(piece in o for o in others):
                return size
    return 0
