"""Pieces several readers of :mod:`ingest.metadata` share: character classes, breaks,
the outlet and dateline patterns, and paragraph helpers."""

from __future__ import annotations

import re

_HAN = r"\u4e00-\u9fff"
# Full-width digits map one-to-one onto ASCII, so offsets stay valid after translating.
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# Sentence ends; "?" alone is left out because broken converters leave "?" residues.
_SENTENCE_END = re.compile(r"[。！？!；;]|\.(?=\s|$)")
# Where a short title may be cut.
_CLAUSE_BREAK = re.compile(r"[，,、：:；;]")
# Runs of whitespace, collapsed to one space in titles.
_WHITESPACE = re.compile(r"\s+")
# Anything but letters and digits: what containment tests ignore (spaces, "?" residues).
_NOT_WORD = re.compile(rf"[^{_HAN}A-Za-z0-9]")
_OPEN_QUOTES = "“‘《（(「『【"
_CLOSE_QUOTES = "”’》）)」』】"

# Media names end like this: 济源网, 南阳日报, 宛城区融媒体中心, 新华社, 上游新闻...
_MEDIA_SUFFIX = r"(?:网|报|台|中心|社|客户端|新闻|融媒|传媒|之声|发布|在线|频道)"
# "济源网讯" opening the lead paragraph.
_OUTLET_XUN = re.compile(rf"^\s*(?P<outlet>[{_HAN}A-Za-z0-9·]{{1,20}}?{_MEDIA_SUFFIX})讯")
# "新华社北京12月23日电": agency, place, date, 电.
_OUTLET_DIAN = re.compile(
    rf"^\s*(?P<outlet>[{_HAN}]{{2,8}}社)[{_HAN}]{{0,8}}?\d{{1,2}}月\d{{1,2}}日电"
)
# "据济源日报报道" / "据新华社消息".
_OUTLET_JU = re.compile(rf"据(?P<outlet>[{_HAN}A-Za-z0-9·]{{2,15}}?{_MEDIA_SUFFIX})(?:消息|报道)")
# "来源：宛城区融媒体中心".
_OUTLET_SOURCE = re.compile(
    r"^[^\S\n]*(?:稿件来源|信息来源|来源)[^\S\n]*[：:][^\S\n]*(?P<outlet>[^\s，。,；;|｜（(]{2,30})",
    re.M,
)
# Newsroom self-references that name no outlet.
_ANONYMOUS_OUTLETS = frozenset({"本报", "本网", "本台", "本刊", "本站", "本社"})

# What may precede the dateline in the lead: "济源网讯(记者 郑海波 王会)", "新华社北京".
_LEAD_PREFIX = re.compile(
    rf"^\s*(?:[^\s，。,（(]{{1,20}}?讯|[{_HAN}]{{2,8}}社[{_HAN}]{{0,8}}?(?=\d))?"
    r"\s*(?:[（(][^（）()\n]{0,40}[）)])?\s*"
)
# "2024年12月23日至24日下午", "12月31日至1月2日", "7月22日下午".
_DATELINE = re.compile(
    r"(?:(?P<year>(?:19|20)\d{2})年)?(?P<month>1[0-2]|0?[1-9])月(?P<day>3[01]|[12]\d|0?[1-9])日"
    r"(?:(?:至|到|—|–|－|-|~|～)(?:(?:1[0-2]|0?[1-9])月)?(?:3[01]|[12]\d|0?[1-9])日)?"
    r"(?:上午|下午|晚上|晚间|早上|早晨|中午|凌晨|傍晚|夜间|晚)?"
)
# Datelines that name no day.
_VAGUE_DATELINE = re.compile(r"近日|日前|近期|连日来|前不久|近来|今天|今日|昨天|昨日|本周|上周")

# A given (source) date: "2023-08-01 10:02:05", "2023/8/1", "2023年8月1日", "20230801".
_GIVEN_DATE = re.compile(
    r"^\s*(?P<y>\d{4})(?:[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})|(?P<m2>\d{2})(?P<d2>\d{2})(?!\d))"
)


def _compact(text: str) -> str:
    """Text without spaces, residue marks and punctuation, for containment tests."""
    return _NOT_WORD.sub("", text)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]
