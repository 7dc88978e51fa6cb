"""The dateline a report opens with (``12月23日至24日``, ``近日``), and a date its source
gives."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as dt_date

from ingest.metadata.layout import _after_lead_prefix
from ingest.metadata.shared import (
    _DATELINE,
    _FULLWIDTH_DIGITS,
    _GIVEN_DATE,
    _SENTENCE_END,
    _VAGUE_DATELINE,
)


@dataclass(frozen=True)
class _Dateline:
    text: str
    year: int | None
    month: int | None
    day: int | None


def _dateline_from(match: re.Match[str]) -> _Dateline:
    year = int(match.group("year")) if match.group("year") else None
    return _Dateline(match.group(0), year, int(match.group("month")), int(match.group("day")))


def _match_dateline(paragraph: str) -> _Dateline | None:
    rest = _after_lead_prefix(paragraph)
    match = _DATELINE.match(rest)
    if match:
        return _dateline_from(match)
    vague = _VAGUE_DATELINE.match(rest)
    if vague:
        return _Dateline(vague.group(0), None, None, None)
    return None


def _find_dateline(body: list[str]) -> _Dateline | None:
    """The dateline opening one of the first paragraphs, else a date in the first sentence."""
    for paragraph in body[:3]:
        found = _match_dateline(paragraph)
        if found:
            return found
    if body:
        end = _SENTENCE_END.search(body[0])
        first_sentence = body[0][: end.start()] if end else body[0]
        match = _DATELINE.search(first_sentence)
        if match:
            return _dateline_from(match)
    return None


def _normalise_given_date(value: str | None) -> str | None:
    """A source date as ISO ("2023-08-01 10:02:05" → "2023-08-01"), None if not a real date."""
    if not value:
        return None
    match = _GIVEN_DATE.match(value.translate(_FULLWIDTH_DIGITS))
    if not match:
        return None
    month = match.group("m") or match.group("m2")
    day = match.group("d") or match.group("d2")
    return _iso(int(match.group("y")), int(month), int(day))


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt_date(year, month, day).isoformat()
    except ValueError:
        return None
