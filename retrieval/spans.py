"""Typed spans in a sentence: amounts in the asked unit, dates as fine as asked, and
whether a gap can be a person, a place or an organisation. Pure functions on
simplified text."""

from __future__ import annotations

import re

from ingest.zh.patterns import CLAUSE_BREAK, ORDINAL, amounts, dates
from retrieval.asking import DURATION, Expected, Kind

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
        if expected.count and amount.unit in _RATE_UNITS:
            continue  # "门店总数是多少": not the 15.9% it grew by
        spans.append((shown, amount.start))
    return spans


# "多久" asks for a length of time (DURATION): an amount in one of these.
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
    elif expected.unit == "年":
        found = [
            (d, at) for d, at in found if "年" in d and not d.startswith(("今年", "去年", "明年"))
        ]
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
    r"大学|办公室|[厅馆堂楼园村镇乡区县市省州国岛港站场院所校湖山江河海湾路街道坝口庭])$"
)
# A place that opens a longer gap and ends where the clause goes on ("送往[医院]并进行…").
PLACE_THEN = re.compile(
    r"(.{1,10}?(?:中心|会议室|办公室|大厅|广场|酒店|宾馆|大厦|基地|街道|社区|码头|机场|车站|"
    r"大学|[厅馆堂楼园村镇乡区县市省州岛港站场院所校庭]))(?=并|后|进行|接受|开展)"
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
            # "柳溪镇有效": a place of ours with more after it, no foreign name
            and not re.search(r"[省市县区镇乡]", span[:-1])
        )
    return bool(span)


def trim_phrase(text: str) -> str:
    """A gap as an answer: surrounding function words and punctuation off."""
    text = text.strip(" ，,。；;：:、“”\"'（）()")
    text = _TRAIL.sub("", _LEAD.sub("", text))
    return text.strip(" ，,。；;：:、“”\"'（）()")


def clause_end(sentence: str, pos: int) -> int:
    """Where the clause holding ``pos`` ends (its break, or the sentence's end)."""
    found = CLAUSE_BREAK.search(sentence, pos)
    return found.start() if found else len(sentence)


def clause_start(sentence: str, pos: int) -> int:
    """Where the clause holding ``pos`` starts (after the break before it, or 0)."""
    starts = [m.end() for m in CLAUSE_BREAK.finditer(sentence, 0, pos)]
    return starts[-1] if starts else 0
