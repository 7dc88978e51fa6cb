"""Reading an answer out of a sentence: what the question expects, and the span that
fills the question's gap.

Questions are mostly a sentence of a report with its answer replaced by asking words:
"已经对多少名农场主发放了补助资金？" asks for what stands between 对 and 农场主 in
"已对36名农场主发放补助资金". So the question is cut at its asking words into the text
before (``left``) and after (``right``); in a candidate sentence the longest tail of
``left`` and the longest head of ``right`` are anchored, and what lies between — or, with
one anchor, the clause beside it — is the gap. The expected kind of answer (a person, an
amount in the asked unit, a date, a place, an organisation, a phrase) then picks the
typed span inside the gap. Pure functions on simplified text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.zh.names import ROLES
from ingest.zh.patterns import CLAUSE_BREAK, HAN_CHAR, amounts
from retrieval.asking import _EDGE_WORDS, Expected, canonical
from retrieval.spans import _ROLE_TAIL, _TITLE_WORD, _amounts, _dates, plausible, trim_phrase

# -- the gap in a sentence ---------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    """A piece of one side of the question found in the sentence."""

    start: int  # in the sentence
    end: int
    size: int  # characters matched
    offset: int  # how far the piece sits from the gap's edge of its side


@dataclass
class Reading:
    """The answer read from a sentence, with how firmly the question anchors it."""

    span: str
    start: int  # of the span in the sentence
    left: int = 0  # characters of the question's left side anchored before the gap
    right: int = 0  # … of its right side after it
    inside: bool = True  # the span lies between the anchors (not only near one)
    score: float = 0.0  # how closely the anchors hug it (anchored characters, weighted)


def _anchors(side: str, sentence: str, *, tail: bool) -> list[Anchor]:
    """Every maximal piece of ``side`` (2+ characters, not only digits) found in
    ``sentence``, at each occurrence; ``tail``: offset from the side's end, else its start.
    A side of words joined by "|" (an English question's Chinese terms) has no order:
    each word is its own side."""
    found: dict[tuple[int, int], Anchor] = {}
    for part in side.split("|"):
        for size in range(min(len(part), 20), 1, -1):
            for begin in range(len(part) - size + 1):
                piece = part[begin : begin + size]
                if not HAN_CHAR.search(piece) or _DATE_PIECE.fullmatch(piece):
                    continue  # "2023", "022年": a year says little about where the gap is
                offset = len(part) - (begin + size) if tail else begin
                at = sentence.find(piece)
                while at >= 0:
                    if not any(s <= at and at + size <= e for (s, e) in found):
                        found[(at, at + size)] = Anchor(at, at + size, size, offset)
                    at = sentence.find(piece, at + 1)
    return list(found.values())


_DATE_PIECE = re.compile(r"[0-9年月日号]+")


def _weight(anchor: Anchor) -> float:
    return anchor.size - 0.4 * min(anchor.offset, 10)


def _closeness(distance: int) -> float:
    """1 right next to an anchor on its side, fading to 0 thirty characters away; a
    little on the wrong side too (word order differs between question and report)."""
    if distance < 0:
        return max(0.0, 0.3 * (1.0 + distance / 15))
    return max(0.0, 1.0 - distance / 30)


_MILESTONE = re.compile(r"(?:大关|关口|台阶|门槛|整数关)")
_SUPERSEDED = re.compile(r"(?:由|从)(?:最初的|原来的|原先的|之前的|此前的)?$")
_LATER = re.compile(
    r".{0,8}?(?:降至|降到|增至|增加到|提高到|提升至|升至|调整为|调整至|上调至|下调至|至|到)"
)


def _after_noun(sentence: str, noun_end: int, start: int) -> float:
    """An amount right after the noun the question counts ("利润12.35亿元", "利润为…"),
    not one after a list break ("2名特等奖、7名二等奖": 7名 is not the 特等奖's)."""
    distance = start - noun_end
    if distance < 0:
        return 0.0
    between = sentence[noun_end:start]
    if CLAUSE_BREAK.search(between) or "、" in between:
        return 0.0
    if distance <= 2:
        return 1.2
    return 0.5 * _closeness(distance)


# An amount written against the very noun the question counts ("其中金牌28枚",
# "利润12.35亿元", "120万个…岗位") is that noun's, whatever longer stretch of the
# question stands near another amount of the sentence.
ATTACHED_WEIGHT = 2.0
_LINK = re.compile(r"(?:为|是|达到|达|约|共|总计|合计|了|的|至|到)?")


def _attached(
    sentence: str, lefts: list[Anchor], rights: list[Anchor], start: int, end: int
) -> float:
    """Size of the question's measured noun (the left side's tail, the right side's
    head) that the amount at ``start:end`` is written against, else 0."""
    best = 0.0
    for anchor in [a for a in [*lefts, *rights] if a.offset == 0]:
        if anchor.end <= start and _LINK.fullmatch(sentence, anchor.end, start):
            best = max(best, anchor.size)
        elif (
            anchor in rights  # "120万个…岗位"; the left side's tail comes before its amount
            and end <= anchor.start
            and _LINK.fullmatch(sentence, end, anchor.start)
        ):
            best = max(best, anchor.size)
    return best


RIGHT_SHARE = 0.3


def _covered(anchors: list[Anchor], plain: str) -> int:
    """Characters of a side that its anchors hold, each piece counted once."""
    return sum(len(piece) for piece in {plain[a.start : a.end] for a in anchors})


def _best_of(values: Iterable[float]) -> float:
    return max(values, default=0.0)


def _clause_end(sentence: str, pos: int) -> int:
    found = CLAUSE_BREAK.search(sentence, pos)
    return found.start() if found else len(sentence)


def _clause_start(sentence: str, pos: int) -> int:
    starts = [m.end() for m in CLAUSE_BREAK.finditer(sentence, 0, pos)]
    return starts[-1] if starts else 0


def _right_side(expected: Expected) -> str:
    side = expected.right
    if expected.unit and side.startswith(expected.unit):
        side = side[len(expected.unit) :]
    return _EDGE_WORDS.sub("", side)


def read(expected: Expected, sentence: str) -> Reading | None:
    """The best answer of the expected kind in ``sentence``, by how closely the
    question's two sides hug it (the answer right after the left side's anchor, right
    before the right side's, or — amounts — right after a noun the right side names);
    None when the sentence anchors neither side or holds nothing of the kind."""
    plain = canonical(sentence)  # same length: anchors found in it hold in the sentence
    lefts = _anchors(canonical(expected.left), plain, tail=True) if expected.left else []
    rights = _anchors(canonical(_right_side(expected)), plain, tail=False) if expected.right else []
    if not lefts and not rights:
        return None
    if expected.kind in ("number", "date"):
        find = _amounts if expected.kind == "number" else _dates
        candidates = [(span, at, at + len(span)) for span, at in find(expected, sentence)]
    elif expected.kind == "choice":
        candidates = [
            (option, m.start(), m.end())
            for option in expected.options
            for m in re.finditer(re.escape(option), sentence)
        ]
    elif expected.kind == "role":
        # "区委副书记、区长郭炜主持": the title stands right before the name asked about.
        candidates = []
        for anchor in [*lefts, *rights]:
            title = trim_phrase(sentence[_clause_start(sentence, anchor.start) : anchor.start])
            title = _ROLE_TAIL.sub("", title)
            if title and len(title) <= 30 and _TITLE_WORD.search(title):
                at = sentence.rfind(title, 0, anchor.start)
                candidates.append((title, at, anchor.start))
        lefts, rights = [], [Anchor(a.start, a.end, a.size, 0) for a in [*lefts, *rights]]
    else:
        side = _right_side(expected)
        needed = 1 if "|" in side else RIGHT_SHARE * len(side)  # English: terms, any one
        if (
            expected.kind in ("person", "org", "place")
            and expected.right
            and _covered(rights, plain) < needed
            # "在哪里举行": a sentence that says 开幕 or 上演 there says where
            and not (expected.kind == "place" and _EVENT_VERB.fullmatch(side))
        ):
            # "由谁主持": a sentence without 主持 does not say who chaired; "谁是记者节的
            # 发起人": one with only 记者 does not say who started the 记者节.
            return None
        if expected.kind == "place" and not lefts and _EVENT.search(expected.left):
            return None  # "X会在哪里召开": a sentence without X does not say where X met
        candidates = _phrases(sentence, lefts, rights)
        if expected.kind == "place":
            candidates = [_name_only(*_place_part(*c)) for c in candidates]
            # "中国海军和平方舟医院船抵达…": the place named inside a longer gap.
            candidates += [
                inner
                for c in candidates
                if not plausible("place", c[0])
                for inner in _places_within(*c)
                if inner[0] not in canonical(expected.left + expected.right)  # 美国与哪个国家
            ]
        candidates = [c for c in candidates if plausible(expected.kind, c[0])]
        if expected.kind == "person":
            candidates = _people(expected, sentence, candidates)
    # "突破了多少亿元大关": the question asks for the mark itself.
    asks_mark = bool(_MILESTONE.search(expected.left + expected.right) or "突破" in expected.right)
    best: tuple[float, Reading] | None = None
    for span, start, end in candidates:
        # Each piece of the question counts at its best occurrence; the best piece decides.
        lefts_by_piece: dict[str, float] = {}
        for anchor in lefts:
            # After the left side, or inside it: "新增[120万个]需要精通…的工作岗位".
            value = _weight(anchor) * max(
                _closeness(start - anchor.end),
                0.7 * _closeness(anchor.start - end)
                if expected.kind in ("number", "date")
                else 0.0,
            )
            piece = plain[anchor.start : anchor.end]
            lefts_by_piece[piece] = max(lefts_by_piece.get(piece, 0.0), value)
        rights_by_piece: dict[str, float] = {}
        for anchor in rights:
            value = _weight(anchor) * max(
                _closeness(anchor.start - end),
                _after_noun(sentence, anchor.end, start) if expected.kind == "number" else 0.0,
            )
            piece = plain[anchor.start : anchor.end]
            rights_by_piece[piece] = max(rights_by_piece.get(piece, 0.0), value)
        # A date is placed by all that the question says around it ("2008年…晋升…上校
        # 军衔"); other kinds by their best-anchored piece.
        combine = sum if expected.kind == "date" else _best_of
        left_score = combine(lefts_by_piece.values())
        right_score = combine(rights_by_piece.values())
        left_size = max((len(p) for p, v in lefts_by_piece.items() if v > 0), default=0)
        right_size = max((len(p) for p, v in rights_by_piece.items() if v > 0), default=0)
        score = left_score + right_score
        if score <= 0:
            continue
        if expected.kind == "number":
            score += ATTACHED_WEIGHT * _attached(sentence, lefts, rights, start, end)
        if _SUPERSEDED.search(sentence, max(0, start - 4), start) and _LATER.match(sentence, end):
            score *= 0.6  # "由5%降至4.8%": the value it changed from
        if _MILESTONE.match(sentence, end) and not asks_mark:
            score *= 0.6  # "突破400亿元大关，实现414.9亿元": a mark passed, not the value
        if best is None or score > best[0]:
            inside = left_score > 0 and right_score > 0
            best = (score, Reading(span, start, left_size, right_size, inside, score))
    if best is None:
        return None
    reading = best[1]
    if expected.kind in ("number", "date"):
        respective = _respective(expected, sentence, reading)
        if respective is not None:
            return respective
    return reading


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


def _respective(expected: Expected, sentence: str, reading: Reading) -> Reading | None:
    """When the span stands in a list of values given respectively to a list of items,
    the value whose item the question names."""
    find = _amounts if expected.kind == "number" else _dates
    found = find(expected, sentence)
    if len(found) < 2:
        return None
    # The run of values the reading's span belongs to: joined by 、/和 with nothing else.
    index = next((i for i, (_, at) in enumerate(found) if at == reading.start), None)
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
    # "新接订单量和手持订单量" (订单量 names both).
    overlaps = [_distinct(i, items, question) for i in range(len(items))]
    best = max(range(len(items)), key=lambda i: overlaps[i])
    if overlaps[best] == 0 or overlaps.count(overlaps[best]) > 1:
        return None
    span, at = values[best]
    return Reading(span, at, reading.left, reading.right, reading.inside, reading.score)


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
    owned = [(text, at) for text, at in earlier if at >= _clause_start(sentence, lead_start - 1)]
    if len(owned) != count or lead_start == 0:
        return None
    items = []
    start = _clause_start(sentence, owned[0][1])
    for text, at in owned:
        own = re.sub(_LIST_JOIN, "", sentence[start:at])
        items.append(_VERB_BEFORE_ITEM.sub("", own) or own)
        start = at + len(text)
    return items


def _listed_in(clause: str, count: int) -> list[str] | None:
    """``count`` items listed in one clause, split at 、 first ("电气机械和器材制造业、
    汽车制造业": the 和 is inside a name), else at 、/和/与/及."""
    for join in ("、", _ITEM_JOIN):
        pieces = [p for p in re.split(join, clause) if p.strip()]
        if len(pieces) >= count:
            return _shared_tail_off(pieces[-count:], count)
    return None


def _shared_tail_off(items: list[str], count: int) -> list[str] | None:
    """Items without what the last one says of them all ("爱沙尼亚和拉脱维亚的覆盖率":
    的覆盖率 belongs to both) or the first one of them all ("华中科技大学本科生和研究生":
    华中科技大学 is the 研究生's too)."""
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


_EVENT = re.compile(r"会|仪式|论坛|活动|比赛|赛事|展览|典礼")
_AFTER_PERSON = re.compile(
    r"(?:主持|出席|讲话|参加|强调|指出|表示|要求|介绍|说|称|在|于|代表|带领|率|一行|同志|等).*$"
)


def _people(
    expected: Expected, sentence: str, candidates: list[tuple[str, int, int]]
) -> list[tuple[str, int, int]]:
    """Person spans without what they did ("杨博主持并讲话" → 杨博), and only where the
    title the question names stands right before them (北京市委书记 is not the
    区党工委书记 of a district report)."""
    title = _asked_title(expected.left)
    out: list[tuple[str, int, int]] = []
    for span, start, _ in candidates:
        name = _AFTER_PERSON.sub("", span) or span
        if title and title not in canonical(sentence[max(0, start - len(title) - 8) : start + 1]):
            if title not in name:
                continue
        out.append((name, start, start + len(name)))
    return out


# "…夏令营在X开营", "…论坛15日在X开幕": the place follows the last of these words …
_LOCATIVE = re.compile(r"(?:位于|坐落于|落户|抵达|到达|来到|在|于)")
# … and stops before what happened there.
_EVENT_VERB = re.compile(
    r"(?:(?:隆重|正式|顺利|成功|欢乐|盛大|圆满)(?:{v})?|(?:{v}))(?:了|的|仪式)?$".format(
        v="开幕|闭幕|举行|召开|上演|开园|开营|启动|开设|举办|揭牌|开业|开工|落成|成立|开班|"
        "启航|亮相|进行|开展|落地"
    )
)


def _place_part(span: str, start: int, end: int) -> tuple[str, int, int]:
    """The place in a gap: after its last locative word ("宛城区三级干部会议在区会议中心"
    → 区会议中心), without the event's verb ("…文化公园隆重开幕" → …文化公园)."""
    cut = None
    for m in _LOCATIVE.finditer(span, 0, max(len(span) - 1, 0)):
        cut = m
    if cut is not None:
        start += cut.end()
        span = span[cut.end() :]
    trimmed = _EVENT_VERB.sub("", span)
    return trimmed, start, start + len(trimmed)


# A place name written with its kind: 中国, 蔚山市, 新洲区, 京畿道城南市. A country is
# one character and 国 (中国, 德国; not 王国 or 全国); other kinds take two to six.
_TOPONYM = re.compile(
    r"(?:[\u4e00-\u9fff]{2,6}?(?:省|市|县|区|州|岛)|(?![王全各两外本该出回祖他大强我])[\u4e00-\u9fff]国)"
    r"(?!长|委|民|家|内|外|际|级|会|企|营|有|立|道|场)"
)
# What a gap may hold before the name: "应对中国", "2020年超越德国", "坠入无人区".
_BEFORE_TOPONYM = re.compile(
    r"^.*(?:超越|超过|应对|逼近|前往|来自|位于|抵达|访问|该国|当地|我国|[年月日对在于向到从入就与及自至的了是])"
)
_COUNTED = re.compile(r"[0-9一二三四五六七八九十两多各]")


def _places_within(span: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Place names inside a gap that is no place as a whole."""
    found = []
    for m in _TOPONYM.finditer(span):
        name, at, end = _name_only(m.group(0), start + m.start(), start + m.end())
        if not _COUNTED.match(name):  # 四区, 两国: counted, not named
            found.append((name, at, end))
    return found


def _name_only(span: str, start: int, end: int) -> tuple[str, int, int]:
    """A place name without what stands before it in its gap ("2023年与德国" → 德国)."""
    name = _BEFORE_TOPONYM.sub("", span)
    if name != span and _TOPONYM.fullmatch(name):
        return name, end - len(name), end
    return span, start, end


def _asked_title(left: str) -> str | None:
    """The title a "who is the X" question ends with: 北京市委书记 → 市委书记."""
    for role in ROLES:
        if left.endswith(role):
            head = left[: -len(role)]
            # The body the role belongs to: 市委, 区政协, 党工委 (not the place's name).
            body = re.search(r"(?:[市区县镇省州]委|党工委|人大常委会|政协|政府|人大)$", head)
            return (body.group(0) if body else "") + role
    return None


def _phrases(
    sentence: str, lefts: list[Anchor], rights: list[Anchor]
) -> list[tuple[str, int, int]]:
    """Gaps as phrases: between a left and a right anchor, after a left one to the end
    of its clause, before a right one from the start of its clause."""
    found: list[tuple[str, int, int]] = []

    def add(start: int, end: int) -> None:
        phrase = trim_phrase(sentence[start:end])
        if phrase and len(phrase) <= 40:
            at = sentence.find(phrase, start)
            found.append((phrase, at, at + len(phrase)))

    for left in lefts:
        paired = [r for r in rights if 0 < r.start - left.end <= 40]
        for right in paired:
            add(left.end, right.start)
        if not paired:
            add(left.end, _clause_end(sentence, left.end))
    for right in rights:
        add(_clause_start(sentence, right.start), right.start)
    return found
