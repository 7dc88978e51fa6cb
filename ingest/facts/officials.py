"""Officials: the people a report names after their titles, and their regions.

Reports name a person after the title: ``区委副书记、区长郭炜主持``. A *role* word ends a title
(书记, 区长, 主任, 常委, 领导 ...); the title runs back from it over Han characters to the
previous punctuation, after the last verb in that run (``准确把握市委书记袁家军`` -> 市委书记)
and without a leading function word (``受区委书记`` -> 区委书记, ``会议由区委副书记`` ->
区委副书记); titles joined by ``、`` each end in a role. The name that follows starts with a
known surname and has two or three characters (three or four with a compound surname), or is a
``·`` name. Of the two readings, the one followed more clearly by the end of a name (punctuation,
or a verb of the genre: 主持, 出席, 讲话, 强调 ...) wins (``崔健|拿到``, not ``崔健拿|到``), then
the one the report repeats more often on its own, then the longer. A *leader list*
(``区领导邓霜丰、贾燕春……出席``) gives every member the list's title. A list member the
converter garbled down to its surname (``、张、``) is kept as ``张?`` with ``unknown=True``;
it is never completed. Mentions of one name are merged (titles in order of appearance).

``region`` is the place a title opens with when it names one (``重庆市委书记`` -> 重庆市; a
bare zone such as 示范区 does not count), ``全国`` for central organs (中央, 国务院, 全国人大,
全国政协), else the report's region - also for ``市委书记`` in a district report, which is the
city's secretary: the report does not say which city, and we do not guess.

Not extracted: people named before their title (``习近平总书记``), titles without a name
(``周书记``), reporters and correspondents (记者, 通讯员 are not roles).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ingest.facts.layout import _Layout
from ingest.facts.names import _LIST_SEP_END, _Known, _names_after, _Readings
from ingest.facts.records import Official
from ingest.facts.titles import _titles_before, _TitleStarts
from ingest.facts.vocabulary import (
    _GENERIC_PLACES,
    _NATIONAL,
    _PLACE_PREFIX,
    _ROLE_BEFORE_NAME,
)


@dataclass
class _Mention:
    """A title (or none) with the names it introduces, as found in the text."""

    start: int
    end: int
    titles: tuple[str, ...]
    # (name, start, end, unknown)
    names: list[tuple[str, int, int, bool]] = field(default_factory=list)


def _mentions(text: str) -> list[_Mention]:
    """Every title-then-name mention, left to right."""
    found: list[_Mention] = []
    known = _Known()
    floor = 0
    roles = list(_ROLE_BEFORE_NAME.finditer(text))
    # Names are read after a role, or after a separator in a list of them.
    after_separator = [m.end() for m in _LIST_SEP_END.finditer(text)]
    readings = _Readings(text, sorted({m.end() for m in roles} | set(after_separator)))
    starts = _TitleStarts(text)
    for m in roles:
        if m.start() < floor:
            continue
        names = _names_after(text, m.end(), readings)
        if not names:
            continue
        titles, start = _titles_before(text, m.end(), floor, known, starts)
        if not all(2 <= len(t) <= 30 for t in titles) or titles[-1] == "主持人":
            continue
        found.append(_Mention(start, names[-1][2], titles, names))
        for name, _s, _e, unknown in names:
            if not unknown:
                known.add(name)
        floor = names[-1][2]
    return found


def _region_of(title: str, report_region: str | None) -> str | None:
    if _NATIONAL.match(title):
        return "全国"
    place = _PLACE_PREFIX.match(title)
    if place and place.group("place") not in _GENERIC_PLACES:
        return place.group("place")
    return report_region


def _officials(mentions: list[_Mention], layout: _Layout, region: str | None) -> list[Official]:
    merged: dict[str, Official] = {}
    for mention in mentions:
        for name, start, _end, unknown in mention.names:
            known = merged.get(name)
            if known is None:
                merged[name] = Official(
                    name=name,
                    titles=mention.titles,
                    region=_region_of(mention.titles[0], region),
                    sentence=layout.evidence_at(start),
                    unknown=unknown,
                )
            else:
                extra = tuple(t for t in mention.titles if t not in known.titles)
                merged[name] = replace(known, titles=known.titles + extra)
    return list(merged.values())
