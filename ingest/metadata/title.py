"""The title of a report.

* ``title`` - headline lines before the lead, deduplicated (print layouts repeat the web
  title in pieces), attendance lines (``张宏义出席``) dropped, a kicker (``……上强调``) joined
  to the line after it with "：", main title and subtitle joined with "——"; without
  headlines, the lead's first sentence after outlet, byline and dateline, cut to at most 40
  characters at a clause break outside quotes.
"""

from __future__ import annotations

import re

from ingest.metadata.layout import _after_lead_prefix
from ingest.metadata.shared import (
    _CLAUSE_BREAK,
    _CLOSE_QUOTES,
    _DATELINE,
    _HAN,
    _OPEN_QUOTES,
    _SENTENCE_END,
    _VAGUE_DATELINE,
    _WHITESPACE,
    _compact,
)

# "张宏义出席", "刘毅姚登惠出席": a line naming who attended.
_ATTENDANCE_LINE = re.compile(
    rf"^[{_HAN}·、，,\s]{{2,24}}(?:出席|参加|到会|出席会议|参加会议|出席并讲话)$"
)
# "骆高燕在……推进大会上强调": a kicker leading into the main title.
_KICKER_LINE = re.compile(r"(?:强调|指出|表示|要求|提出|寄语)$")
# What follows a dateline before the news: "电", a byline, a comma.
_AFTER_DATELINE = re.compile(r"^(?:电)?\s*(?:[（(][^（）()\n]{0,40}[）)])?\s*[，,、]?\s*")
# "据南阳日报报道，": attribution opening a lead.
_REPORTED_BY = re.compile(r"^据[^，,。]{2,15}?(?:报道|消息)[，,]\s*")
_SHORT_TITLE_MAX = 40


def _headline_title(headlines: list[str]) -> str | None:
    kept: list[str] = []
    for raw in headlines:
        line = _WHITESPACE.sub(" ", raw).strip()
        compact = _compact(line)
        if not compact or _ATTENDANCE_LINE.match(line):
            continue
        if any(compact in _compact(earlier) for earlier in kept):
            continue  # print layout repeating the web title in pieces
        kept.append(line)
    lines: list[str] = []
    index = 0
    while index < len(kept):
        line = kept[index]
        if _KICKER_LINE.search(line):
            if index + 1 < len(kept):  # "kicker：main"
                lines.append(f"{line}：{kept[index + 1]}")
                index += 1
            # a trailing kicker only repeats what the title above says
        else:
            lines.append(line)
        index += 1
    if not lines:
        return None
    return "——".join(lines[:2])


def _strip_lead_prefix(paragraph: str) -> str:
    """The lead without outlet, byline and dateline, e.g. "宛城区三级干部会议在……召开。"."""
    rest = _REPORTED_BY.sub("", _after_lead_prefix(paragraph))
    dateline = _DATELINE.match(rest) or _VAGUE_DATELINE.match(rest)
    if dateline:
        rest = rest[dateline.end() :]
        rest = _AFTER_DATELINE.sub("", rest)
    return rest.strip()


def _cut_short(sentence: str, limit: int = _SHORT_TITLE_MAX) -> str:
    """At most ``limit`` characters, cut at the last clause break outside quotes."""
    if len(sentence) <= limit:
        return sentence
    depth = 0
    best = -1
    for index, char in enumerate(sentence[: limit + 1]):
        if char in _OPEN_QUOTES:
            depth += 1
        elif char in _CLOSE_QUOTES:
            depth = max(0, depth - 1)
        elif depth == 0 and _CLAUSE_BREAK.match(char) and index > 0:
            best = index
    return sentence[:best] if best > 0 else sentence[:limit]


def _sentence_title(paragraph: str) -> str:
    rest = _strip_lead_prefix(paragraph)
    end = _SENTENCE_END.search(rest)
    sentence = (rest[: end.start()] if end else rest).strip()
    return _cut_short(_WHITESPACE.sub(" ", sentence)).strip()


def _extract_title(headlines: list[str], body: list[str]) -> str:
    from_headlines = _headline_title(headlines)
    if from_headlines:
        return from_headlines
    for paragraph in body:
        title = _sentence_title(paragraph)
        if title:
            return title
    return ""
