"""The region a report is about.

* ``region`` - the place that is the subject of the lead (``黔江区召开……``), else the place
  opening the meeting's name (``宛城区三级干部会议``, ``中共嘉定区第七届……``), else the place
  most often named with an institution (``宛城区委``); the lowest level wins
  (``南阳市宛城区`` → 宛城区). A bare zone (示范区, 经开区) takes the place of a local outlet
  (济源网 → 济源示范区); nothing else is added.
"""

from __future__ import annotations

import re
from collections import Counter

from ingest.metadata.shared import _HAN

_GENERIC_UNITS = ("示范区", "经开区", "高新区", "开发区", "自贸区", "保税区", "综保区", "度假区")
_ADMIN_SUFFIX = "(?:" + "|".join(_GENERIC_UNITS) + r"|新区|自治县|自治州|区|县|市|旗)"
# One administrative name: a short stem and a suffix ("宛城区", "上海市", "经开区").
_PLACE = re.compile(rf"(?P<stem>[{_HAN}]{{1,5}}?){_ADMIN_SUFFIX}")
# Stems that are words, not places ("全区", "在区", "中心城区", "武陵山区").
_NOT_STEM_START = "全本各该我这那此在和与及对把被由从向为是受"
_GENERIC_PLACES = frozenset(
    "城区 山区 社区 园区 辖区 片区 景区 街区 小区 市区 郊区 "
    "城市 湾区 老区 新区 都市 超市 地区 灾区 林区 矿区 校区".split()
)
# Generic words that also end longer non-places ("中心城区", "转型城市").
_GENERIC_ENDINGS = frozenset("城区 城市 社区 园区 景区 片区 小区 街区 辖区".split())
# Party prefix before a place: "中共嘉定区……", "中国共产党上海市嘉定区……".
_PARTY_PREFIX = re.compile(r"^(?:中国共产党|中共)")
# "黔江区召开……": a place as the subject of the lead.
_PLACE_SUBJECT = re.compile(rf"(?:^|(?<=[，,。\s]))(?P<place>[{_HAN}]{{2,12}}?)(?:召开|举行|举办)")
# A place followed by one of its institutions, right after punctuation: "，宛城区委书记".
_PLACE_CUE = re.compile(
    rf"(?:^|(?<=[，。；、,;：:\s“（(]))(?:中共)?(?P<place>[{_HAN}]{{2,12}}?)"
    r"(?:党工委|管委会|人民政府|政府|人大|政协|委)"
)
# "济源网" → "济源": an outlet named after its place.
_OUTLET_PLACE = re.compile(
    rf"^(?P<stem>[{_HAN}]{{2,4}}?)(?:日报社|日报|晚报|新闻网|网|广播电视台|电视台|融媒体中心|融媒|发布|报)$"
)
# National media, whose names are not places.
_NATIONAL_MEDIA = frozenset(
    {"人民", "新华", "央视", "中新", "中国", "光明", "澎湃", "环球", "经济", "法治", "工人", "参考"}
)


def _valid_place(name: str, stem: str) -> bool:
    if name in _GENERIC_UNITS:
        return True
    if name in _GENERIC_PLACES or stem[0] in _NOT_STEM_START:
        return False
    if name[-2:] in _GENERIC_ENDINGS and len(stem) > 2:  # "中心城区"
        return False
    return len(stem) >= 2 or name.endswith("县")


def _lowest_place(fragment: str) -> str | None:
    """The most local place opening ``fragment``: "上海市嘉定区第七届……" → "嘉定区"."""
    rest = _PARTY_PREFIX.sub("", fragment)
    found: str | None = None
    while True:
        match = _PLACE.match(rest)
        if not match or not _valid_place(match.group(0), match.group("stem")):
            return found
        found = match.group(0)
        rest = rest[match.end() :]


def outlet_place(outlet: str | None) -> str | None:
    """The place a local outlet is named after: 湖北日报 → 湖北, 济源网 → 济源 (not a
    national outlet's: 人民日报)."""
    match = _OUTLET_PLACE.match(outlet or "")
    if not match or match.group("stem") in _NATIONAL_MEDIA:
        return None
    return match.group("stem")


def _qualify(region: str, outlet: str | None) -> str:
    """A bare development zone takes the place its outlet is named after: 济源 + 示范区."""
    if region not in _GENERIC_UNITS or not outlet:
        return region
    stem = outlet_place(outlet)
    return stem + region if stem else region


def _extract_region(lead: str, meeting: str | None, text: str, outlet: str | None) -> str | None:
    candidates: list[str] = []
    for match in _PLACE_SUBJECT.finditer(lead):
        place = _lowest_place(match.group("place"))
        if place and place == match.group("place")[-len(place) :]:
            candidates.append(place)
            break
    if meeting:
        place = _lowest_place(meeting)
        if place:
            candidates.append(place)
    if not candidates:
        counts: Counter[str] = Counter()
        for match in _PLACE_CUE.finditer(text):
            place = _lowest_place(match.group("place"))
            if place:
                counts[place] += 1
        candidates.extend(name for name, _ in counts.most_common(1))
    return _qualify(candidates[0], outlet) if candidates else None
