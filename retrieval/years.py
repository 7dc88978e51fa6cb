"""The years a question asks about and the years a report speaks of: a sentence's own
year (or 今年/去年 counted from the report's date), and whether any report can be about
a year asked at all."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.chunking import split_sentences
from ingest.zh.patterns import tighten

_YEAR = re.compile(r"((?:19|20)\d{2})年")
_RELATIVE = {"去年": -1, "今年": 0, "明年": 1, "上年": -1, "次年": 1}
_RELATIVE_YEAR = re.compile("|".join(_RELATIVE))


def speaks_of(years: Sequence[str], text: str, report_year: str | None) -> bool:
    """Whether a report may speak of every year asked: it names it, or it is dated next
    to it, so its 今年/去年 may be that year (an undated report must name it)."""
    dated = int(report_year) if report_year and report_year.isdigit() else None
    return all(
        year in text or (dated is not None and abs(int(year) - dated) <= 1) for year in years
    )


def _relative_years(sentence: str, report_year: str | None) -> list[str]:
    if not report_year:
        return []
    base = int(report_year)
    return [str(base + _RELATIVE[m.group(0)]) for m in _RELATIVE_YEAR.finditer(sentence)]


def sentence_context(
    text: str, report_year: str | None
) -> tuple[dict[str, str | None], dict[str, str]]:
    """For each sentence of a report: the year it speaks of (its own first year — 明年
    and 去年 counted from the report's year — else the last year named earlier in its
    paragraph, else the report's year) and the sentence before it in its paragraph."""
    years: dict[str, str | None] = {}
    before: dict[str, str] = {}
    for paragraph in text.split("\n"):
        current, previous = report_year, ""
        for sentence in split_sentences(tighten(paragraph)):
            named = _YEAR.findall(sentence)
            spoken = named or _relative_years(sentence, report_year)
            years.setdefault(sentence, spoken[0] if spoken else current)
            before.setdefault(sentence, previous)
            if spoken:  # "2024年…，2025年…" moves on; "今年收官、明年开局" speaks of 今年
                current = named[-1] if named else spoken[0]
            previous = sentence
    return years, before
