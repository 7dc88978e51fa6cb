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
from typing import Literal

from ingest.zh.names import ROLES
from ingest.zh.patterns import CLAUSE_BREAK, HAN_CHAR, MEASURE_WORDS, ORDINAL, amounts, dates

Kind = Literal[
    "person", "org", "number", "date", "place", "phrase", "list", "yesno", "role", "choice"
]

# -- what a question expects -------------------------------------------------------------

_UNIT_AFTER = "|".join(re.escape(m) for m in MEASURE_WORDS)
# The asking words of a Chinese question, by the kind of answer they ask for; the first
# pattern that matches decides. Groups: the unit asked in (for amounts).
_ASKS: list[tuple[Kind, re.Pattern[str]]] = [
    (
        "date",
        re.compile(r"几月几[日号]|几月份?(?:底|初|末|中旬|上旬|下旬)?|几号|几点|哪几天|哪些天"),
    ),
    ("number", re.compile(r"(?:哪一?|第几)届(?:哪一?|第几)次|几届几次")),
    ("number", re.compile(r"百分之(?:多少|几)|几分之几|多少个百分点|多大比例|什么比例")),
    ("number", re.compile(r"第几(?:位|名|届|次|批|轮|期)?|排名(?:多少|如何)|排第几")),
    (
        "number",
        re.compile(
            rf"(?:是|为|达|有|约)?(?:多少|几)(?:(?P<scale>万|亿|千|百万|万亿))?(?P<unit>{_UNIT_AFTER})?"
            r"(?:每[\u4e00-\u9fff])?"
        ),
    ),
    ("number", re.compile(r"(?:是|为|达|有|约)?(?:多长时间|多长的时间|多久|多少时间)")),
    ("number", re.compile(r"多[大高长远重快]|什么(?:水平|规模|幅度)")),
    (
        "date",
        re.compile(
            r"(?:是)?(?:何时|什么时候|什么时间|哪一?天|哪一?年|哪个月|几月几日|几月几号|几号|"
            r"什么日期|哪个时间|何年|哪个季度|(?:的)?(?:时间|日期)(?:是|为)$)"
        ),
    ),
    (
        "place",
        re.compile(
            r"(?:在|于|去|到|从|是)?(?:哪里|哪儿|何地|何处|什么地[方点]|哪个地[方点]|什么场所|"
            r"哪(?:个|一|座|家)?(?:城市|国家|省份|省|市|县|区|地区|地点|岛屿|海域|港口|街道|乡镇|镇|"
            r"乡|村|社区|园区|景区|场馆|酒店|机场|车站))"
        ),
    ),
    (
        "person",
        re.compile(
            r"(?:是)?(?:谁|哪位|何人|哪(?:一|个)?(?:人|名|位)[\u4e00-\u9fff]{0,4}?(?=[？?]|$))"
        ),
    ),
    (
        "org",
        re.compile(
            r"(?:是)?(?:哪(?:个|家|一|些)?|什么)(?:单位|部门|机构|机关|公司|企业|组织|银行|"
            r"学校|大学|医院|协会|团队|平台|政府|国际组织|品牌|集团|媒体|网站|球队|队)"
        ),
    ),
    (
        "role",
        re.compile(r"(?:担任|任)?(?:什么|何种|哪些)(?:职务|职位|头衔|官职)|职务是什么|(?:的)?职务"),
    ),
    ("list", re.compile(r"哪些|有哪几|列出|都有谁")),
    ("yesno", re.compile(r"是否|有没有|能否|可否|(?:吗|(?<!什)么)[？?]?$")),
    ("phrase", re.compile(r"(?:是)?(?:什么|哪(?:个|种|项|类|一))")),
]
_EN_ASKS: list[tuple[Kind, re.Pattern[str]]] = [
    (
        "number",
        re.compile(
            r"\bhow (?:much|many|long|fast|far|large|big|high|often)\b|"
            r"\bwhat (?:was |is |were |are )?(?:the )?(?:\w+ )?(?:percentage|share|proportion|rate|"
            r"amount|level|number|total|value|size|volume|cost|price|figure|output|revenue|income|"
            r"gdp|capacity|throughput|sum|growth)\b|\bwhat (?:was|is) [\w' ]*?\b(?:gdp|revenue|"
            r"output|income|trade|sales|throughput|investment|rate|capacity|volume|value|price|"
            r"population|length|area)\b"
        ),
    ),
    ("role", re.compile(r"\bwhat (?:position|positions|post|posts|title|titles|role)\b")),
    (
        "date",
        re.compile(
            r"^\W*when\b|\bsince when\b|\bwhat (?:date|day|year|month|time)s?\b|"
            r"\bwhich (?:date|day|year|month)s?\b"
        ),
    ),
    (
        "place",
        re.compile(
            r"\bwhere\b|\bwhich (?:city|country|province|county|district|place)\b"
            r"(?! (?:head|party|secretary|mayor|chief|director|official|leader|governor)\b)"
        ),
    ),
    (
        "person",
        re.compile(
            r"\bwho(?:m)?\b|\bwhich (?:[\w-]+ ){0,3}(?:secretary|mayor|director|head|chairman|"
            r"chairwoman|chair|governor|official|minister|deputy|person|chief|reporter|journalist)\b"
        ),
    ),
    (
        "org",
        re.compile(r"\bwhich (?:organi[sz]ation|department|company|agency|body|bureau|bank)\b"),
    ),
    ("list", re.compile(r"\bwhich (?:\w+ )?(?:officials|leaders|measures|meetings)\b|\blist\b")),
    ("phrase", re.compile(r"\bwhat\b|\bwhich\b")),
]
# English "how many <noun>" → the measure word a Chinese text counts it with.
_EN_UNITS = {
    "people": "人", "persons": "人", "residents": "人", "workers": "人", "students": "名",
    "companies": "家", "enterprises": "家", "firms": "家", "times": "次", "projects": "个",
    "countries": "个", "cases": "起", "vehicles": "辆", "cars": "辆", "households": "户",
    "hectares": "公顷", "mu": "亩", "tons": "吨", "tonnes": "吨", "items": "项", "measures": "条",
}  # fmt: skip
_EN_MONEY = re.compile(
    r"\b(?:revenue|income|budget|gdp|output value|added value|value added|investment|invested|"
    r"sales|profit|spending|"
    r"expenditure|funds?|funding|yuan|rmb|dollars?|cost|price|turnover)\b"
)
_PERCENT_WORDS = re.compile(
    r"增速|增长率|增幅|涨幅|降幅|比重|占比|比例|百分|率|\brate\b|percent|share|"
    r"\bhow fast\b|\bby how much did\b|\b(?:grow|grew|rise|rose)\b"
)
# Nouns that are counted in money: next to 多少, the answer is an amount in 元.
_MONEY_NOUN = re.compile(
    r"(?:贷款|资金|投资|投资额|收入|营收|利润|税收|金额|费用|补贴|奖金|工资|预算|存款|"
    r"销售额|成交额|交易额|贸易额|出口额|进口额|营业额|产值|融资|罚款|赔偿|赔款|捐款|善款|"
    r"经费|拨款|保费|保费收入|资产|负债|净利润)(?: |$)|^(?:贷款|资金|投资|收入|营收|利润|"
    r"税收|金额|费用|补贴|奖金|预算|销售额|成交额|交易额|营业额|产值|融资|罚款|赔偿|捐款|善款|"
    r"经费|拨款|净利润)"
)
_CHANGE_VERBS = re.compile(r"(?:增长|下降|增加|减少|提高|降低|上涨|下跌|回落|提升|扩大|缩小)了?$")
# Trimmed from the edges of the question's two sides before anchoring.
_EDGE_WORDS = re.compile(
    r"^(?:了|的|是|为|在|于|呢|啊|吗|被|由|将|对|把|让|给|向|并|都|也|还|又|就)+"
)
# Verbs of mentioning: "哪些会议提到了X" asks for what says X, not for the verb.
_MENTIONS = re.compile(r"(?:提到|提及|涉及|讲到|说到|谈到|写到)了?")
_TAIL_WORDS = re.compile(
    r"(?:了|的|是|为|在|于|有|达到|达|约|共|将|已经|已|被|对|由|把|就|都|也|还|又|给|向|和|与|从|到)+$"
)
_PUNCT = re.compile(r"[\s，。、；：？！,.;:?!（）()“”\"'「」『』《》【】]+")


@dataclass(frozen=True)
class Expected:
    """What a question asks for, and the question cut around its asking words."""

    kind: Kind
    unit: str | None = None  # the measure asked in: 人, 亿元, %, 摄氏度
    left: str = ""  # the question before its asking words (simplified, no punctuation)
    right: str = ""  # after them
    percent: bool = False  # a rate, share or change (增速, 增长了多少)
    options: tuple[str, ...] = ()  # "上午还是下午": the answer is one of these

    @property
    def typed(self) -> bool:
        """Kinds with a short typed answer (judged on it alone under strict scoring)."""
        return self.kind in ("person", "number", "date", "place", "org", "role", "choice")


def expected_answer(question: str, english: bool = False) -> Expected:
    """The kind of answer ``question`` (simplified Chinese or English) asks for."""
    text = question.strip()
    if english:
        lowered = text.lower()
        for kind, pattern in _EN_ASKS:
            found = pattern.search(lowered)
            if found:
                unit = None
                many = re.search(r"\bhow many (\w+)", lowered)
                if many:
                    unit = _EN_UNITS.get(many.group(1))
                percent = bool(_PERCENT_WORDS.search(lowered)) or "percentage" in lowered
                if unit is None and not percent and _EN_MONEY.search(lowered):
                    unit = "元"  # revenue, GDP, investment: an amount of money
                return Expected(
                    kind, "%" if percent and kind == "number" else unit, percent=percent
                )
        return Expected("phrase")
    body = _PUNCT.sub("", re.sub(r"[？?]+$", "", text))
    choice = _choice(body)
    if choice is not None:
        return choice
    for kind, pattern in _ASKS:
        found = pattern.search(body)
        if not found:
            continue
        left, right = body[: found.start()], body[found.end() :]
        unit = found.groupdict().get("unit") if kind == "number" else None
        scale = found.groupdict().get("scale") if kind == "number" else None
        percent = kind == "number" and (
            bool(re.match(r"百分之|几分之几|多少个百分点|多大比例|什么比例", found.group(0)))
            or bool(_PERCENT_WORDS.search(left))
            or (not unit and bool(_CHANGE_VERBS.search(left)))
        )
        if unit is None and "百分之" in found.group(0):
            unit = "%"
        if re.search(r"多长时间|多长的时间|多久|多少时间", found.group(0)):
            unit = DURATION  # 30秒, 6个月, 45分钟
        if "第几" in found.group(0) or "排名" in found.group(0):
            unit = "第"
        if "届" in found.group(0) and "次" in found.group(0):
            unit = "届次"
        if kind == "number" and not unit and not percent and not scale:
            near = _TAIL_WORDS.sub("", left)[-6:] + " " + _EDGE_WORDS.sub("", right)[:6]
            if _MONEY_NOUN.search(near):
                unit = "元"  # "发放了多少贷款": an amount of money, not 406户 of borrowers
        if kind == "date":
            asked = found.group(0)
            unit = "日" if re.search(r"天|日|号", asked) else ("月" if "月" in asked else None)
        if kind == "phrase" and right:
            # 什么会议: the answer is a kind of 会议 — keep the head noun with the gap.
            pass
        return Expected(
            kind,
            unit=(scale or "") + unit if unit else (scale or None),
            left=_TAIL_WORDS.sub("", _MENTIONS.sub("", left)),
            right=_EDGE_WORDS.sub("", _MENTIONS.sub("", right)),
            percent=percent,
        )
    return Expected("phrase", left=body)


_NOT_A_CHOICE = re.compile(r"什么|多少|哪|谁|几|何|是否|[吗呢么]$|还是要|还是会|还是在|还是把")


def _choice(body: str) -> Expected | None:
    """ "…是在上午还是下午召开的": a choice between two words. They are as long as each
    other; a shared character (上午/下午) says how long, else two characters."""
    found = re.search(r"([\u4e00-\u9fff]{2,})还是([\u4e00-\u9fff]{2,})", body)
    if found is None or _NOT_A_CHOICE.search(body):
        return None  # "他还是区长吗", "会议还是要求做什么": 还是 as "still"
    before, after = found.group(1), found.group(2)
    size = next(
        (
            n
            for n in (2, 3, 4, 1)
            if n <= min(len(before), len(after))
            and any(a == b for a, b in zip(before[-n:], after[:n], strict=True))
        ),
        min(2, len(before), len(after)),
    )
    first, second = before[-size:], after[:size]
    left = _TAIL_WORDS.sub("", body[: found.start(1) + len(before) - size])
    right = _EDGE_WORDS.sub("", body[found.start(2) + size :])
    return Expected("choice", left=left, right=right, options=(first, second))


# -- words that say the same ---------------------------------------------------------------

# Words that say the same in these reports, each mapped to one of them (of the same
# length, so positions hold) before the question's wording is looked for in a sentence:
# 郭炜强调 ~ 郭炜要求, 增速 ~ 增长.
_SAME = {
    **{word: "强调" for word in ("强调", "指出", "要求", "表示", "提出")},
    "参加": "出席",
    "举行": "召开",
    "举办": "召开",
    "增速": "增长",
    "增幅": "增长",
}
_SAME_WORD = re.compile("|".join(sorted(_SAME, key=len, reverse=True)))


def canonical(text: str) -> str:
    """``text`` with each word of a group that says the same replaced by the group's
    first (lengths are kept)."""
    return _SAME_WORD.sub(lambda m: _SAME[m.group(0)], text)


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
            candidates = [_place_part(*c) for c in candidates]
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


# "A、B和C分别增长x、y和z": the value of the item the question names.
_LIST_JOIN = r"(?:、|和|及|与|以及|，|,)"
_RESPECTIVELY = re.compile(r"分别")


def _respective(expected: Expected, sentence: str, reading: Reading) -> Reading | None:
    """When the span stands in a list of values that 分别 ("respectively") assigns to a
    list of items, the value whose item the question names."""
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
    before = sentence[: values[0][1]]
    marker = None
    for m in _RESPECTIVELY.finditer(before):
        marker = m
    if marker is None or values[0][1] - marker.end() > 12:
        return None
    # The items: the last len(values) pieces before 分别, split at 、/和/，.
    head = sentence[_clause_start_list(before, marker.start(), len(values)) : marker.start()]
    items = [p for p in re.split(_LIST_JOIN, head) if p.strip() and p.strip() not in _NOT_ITEMS]
    if len(items) < len(values):
        return None
    items = items[-len(values) :]
    question = expected.left + expected.right
    overlaps = [_overlap(item, question) for item in items]
    best = max(range(len(items)), key=lambda i: overlaps[i])
    if overlaps[best] == 0 or overlaps.count(overlaps[best]) > 1:
        return None
    span, at = values[best]
    return Reading(span, at, reading.left, reading.right, reading.inside, reading.score)


_NOT_ITEMS = frozenset("同比 环比 均 较上年 比上年 同期 其中 累计 全年 今年 上半年".split())


def _clause_start_list(text: str, end: int, items: int) -> int:
    """Where a list of ``items`` items ending at ``end`` starts: back over as many
    commas as needed (items may be whole clauses), at most to the sentence start."""
    start = end
    seen = 0
    for m in reversed(list(re.finditer(r"[，,。；;]", text[:end]))):
        start = m.end()
        if text[m.end() : end].strip() not in _NOT_ITEMS:
            seen += 1
        if seen >= items:
            break
    else:
        start = 0
    return start


def _overlap(item: str, question: str) -> int:
    """Distinctive characters an item shares with the question (bigrams count double)."""
    item = re.sub(r"[0-9.,%亿万元]+", "", item)
    pairs = sum(1 for i in range(len(item) - 1) if item[i : i + 2] in question)
    chars = sum(1 for ch in set(item) if HAN_CHAR.match(ch) and ch in question)
    return 2 * pairs + chars


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


# "…训练营在X开营", "…论坛27日在X开幕": the place follows the last of these words …
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
    → 区会议中心), without the event's verb ("…度假区欢乐开园" → …度假区)."""
    cut = None
    for m in _LOCATIVE.finditer(span, 0, max(len(span) - 1, 0)):
        cut = m
    if cut is not None:
        start += cut.end()
        span = span[cut.end() :]
    trimmed = _EVENT_VERB.sub("", span)
    return trimmed, start, start + len(trimmed)


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


# -- typed spans -------------------------------------------------------------------------

_YEAR_ONLY = re.compile(r"(?:19|20)\d{2}年$")


def _base_unit(unit: str) -> str:
    return re.sub(r"^(?:万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千|百)(?=.)", "", unit)


def _amounts(expected: Expected, text: str) -> list[tuple[str, int]]:
    """Amounts in ``text`` fit for the question, with where they start: in the asked
    unit when it names one, a percentage for a rate, never a year standing alone unless
    years are asked."""
    if expected.unit == "第":
        return [(m.group(0), m.start()) for m in ORDINAL.finditer(text)]
    if expected.unit == "届次":
        return [(m.group(0), m.start()) for m in _SESSION.finditer(text)]
    if expected.unit == DURATION:
        found = {
            a.start: a.text
            for a in amounts(text)
            if a.unit in _TIME_UNITS and not _YEAR_ONLY.search(a.text)
        }
        for m in _SPOKEN_DURATION.finditer(text):  # 两个半天, 一年半, 半个月
            same = found.get(m.start())
            if same is not None and len(same) < len(m.group(0)):
                found[m.start()] = m.group(0)
            elif not any(at <= m.start() < at + len(t) for at, t in found.items()):
                found[m.start()] = m.group(0)
        return sorted(((t, at) for at, t in found.items()), key=lambda x: x[1])
    wanted = _base_unit(expected.unit) if expected.unit else None
    spans: list[tuple[str, int]] = []
    for amount in amounts(text):
        shown = amount.text
        if _YEAR_ONLY.search(shown) and wanted != "年":
            continue
        if amount.unit in ("月", "日", "号") and wanted != amount.unit:
            continue  # 7月, 18日: dates, not amounts
        if wanted and not amount.unit.startswith(wanted) and wanted not in shown:
            continue
        if expected.percent and not wanted and amount.unit not in _RATE_UNITS:
            continue
        spans.append((shown, amount.start))
    return spans


# "多久" asks for a length of time: an amount in one of these.
DURATION = "时长"
_TIME_UNITS = frozenset(
    "秒 秒钟 分钟 小时 个小时 天 周 个星期 星期 个月 年 个工作日 工作日".split()
)
_SPOKEN_DURATION = re.compile(
    r"(?:[一二两三四五六七八九十几]+个?半?|半个?)(?:天|小时|钟头|星期|周|月|年|工作日)半?"
)
_RATE_UNITS = ("%", "‰", "个百分点", "百分点", "倍")
_SESSION = re.compile(r"[一二三四五六七八九十百0-9]+届[一二三四五六七八九十百0-9]+次")


def _dates(expected: Expected, text: str) -> list[tuple[str, int]]:
    """Dates as fine as the question asks: a day for 哪天 (not a bare year)."""
    found = [(m.group(0), m.start()) for m in dates(text)]
    if expected.unit == "日":
        found = [(d, at) for d, at in found if re.search(r"[日号]", d)]
    elif expected.unit == "月":
        found = [(d, at) for d, at in found if "月" in d]
    return found


_LEAD = re.compile(r"^(?:据|在|于|由|是|为|系|经|对|从|与|和|及|，|、)+")
_TRAIL = re.compile(
    r"(?:等|等人|一行|分别|均|都|也|还|则|将|已|已经|正在|共同|联合|先后|同时|再次|首次|"
    r"近日|日前|此前|今天|今日|昨天|昨日)+$"
)


_TITLE_WORD = re.compile(
    r"书记|[长员任席理事官]$|[长员任席理事官][、，]|委员|主任|主席|领导|代表|发言人|负责人"
)
_ROLE_TAIL = re.compile(r"^(?:据|由|在|是)")


# What a person, place or organisation is never called: documents, events, times.
_NOT_AN_ENTITY = re.compile(
    r"[《》“”\"]|(?:会议|全会|决议|决定|文件|通知|意见|办法|报告|活动|项目|政策|计划|方案|工作|"
    r"问题|情况|措施|时间|期间|以来|数据|比例|同比|增长|下降|召开|举行|举办|主持|出席|"
    r"[年月日号%元讯])$"  # 讯: a dateline (济源网讯), not who did anything
)


# How the name of a place ends: 区会议中心, 汉冶街道, 湖北省, 日内瓦 (a city: 瓦 is no
# suffix, so a place may also just be short).
_PLACE_END = re.compile(
    r"(?:中心|会议室|礼堂|大厅|广场|酒店|宾馆|大厦|基地|街道|社区|码头|机场|车站|口岸|"
    r"大学|[厅馆堂楼园村镇乡区县市省州国岛港站场院所校湖山江河海湾路街道坝口])$"
)


_TRANSLITERATION = re.compile(
    "[斯尔克特亚拉纳维伊德夫阿巴罗里加塔哈布瓦尼莫格索卡萨丹坦兰基蒂诺普贝顿堡]"
)


def plausible(kind: Kind, span: str) -> bool:
    """Whether ``span`` can be an answer of this kind (a name is no document title, a
    place no clause)."""
    if kind in ("person", "place", "org"):
        if not 1 < len(span) <= 25 or _NOT_AN_ENTITY.search(span):
            return False
        if kind != "place" or _PLACE_END.search(span):
            return True
        # A foreign name (日内瓦, 约翰内斯堡, 布鲁塞尔): short, spelled with the
        # characters transliterations use, and no clause in it.
        return (
            len(span) <= 8
            and bool(_TRANSLITERATION.search(span))
            and not re.search(r"[的了在是和与对为将被把着等]", span)
        )
    return bool(span)


def trim_phrase(text: str) -> str:
    """A gap as an answer: surrounding function words and punctuation off."""
    text = text.strip(" ，,。；;：:、“”\"'（）()")
    text = _TRAIL.sub("", _LEAD.sub("", text))
    return text.strip(" ，,。；;：:、“”\"'（）()")
