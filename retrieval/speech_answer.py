"""Answers from the speech points: what a speaker (or the meeting) stressed, pointed out,
required — a numbered list of their sentences, each report cited.

"樊牛强调了什么？", "会议提出了哪些要求？", "What did Luo Cheng say about development?" A
question that names a speaker of the stored points is answered from that speaker's points
(those that mention the question's topic, when it names one and any do). A person the
reports name but never quote — someone who attended, or delegated the speech — gets that
said, with the sentence naming them, instead of another speaker's words. Any other
question falls through (None) to the next answerer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ingest.script import Script, render_in
from retrieval.citing import answer_line, citation, evidence_line, make_source, with_pinyin
from retrieval.question import Query, coverage, names
from retrieval.store import OfficialRow, PointRow, Store
from retrieval.types import Answer, Source

# "强调了什么", "提出了哪些要求", "讲话的主要内容", "讲了些什么".
_ZH_ASKS = re.compile(
    r"(?:强调|指出|要求|提出|表示|部署|讲|说|号召|作出)了?(?:哪些|什么|些什么|啥)|"
    r"讲话(?:的)?(?:主要)?(?:内容|要点)|(?:哪些|什么)(?:要求|部署)"
)
_EN_ASKS = re.compile(
    r"^what (?:did|does|has|have) (?P<who>.+?) (?:say|said|stress|emphasi[sz]e|point out|"
    r"require|ask for|call for|propose|urge|demand|highlight|note|state)\b(?P<about>.*)$"
)
# The Chinese verb an English question asks about ("say" asks about all of them).
_EN_VERBS = {
    "stress": "强调",
    "emphasi": "强调",
    "point out": "指出",
    "note": "指出",
    "require": "要求",
    "ask for": "要求",
    "demand": "要求",
    "propose": "提出",
    "call for": "号召 呼吁",
    "urge": "要求 呼吁",
}
# The meeting as a speaker: "会议强调", "全会指出".
MEETING_SPEAKERS = ("会议", "全会", "大会")
_MEETING_WORDS = re.compile(r"会议|全会|大会|\bmeeting\b|\bplenary\b|\bsession\b|\bconference\b")
# Words of the asking, never a topic: the verbs and the meeting itself.
SPEECH_WORDS = re.compile(
    r"^(?:强调|指出|要求|提出|表示|部署|讲话|讲|说|号召|作出|内容|要点|主要|会议|全会|大会|会上)$"
)
MAX_POINTS = 30
# How often a list of a named speaker's own points is right (the seeds' gold: every one).
POINTS_CONFIDENCE = 0.9


def asks_speech(query: Query) -> bool:
    """Whether ``query`` asks what someone said ("X强调了什么", "What did X say")."""
    if query.script == "en":
        return bool(_EN_ASKS.match(query.text.strip().lower()))
    text = query.index_text
    return bool(_ZH_ASKS.search(text)) and not text.startswith(("谁", "哪位"))


class SpeechAnswerer:
    """Answers "what did X say" from the speech points, or None."""

    def __init__(
        self,
        store: Store,
        mentions: Callable[[str], Sequence[OfficialRow]] = lambda n: (),
        is_name: Callable[[str], bool] = lambda name: True,
        holders: Callable[[Query], Sequence[str]] = lambda query: (),
    ) -> None:
        """``mentions(name)`` are the officials rows naming a person: how a person who
        did not speak is shown as named; ``is_name`` tells a personal name from a word
        the name reader mistook for one."""
        self.store = store
        self.mentions = mentions
        self.is_name = is_name
        self.holders = holders  # who holds the title a question names (宛城区委书记)
        self._cache: tuple[object, dict[str, list[PointRow]]] | None = None

    def _by_speaker(self) -> dict[str, list[PointRow]]:
        version = self.store.version()
        if self._cache is None or self._cache[0] != version:
            by_speaker: dict[str, list[PointRow]] = {}
            for row in self.store.points():
                by_speaker.setdefault(row["speaker"], []).append(row)
            self._cache = (version, by_speaker)
        return self._cache[1]

    def answer(self, query: Query) -> Answer | None:
        if not asks_speech(query):
            return None
        by_speaker = self._by_speaker()
        people = [
            s
            for s in by_speaker
            if s not in MEETING_SPEAKERS and len(s) >= 2 and names(query, s) and self.is_name(s)
        ]
        if not people:
            # "宛城区委书记强调了什么": the holder of that title there, if one spoke
            people = [n for n in self.holders(query) if n in by_speaker]
        if people:
            speaker = max(people, key=len)
            rows = [r for r in by_speaker[speaker] if _in_places(query, r)]
            return self._points(query, speaker, rows or by_speaker[speaker])
        # Named in a report whose speech is recorded, but not quoted in it: say so (a
        # report stored before speech points were read proves nothing).
        quoted_docs = {r["doc_id"] for rows in by_speaker.values() for r in rows}
        named = [
            o
            for o in self._named_people(query)
            if o["name"] not in by_speaker
            and o["doc_id"] in quoted_docs
            and self.is_name(o["name"])
        ]
        if named:
            return self._silent(query, named[0])
        if _MEETING_WORDS.search(query.index_text.lower()):
            rows = [r for s in MEETING_SPEAKERS for r in by_speaker.get(s, [])]
            chosen = self._meeting_reports(query, rows)
            if chosen:
                return self._points(query, message_of_meeting(query.script), chosen)
        return None

    def _named_people(self, query: Query) -> list[OfficialRow]:
        """Officials the question names who are in the facts tables."""
        names = {
            form
            for group in query.groups
            for form in group.forms
            if len(form) >= 2 and self.mentions(form)
        }
        if query.script != "en":
            names |= {n for n in _han_runs(query.index_text) if self.mentions(n)}
        return [row for name in sorted(names, key=len, reverse=True) for row in self.mentions(name)]

    def _meeting_reports(self, query: Query, rows: list[PointRow]) -> list[PointRow]:
        """The meeting's points of the reports the question names best (its meeting,
        place, title words); none when no report fits most of them."""
        topic = [g for g in query.groups if not SPEECH_WORDS.match(g.forms[0])]
        by_doc: dict[str, list[PointRow]] = {}
        for row in rows:
            by_doc.setdefault(row["doc_id"], []).append(row)
        scores = {
            doc: coverage(topic, f"{r[0]['title']} {r[0]['region'] or ''}")
            for doc, r in by_doc.items()
        }
        best = max(scores.values(), default=0.0)
        if best < 0.5:
            return []
        return [r for doc, rs in by_doc.items() if scores[doc] == best for r in rs]

    def _points(self, query: Query, speaker: str, rows: list[PointRow]) -> Answer:
        script: Script = query.script
        topic = [
            g
            for g in query.groups
            if not SPEECH_WORDS.match(g.forms[0]) and speaker not in g.forms
            and not any(f in speaker for f in g.forms)
            and not any(f in (r["title"] + (r["region"] or "")) for r in rows for f in g.forms)
        ]  # fmt: skip
        # "郭炜要求了什么", "What did X stress": the sentences introduced with that verb,
        # when there are any.
        verbs = query.index_text
        if script == "en":
            verbs = " ".join(zh for en, zh in _EN_VERBS.items() if en in query.text.lower())
        asked = [r for r in rows if r["verb"] in verbs]
        rows = asked or rows
        about = [r for r in rows if topic and any(f in r["point"] for g in topic for f in g.forms)]
        chosen = (about or rows)[:MAX_POINTS]
        # Latest report first; a report's points in text order.
        order = sorted({r["doc_id"]: r["date"] or "" for r in chosen}.items(),
                       key=lambda item: item[1], reverse=True)  # fmt: skip
        lines = [answer_line(_heading(speaker, len(chosen), script), script)]
        sources: list[Source] = []
        reports = self.store.get_reports(doc_id for doc_id, _ in order)
        number = 0
        for doc_id, _date in order:
            mine = [r for r in chosen if r["doc_id"] == doc_id]
            lines.append(citation(reports[doc_id], script))
            for row in mine:
                number += 1
                lines.append(f"{number}. {row['verb']}：{render_in(row['point'], script)}")
            snippet = " ".join(r["point"] for r in mine)[:300]
            sources.append(make_source(reports[doc_id], snippet, 1.0, script))
        extra = len(about or rows) - len(chosen)
        if extra > 0:
            lines.append(_more(extra, script))
        short = "；".join(render_in(r["point"], script).rstrip("。；;") for r in chosen)
        return Answer.given(
            query.text, lines, sources, script, short=short, confidence=POINTS_CONFIDENCE
        )

    def _silent(self, query: Query, official: OfficialRow) -> Answer:
        """A person the reports name but do not quote: said so, with where they are named."""
        script: Script = query.script
        name = official["name"]
        report = self.store.get_reports([official["doc_id"]]).get(official["doc_id"])
        text = {
            "zh-hans": f"报告中没有{name}讲话的内容：{name}只是被提及（未发言，或委托他人讲话）。",
            "zh-hant": f"報告中沒有{name}講話的內容：{name}只是被提及（未發言，或委託他人講話）。",
            "en": f"The reports quote nothing {name} said: {name} is only mentioned "
            "(did not speak, or had someone else speak).",
        }[script]
        lines = [text]
        sources = []
        if report is not None:
            lines.append(evidence_line(official["sentence"], report, script))
            sources.append(make_source(report, official["sentence"], 1.0, script))
        return Answer(
            question=query.text,
            answer="\n".join(lines),
            answered=False,
            sources=sources,
            lang=script,
        )


def message_of_meeting(script: Script) -> str:
    return {"zh-hans": "会议", "zh-hant": "會議", "en": "The meeting"}[script]


def _heading(speaker: str, count: int, script: Script) -> str:
    if script == "en":
        return f"{with_pinyin(speaker, [speaker])} said ({count} points):"
    shown = render_in(speaker, script)
    return (
        f"{shown}的讲话要点（{count}条）："
        if script == "zh-hans"
        else f"{shown}的講話要點（{count}條）："
    )


def _more(extra: int, script: Script) -> str:
    return {
        "zh-hans": f"（另有{extra}条未列出）",
        "zh-hant": f"（另有{extra}條未列出）",
        "en": f"({extra} more not listed)",
    }[script]


def _in_places(query: Query, row: PointRow) -> bool:
    haystack = f"{row['region'] or ''} {row['title']}"
    return all(place in haystack for place in query.places)


def _han_runs(text: str) -> list[str]:
    """Every 2–4 character stretch of Han text (a name the question writes)."""
    runs = re.findall(r"[\u4e00-\u9fff]+", text)
    return [run[i : i + n] for run in runs for n in (2, 3, 4) for i in range(len(run) - n + 1)]
