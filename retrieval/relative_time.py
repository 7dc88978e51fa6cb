"""Relative time in questions: 今年, 去年, 前年, 明年, "this year", "last year", and
最近一次/最新/"latest".

A relative year is read against *now*: the as-of date (today, or ``GOVQA_AS_OF`` /
``--as-of`` for reproducible runs) — but never past the newest report dated on or before
it, since the reports cannot speak of a year none of them has reached ("今年" over reports
of 2023 asked in 2026 is 2023). ``去年同期`` and ``同比`` compare with the year before; they
do not ask for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from ingest.script import Script

_ZH_YEARS = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}
# A period of a year with no year before it (上半年, 一季度) is this year's.
_ZH = re.compile(
    r"今年|本年|去年(?!同期)|上年(?!同期)|前年|明年|"
    r"(?<![年\d])(?:上半年|下半年|前三季度|(?<![上下本每同])第?[一二三四1-4]季度)"
)
_EN_YEARS = {"this year": 0, "last year": -1, "next year": 1, "the year before last": -2}
_EN = re.compile(r"\bthe year before last\b|\b(?:this|last|next) year\b")
# A stretch of days before now: the reports dated in it answer.
# (近日, 近期 and "recently" say no how long: they ask for the latest; "比上月" compares.)
_WINDOW = re.compile(
    r"本月|这个月|(?<![比较])(?<!相比)(?<!环比)上个?月(?!同期)|\bthis month\b|\blast month\b"
)
_LATEST = re.compile(
    # not a bare 最近: "离车站最近的" is the nearest, not the latest
    r"最近一次|上一次|最新一次|最新|近日|近期|最近(?=召开|举行|举办|发布|出台)|"
    r"\blatest\b|\bmost recent\b|\brecent(?:ly)?\b|\blast (?:meeting|session)\b"
)


@dataclass(frozen=True)
class TimeBasis:
    """What a question's relative time words mean, and the date they are read against."""

    now: date
    words: tuple[str, ...]  # as the question writes them: 去年, last year
    years: tuple[str, ...]  # what they stand for: 2024
    latest: bool  # 最近一次 / latest: the latest dated report
    offsets: tuple[int, ...] = ()  # the words as years from now: 去年 -1
    # Read as each report uses them (去年 = the year before the report's own): the
    # second try when no report reaches the years read from now.
    per_report: bool = False
    window: tuple[date, date] | None = None  # 本月/上月/近日: reports dated in it
    window_word: str = ""

    def in_window(self, report_date: str | None) -> bool:
        """Whether a report of ``report_date`` is dated inside the window (a month alone
        counts when it overlaps)."""
        if self.window is None:
            return True
        if not report_date:
            return False
        start, end = self.window
        return start.isoformat()[: len(report_date)] <= report_date <= end.isoformat()

    def years_for(self, report_year: str | None) -> set[str]:
        """What the words stand for in a report of ``report_year`` (per_report)."""
        if not report_year or not report_year[:4].isdigit():
            return set()
        return {str(int(report_year[:4]) + offset) for offset in self.offsets}

    @property
    def unique_years(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.years))

    def reports_note(self, script: Script, date_of_report: str | None) -> str:
        """（未找到2025年的相关报道；“今年”按所引报道的日期理解：据2023-07-21的报道）"""
        words = "、".join(f"“{w}”" for w in self.words)
        year = self.years[0]
        if script == "en":
            when = f"the report of {date_of_report}" if date_of_report else "an undated report"
            return f"(nothing found for {year}; {words} read as in {when})"
        when = f"据{date_of_report}的报道" if date_of_report else "所引报道未注明日期"
        return f"（未找到{year}年的相关报道；{words}按所引报道的日期理解：{when}）"

    def note(self, script: Script) -> str:
        """（“去年”指2024年，以2025-12-01为准） — how the answer read the question."""
        pairs = [f"“{w}”指{y}年" for w, y in zip(self.words, self.years, strict=True)]
        if script == "en":
            said = ", ".join(f'"{w}" = {y}' for w, y in zip(self.words, self.years, strict=True))
            if self.window is not None:
                start, end = self.window
                said = ", ".join(filter(None, [said, f'"{self.window_word}" = {start}–{end}']))
            return f"({said}; as of {self.now.isoformat()})"
        latest = ["“最近/近日”指日期最晚的报道"] if self.latest else []
        if self.window is not None:
            start, end = self.window
            pairs.append(f"“{self.window_word}”指{start.isoformat()}至{end.isoformat()}")
        return f"（{'，'.join(pairs + latest)}，以{self.now.isoformat()}为准）"


def has_relative(text: str) -> bool:
    """Whether ``text`` (simplified, lower-cased) has a relative time word."""
    return bool(
        _ZH.search(text) or _EN.search(text) or _LATEST.search(text) or _WINDOW.search(text)
    )


def read_relative(text: str, now: date | None) -> TimeBasis | None:
    """The relative time words of ``text`` (simplified, lower-cased) read against ``now``;
    None when it has none, or no ``now`` is known."""
    if now is None:
        return None
    words: list[str] = []
    offsets: list[int] = []
    for m in _ZH.finditer(text):
        words.append(m.group(0))
        offsets.append(_ZH_YEARS.get(m.group(0), 0))
    for m in _EN.finditer(text):
        words.append(m.group(0))
        offsets.append(_EN_YEARS[m.group(0)])
    latest = bool(_LATEST.search(text))
    found = _WINDOW.search(text)
    window = _window(found.group(0), now) if found else None
    if not words and not latest and window is None:
        return None
    years = tuple(str(now.year + offset) for offset in offsets)
    basis = TimeBasis(now, tuple(words), years, latest, tuple(offsets))
    if window is not None and found is not None:
        basis = replace(basis, window=window, window_word=found.group(0))
    return basis


def _window(word: str, now: date) -> tuple[date, date]:
    """本月: this month up to now; 上月: the whole month before."""
    if word in ("本月", "这个月", "this month"):
        return now.replace(day=1), now
    end = now.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def effective_now(as_of: date, newest_report: str | None) -> date:
    """``as_of``; or, when the newest report on or before it is of an earlier year, that
    report's date (a month or a year alone counts from its first day): 今年 over reports
    of 2023 asked in 2026 is 2023, 上月 asked in March of a year the reports reach is
    February."""
    if not newest_report:
        return as_of
    parts = [int(p) for p in re.findall(r"\d+", newest_report)[:3]]
    try:
        newest = date(parts[0], *(parts[1:] + [1, 1])[:2])
    except (ValueError, IndexError, TypeError):
        return as_of
    return newest if newest.year < as_of.year else as_of
