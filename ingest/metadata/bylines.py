"""Outlet and reporters: who published a report and who wrote it.

* ``outlet`` - ``济源网讯`` → 济源网, ``新华社北京……电``, a ``来源：`` line, ``据……报道``;
  None for 本报/本台 and when absent.
* ``reporters`` - names after 记者 in a parenthesised byline or a byline line, split on
  spaces and 、, stopping at 通讯员/摄影/编辑 (those are not reporters).
"""

from __future__ import annotations

import re

from ingest.metadata.shared import (
    _ANONYMOUS_OUTLETS,
    _HAN,
    _OUTLET_DIAN,
    _OUTLET_JU,
    _OUTLET_SOURCE,
    _OUTLET_XUN,
)


def _extract_outlet(body: list[str], text: str) -> str | None:
    for paragraph in body[:2]:
        match = _OUTLET_XUN.match(paragraph) or _OUTLET_DIAN.match(paragraph)
        if match:
            outlet = match.group("outlet")
            return None if outlet in _ANONYMOUS_OUTLETS else outlet
    for pattern in (_OUTLET_SOURCE, _OUTLET_JU):
        match = pattern.search(text)
        if match and match.group("outlet") not in _ANONYMOUS_OUTLETS:
            return match.group("outlet")
    return None


# "(记者 郑海波 王会)", "（记者罗跃）", "（本报记者 张三 通讯员 李四）".
_BYLINE_PAREN = re.compile(r"[（(][^（）()\n]{0,12}?记者[\s：:]*(?P<names>[^（）()\n]{2,60})[）)]")
# "融媒体记者：李仪佳、乔盈盈" or "记者 郑海波 王会" as a line of its own.
_BYLINE_LINE = re.compile(
    r"^[^\S\n]*[^，。,：:\n]{0,10}?记者[^\S\n]*[：:\s][^\S\n]*(?P<names>[^\n]{2,40})$", re.M
)
# Where the reporters' names stop: other roles, credits, sentence punctuation.
_BYLINE_STOP = re.compile(r"通讯员|实习生|见习|摄影|摄像|编辑|校对|报道|文/|图/|[，。；;！!？?|｜]")
# "张三 摄": a photo credit after the names.
_PHOTO_CREDIT = re.compile(r"\s*摄$")
_NAME_SEPARATOR = re.compile(r"[\s、,/／]+")
# A Han personal name, or a transliterated one joined by "·".
_PERSON_NAME = re.compile(rf"^(?:[{_HAN}]{{2,4}}|[{_HAN}]{{1,6}}·[{_HAN}]{{1,8}})$")
_NOT_NAMES = frozenset({"报道", "摄影", "摄像", "供稿", "整理", "编辑"})


def _names(fragment: str) -> list[str]:
    stop = _BYLINE_STOP.search(fragment)
    if stop:
        fragment = fragment[: stop.start()]
    fragment = _PHOTO_CREDIT.sub("", fragment.strip())
    tokens = [t for t in _NAME_SEPARATOR.split(fragment) if t]
    return [t for t in tokens if _PERSON_NAME.match(t) and t not in _NOT_NAMES]


def _extract_reporters(text: str) -> tuple[str, ...]:
    found: list[str] = []
    for pattern in (_BYLINE_PAREN, _BYLINE_LINE):
        for match in pattern.finditer(text):
            found.extend(_names(match.group("names")))
    return tuple(dict.fromkeys(found))
