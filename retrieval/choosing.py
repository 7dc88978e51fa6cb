"""Which candidate sentence an answer is read from, which others are quoted beside it,
and the direct answer read from it (a typed span; for English "who" questions the name
with its title). Pure functions on ranked candidates.
"""

from __future__ import annotations

import re

from ingest.zh.names import ROLES, TITLED_PERSON
from ingest.zh.patterns import amounts
from retrieval.asking import Expected
from retrieval.candidates import Candidate
from retrieval.question import Query
from retrieval.ranking import Ranked

_VERB_HINTS = ("主持", "出席", "讲话", "参加", "作报告", "传达")


# Sentences quoted beside the best one (at most three): from other reports those the
# ranker rates nearly as high (when two say much the same, the asker sees both reports);
# from the best one's own report any it rates at all — a measure, a list or a reason is
# often spread over the report's next sentences.
SUPPORT_SHARE = 0.5
SAME_REPORT_SHARE = 0.1
MAX_SUPPORTING = 3


# A kind with a typed answer (an amount, a date, a name) is read from the best sentence
# that holds one, when the ranker rates it at least this share of the best …
TYPED_SHARE = 0.3
# … or (an English "who" question) one of the sentences after the best one: a report
# names the meeting first and who chaired it a sentence or two later.
FOLLOWING = 2
# Either way, the sentence with its context (the one before it, the report's title) must
# hold half of what the question names (English), or of what the best one holds.
CONTEXT_SHARE = 0.5


def best_candidate(query: Query, expected: Expected, ranked: Ranked) -> Candidate:
    first, top = ranked.candidates[0], ranked.probabilities[0]
    if query.script == "en" and expected.kind == "person":
        # "Who presided over …": the sentence naming someone who did it, which is
        # often the one after the sentence that names the meeting.
        near = [
            c for c, p in zip(ranked.candidates, ranked.probabilities, strict=True)
            if p >= TYPED_SHARE * top
        ]  # fmt: skip
        near += [
            c for c in ranked.candidates
            if (c.doc_id, c.chunk_rank) == (first.doc_id, first.chunk_rank)
            and 0 < c.position - first.position <= FOLLOWING
        ]  # fmt: skip
        for strict in (True, False):
            for candidate in near:
                # … in a passage that holds most of what the question names
                if candidate.context_coverage < CONTEXT_SHARE:
                    continue
                if person_in(query, candidate.sentence, strict=strict):
                    return candidate
        return first
    if expected.typed and query.script != "en":  # English anchors are too loose for it
        for candidate, p in zip(ranked.candidates, ranked.probabilities, strict=True):
            if p < TYPED_SHARE * top:
                break
            enough = candidate.context_coverage >= CONTEXT_SHARE * first.context_coverage
            if candidate.span and enough:
                return candidate
    return first


def supporting(ranked: Ranked, best: Candidate, *, figure: bool = False) -> list[Candidate]:
    """Sentences quoted beside the best one; beside a figure or a date only those rated
    near the best — the report's other figures would read as answers too."""
    top = ranked.probabilities[0]
    out: list[Candidate] = []
    for candidate, p in zip(ranked.candidates, ranked.probabilities, strict=True):
        if len(out) >= MAX_SUPPORTING:
            break
        same = candidate.doc_id == best.doc_id and not figure
        share = SAME_REPORT_SHARE if same else SUPPORT_SHARE
        if p < share * top:
            continue
        if candidate.sentence != best.sentence and all(
            c.sentence != candidate.sentence for c in out
        ):
            out.append(candidate)
    return out


def list_items(ranked: Ranked, limit: int) -> list[Candidate]:
    """The well-supported sentences of a list question, one a report, best first."""
    best = ranked.candidates[0]
    chosen: list[Candidate] = []
    seen: set[str] = set()
    for candidate in ranked.candidates:
        if candidate.doc_id in seen or candidate.missing > max(best.missing, 0.5):
            continue
        if candidate.coverage < 0.8 * best.coverage:
            continue
        seen.add(candidate.doc_id)
        chosen.append(candidate)
        if len(chosen) >= limit:
            break
    return chosen or [best]


def short_answer(query: Query, expected: Expected, best: Candidate) -> str | None:
    """The direct answer: the typed span read from the sentence; for other kinds the
    gap only when both sides of the question hold it and it is short."""
    reading = best.reading
    if query.script == "en" and expected.kind == "person":
        return person_in(query, best.sentence)
    if reading is not None:
        if expected.typed:
            return with_noun(expected, best.sentence, reading.span, reading.start)
        if reading.inside and len(reading.span) <= 20:
            return reading.span
    return None


def with_noun(expected: Expected, sentence: str, span: str, start: int) -> str:
    """An amount with what it counts when the sentence says it as the question does:
    "来自多少个国家" → 9个国家, not 9个; two counts asked together ("多少名医生和护士")
    → both (12名医生和25名护士); a change asked from and to ("从多少下调至多少") → both
    ends (从4.9%下调至4.75%)."""
    end = start + len(span)
    if sentence[start:end] != span:
        return span
    if expected.kind == "number":
        paired = _second_count(expected, sentence, end)
        if paired is not None:
            return sentence[start:paired]
        # the second count was read ("12名医生和[25名]护士"): from the first one
        earlier = amounts(sentence[max(0, start - 16) : start])
        if earlier:
            first = start - min(start, 16) + earlier[-1].start
            paired = _second_count(expected, sentence, first + len(earlier[-1].text))
            if paired is not None and paired >= end:
                return sentence[first:paired]
        changed = _changed_to(expected, sentence, start, end)
        if changed is not None:
            return sentence[changed[0] : changed[1]]
    if expected.noun and sentence.startswith(expected.noun, end):
        return span + expected.noun
    return span


_JOINED = re.compile(r"和|及|与|以及|、")
_BREAK_OR_JOIN = "和及与、，,"


def _second_count(expected: Expected, sentence: str, end: int) -> int | None:
    """Where "12名[医生和25名护士]" ends when the question counts both nouns ("多少名医生
    和护士", "多少人死亡和受伤"): the first noun, a join, an amount, the second noun."""
    right = expected.right
    if expected.unit and right.startswith(expected.unit):
        right = right[len(expected.unit) :]
    following = amounts(sentence[end : end + 16])
    if not following or not right:
        return None
    second = following[0]
    between = sentence[end : end + second.start]
    first_noun = between.rstrip(_BREAK_OR_JOIN)
    if not first_noun or first_noun == between or not right.startswith(first_noun):
        return None
    join = _JOINED.match(right, len(first_noun))
    if join is None:
        return None
    second_noun = right[join.end() :]
    after = end + second.start + len(second.text)
    size = 0
    while (
        size < len(second_noun) and sentence[after + size : after + size + 1] == second_noun[size]
    ):
        size += 1
    return after + size if size >= min(2, len(second_noun)) and second_noun else None


_FROM = re.compile(r"从$")
_CHANGE = r"(?:下调|上调|调整|提高|降低|增加|减少|增长|下降|上升|升|降)(?:至|到)"
_TO = re.compile(_CHANGE)
_TO_AT_END = re.compile(_CHANGE + "$")


def _changed_to(expected: Expected, sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """ "从多少下调至多少" asks both ends of a change: 从4.9%下调至4.75%, whichever end
    was read."""
    if not re.search(r"多少|几", expected.right):
        return None
    if _FROM.search(sentence, 0, start):  # the value it changed from was read
        to = _TO.match(sentence, end)
        following = amounts(sentence[to.end() : to.end() + 16]) if to else []
        if to and following and following[0].start == 0:
            return start - 1, to.end() + len(following[0].text)
        return None
    # the value it changed to was read: 从<amount><下调至> before it
    head = sentence[max(0, start - 30) : start]
    to = _TO_AT_END.search(head)
    if to is None:
        return None
    before = [a for a in amounts(head[: to.start()]) if a.start + len(a.text) == to.start()]
    if not before or not head[: before[-1].start].endswith("从"):
        return None
    return start - len(head) + before[-1].start - 1, end


def person_in(query: Query, sentence: str, strict: bool = False) -> str | None:
    """A name with its title in ``sentence`` (English questions, which have no Chinese
    wording to anchor): the one doing what the question asks about, of the title it names
    (``strict``: only someone doing it)."""
    people = list(TITLED_PERSON.finditer(sentence))
    # "Who is the mayor …": only someone of that title (a 区委常委 is no 市长).
    roles = {f for g in query.groups for f in g.forms if f in ROLES}
    if roles:
        people = [p for p in people if any(p.group(1).endswith(r) for r in roles)]
    verb = next(
        (v for v in _VERB_HINTS if any(v in f for g in query.groups for f in g.forms)), None
    )
    if verb:
        doing = [p for p in people if sentence[p.end() :].startswith(verb)]
        people = doing if strict else (doing or people)
    return people[0].group(2) if people else None
