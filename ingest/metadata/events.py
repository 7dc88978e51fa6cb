"""The event calendar: party congresses, plenums, five-year plans, anniversaries and
annual meetings with their dates, and the dated events a text mentions. The tables need
a line when a new event happens; how they date a report is in :mod:`ingest.metadata.dates`."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Party congresses: number → (year, month) held.
_CONGRESSES: dict[int, tuple[int, int]] = {
    16: (2002, 11),
    17: (2007, 10),
    18: (2012, 11),
    19: (2017, 10),
    20: (2022, 10),
}
# Plenary sessions of each Central Committee, first to last: (year, month) held.
_PLENUM_DATES: dict[int, tuple[tuple[int, int], ...]] = {
    18: ((2012, 11), (2013, 2), (2013, 11), (2014, 10), (2015, 10), (2016, 10), (2017, 10)),
    19: ((2017, 10), (2018, 1), (2018, 2), (2019, 10), (2020, 10), (2021, 11), (2022, 10)),
    20: ((2022, 10), (2023, 2), (2024, 7), (2025, 10)),
}
# Five-year plans: ordinal → (first year, last year).
_PLANS: dict[int, tuple[int, int]] = {
    11: (2006, 2010),
    12: (2011, 2015),
    13: (2016, 2020),
    14: (2021, 2025),
    15: (2026, 2030),
    16: (2031, 2035),
}
# Anniversaries counted from a founding year.
_ANNIVERSARY_BASES: dict[str, int] = {
    "新中国成立": 1949,
    "中华人民共和国成立": 1949,
    "建党": 1921,
    "中国共产党成立": 1921,
    "改革开放": 1978,
    "抗战胜利": 1945,
    "抗日战争胜利": 1945,
    "建军": 1927,
}
# Meetings held every year in a known month: (name, month).
_ANNUAL_MEETINGS: tuple[tuple[str, int], ...] = (("中央经济工作会议", 12), ("中央农村工作会议", 12))

_CN_NUMERAL = "[一二三四五六七八九十百零两]"
_CN_DIGITS = "零一二三四五六七八九"
# "党的二十大", "十九大".
_CONGRESS = re.compile(r"(?P<n>十[六七八九]|二十)大")
# "二十届四中全会", "二十届二中、三中全会".
_PLENUM = re.compile(
    r"(?P<n>十[八九]|二十)届(?P<sessions>(?:[一二三四五六七八九]中(?:全会)?[、，,和及与]?)+)"
)
_PLENUM_SESSION = re.compile(r"([一二三四五六七八九])中")


def _cn_number(token: str) -> int | None:
    """Arabic or Chinese numerals below 1000: "75", "七十五", "一百" → int."""
    if token.isdigit():
        return int(token)
    total, current = 0, 0
    for char in token.replace("两", "二"):
        if char in _CN_DIGITS:
            current = _CN_DIGITS.index(char)
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def _ordinal(token: str) -> int:
    """Ordinals of congresses and plans: "十四" → 14, "二十" → 20."""
    return _cn_number(token) or 0


@dataclass(frozen=True)
class _EventMention:
    year: int
    month: int
    position: int
    exact: bool  # False: a session later than the table knows, held after (year, month)


def _event_mentions(text: str) -> list[_EventMention]:
    """Every dated congress or plenum mentioned."""
    found: list[_EventMention] = []
    for match in _CONGRESS.finditer(text):
        held = _CONGRESSES.get(_ordinal(match.group("n")))
        if held:
            found.append(_EventMention(*held, match.start(), True))
    for match in _PLENUM.finditer(text):
        sessions = _PLENUM_DATES.get(_ordinal(match.group("n")), ())
        for session in _PLENUM_SESSION.findall(match.group("sessions")):
            number = _ordinal(session)
            if 1 <= number <= len(sessions):
                found.append(_EventMention(*sessions[number - 1], match.start(), True))
            elif sessions and number > len(sessions):
                found.append(_EventMention(*sessions[-1], match.start(), False))
    return found


def _plan_year(plan: str, phase: str) -> int | None:
    span = _PLANS.get(_ordinal(plan[:-1]))
    if not span:
        return None
    return span[1] if phase in ("收官", "最后一年") else span[0]
