"""Patterns of Chinese report text that ingest, the answerers and the verifier share:
sentences and clauses, the Han range, function words, amounts with their units as the
text writes them, dates, and personal names.

A leaf module: it imports nothing of govqa but :mod:`ingest.zh`'s own modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HAN = "\u4e00-\u9fff"
HAN_CHAR = re.compile(f"[{HAN}]")

# A sentence ends at Chinese or ASCII end punctuation (with closing quotes) or a line
# break; a clause also at a comma, enumeration comma, colon or semicolon.
_SENTENCE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』）)]*|\n|$)")
CLAUSE_BREAK = re.compile(r"[，,：:；;。！？!?\n]")


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order, stripped, without empty ones."""
    return [s.strip() for s in (m.group(0) for m in _SENTENCE.finditer(text)) if s.strip()]


# Blanks that web pages put between Chinese text and the numbers in it ("清退 2146 辆",
# "7 月 31 日"): typography, not content. Blanks between latin words stay.
_LOOSE_BLANK = re.compile(
    r"(?<=[\u4e00-\u9fff\d%.])[ \t\u3000\xa0]+(?=[\u4e00-\u9fff%])"
    r"|(?<=[\u4e00-\u9fff])[ \t\u3000\xa0]+(?=[\d\u4e00-\u9fff])"
)


def tighten(text: str) -> str:
    """``text`` without the blanks around its Chinese characters ("清退 2146 辆" →
    "清退2146辆"), so amounts and dates read as one span."""
    return _LOOSE_BLANK.sub("", text)


# Words that carry no content where a question is matched against a sentence.
FUNCTION_CHARS = "的了是在和与及对把被也都就将为从向于着过吗呢吧啊"

# -- amounts ----------------------------------------------------------------------------

# What may stand before an amount and belongs to it ("约72%", "超过300人").
QUALIFIER = (
    r"(?:大约|约为|约合|约|近|将近|接近|不超过|不高于|不低于|略高于|略低于|高于|低于|超过|超出|"
    r"超|逾|达到|多达|达|高达|共计|共|仅为|仅|不到|不足|不少于|至少|最高|最低)"
)
# Measure words that follow a number, longest first (a scale word, 万/亿, may stand
# between: "120万个", "1000亿美元"). ``MEASURE_WORDS`` also lists what "多少X" may ask in.
MEASURE_WORDS: tuple[str, ...] = tuple(
    sorted(
        set(
            (
                "个百分点 百分点 % ‰ 元 美元 欧元 英镑 日元 港元 澳元 卢布 韩元 人民币 万元 亿元 "
                "千瓦时 千瓦 兆瓦 吉瓦 万千瓦 千克 公斤 克 吨 万吨 千米 公里 米 厘米 毫米 平方公里 "
                "平方米 立方米 公顷 亩 摄氏度 度 人次 架次 车次 航次 班次 批次 户次 台次 "
                "人 名 位 个 项 家 件 次 倍 户 所 吉瓦时 兆瓦时 万千瓦时 亿千瓦时 "
                "周年 款 样 道 门 首 篇 集 幅 票 剂 针 单 笔 个基点 基点 分钟 个工作日 工作日 "
                "条 台 辆 座 套 间 张 本 部 份 册 枚 艘 架 列 只 头 匹 "
                "株 棵 颗 粒 片 块 根 层 栋 幢 处 "
                "宗 起 例 种 类 批 支 队 场 轮 届 期 年 个月 月 周 天 日 小时 秒 岁 分 毫升 升 "
                "毫克 微克 TEU 标箱 万标箱 吨公里 载重吨 修正总吨 ℃ °C "
                "页 海里 英里 英尺 平方千米 桶 盎司 克拉 微米 纳米 元人民币 "
            ).split()
        ),
        key=len,
        reverse=True,
    )
)
_MEASURE = "|".join(re.escape(m) for m in MEASURE_WORDS)
_ARABIC = r"[0-9]+(?:[,，][0-9]{3})*(?:\.[0-9]+)?"
_CHINESE = (
    r"[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*"
    r"(?:点[零〇一二三四五六七八九]+)?"
)
_SCALE = r"(?:万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千|百)"
# "每升", "/升": a rate after the unit ("8.08元每升").
_PER = rf"(?:(?:每|/)[{HAN}a-zA-Z]{{1,2}})?"
AMOUNT = re.compile(
    rf"(?P<qualifier>{QUALIFIER})?"
    rf"(?P<number>(?:{_ARABIC}|{_CHINESE})(?:[-~～至到](?:{_ARABIC}|{_CHINESE}))?)"
    rf"(?P<scale>{_SCALE})?"
    rf"(?P<about>多|余)?"
    rf"(?P<unit>(?:{_MEASURE})(?:次|口)?{_PER}(?:[（(][{HAN}]{{1,3}}[)）])?)?"
    rf"(?P<more>多|余|以上|以下|以内|之内|内|左右)?"
    # a range written with the unit twice: "1.2万卢布至2.4万卢布"
    rf"(?:(?:至|到|-|~|～)(?:{_ARABIC}|{_CHINESE}){_SCALE}?(?:{_MEASURE}))?"
)
PERCENT_WORDS = re.compile(
    r"百分之[零〇一二三四五六七八九十百点]+|[零〇一二三四五六七八九十]成"
    # a fraction, with what qualifies it: 四分之一, 近三分之一
    r"|(?:将近|接近|超过|不到|近|约|逾)?[二三四五六七八九十]分之[一二三四五六七八九]"
)


@dataclass(frozen=True)
class Amount:
    text: str  # as written, qualifier included: "约72%", "120万个"
    number: str
    unit: str  # "" when none follows
    start: int
    end: int


def amounts(text: str, *, with_unit: bool = True) -> list[Amount]:
    """Amounts in ``text`` with their units as written, in order. A bare number (no
    unit) only when ``with_unit`` is false; never a lone Chinese numeral word (一些,
    统一) or an ordinal (第三)."""
    found: list[Amount] = []
    for m in AMOUNT.finditer(text):
        number, unit = m.group("number"), m.group("unit") or ""
        if not number:
            continue
        chinese = not re.search(r"[0-9]", number)
        if chinese and not (unit or m.group("scale")):
            continue  # 一些, 十分: words, not amounts
        if chinese and len(number) == 1 and number in "一两" and unit in ("", "个", "种", "次"):
            continue  # 一个, 两种: hardly ever what is asked
        if number == "一" and unit == "批":
            continue  # 一批: "a number of", never a count
        if m.start("number") > 0 and text[m.start("number") - 1] in "第每":
            continue
        if with_unit and not unit and not m.group("scale"):
            continue
        start = m.start()
        found.append(Amount(m.group(0), number, unit, start, m.end()))
    for m in PERCENT_WORDS.finditer(text):
        found.append(Amount(m.group(0), m.group(0), "%", m.start(), m.end()))
    found.sort(key=lambda a: a.start)
    return found


# -- dates -----------------------------------------------------------------------------

_TIME = (
    r"(?:(?:凌晨|早上|上午|中午|下午|傍晚|晚上|晚间|夜间)?"
    r"\d{1,2}(?:点|时|:)(?:\d{1,2}分?)?(?:左右|许)?)?"
)
DATE = re.compile(
    r"(?:今年|明年|去年|同年|当年)?"
    r"(?:(?:(?:19|20)\d{2}|[一二〇零][〇零一二三四五六七八九]{3})年"
    r"(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})月份?"
    r"(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})[日号]|上旬|中旬|下旬|初|底|末)?"
    r"|第[一二三四1-4]季度|[一二三四1-4]季度|上半年|下半年|年底|年初|年末|底|初|末"
    r"|春季|夏季|秋季|冬季)?"
    r"(?:(?:至|到|—|-)(?:\d{1,2}月)?\d{1,2}[日号])?"
    r"|(?:\d{1,2}|[一二三四五六七八九十]{1,3})月份?(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})[日号]"
    r"(?:(?:至|到|—|-)(?:\d{1,2}月)?\d{1,2}[日号])?|上旬|中旬|下旬|初|底|末)?"
    r"|[春夏秋冬]季"  # a season on its own: 在冬季, 今年夏季
    + r")"
    + _TIME
    + r"(?:起|以来|之前|以前|前|(?:凌晨|早上|上午|中午|下午|傍晚|晚上|晚间|夜间)(?!\d))?"
)
ORDINAL = re.compile(r"第[0-9一二三四五六七八九十百]+(?:位|名|届|次|批|轮|期|个|大|季度)?")


def dates(text: str) -> list[re.Match[str]]:
    """Dates as written: 2023年10月1日, 2019年, 2023年秋季, 10月底, 7月1日至3日."""
    return [m for m in DATE.finditer(text) if m.group(0)]
