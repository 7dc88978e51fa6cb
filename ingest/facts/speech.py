"""Speech points: what each speaker of a report said, sentence by sentence.

Reports give speech in a fixed layout: a speaker and a verb of saying, a comma, then the
points (``樊牛强调，要强化责任意识……。要……。``). A *speaker* is a person mention (a title
with its name, or a name the report has already titled: ``樊牛``), a pronoun (``他指出``: the
person named last before it), or the meeting itself (``会议强调``, ``全会指出``, ``会上，``
is no speaker). Between the speaker and the verb may stand ``在……上/中/时`` or ``还/也/同时``.
Verbs: 强调, 指出, 要求, 提出, 表示, 认为, 希望, 部署, 说, 号召, 鼓励, 呼吁, and pairs of them
(``强调指出``). A verb without a comma after it starts points only when content follows at
once (``会议要求各级……``), never ``了`` (``提出了三点意见`` tells, it does not quote).

From there each sentence (split at 。！？ and ；) is one point of that speaker, until the
next speaker's verb, a narrative sentence (``会议通报了……``, ``……出席会议``) or the end of
the paragraph. The next paragraph continues the run when it opens as a continuation does
(``要……``, ``一是……``, ``二要……``, ``同时，``); a paragraph starting anew ends it.

A headline that names a speaker and a verb with nothing after it
(``骆高燕在……大会上强调``) gives no point.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from ingest.facts.layout import _Layout
from ingest.facts.meetings import _Unit, _units
from ingest.facts.officials import _Mention
from ingest.facts.records import Official, SpeechPoint
from ingest.facts.vocabulary import _HAN

# Verbs of saying. Those that may run straight into what was said ("会议要求各级……")
# come first; the others need a comma or colon after them.
_VERB_DIRECT = r"(?:强调指出|指出|强调|要求|提出)"
_VERB_COMMA = r"(?:表示|认为|希望|部署|号召|鼓励|呼吁|说|介绍|透露|称|坦言|谈到|说明|指示|叮嘱)"
_VERB = rf"(?:{_VERB_DIRECT}|{_VERB_COMMA})"
# What may stand between a speaker and the verb: the rest of the speaker's clause ("在会
# 上", "听完汇报后", "总结会议并"), or one clause more before a verb that runs into
# what was said ("主持召开常务会议，要求……").
_BETWEEN = r"(?:[^，。；！？、“”\n]{0,24}?|[^，。；！？“”\n]{0,40}?[，,](?=强调|指出|要求|提出))"
# The verb and what opens the points: a comma or colon, or content at once (not 了/的);
# "提出两点意见，" and "提出工作要求：" introduce points as well.
_INTRO = re.compile(
    rf"{_BETWEEN}(?:(?P<verb>{_VERB})(?:说|道)?[，：:]\s*|"
    rf"(?P<asked>提出|作出)了?[^，。；！？\n]{{0,8}}?(?:要求|建议|意见|希望|部署)[，：:]\s*|"
    rf"(?P<direct>{_VERB_DIRECT})(?=[{_HAN}“\"])(?![了的和与过着]))"
)
_PRONOUN = re.compile(rf"(?<![其])[他她](?=[{_HAN}]{{0,32}}?{_VERB})")
# The meeting as a speaker opens its clause ("。会议强调", "该会议指出"), never ends a
# noun phrase ("按照市委六次全会部署要求").
_MEETING = re.compile(
    rf"(?<![{_HAN}])(?:该|此次|本次)?(?P<who>全会|会议|大会)(?=[{_HAN}]{{0,4}}?{_VERB})"
)
# "“……”，王明说。": what was said stands before the speaker.
_QUOTE_BEFORE = re.compile(r"“(?P<quote>[^“”]{6,400})”[，,]?\s*$")
_SAID_AFTER = re.compile(r"(?:说|表示|介绍|坦言|称|指出|强调)[。，,]")
_NOT_A_SPEAKER = re.compile(rf"^(?:{_VERB}|会议|全会|大会|会上|大家|同志|领导|有关|相关)$")
# A byline or a note in brackets: "(记者 罗跃)".
_BRACKETED = re.compile(r"^[（(][^）)]*[）)]$")
# A sentence that tells what happened rather than what was said: it ends the run.
_NARRATIVE = re.compile(
    rf"^(?:会议|全会|大会|会上)[，,]?(?:通报|听取|审议|传达|观看|宣读|学习|表决|书面|还|通过|举行|"
    rf"召开)|(?:出席|参加|列席)(?:会议|会议并讲话)?。?$|主持(?:会议)?。?$|^[{_HAN}、，]{{0,60}}作了?发言|"
    # news around the speech: background, the next steps, when and where, captions
    r"^(?:据悉|据了解|据介绍|据统计|记者了解到|记者从|下一步|接下来|会议期间|活动期间|期间|随后|"
    r"当天|当日|日前|近日|近期|此前|此次|本次|图为|图片|原标题|来源|编辑|责任编辑|审核|校对|会上|"
    r"会后|会前|上午|下午|晚上|当晚|中午|现场|考察期间|调研期间|活动现场|座谈会上|[^，。]{1,12}期间，)|"
    r"^\d{1,2}月\d{1,2}日|返回搜狐|查看更多|责任编辑|责编|审校|监制|【编辑|（完）|\(完\)|"
    # others who took part ("孟可、闻达参加调研。"), a visit going on, the event itself
    r"(?:参加|参与)(?:调研|考察|视察|检查|慰问|活动|会议)?。$|一行|一同|陪同|来源：|【|"
    r"召开了|举行了|签署了?|签订了?|签约|揭牌|来到|走进|察看|参观了|调研了|听取了|看望了|慰问了|"
    r"^(?:论坛|活动|仪式|展会|展览|比赛|本届|该活动)|"
    # a document's own headings: "一、……", "2.突出……"
    r"(?<![第唯统单同逐万之])[一二三四五六七八九十]、[^，。；“”]{2,12}(?:原则|要求|目标|任务|措施|"
    r"安排|事项)|^\d{1,2}[\.．、](?!\d)"
)
# How a paragraph that continues the speech opens.
_CONTINUES = re.compile(
    r"^(?:要|一要|二要|三要|四要|五要|六要|[一二三四五六七八九十]是|第[一二三四五六七八九十]，?|"
    r"首先|其次|再次|同时，|此外，|最后，|必须|务必|各级|全区|全市|全县)"
)
_POINT_END = re.compile(r"[。！？!?；;]+[”’」』）)]*")
_MIN_POINT = 4  # characters: "是的。" is no point


@dataclass(frozen=True)
class _Intro:
    start: int  # where the speaker starts
    content: int  # where the points start
    speaker: str
    verb: str


def _intros(text: str, units: list[_Unit]) -> list[_Intro]:
    """Every speaker-and-verb that opens points, left to right (a later one ends the
    run of the one before)."""
    found: list[_Intro] = []
    # People who can speak: one name each, and no word the name reader mistook for one
    # ("强调" read as a name after a title).
    people = [
        u
        for u in units
        if len(u.names) == 1 and not u.names[0][1] and not _NOT_A_SPEAKER.match(u.names[0][0])
    ]
    for unit in people:
        m = _INTRO.match(text, unit.end)
        if m:
            found.append(_Intro(unit.start, m.end(), unit.names[0][0], _verb(m)))
    ends = [u.end for u in people]  # in order: units do not overlap
    for p in _PRONOUN.finditer(text):
        m = _INTRO.match(text, p.end())
        i = bisect_right(ends, p.start()) - 1
        if m and i >= 0:  # 他/她: the person named last before
            found.append(_Intro(p.start(), m.end(), people[i].names[0][0], _verb(m)))
    for w in _MEETING.finditer(text):
        m = _INTRO.match(text, w.end())
        if m:
            found.append(_Intro(w.start(), m.end(), w.group("who"), _verb(m)))
    found.sort(key=lambda i: i.start)
    # One intro per place: a name inside a longer mention counts once.
    kept: list[_Intro] = []
    for intro in found:
        if kept and intro.start < kept[-1].content:
            continue
        kept.append(intro)
    return kept


def _verb(m: re.Match[str]) -> str:
    return m.group("verb") or m.group("asked") or m.group("direct")


def _quoted(text: str, units: list[_Unit]) -> list[tuple[int, int, str]]:
    """Quotes standing before their speaker ("“……”，王明说。"): start, end, speaker."""
    found = []
    for unit in units:
        names = [n for n, unknown in unit.names if not unknown]
        before = _QUOTE_BEFORE.search(text, max(0, unit.start - 410), unit.start)
        if len(names) == 1 and before and _SAID_AFTER.match(text, unit.end):
            found.append((before.start("quote"), before.end("quote"), names[0]))
    return found


def _tells_of_someone(text: str, start: int, end: int, starts: list[int]) -> bool:
    """Whether a sentence opens a clause with a person ("在项目现场，王明听取……"): news
    of what they did, not more of what the speaker said ("要落实市委书记X的指示" names
    someone inside a clause). ``starts``: where the persons named start, sorted."""
    opening = start + len(text[start:end]) - len(text[start:end].lstrip())
    i = bisect_left(starts, opening)
    while i < len(starts) and starts[i] < end:
        if starts[i] == opening or text[starts[i] - 1] in "，,；;":
            return True
        i += 1
    return False


# A speaker the title reader missed (a surname it does not know: 那日松): a name opening a
# sentence before a verb of saying, which the report also writes after a title.
_BARE_SPEAKER = re.compile(
    rf"(?:^|(?<=[。！？\n]))(?P<name>[{_HAN}]{{2,3}})(?={_VERB_DIRECT}[，：:])"
)
_AFTER_TITLE = "(?:书记|主任|主席|委员|总理|经理|代表|[省市县区镇乡州局部厅处科院校社]长)"
# …and no body or document: "办法要求，" "该局指出，".
_NOT_A_NAME = re.compile(r"[法会部局厅委院组室处站所办校司社馆]$|^[该本此其各]")


def _bare_speakers(text: str, units: list[_Unit]) -> list[_Unit]:
    covered = {u.start for u in units}
    found = []
    for m in _BARE_SPEAKER.finditer(text):
        name = m.group("name")
        if m.start() in covered or _NOT_A_NAME.search(name) or name.startswith(("他", "她")):
            continue
        if re.search(_AFTER_TITLE + re.escape(name), text):
            found.append(_Unit(m.start(), m.end(), [(name, False)]))
    return found


def _sentences(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    """The sentences (and ；-clauses) of ``text[start:end]`` with their offsets."""
    at = start
    for m in _POINT_END.finditer(text, start, end):
        yield at, text[at : m.end()]
        at = m.end()
    if text[at:end].strip():
        yield at, text[at:end]


def _run_end(text: str, content: int, limit: int) -> int:
    """Where a run of points starting at ``content`` ends: the paragraph's end, or —
    when the next paragraphs continue it — theirs; never past ``limit``."""
    end = text.find("\n", content)
    while 0 <= end < limit:
        following = text[end + 1 : limit].lstrip()
        if not _CONTINUES.match(following):
            return end
        nxt = text.find("\n", end + 1)
        end = nxt if nxt >= 0 else len(text)
    return min(len(text) if end < 0 else end, limit)


def _speech_points(
    text: str, layout: _Layout, mentions: list[_Mention], officials: list[Official]
) -> list[SpeechPoint]:
    """The speech points of cleaned simplified ``text``, in text order."""
    known = [o.name for o in officials if not o.unknown and len(o.name) >= 2]
    units = _units(text, mentions, known)
    units = sorted(units + _bare_speakers(text, units), key=lambda u: u.start)
    intros = _intros(text, units)
    starts = [u.start for u in units]  # a sentence opening with a person tells of them
    found: list[tuple[int, SpeechPoint]] = []

    def add(at: int, speaker: str, verb: str, sentence: str) -> None:
        point = sentence.strip()
        if len(point) < _MIN_POINT or _BRACKETED.match(point):
            return
        at += len(sentence) - len(sentence.lstrip())
        paragraph = layout.sentences[layout.index_at(at)].paragraph if layout.sentences else 0
        found.append((at, SpeechPoint(speaker, verb, point, paragraph)))

    for i, intro in enumerate(intros):
        limit = intros[i + 1].start if i + 1 < len(intros) else len(text)
        end = _run_end(text, intro.content, limit)
        for at, sentence in _sentences(text, intro.content, end):
            if _NARRATIVE.search(sentence.strip()) or (
                at > intro.content and _tells_of_someone(text, at, at + len(sentence), starts)
            ):
                break
            add(at, intro.speaker, intro.verb, sentence)
    for start, end, speaker in _quoted(text, units):
        if not any(at <= start < at + len(p.point) for at, p in found):
            for at, sentence in _sentences(text, start, end):
                add(at, speaker, "说", sentence)
    found.sort(key=lambda item: item[0])
    return [point for _, point in found]
