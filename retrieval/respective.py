"""Values given respectively: "A、B和C分别增长x、y和z" — the value of the item a question
names. Pure functions on simplified text."""

from __future__ import annotations

import re

from ingest.zh.patterns import amounts
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
    # The run of values the reading's span belongs to: joined by 、/和 with nothing else.
    index = next((i for i, (_, at) in enumerate(found) if at == start), None)
    if index is None:
        return None
    lo = hi = index
    while lo > 0 and re.fullmatch(
        _LIST_JOIN, sentence[found[lo - 1][1] + len(found[lo - 1][0]) : found[lo][1]]
    ):
        lo -= 1
    while hi + 1 < len(found) and re.fullmatch(
        _LIST_JOIN, sentence[found[hi][1] + len(found[hi][0]) : found[hi + 1][1]]
    ):
        hi += 1
    values = found[lo : hi + 1]
    if len(values) < 2:
        return None
    earlier = [(a.text, a.start) for a in amounts(sentence) if a.start < values[0][1]]
    items = _items(sentence, values, earlier)
    if items is None:
        return None
    question = expected.left + expected.right
    # The item the question names by what only that item says: "手持订单量" among
    # "新增订单量和累计订单量" (订单量 names both).
    overlaps = [_distinct(i, items, question) for i in range(len(items))]
    best = max(range(len(items)), key=lambda i: overlaps[i])
    if overlaps[best] == 0 or overlaps.count(overlaps[best]) > 1:
        return None
    return values[best]


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
