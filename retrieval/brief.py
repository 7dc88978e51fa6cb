"""A meeting brief: one report's date and place, chair, attendees with titles, speakers
with their main points, figures announced and targets set — every line with the
sentence it comes from.

``govqa brief DOC_ID|FILE|MEETING`` and the bot's ``/brief`` print it; ``--json`` gives
:class:`Brief` as a dict. A report is found by its doc id, the file it was ingested
from (path or name), or the name of its meeting (the latest report of it).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.script import Script, render_in, to_simplified
from retrieval.messages import cite
from retrieval.store import FigureRow, OfficialRow, PointRow, Store

POINTS_PER_SPEAKER = 3
_DIRECTIVE = re.compile(
    r"^(?:[一二三四五六七八九十]要|要|必须|务必)|要[^，。]{0,4}(?:坚持|加快|推动|确保|抓好)"
)


@dataclass(frozen=True)
class Line:
    """One line of a brief and the sentence of the report it comes from."""

    text: str
    sentence: str
    more: int = 0  # a speaker's points not shown (on the line after their last one)


@dataclass
class Brief:
    doc_id: str
    file: str
    title: str
    date: str | None
    region: str | None
    meeting: str | None
    place: str | None
    chairs: list[Line] = field(default_factory=list)
    attendees: list[Line] = field(default_factory=list)
    speakers: list[Line] = field(default_factory=list)  # a speaker's line a point
    figures: list[Line] = field(default_factory=list)
    targets: list[Line] = field(default_factory=list)
    meeting_sentence: str | None = None

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def find_report(store: Store, ref: str) -> str | None:
    """The doc id ``ref`` names: a doc id, a file ingested (path or name), or a meeting."""
    ref = ref.strip()
    if ref in store.doc_ids():
        return ref
    sources = store.sources()
    for doc_id, path in sources.items():
        if ref in (path, Path(path).name):
            return doc_id
    wanted = to_simplified(ref)
    meetings = [m for m in store.meetings() if wanted in m["name"] or m["name"] in wanted]
    if meetings:
        return max(meetings, key=lambda m: m["date"] or "")["doc_id"]
    return None


def make_brief(store: Store, doc_id: str) -> Brief | None:
    report = store.get_reports([doc_id]).get(doc_id)
    if report is None:
        return None
    meetings = [m for m in store.meetings() if m["doc_id"] == doc_id]
    meeting = meetings[0] if meetings else None
    officials = {o["name"]: o for o in store.officials() if o["doc_id"] == doc_id}
    brief = Brief(
        doc_id=doc_id,
        file=report.file,
        title=report.title,
        date=(meeting["date"] if meeting else None) or report.date,
        region=report.region,
        meeting=meeting["name"] if meeting else report.meeting,
        place=meeting["place"] if meeting else None,
        meeting_sentence=meeting["sentence"] if meeting else None,
    )
    if meeting is not None:
        brief.chairs = [_person(n, officials, meeting["sentence"]) for n in meeting["chairs"]]
        brief.attendees = [_person(n, officials, meeting["sentence"]) for n in meeting["attendees"]]
    brief.speakers = _speakers(store.points(doc_ids=[doc_id]), officials)
    for figure in (f for f in store.figures() if f["doc_id"] == doc_id):
        line = Line(_figure_text(figure), figure["sentence"])
        (brief.targets if figure["kind"] != "achieved" else brief.figures).append(line)
    return brief


def _person(name: str, officials: dict[str, OfficialRow], fallback: str) -> Line:
    official = officials.get(name)
    if official is None:
        return Line(name, fallback)
    titles = "、".join(dict.fromkeys(official["titles"]))
    return Line(f"{name}（{titles}）" if titles else name, official["sentence"])


def _speakers(points: list[PointRow], officials: dict[str, OfficialRow]) -> list[Line]:
    """Each speaker's first points, in the order they spoke."""
    by_speaker: dict[str, list[PointRow]] = {}
    for point in points:
        by_speaker.setdefault(point["speaker"], []).append(point)
    lines = []
    for speaker, mine in by_speaker.items():
        shown = _person(speaker, officials, "").text
        # main points: what they asked for first ("要……"), then the rest, in text order
        asks = [p for p in mine if _DIRECTIVE.search(p["point"])]
        main = sorted((asks + [p for p in mine if p not in asks])[:POINTS_PER_SPEAKER],
                      key=mine.index)  # fmt: skip
        for point in main:
            lines.append(Line(f"{shown} {point['verb']}", point["point"]))
        if len(mine) > POINTS_PER_SPEAKER:
            lines.append(Line(shown, "", more=len(mine) - POINTS_PER_SPEAKER))
    return lines


def _figure_text(figure: FigureRow) -> str:
    extra = [x for x in (figure["year"] and f"{figure['year']}年", figure["change"]) if x]
    return f"{figure['metric']} {figure['value']}{figure['unit']}" + (
        f"（{'，'.join(extra)}）" if extra else ""
    )


_LABELS: dict[str, dict[Script, str]] = {
    "date": {"zh-hans": "日期", "zh-hant": "日期", "en": "Date"},
    "place": {"zh-hans": "地点", "zh-hant": "地點", "en": "Place"},
    "chairs": {"zh-hans": "主持", "zh-hant": "主持", "en": "Chaired by"},
    "attendees": {"zh-hans": "出席", "zh-hant": "出席", "en": "Attended"},
    "speakers": {"zh-hans": "讲话要点", "zh-hant": "講話要點", "en": "Speakers' points"},
    "figures": {"zh-hans": "公布的数据", "zh-hant": "公布的數據", "en": "Figures announced"},
    "targets": {"zh-hans": "目标", "zh-hant": "目標", "en": "Targets set"},
    "more": {"zh-hans": "另有{n}条", "zh-hant": "另有{n}條", "en": "{n} more"},
    "none": {"zh-hans": "（报告未提及）", "zh-hant": "（報告未提及）", "en": "(not in the report)"},
}


def render(brief: Brief, script: Script) -> str:
    """The brief as text: a heading with the report's citation, then one line a fact,
    each with the sentence it comes from."""

    def shown(text: str | None) -> str:
        return render_in(text, script) if text else _LABELS["none"][script]

    sep = ": " if script == "en" else "："
    heading = render_in(brief.meeting or brief.title, script)
    lines = [
        heading
        + cite(
            render_in(brief.title, script), shown(brief.region), brief.date, brief.file, script
        ),  # fmt: skip
        f"{_LABELS['date'][script]}{sep}{brief.date or _LABELS['none'][script]}",
        f"{_LABELS['place'][script]}{sep}{shown(brief.place)}",
    ]
    for key in ("chairs", "attendees", "speakers", "figures", "targets"):
        items: list[Line] = (
            _merged(getattr(brief, key)) if key in ("chairs", "attendees") else getattr(brief, key)
        )
        lines.append(f"{_LABELS[key][script]}{sep}" + ("" if items else _LABELS["none"][script]))
        for item in items:
            if item.more:
                more = _LABELS["more"][script].format(n=item.more)
                lines.append(f"  · {render_in(item.text, script)}：{more}")
                continue
            quote = f"「{render_in(item.sentence, script)}」" if item.sentence else ""
            lines.append(f"  · {render_in(item.text, script)} {quote}".rstrip())
    return "\n".join(lines)


def _merged(people: list[Line]) -> list[Line]:
    """People named in one sentence on one line: "冯捷（区委常委）、顾惠文（区委常委）"."""
    merged: dict[str, list[str]] = {}
    for person in people:
        merged.setdefault(person.sentence, []).append(person.text)
    return [Line("、".join(names), sentence) for sentence, names in merged.items()]
