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
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ingest.zh.names import ROLES
from ingest.zh.patterns import CLAUSE_BREAK, HAN_CHAR, QUALIFIER
from retrieval.asking import _EDGE_WORDS, Expected, canonical
from retrieval.places import EVENT_VERB, name_only, place_part, places_within
from retrieval.respective import value_of_item
from retrieval.spans import (
    _ROLE_TAIL,
    _TITLE_WORD,
    PLACE_THEN,
    _amounts,
    _dates,
    clause_end,
    clause_start,
    plausible,
    trim_phrase,
)

# The place names in a phrase, with where each starts in it (jieba's dictionary).
Toponyms = Callable[[str], list[tuple[str, int]]]

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
    core = _after_qualifier(sentence, start)
    for anchor in [a for a in [*lefts, *rights] if a.offset == 0]:
        if anchor.end <= start and _LINK.fullmatch(sentence, anchor.end, start):
            best = max(best, anchor.size)
        elif start < anchor.end == core and anchor in lefts:
            best = max(best, anchor.size)  # "超过几个" → 超过3个: the qualifier asked
        elif (
            anchor in rights  # "120万个…岗位"; the left side's tail comes before its amount
            and end <= anchor.start
            and _LINK.fullmatch(sentence, end, anchor.start)
        ):
            best = max(best, anchor.size)
    return best


_QUALIFIER_AT = re.compile(QUALIFIER)


def _after_qualifier(sentence: str, start: int) -> int:
    """Where the figure of the amount at ``start`` begins, after a qualifier ("超过3个")."""
    m = _QUALIFIER_AT.match(sentence, start)
    return m.end() if m else start


def _gap_start(anchor: Anchor, start: int, core: int) -> int:
    """Where an amount starts as seen from a left anchor: after its qualifier when the
    anchor holds the qualifier ("户均超过|3个" asked as "户均超过几个")."""
    return core if start < anchor.end <= core else start


RIGHT_SHARE = 0.3


def _covered(anchors: list[Anchor], plain: str) -> int:
    """Characters of a side that its anchors hold, each piece counted once."""
    return sum(len(piece) for piece in {plain[a.start : a.end] for a in anchors})


def _best_of(values: Iterable[float]) -> float:
    return max(values, default=0.0)


def _right_side(expected: Expected) -> str:
    side = expected.right
    if expected.unit and side.startswith(expected.unit):
        side = side[len(expected.unit) :]
    return _EDGE_WORDS.sub("", side)


_BOOK_TITLE = re.compile(r"《[^》]{1,40}》")


def read(expected: Expected, sentence: str, toponyms: Toponyms | None = None) -> Reading | None:
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
            title = trim_phrase(sentence[clause_start(sentence, anchor.start) : anchor.start])
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
            and not (expected.kind == "place" and EVENT_VERB.fullmatch(side))
        ):
            # "由谁主持": a sentence without 主持 does not say who chaired; "谁是记者节的
            # 发起人": one with only 记者 does not say who started the 记者节.
            return None
        if expected.kind == "place" and not lefts and _EVENT.search(expected.left):
            return None  # "X会在哪里召开": a sentence without X does not say where X met
        candidates = _phrases(sentence, lefts, rights)
        named: list[tuple[str, int, int]] = []
        if expected.kind == "place":
            asked = canonical(expected.left + expected.right)
            candidates = [name_only(*place_part(*c)) for c in candidates]
            gaps = [c for c in candidates if not plausible("place", c[0])]
            # "被送往医院并接受治疗": the place that opens the gap.
            candidates += [
                (m.group(1), c[1], c[1] + len(m.group(1)))
                for c in gaps
                if (m := PLACE_THEN.match(c[0]))
            ]
            # "中国海洋科考船抵达…": the place named inside a longer gap, by its
            # kind (中国, 蔚山市) or, without one, as the dictionary knows it (冲绳, 伊朗).
            inner = [place for c in gaps for place in places_within(*c)]
            if toponyms is not None:
                inner += [
                    (word, c[1] + at, c[1] + at + len(word))
                    for c in gaps
                    for word, at in toponyms(c[0])
                ]
            titles = [m.span() for m in _BOOK_TITLE.finditer(sentence)]
            named = [
                c
                for c in inner
                if c[0] not in asked  # 美国与哪个国家: not 美国
                and not any(a < c[1] < b for a, b in titles)  # nor 治国 of 《…治国理政》
            ]
        candidates = [c for c in candidates if plausible(expected.kind, c[0])] + named
        if expected.kind == "person":
            candidates = _people(expected, sentence, candidates)
    # "突破了多少亿元大关": the question asks for the mark itself.
    asks_mark = bool(_MILESTONE.search(expected.left + expected.right) or "突破" in expected.right)
    best: tuple[float, Reading] | None = None
    for span, start, end in candidates:
        # Each piece of the question counts at its best occurrence; the best piece decides.
        lefts_by_piece: dict[str, float] = {}
        core = _after_qualifier(sentence, start) if expected.kind == "number" else start
        for anchor in lefts:
            # After the left side, or inside it: "新增[120万个]需要精通…的工作岗位".
            value = _weight(anchor) * max(
                _closeness(_gap_start(anchor, start, core) - anchor.end),
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
        paired = value_of_item(expected, sentence, reading.start)
        if paired is not None:
            span, at = paired
            return Reading(span, at, reading.left, reading.right, reading.inside, reading.score)
    return reading


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
            add(left.end, clause_end(sentence, left.end))
    for right in rights:
        add(clause_start(sentence, right.start), right.start)
    return found
