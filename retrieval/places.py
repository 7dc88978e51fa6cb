"""Places in a gap: where an event happened ("座谈会在县文化中心召开" → 县文化中心) and a
place named inside a longer phrase ("中国海洋科考船抵达…" → 中国). Pure functions on
simplified text."""

from __future__ import annotations

import re

# "…夏令营在X开营", "…论坛15日在X开幕": the place follows the last of these words …
_LOCATIVE = re.compile(r"(?:位于|坐落于|落户|抵达|到达|来到|到了|前往|送往|运往|飞往|在|于)")
# … and stops before what happened there.
EVENT_VERB = re.compile(
    r"(?:(?:隆重|正式|顺利|成功|欢乐|盛大|圆满)(?:{v})?|(?:{v}))(?:了|的|仪式)?$".format(
        v="开幕|闭幕|举行|召开|上演|开园|开营|启动|开设|举办|揭牌|开业|开工|落成|成立|开班|"
        "启航|亮相|进行|开展|落地"
    )
)


def place_part(span: str, start: int, end: int) -> tuple[str, int, int]:
    """The place in a gap: after its last locative word ("宛城区三级干部会议在区会议中心"
    → 区会议中心), without the event's verb ("…文化公园隆重开幕" → …文化公园)."""
    cut = None
    for m in _LOCATIVE.finditer(span, 0, max(len(span) - 1, 0)):
        cut = m
    if cut is not None:
        start += cut.end()
        span = span[cut.end() :]
    trimmed = EVENT_VERB.sub("", span)
    return trimmed, start, start + len(trimmed)


# A place name written with its kind: 中国, 蔚山市, 新洲区, 京畿道城南市. A country is
# one character and 国 (中国, 德国; 王国 and 全国 are kinds, below); others take two to six.
_TOPONYM = re.compile(
    r"(?:[\u4e00-\u9fff]{2,6}?(?:省|市|县|区|州|岛)|[\u4e00-\u9fff]国)"
    r"(?!长|委|民|家|内|外|际|级|会|企|营|有|立|道|场)"
    # a town or township: 柳溪镇 (of "柳溪镇有效推进…"), not 镇长 or 乡镇
    r"|[\u4e00-\u9fff]{2,4}?(?:镇|乡)(?!长|委|级|党|政|干|村|镇|里|亲)"
)
# What a gap may hold before the name: "应对中国", "2020年超越德国", "坠入无人区".
_BEFORE_TOPONYM = re.compile(
    r"^.*(?:超越|超过|应对|逼近|前往|来自|位于|抵达|访问|该国|当地|我国|[年月日对在于向到从入就与及自至的了是])"
)
_COUNTED = re.compile(r"[0-9一二三四五六七八九十两多各]")


# What stands before 区/市/国… in the name of a kind of place, not of a place.
_KINDS_OF_PLACE = frozenset(
    "示范 开发 经开 高新 保税 自贸 工业 产业 试验 实验 功能 核心 重点 贫困 灾 疫 景 园 社 "
    "小 片 辖 城 新 老 全 各 本 该 此 我 外 内 山 郊 市 城市 城区 中心 先行 集聚 大 强 "
    "省 县 州 岛 国 王 祖 他 出 回 两 乡 城乡 村 各乡 全乡 全镇 本镇 该镇 小 古".split()
)


def places_within(span: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Place names inside a gap that is no place as a whole."""
    found = []
    for m in _TOPONYM.finditer(span):
        name, at, end = name_only(m.group(0), start + m.start(), start + m.end())
        if name.endswith(("城镇", "乡镇")) or _BEFORE_TOPONYM.sub("", name)[:-1] in _KINDS_OF_PLACE:
            continue  # "全面排查城镇": 城镇 is a kind of place
        if not _COUNTED.match(name) and name[:-1] not in _KINDS_OF_PLACE:
            found.append((name, at, end))  # not 四区 or 两国 (counted), 示范区 (a kind)
    return found


def name_only(span: str, start: int, end: int) -> tuple[str, int, int]:
    """A place name without what stands before it in its gap ("2023年与德国" → 德国)."""
    name = _BEFORE_TOPONYM.sub("", span)
    if name != span and _TOPONYM.fullmatch(name) and name[:-1] not in _KINDS_OF_PLACE:
        return name, end - len(name), end
    return span, start, end
