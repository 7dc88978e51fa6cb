"""Follow-up questions: rewritten with the previous turn's entities before retrieval.

Rule-based (no LLM needed; in LLM mode a condense-question step handles what the rules
do not): "那嘉定区呢？" takes the previous question with its place
replaced, "他还强调了什么？" names the person the previous turn was about, and
"这次会议是哪天开的？" names the meeting of the previous answer.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ingest.script import to_simplified
from retrieval.question import Query, QuestionAnalyzer
from retrieval.types import Answer

HISTORY_TURNS = 5

_PRONOUN_ZH = re.compile(r"他们|她们|他|她")
_PRONOUN_EN = re.compile(r"\b(?:he|she|him|her)\b", re.IGNORECASE)
_THIS_MEETING_ZH = re.compile(r"这次会议|这个会议|该会议|此次会议|本次会议|这次会|这个会|会上")
_THIS_MEETING_EN = re.compile(r"\b(?:this|that|the) (?:meeting|conference|session)\b", re.I)
# "那嘉定区呢？" "嘉定呢" "What about Jiading?" "And Qianjiang District?"
_ELLIPTIC_ZH = re.compile(r"^(?:那么?|还有|再问一下)?(?P<rest>.{1,20}?)(?:的情况)?呢[？?]?$")
_ELLIPTIC_EN = re.compile(r"^(?:and|what about|how about)\s+(?P<rest>.+?)\??$", re.IGNORECASE)


@dataclass(frozen=True)
class Turn:
    question: str  # as understood (after rewriting)
    query: Query
    answer: Answer


class Conversation:
    """A short history of one chat, and the rewriting of follow-ups against it."""

    def __init__(
        self,
        analyzer: QuestionAnalyzer,
        names: Callable[[], Iterable[str]],
        condense: Callable[[list[tuple[str, str]], str], str] | None = None,
    ) -> None:
        self.analyzer = analyzer
        self._names = names
        self._condense = condense  # LLM mode: a condense-question step after the rules
        self.turns: deque[Turn] = deque(maxlen=HISTORY_TURNS)

    def reset(self) -> None:
        self.turns.clear()

    def add(self, question: str, answer: Answer) -> None:
        self.turns.append(Turn(question, self.analyzer.analyze(question), answer))

    def history(self) -> list[tuple[str, str]]:
        return [(t.question, t.answer.answer) for t in self.turns]

    def rewrite(self, question: str) -> str:
        """The question made standalone with the last turn's entities (or as asked)."""
        if not self.turns:
            return question
        last = self.turns[-1]
        text = question.strip()
        query = self.analyzer.analyze(text)
        elliptic = (
            _ELLIPTIC_EN.match(text)
            if query.script == "en"
            else _ELLIPTIC_ZH.match(to_simplified(text))
        )
        if elliptic and query.places and last.query.places:
            return self._swap_places(last, query, elliptic.group("rest"))
        pronoun = _PRONOUN_EN if query.script == "en" else _PRONOUN_ZH
        if pronoun.search(text):
            person = self._person_of(last)
            if person:
                return pronoun.sub(person, text, count=1)
        this_meeting = _THIS_MEETING_EN if query.script == "en" else _THIS_MEETING_ZH
        if this_meeting.search(text):
            meeting = self._meeting_of(last)
            if meeting:
                return this_meeting.sub(meeting, text, count=1)
        if self._condense is not None:
            return self._condense(self.history(), question)
        return question

    def _swap_places(self, last: Turn, query: Query, rest: str) -> str:
        """The previous question about the new place; what the follow-up adds is kept."""
        previous = last.question
        if last.query.script == "en":
            return self._swap_english_place(last, query, rest)
        new = query.places[0]
        rewritten = to_simplified(previous)
        for old in last.query.places:
            rewritten = rewritten.replace(old, new)
        return rewritten if rewritten != to_simplified(previous) else f"{rest}{previous}"

    def _swap_english_place(self, last: Turn, query: Query, rest: str) -> str:
        pinyin = self.analyzer.pinyin
        words = re.findall(r"[A-Z][a-z]+", last.question)
        new_word = next(iter(re.findall(r"[A-Z][a-z]+", rest)), rest)
        for word in words:
            if pinyin is not None and pinyin.lookup(word) & set(last.query.places):
                return last.question.replace(word, new_word)
        return f"{last.question} ({rest})"

    def _person_of(self, last: Turn) -> str | None:
        """The person the last turn was about: named in its answer, else its question."""
        known = set(self._names())
        first_line = last.answer.answer.splitlines()[0] if last.answer.answered else ""
        for text in (to_simplified(first_line), to_simplified(last.question)):
            for name in sorted(known, key=len, reverse=True):
                if name in text:
                    return name
        return None

    @staticmethod
    def _meeting_of(last: Turn) -> str | None:
        """The meeting of the last answer's first source, with its region."""
        if not last.answer.sources:
            return None
        source = last.answer.sources[0]
        meeting, region = source.meeting, source.region
        if not meeting:
            return None
        if not region or region in meeting:
            return meeting
        overlap = max(k for k in range(len(meeting) + 1) if region.endswith(meeting[:k]))
        return region + meeting[overlap:]
