"""Facts in the fixed phrasing of Chinese government reports: officials, meetings, figures,
speech points.

Works on cleaned text in simplified script (paragraphs separated by ``"\\n"``), pure rules:
regular expressions over small vocabularies shipped here as constants (roles, surnames,
units). No I/O, no model; :func:`extract_facts` never raises on a ``str``.

The rules are read module by module, each with its specification at its top:

* :mod:`~ingest.facts.officials` - people named after their titles
  (``区委副书记、区长郭炜主持``); the name after a title is read in
  :mod:`~ingest.facts.names`, the start of the title before it in
  :mod:`~ingest.facts.titles`.
* :mod:`~ingest.facts.meetings` - the report's meeting: chairs, speakers, attendees, place.
* :mod:`~ingest.facts.speech` - what each speaker said, sentence by sentence.
* :mod:`~ingest.facts.figures` - numbers with units: metric, change, rank, note, kind and
  year; its words are in :mod:`~ingest.facts.figure_words`, a figure in the making in
  :mod:`~ingest.facts.figure_drafts`.
* :mod:`~ingest.facts.vocabulary` (names, roles, titles, places) and
  :mod:`~ingest.facts.layout` (sentences and paragraphs) serve all three, and
  :mod:`~ingest.facts.records` holds what :func:`extract_facts` returns. These three
  import nothing else of the package; this module imports all of it.

Known limits: Chinese-numeral quantities (``三个融合``, ``完成五项任务``) and ranks without a
number (``客货综合周转量全市第一``) are not figures; a noun that is the object of a verb
(``覆盖志愿者、社区干部近2万人次``) is only partly read; four-character names without a ``·``
(``夏帕克提``) are cut to three; a second meeting in one report is not told apart from the first.
"""

from __future__ import annotations

import re

from ingest.facts.figures import _FigureReader
from ingest.facts.layout import _Layout
from ingest.facts.meetings import _meeting
from ingest.facts.officials import _mentions, _officials
from ingest.facts.records import Facts, Figure, FigureKind, Meeting, Official, SpeechPoint
from ingest.facts.speech import _speech_points

__all__ = [
    "Facts",
    "Figure",
    "FigureKind",
    "Meeting",
    "Official",
    "SpeechPoint",
    "extract_facts",
]


def _report_year(year: str | None, date: str | None) -> int | None:
    for candidate in (year, date):
        if candidate and re.match(r"\d{4}", candidate):
            return int(candidate[:4])
    return None


def extract_facts(
    text: str,
    *,
    region: str | None,
    meeting: str | None,
    date: str | None,
    year: str | None,
) -> Facts:
    """Officials, the report's meeting, its figures and speech points, from cleaned
    simplified text.

    ``region``, ``meeting`` and ``date`` are the report's metadata (:mod:`ingest.metadata`);
    ``year`` is the report's year (for 今年/明年/去年 and figures without a year of their own).
    """
    layout = _Layout(text)
    mentions = _mentions(text)
    officials = _officials(mentions, layout, region)
    meetings: tuple[Meeting, ...] = ()
    if meeting:
        meetings = (_meeting(text, layout, mentions, officials, meeting, date),)
    figures = _FigureReader(text, layout, _report_year(year, date)).figures()
    points = _speech_points(text, layout, mentions, officials)
    return Facts(
        officials=tuple(officials),
        meetings=meetings,
        figures=tuple(figures),
        points=tuple(points),
    )
