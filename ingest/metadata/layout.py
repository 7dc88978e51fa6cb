"""Layout: headline lines, then the lead paragraph; bylines and source notes on lines of
their own are neither."""

from __future__ import annotations

import re

from ingest.metadata.shared import (
    _DATELINE,
    _LEAD_PREFIX,
    _OUTLET_XUN,
    _VAGUE_DATELINE,
    _paragraphs,
)

# Bylines and source notes on a line of their own ("来源：……", "融媒体记者：李仪佳、乔盈盈",
# "记者 郑海波 王会"): neither headline nor body.
_META_LINE = re.compile(
    r"^[^，。,\s（(讯]{0,8}?(?:来源|发布时间|时间|日期|作者|编辑|审核|校对|记者|通讯员|摄影)"
    r"[^\S\n]*[\s：:][^。]*$"
)
_META_LINE_MAX = 40
# Body text has sentence punctuation; headlines do not.
_SENTENCE_PUNCT = re.compile(r"[。！!；;]")
_HEADLINE_MAX = 64


def _after_lead_prefix(paragraph: str) -> str:
    """The paragraph after any "济源网讯(记者 ……)" opening."""
    match = _LEAD_PREFIX.match(paragraph)
    return paragraph[match.end() :] if match else paragraph


def _starts_with_dateline(line: str) -> bool:
    rest = _after_lead_prefix(line)
    return bool(_DATELINE.match(rest) or _VAGUE_DATELINE.match(rest))


def _is_headline(line: str) -> bool:
    return (
        len(line) <= _HEADLINE_MAX
        and not _SENTENCE_PUNCT.search(line)
        and not _OUTLET_XUN.match(line)
        and not _starts_with_dateline(line)
    )


def _split_layout(text: str) -> tuple[list[str], list[str]]:
    """(headline lines, body paragraphs); a text of headline-like lines only has no body."""
    paragraphs = [
        p for p in _paragraphs(text) if not (len(p) <= _META_LINE_MAX and _META_LINE.match(p))
    ]
    count = 0
    while count < len(paragraphs) and _is_headline(paragraphs[count]):
        count += 1
    if count == len(paragraphs):
        return [], paragraphs
    return paragraphs[:count], paragraphs[count:]
