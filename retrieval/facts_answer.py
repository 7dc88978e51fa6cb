"""Answers from the facts tables: what a speaker said (:mod:`retrieval.speech_answer`),
who chaired, who holds a title, what a person's title is, lists of title holders, and
figures by metric.

Each answer is a stored fact with its evidence sentence and report. When no fact fits
the question's shape, it returns None and the chain falls back to retrieval.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from ingest.script import Script, render_in
from retrieval.citing import answer_line, evidence_line, make_source, with_pinyin
from retrieval.compare import compare
from retrieval.question import Query, Term, coverage, names
from retrieval.speech_answer import SPEECH_WORDS, SpeechAnswerer
from retrieval.store import FigureRow, MeetingRow, OfficialRow, Store
from retrieval.targets import answer_targets
from retrieval.tenure import as_of_note, seen_note, succession, tenures
from retrieval.types import Answer, Source

logger = logging.getLogger(__name__)

# Words that make a title or name an office: 书记, 区长, 人大, 常委会 …
_TITLEISH = re.compile(
    r"书记|[区市县镇乡州省]长|主任|主席|委员|常委|部长|局长|领导|人大|政协|党工委|管委会|"
    r"区委|市委|县委|党委|常委会"
)
_Role = Literal["chairs", "speakers", "attendees"]
_VERBS: dict[_Role, tuple[str, ...]] = {
    "chairs": ("主持",),
    "speakers": ("讲话", "作报告", "发言", "传达", "强调"),
    "attendees": ("出席", "参加", "参会"),
}
_MIN_MEETING_MATCH = 0.6
# How often an answer from the facts tables is right: measured on the dev and held-out
# questions over the seeds and the practice set's training half (bench.quality).
FACT_CONFIDENCE = 0.9
# "X是谁？", "Who is X?": a question about one person, not about who did something.
# "郭炜什么时候担任区长？", "When did Guo Wei become district mayor?"
_SINCE_WHEN = re.compile(
    r"(?:什么时候|何时|哪一?年|从哪年|自何时)(?:开始|起)?(?:担任|出任|任|成为|当选)|"
    r"担任[^？?，。]{1,12}(?:多久|多长时间)|^when did .+ (?:become|serve as|take office as|hold)"
)
_WHO_IS = re.compile(r"^[\u4e00-\u9fff·]{2,8}是谁[？?]?$|^who (?:is|was) [a-z ]+\??$")
# A question about a meeting names one: who chaired the 全会, where was the 座谈会 held.
_MEETING_WORD = re.compile(
    r"会议|[\u4e00-\u9fff]会(?![长员计费社])|主持|培训班|论坛|讲座|"
    r"\bmeeting|\bconference|\bplenary|\bsession|\bforum"
)
_MIN_FIGURE_MATCH = 0.6


class _Holder(OfficialRow):
    """An official with the titles of theirs that a question asks about."""

    held: list[str]


class _Tables:
    """The officials and meetings tables, with what questions look them up by.

    At 100k chunks they hold ~74k and ~12k rows; the same official (name, titles,
    region) and the same meeting sentence recur across reports, so the checks run once
    per distinct one. Lists keep the store's order, which decides ties as before.
    """

    def __init__(self, officials: list[OfficialRow], meetings: list[MeetingRow]) -> None:
        self.known = [o for o in officials if not o["unknown"]]
        self.title_keys = [(tuple(o["titles"]), o["region"]) for o in self.known]
        self.by_name: dict[str, list[OfficialRow]] = {}
        for official in self.known:
            self.by_name.setdefault(official["name"], []).append(official)
        self.by_doc: dict[str, list[OfficialRow]] = {}
        for official in officials:
            self.by_doc.setdefault(official["doc_id"], []).append(official)
        # The first meeting of each distinct (name, region, sentence).
        self.meeting_texts: dict[tuple[str, str | None, str], MeetingRow] = {}
        for meeting in meetings:
            key = (meeting["name"], meeting["region"], meeting["sentence"])
            self.meeting_texts.setdefault(key, meeting)


class FactAnswerer:
    """Answers a question from the officials, meetings and figures tables, or None."""

    def __init__(self, store: Store, is_name: Callable[[str], bool] = lambda name: True) -> None:
        """``is_name`` tells a personal name from a word the extractor mistook for one
        (强调, 文化): the officials of general news hold such rows."""
        self.store = store
        self.is_name = is_name
        self._cache: tuple[object, _Tables] | None = None
        self.speech = SpeechAnswerer(
            store, mentions=self._mentions, is_name=is_name, holders=self._holder_names
        )

    def _mentions(self, name: str) -> list[OfficialRow]:
        return self._tables().by_name.get(name, [])

    def _tables(self) -> _Tables:
        """Officials and meetings, read again only after the store changed."""
        version = self.store.version()
        if self._cache is None or self._cache[0] != version:
            self._cache = (version, _Tables(self.store.officials(), self.store.meetings()))
        return self._cache[1]

    def answer(self, query: Query) -> Answer | None:
        attempts = (
            self.speech.answer,  # "X强调了什么": X's own sentences
            lambda q: answer_targets(self.store, q),  # "嘉定区2025年的目标完成了吗"
            lambda q: compare(self.store, q),  # "哪个区GDP最高", "A和B的GDP对比"
            self._since_when,
            self._role_of_person,
            self._meeting_role,
            self._meeting_time_place,
            self._title_holders,
            self._figure,
        )
        for attempt in attempts:
            found = attempt(query)
            if found is not None:
                return found
        return None

    # -- shapes -----------------------------------------------------------------------

    def _role_of_person(self, query: Query) -> Answer | None:
        """What is X's title? (职务 / title / position, or "Who is X?")"""
        if query.qtype == "person" and not _WHO_IS.search(query.index_text.lower()):
            return None  # "谁强调了…" asks who did something, not what X is
        if query.qtype not in ("role", "person"):
            return None
        by_name = self._tables().by_name
        named = {name for name in by_name if names(query, name) and self.is_name(name)}
        if len(named) != 1 or (query.qtype == "person" and _title_groups(query)):
            return None
        rows = by_name[named.pop()]
        titles = list(dict.fromkeys(t for o in rows for t in o["titles"]))
        name = rows[0]["name"]
        return self._build(query, f"{name}：{'、'.join(titles)}", rows, [name])

    def _meeting_role(self, query: Query) -> Answer | None:
        """Who chaired / spoke at / attended <meeting>?"""
        if query.qtype not in ("person", "list") or not _MEETING_WORD.search(query.index_text):
            return None
        # The verb as asked, or (English) as the glossary put it: chaired → 主持.
        said = query.index_text + " " + " ".join(f for g in query.groups for f in g.forms)
        role = next((r for r, verbs in _VERBS.items() if any(v in said for v in verbs)), None)
        if role is None:
            return None
        topic = [
            g
            for g in query.groups
            if not any(f in verbs for verbs in _VERBS.values() for f in g.forms)
            and not _is_title_group(g)
        ]
        if not topic:
            return None
        best = self._best_meeting(query, topic)
        if best is None or not best[role]:
            return None
        names = [n for n in best[role] if self.is_name(n)]
        if not names:
            return None
        titles = self._titles_in(best["doc_id"])
        people = [_with_title(n, titles) for n in names]
        return self._build(query, "、".join(people), [best], best[role])

    def _meeting_time_place(self, query: Query) -> Answer | None:
        """When / where was <meeting> held?"""
        if query.qtype not in ("date", "place") or not _MEETING_WORD.search(query.index_text):
            return None
        meeting = self._best_meeting(query, [g for g in query.groups if not _is_title_group(g)])
        if meeting is None:
            return None
        if query.qtype == "place":
            if not meeting["place"]:
                return None
            return self._build(query, meeting["place"], [meeting])
        report = self.store.get_reports([meeting["doc_id"]])[meeting["doc_id"]]
        written = report.date_text if report.date_text not in (None, "近日") else None
        if not written:
            return None  # "近日" is not a date; let retrieval look for one
        if re.search(re.escape(written) + r"\s*(?:电|讯|電|訊)", report.cleaned_text[:300]):
            return None  # "新华网5月3日电": the day it was filed, not the meeting's
        shown = f"{written}（{report.date}）" if report.date else written
        return self._build(query, shown, [meeting])

    def _figure(self, query: Query) -> Answer | None:
        """How much / how many <metric> of <place> (in <year>)? Only when a stored figure
        meets every constraint the question states: the place (its region), the year,
        the unit asked in, a rate or a total, and the metric itself."""
        if query.qtype != "figure" or not query.places:
            return None
        if query.time_basis is not None and query.time_basis.per_report:
            return None  # 去年 as each report says it: the answering layer reads that
        topic = [g for g in query.groups if not any(p in f for p in query.places for f in g.forms)]
        if not topic:
            return None  # the metric itself must be what is asked about
        expected = query.expected
        best: FigureRow | None = None
        best_score = 0.0
        candidates = self.store.figures(
            years=query.years,
            targets=query.wants_target,
            metric_terms=[f for g in topic for f in g.forms],
            places=query.places,
        )
        for figure in candidates:
            if not _in_places(query, figure["region"]):
                continue  # a place's own figures, not one its report mentions
            if expected.unit and not figure["unit"].endswith(expected.unit[-1]):
                continue
            if expected.percent and not (figure["unit"] in ("%", "个百分点") or figure["change"]):
                continue
            if query.years and figure["year"] not in query.years:
                continue
            if query.wants_target != (figure["kind"] in ("target", "expected")):
                continue
            in_metric = coverage(topic, figure["metric"])
            if in_metric < 0.5 or coverage(topic, figure["sentence"]) < 0.8:
                continue  # the metric itself must be what is asked about
            score = 0.5 * in_metric + 0.5 * coverage(topic, figure["sentence"])
            if score > best_score:
                best, best_score = figure, score
        if best is None or best_score < _MIN_FIGURE_MATCH:
            return None
        amount = f"{best['value']}{best['unit']}"
        details = [d for d in (best["year"] and f"{best['year']}年", best["rank"]) if d]
        if best["change"] and re.search(r"增速|增长率|增幅|rate|growth", query.index_text.lower()):
            head, details = best["change"], [f"{best['metric']}{amount}", *details]
        else:
            head = amount
            details = [d for d in (best["change"], *details) if d]
        shown = head + (f"（{'，'.join(details)}）" if details else "")
        return self._build(query, shown, [best])

    def _best_meeting(self, query: Query, topic: list[Term]) -> MeetingRow | None:
        """The meeting the question names best; of those that fit, the latest dated one
        when it asks for the latest (最近一次, 上一次, latest)."""
        fitting: list[tuple[float, MeetingRow]] = []
        for (name, region, sentence), meeting in self._tables().meeting_texts.items():
            if not _in_places(query, region, name, sentence):
                continue
            text = " ".join(filter(None, [name, region, sentence]))
            match = coverage(topic, text)
            if match >= _MIN_MEETING_MATCH:
                fitting.append((match, meeting))
        if not fitting:
            return None
        if query.time_basis is not None and query.time_basis.latest:
            return max(fitting, key=lambda f: (f[1]["date"] or "", f[0]))[1]
        return max(fitting, key=lambda f: f[0])[1]  # the first of equals, as before

    def _holders(
        self, query: Query, asking: Callable[[Term], bool] = lambda g: False
    ) -> list[_Holder]:
        """The officials holding the title the question names, at its place and level;
        groups for which ``asking`` is true are words of the asking, not of the title."""
        wanted = _title_groups(query)
        if not wanted:
            return []
        tables = self._tables()
        held_by_key: dict[tuple[tuple[str, ...], str | None], list[str]] = {}
        for key in dict.fromkeys(tables.title_keys):  # each (titles, region) once
            titles, region = key
            held = [t for t in titles if all(_holds(t, g) for g in wanted)]
            held = held or (
                ["、".join(titles)] if all(_holds("、".join(titles), g) for g in wanted) else []
            )
            if held and _in_places(query, region, *titles):
                held_by_key[key] = held
        rows = [
            _Holder(**official, held=held_by_key[key])
            for official, key in zip(tables.known, tables.title_keys, strict=True)
            if key in held_by_key and self.is_name(official["name"])
        ]
        # Everything else the question says (an organisation, a body) must be in the
        # title or the region: "董事长 of company X" is no other company's 董事长.
        rest = [g for g in query.groups if not _is_title_group(g) and not asking(g)]
        if rest:
            rows = [
                r
                for r in rows
                if coverage(rest, " ".join([r["region"] or "", *r["titles"]])) >= 0.9
            ]
        level = _level(query)
        if level:
            # "the Party Secretary of Qianjiang District": the 区委书记, not a 市委书记
            # the district's report happens to mention.
            # Never fall back to another level's holder: no 区委书记 for a 市委书记.
            rows = [
                r
                for r in rows
                if any(
                    t.startswith(level) or any(f"{p}{level}" in t for p in query.places)
                    for t in r["held"]
                )
                and (not r["region"] or r["region"].endswith(level) or r["region"] == "全国")
            ]
        return rows

    def _title_holders(self, query: Query) -> Answer | None:
        """Who is the <title> of <place>? / List all <title>s."""
        if query.qtype not in ("person", "list"):
            return None
        rows = self._holders(query)
        if not rows:
            return None
        if query.qtype == "person" and not query.places and len({r["region"] for r in rows}) > 1:
            return None  # "who is the 区长?" without a place: not one answer
        basis = None
        if query.qtype == "person":
            # Several people named with the title over time: the holder of the latest
            # report, as of its date, and who held it before.
            changed = succession(rows) if len({r["name"] for r in rows}) > 1 else None
            if changed is not None:
                holder, date, before = changed
                rows = [r for r in rows if r["name"] == holder]
                basis = as_of_note(date, before, query.script)
            else:
                rows = _best_supported(rows)
                dates = [r["date"] for r in rows if r["date"]]
                if len({r["name"] for r in rows}) == 1 and dates:
                    basis = as_of_note(max(dates), [], query.script)  # as of that report
        people = list(
            dict.fromkeys(
                f"{r['name']}（{'、'.join(r['held'])}"
                + (f"，{r['region']}" if r["region"] and not query.places else "")
                + "）"
                for r in rows
            )
        )
        return self._build(query, "、".join(people), rows, [r["name"] for r in rows], basis)

    def _since_when(self, query: Query) -> Answer | None:
        """When did X hold <title>? — the first and last report naming X with it."""
        if not _SINCE_WHEN.search(query.index_text.lower()):
            return None
        tables = self._tables()
        named = [n for n in tables.by_name if names(query, n) and self.is_name(n)]
        if len(named) != 1:
            return None
        wanted = _title_groups(query)
        rows = [
            r
            for r in tables.by_name[named[0]]
            if not wanted or any(all(_holds(t, g) for g in wanted) for t in r["titles"])
        ]
        held = [t for t in tenures(rows) if not wanted or all(_holds(t.title, g) for g in wanted)]
        if not held:
            return None
        text, basis = seen_note(named[0], held, query.script)
        dated = sorted(rows, key=lambda r: r["date"] or "")
        return self._build(query, text, [dated[0], dated[-1]], named, basis)

    def _holder_names(self, query: Query) -> list[str]:
        """Who holds the title a speech question names ("宛城区委书记强调了什么")."""
        rows = self._holders(query, asking=lambda g: bool(SPEECH_WORDS.match(g.forms[0])))
        return list(dict.fromkeys(r["name"] for r in rows))

    # -- helpers ----------------------------------------------------------------------

    def _titles_in(self, doc_id: str) -> dict[str, list[str]]:
        titles: dict[str, list[str]] = {}
        for official in self._tables().by_doc.get(doc_id, []):
            titles.setdefault(official["name"], []).extend(official["titles"])
        return titles

    def _build(
        self,
        query: Query,
        text: str,
        rows: Sequence[OfficialRow | MeetingRow | FigureRow],
        names: Iterable[str] = (),
        basis: str | None = None,
    ) -> Answer:
        script: Script = query.script
        reports = self.store.get_reports(r["doc_id"] for r in rows)
        shown = render_in(text, script)
        lines = [answer_line(with_pinyin(shown, names) if script == "en" else shown, script)]
        if basis:
            lines.append(basis)
        sources: list[Source] = []
        seen: set[tuple[str, str]] = set()
        for row in rows:
            key = (row["doc_id"], row["sentence"])
            if key in seen:
                continue
            seen.add(key)
            report = reports[row["doc_id"]]
            lines.append(evidence_line(row["sentence"], report, script))
            if all(s.doc_id != report.doc_id for s in sources):
                sources.append(make_source(report, row["sentence"], 1.0, script))
        short = lines[0].split("：" if script != "en" else ": ", 1)[-1]
        return Answer.given(
            query.text, lines, sources, script, short=short, confidence=FACT_CONFIDENCE
        )


_LEVEL_EN = {"district": "区", "county": "县", "city": "市", "town": "镇", "province": "省"}


def _level(query: Query) -> str | None:
    """The administrative level the question names with its place: 黔江区 → 区."""
    text = query.index_text.lower()
    for place in query.places:
        found = re.search(re.escape(place) + r"(区|县|市|镇|省)", text)
        if found:
            return found.group(1)
    if query.script == "en":
        found = re.search(r"\b(district|county|city|town|province)\b", text)
        if found and query.places:
            return _LEVEL_EN[found.group(1)]
    return None


def _is_title_group(group: Term) -> bool:
    return any(_TITLEISH.search(f) for f in group.forms)


def _title_groups(query: Query) -> list[Term]:
    return [g for g in query.groups if _is_title_group(g)]


def _holds(title: str, group: Term) -> bool:
    """Whether a title is this office: 区委书记 holds 书记, 区委副书记 does not."""
    for form in group.forms:
        if form in title and ("副" in form or f"副{form}" not in title):
            return True
    return False


def _in_places(query: Query, region: str | None, *texts: str) -> bool:
    haystack = " ".join(filter(None, [region, *texts]))
    return all(place in haystack for place in query.places)


def _with_title(name: str, titles: dict[str, list[str]]) -> str:
    held = list(dict.fromkeys(titles.get(name, [])))
    return f"{name}（{'、'.join(held)}）" if held else name


def _best_supported(rows: list[_Holder]) -> list[_Holder]:
    """For "who is the <title> of <place>": when one person is named so in at least
    twice as many sentences as anyone else, that person; otherwise everyone, each
    with a source. A report of the place also names visitors by their own titles
    (苏州 mayor visiting 上海); the place's own officeholder recurs across reports."""
    support: dict[str, set[str]] = {}
    for row in rows:
        support.setdefault(row["name"], set()).add(row["sentence"])
    ranked = sorted(support, key=lambda name: len(support[name]), reverse=True)
    if len(ranked) > 1 and len(support[ranked[0]]) >= 2 * len(support[ranked[1]]):
        return [r for r in rows if r["name"] == ranked[0]]
    return rows
