"""Meetings: the report's meeting, who chaired, spoke at and attended it, and where.

One meeting per report: the one the metadata names (``meeting``), with the sentence that names
it (a body sentence before a headline, one saying 召开/举行 first). Every person mention in the
report - a title with its name or list, or a known name alone (``樊牛强调``) - takes the verbs
that follow it, past fellow mentions (``刘建中，区领导A、B……出席``), a group without names
(``以及在家区领导``), ``代表……`` and ``在……上``: 主持 makes a chair; 讲话, 作……报告, 传达,
致辞, 发言, and 强调/指出/要求/表示/提出 make a speaker; 出席, 参加, 列席 make an attendee
(``出席并讲话`` is both). A body that chairs (``全会由区委常委会主持``) is a chair too. The
place is ``在X召开/举行`` in a sentence that names the meeting.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from ingest.facts.layout import _Layout
from ingest.facts.officials import _Mention
from ingest.facts.records import Meeting, Official
from ingest.facts.vocabulary import _HAN

# Between two mentions that share one verb: "刘建中，区领导A、B……出席".
_GROUP_GAP = re.compile(r"(?:[，,、\s]|以及|和|及|与|同志|等)*")
# The verbs after a mention (or group), past what may stand between.
_ROLE_TAIL = re.compile(
    r"(?:同志)?(?:等人?)?"
    # a group without names: "，以及在家区领导"
    rf"(?:[，、]?(?:以及|和|及)?[{_HAN}]{{0,12}}?(?:领导|负责人|负责同志|同志|代表|干部|嘉宾|成员)"
    r"(?:等)?)?"
    # "代表区委常委会", "在……大会上", "应邀"
    r"(?:代表[^，。；\n]{1,15}?|在[^，。；\n]{1,40}?上|在会上|受邀|应邀|一同|共同|分别|也|还|亦|"
    r"先后|专门|到会|)"
    r"(?P<verbs>(?:主持召开|主持(?!人)|出席|参加|列席|参会|讲话|作[^，。；\n]{0,12}?报告|传达|"
    r"致辞|发言|强调|指出|要求|表示|提出|说)"
    r"(?:(?:会议)?(?:并|，|、)(?:作|发表)?"
    r"(?:主持|讲话|作[^，。；\n]{0,12}?报告|传达|致辞|发言|强调|指出|要求|讲))*)"
)
_CHAIR_VERB = re.compile(r"主持(?!人)")
_SPEAKER_VERB = re.compile(r"讲话|报告|传达|致辞|发言|强调|指出|要求|表示|提出|说|讲")
_ATTENDEE_VERB = re.compile(r"出席|参加|列席|参会")
# A body that chairs: "全会由区委常委会主持".
_BODY_CHAIR = re.compile(
    rf"由(?P<body>[{_HAN}]{{0,10}}(?:常委会|常务委员会|委员会|主席团|党组|党委|党工委|办公室|"
    r"领导小组|政府))主持"
)
# Where a meeting was held: "在区会议中心召开".
_PLACE = re.compile(
    rf"[在于](?P<place>[{_HAN}A-Za-z0-9]{{1,20}}?)(?:组织|紧急|再次|专门|集中|隆重|主持)?"
    r"(?:召开|举行|举办|开幕|闭幕|开讲)"
)
# Words that make "在X召开" a time or circumstance, not a place.
_NOT_PLACE = re.compile(r"之际|期间|时期|背景|关键|形势|基础|前提|指导|引领|[下中时后前上际]$")
# Saying a meeting happened.
_HELD = re.compile(r"召开|举行|举办|开幕")


@dataclass
class _Unit:
    start: int
    end: int
    names: list[tuple[str, bool]]


def _units(text: str, mentions: list[_Mention], known: list[str]) -> list[_Unit]:
    """Titled mentions plus known names standing alone, left to right, not overlapping."""
    units = [_Unit(m.start, m.end, [(n, u) for n, _s, _e, u in m.names]) for m in mentions]
    if known:
        # Mentions follow one another without overlapping (each starts after the one before
        # ends), so only the last one starting at or before a name can cover it.
        starts = [m.start for m in mentions]
        pattern = re.compile("|".join(re.escape(n) for n in sorted(known, key=len, reverse=True)))
        for m in pattern.finditer(text):
            i = bisect_right(starts, m.start()) - 1
            if i < 0 or m.start() >= mentions[i].end:
                units.append(_Unit(m.start(), m.end(), [(m.group(0), False)]))
    units.sort(key=lambda u: u.start)
    return units


def _roles(text: str, units: list[_Unit]) -> Iterator[tuple[str, str]]:
    """(role, name) pairs: role is "chair", "speaker" or "attendee"."""
    i = 0
    while i < len(units):
        group = [units[i]]
        while i + 1 < len(units) and _GROUP_GAP.fullmatch(text, group[-1].end, units[i + 1].start):
            i += 1
            group.append(units[i])
        i += 1
        tail = _ROLE_TAIL.match(text, group[-1].end)
        if tail is None:
            continue
        verbs = tail.group("verbs")
        for unit in group:
            for name, _unknown in unit.names:
                if _CHAIR_VERB.search(verbs):
                    yield "chair", name
                if _ATTENDEE_VERB.search(verbs):
                    yield "attendee", name
                if _SPEAKER_VERB.search(verbs):
                    yield "speaker", name


def _meeting_sentence(text: str, layout: _Layout, meeting: str) -> tuple[str, list[str]]:
    """The sentence naming the meeting (one saying it was held, if any) and all that name it."""
    naming = [s.text_of(text) for s in layout.sentences if meeting in s.text_of(text)]
    # Body sentences (ending in 。) before headlines, then those saying it was held.
    naming.sort(key=lambda s: not s.endswith(("。", "！", "？", "”")))
    held = [s for s in naming if _HELD.search(s)]
    if held:
        return held[0], naming
    if naming:
        return naming[0], naming
    return (layout.sentences[0].text_of(text) if layout.sentences else text.strip()), []


def _place(sentences: list[str]) -> str | None:
    for sentence in sentences:
        for m in _PLACE.finditer(sentence):
            place = m.group("place")
            if not _NOT_PLACE.search(place):
                return place
    return None


def _meeting(
    text: str,
    layout: _Layout,
    mentions: list[_Mention],
    officials: list[Official],
    meeting: str,
    date: str | None,
) -> Meeting:
    sentence, naming = _meeting_sentence(text, layout, meeting)
    known = [o.name for o in officials if not o.unknown and len(o.name) >= 2]
    chairs: list[str] = [m.group("body") for m in _BODY_CHAIR.finditer(text)]
    speakers: list[str] = []
    attendees: list[str] = []
    lists = {"chair": chairs, "speaker": speakers, "attendee": attendees}
    listed = {role: set(names) for role, names in lists.items()}
    for role, name in _roles(text, _units(text, mentions, known)):
        if name not in listed[role]:
            lists[role].append(name)
            listed[role].add(name)
    return Meeting(
        name=meeting,
        date=date,
        place=_place(naming),
        chairs=tuple(dict.fromkeys(chairs)),
        speakers=tuple(speakers),
        attendees=tuple(attendees),
        sentence=sentence,
    )
