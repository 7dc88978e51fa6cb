"""What a question asks for: the kind of answer (a person, an amount in a unit, a date,
a place …), and the question cut at its asking words into what stands before (``left``)
and after (``right``) them. Pure functions on simplified text (or English)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ingest.zh.patterns import MEASURE_WORDS

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
            r"\bwhere\b|\bwhich (?:city|country|province|county|district|place|town|township|"
            r"village|region|location|venue|port|island)\b"
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
_EN_RANK = re.compile(
    r"\bwhere (?:does|did|do|will|would)\b.*\brank\b|"
    r"\bwhat (?:rank|ranking|place|position)\b.*\b(?:rank|hold|take|come|finish)|"
    r"\bwhat (?:is|was) (?:the |its |their )?(?:[\w']+ ){0,2}rank(?:ing)?\b"
)
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
    r"增速|增长率|增幅|涨幅|降幅|比重|占比|比例|份额|百分|率|\brate\b|percent|share|"
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
# "门店数量是多少", "受访人数有多少": a count of things, not a rate or a share.
_COUNT_NOUN = re.compile(
    r"(?:数量|总数|人数|个数|次数|户数|家数|数目|(?<![质力])量)(?:是|为|有|达到|达)?$"
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
    count: bool = False  # a number of things (门店数量, 人数): never a rate
    options: tuple[str, ...] = ()  # "上午还是下午": the answer is one of these
    noun: str = ""  # "多少个国家": what is counted, said with the figure (9个国家)

    @property
    def typed(self) -> bool:
        """Kinds with a short typed answer (judged on it alone under strict scoring)."""
        return self.kind in ("person", "number", "date", "place", "org", "role", "choice")


def expected_answer(question: str, english: bool = False) -> Expected:
    """The kind of answer ``question`` (simplified Chinese or English) asks for."""
    text = question.strip()
    if english:
        lowered = text.lower()
        if _EN_RANK.search(lowered):
            return Expected("number", "第")  # "Where does Sweden rank": 第九, not a place
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
                if kind != "number":
                    unit, percent = None, False  # "Which town … attract investment?": a place
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
        if kind == "number" and not unit and _RATE_GAP.search(left):
            unit, percent = "百分点", True  # 增速比…高出多少: 2.1个百分点, not a rate
        count = kind == "number" and not percent and bool(_COUNT_NOUN.search(left))
        if kind == "number" and not unit and not percent and not scale:
            near = _TAIL_WORDS.sub("", left)[-6:] + " " + _EDGE_WORDS.sub("", right)[:6]
            if _MONEY_NOUN.search(near):
                unit = (
                    "元"  # "发放了多少贷款": an amount of money, not the number of borrowers (户)
                )
        if kind == "date":
            asked = found.group(0)
            unit = "日" if re.search(r"天|日|号", asked) else ("月" if "月" in asked else None)
            if unit is None and "年" in asked:
                unit = "年"  # 哪一年: a year, not a season or a day without one
        if kind == "phrase" and right:
            # 什么会议: the answer is a kind of 会议 — keep the head noun with the gap.
            pass
        return Expected(
            kind,
            unit=(scale or "") + unit if unit else (scale or None),
            left=_TAIL_WORDS.sub("", _MENTIONS.sub("", left)),
            right=_EDGE_WORDS.sub("", _MENTIONS.sub("", right)),
            percent=percent,
            count=count,
        )
    return Expected("phrase", left=body)


# Two rates compared: "营业收入的增速比全省的增速高出了多少" asks a gap in percentage points.
_RATE_GAP = re.compile(
    r"(?:增速|增幅|增长率|涨幅|降幅|比重|占比)(?:比|较|高于|低于|快于|慢于).{0,30}"
    r"(?:高出|高|低|快|慢|多)了?$"
)


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


# "多久" asks for a length of time: an amount in one of the units of
# :data:`retrieval.spans.TIME_UNITS`.
DURATION = "时长"
