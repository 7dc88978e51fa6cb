"""Facts in the fixed phrasing of Chinese government reports: officials, meetings, figures.

Works on cleaned text in simplified script (paragraphs separated by ``"\\n"``), pure rules:
regular expressions over small vocabularies shipped here as constants (roles, surnames,
units). No I/O, no model; :func:`extract_facts` never raises on a ``str``.

Officials
---------
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

Meetings
--------
One meeting per report: the one the metadata names (``meeting``), with the sentence that names
it (a body sentence before a headline, one saying 召开/举行 first). Every person mention in the
report - a title with its name or list, or a known name alone (``樊牛强调``) - takes the verbs
that follow it, past fellow mentions (``刘建中，区领导A、B……出席``), a group without names
(``以及在家区领导``), ``代表……`` and ``在……上``: 主持 makes a chair; 讲话, 作……报告, 传达,
致辞, 发言, and 强调/指出/要求/表示/提出 make a speaker; 出席, 参加, 列席 make an attendee
(``出席并讲话`` is both). A body that chairs (``全会由区委常委会主持``) is a chair too. The
place is ``在X召开/举行`` in a sentence that names the meeting.

Figures
-------
A figure is an Arabic number with a unit from a closed list (亿元, %, 家, 个, 项, 个月, and
rates such as 立方米/秒), outside quotes and titles (``“141”``, ``《…2023…》``), not after 第
(ordinals), 每 (ratios) or 满/减 (coupons), not part of a code (``5G``), a class (``7座以下``)
or a date or year (年/月/日 are not units, so ``75周年`` and ``十四五`` never count), and not
a duration or a prison term (``为期3天``, ``有期徒刑3年零6个月``). Within a sentence, ``；``
separates statements and ``，`` clauses:

* metric - the words before the number back to the last clause break, after the last
  reporting verb (获悉, 介绍 ...), without scope and time words (全区, 2024年, 全年,
  截至6月末 ...) and trailing verbs (实现, 达到, 为 ...), with ``工作`` dropped and ``生产总值``
  read as 地区生产总值. With a counter unit (个, 项, 家, 人 ...) the noun after the unit, when
  there is one, is the metric (``完成45个市、区两级民生实事项目`` -> 民生实事项目, tiers like
  市、区两级 dropped; ``新增`` kept); so is the noun after an amount and 的 (``500万的企业贷款
  周转金``). A clause with only a verb of its own (``实现414.9亿元``) takes the metric of the
  clause before it in the statement.
* change - a clause that is only a comparison (``增长5.7%``, ``同比增速18.42%``) is the change
  of the figure before it; ``分别增长a和b`` gives the changes of the figures before, in order.
  A list of values after ``分别为`` is skipped (which value is whose is not read).
* rank - ``全市第一``, ``位居中心城区第一``, in the figure's clause or a clause of its own right
  after it (not ``全省第九期``).
* note - a milestone (``首次突破400亿元``) followed by the exact value of the same metric is
  that value's note, not a figure; ``连续12个月`` and approximate values (``20余家``) are noted.
* kind - ``expected`` after 有望/预计/预期/可望 earlier in the statement; ``target`` after
  力争, 确保, 拟, 目标是, 下一步, 争取/将 + a verb (争取实现, 将举办), 计划 + an amount, or 要
  opening a clause, in the figure's own clause or a short clause leading it (``力争到2025年，``),
  or when the statement opens with 要 (``；要……系统性抓好290项改革任务``); else ``achieved``.
* year - the nearest year before the number in its sentence (``2024年``; 今年/去年/明年
  relative to the report's year; not ``比上年``, ``较2022年同期``, which are comparisons), else
  a year opening an earlier sentence of the paragraph (``2024年，全区……``, ``全会指出，2024年
  是……``), else the report's year; 目前/如今 after the year put the figure back in the
  report's year.

Known limits: Chinese-numeral quantities (``三个融合``, ``完成五项任务``) and ranks without a
number (``客货综合周转量全市第一``) are not figures; a noun that is the object of a verb
(``覆盖志愿者、社区干部近2万人次``) is only partly read; four-character names without a ``·``
(``夏帕克提``) are cut to three; a second meeting in one report is not told apart from the first.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

from ingest.zh.names import COMPOUND_SURNAMES, NOT_NAMES, ROLES, SURNAMES

__all__ = ["Facts", "Figure", "FigureKind", "Meeting", "Official", "extract_facts"]

FigureKind = Literal["achieved", "expected", "target"]


@dataclass(frozen=True)
class Official:
    name: str
    titles: tuple[str, ...]
    region: str | None
    sentence: str
    unknown: bool = False


@dataclass(frozen=True)
class Meeting:
    name: str
    date: str | None
    place: str | None
    chairs: tuple[str, ...]
    speakers: tuple[str, ...]
    attendees: tuple[str, ...]
    sentence: str


@dataclass(frozen=True)
class Figure:
    metric: str
    value: str
    unit: str
    year: str | None
    change: str | None
    rank: str | None
    kind: FigureKind
    sentence: str
    note: str | None = None


@dataclass(frozen=True)
class Facts:
    officials: tuple[Official, ...]
    meetings: tuple[Meeting, ...]
    figures: tuple[Figure, ...]


# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

_HAN = "\u4e00-\u9fff"

# The vocabularies of names and titles live in ingest.zh.names (shared with the verifier
# and the answerers); the private names here keep this module's rules readable.
_SURNAMES = SURNAMES
_COMPOUND_SURNAMES = COMPOUND_SURNAMES
_SURNAME_START = "".join(sorted(_SURNAMES | {s[0] for s in _COMPOUND_SURNAMES}))

# Characters a given name practically never has: function words and the words of titles.
_NOT_IN_NAME = frozenset("的了是和与及等对将把被从到们这那其之也就都而在为有个不年月日委记书第")

_NOT_NAMES = NOT_NAMES
_ROLES = ROLES
_ROLE_ALT = "|".join(_ROLES)

# A role followed by what may begin a name: a surname, or a "·" name (维吾尔 / 藏 / 蒙古 names).
_ROLE_BEFORE_NAME = re.compile(rf"(?:{_ROLE_ALT})(?=[{_SURNAME_START}]|[{_HAN}]{{1,6}}·[{_HAN}])")
# A title element that ends in a role: "区委副书记", "示范区领导".
_ENDS_IN_ROLE = re.compile(rf"(?:{_ROLE_ALT})$")
# A role anywhere in a string.
_ROLE_ANYWHERE = re.compile(_ROLE_ALT)
# A "·" name: 艾尔肯·吐尼亚孜.
_DOT_NAME = re.compile(rf"[{_HAN}]{{1,6}}·[{_HAN}]{{1,8}}(?:·[{_HAN}]{{1,8}})?")
# What the residue of a garbled character may still look like right after a surname.
_RESIDUE = re.compile(r"[?？□＿_*×]+")

# What may follow a name: the verbs, particles and conjunctions of the genre. Punctuation,
# digits (a date: "龚正7月28日主持") and the end of the text are accepted without this list.
_AFTER_NAME = re.compile(
    r"主持|出席|参加|参会|列席|讲话|强调|指出|表示|要求|代表|传达|作了?|做了?|在|带队|率队|率|"
    r"一行|同志|等|和|与|及|以及|调研|会见|会谈|陪同|宣读|通报|介绍|说|致辞|部署|听取|到|赴|"
    r"深入|前往|来|走访|检查|督导|督查|看望|慰问|为|向|对|就|分别|也|还|参观|察看|考察|视察|"
    r"莅临|担任|任|宣布|解读|发言|点评|总结|提出|希望|认为|先后|一同|共同|同|会同|主讲|授课|"
    r"带头|签订|签署|当选|围绕|结合|针对|首先|随后|肯定|鼓励|回答|接受|召开|领衔|实地|现场|专程|"
    r"亲自|又|则|先|再|即|并|将|已|曾|于|从|作为|是|的|被|把|给|带领|率领|一起|应邀|受邀|通过|"
    r"以|用|共|都|委托|所|进行|参与|调度|研究|主持召开|严重|涉嫌|接待|颁发|揭牌|启动|见证|"
    r"出发|返回|乘坐|登上|抵达|来到|回到|前来|开展|发表|答复|汇报|作出|批示|指示|讲授|上|下|"
    r"拿到|拿出|受|（|\("
)

# Function words before a title in the same run: "受区委书记", "会议由区委副书记". A one-character
# conjunction only goes when a title clearly starts after it (和平区 keeps its 和). Used with
# ``match(text, pos)``, so no "^".
_TITLE_LEAD = re.compile(
    rf"(?:[{_HAN}]{{0,16}}?(?:会议|全会|大会|会|活动|仪式|讲堂|典礼)由|"
    r"和(?![平田林政顺龙县静])|与|及|同(?![江心])|"
    r"以及|受|由|在|向|对(?!外)|据|请|经(?![开济贸])|被|将|把|给|为|到|还|"
    r"会上|会前|会后|近日|日前|昨天|今天|昨日|"
    r"今日|上午|下午|晚上|当天|随后|同时|此外|另外|还有|其中|包括|首先|其次|然后|接着|最后|现任|了)+"
)
# Verbs that may stand anywhere before a title in its run ("准确把握市委书记袁家军……指示"); the
# title starts after the last one. Multi-character, so they do not occur inside names of
# organisations.
_TITLE_CUT = re.compile(
    r"把握|学习|贯彻|落实|传达|按照|根据|围绕|听取|陪同|会见|会晤|看望|慰问|欢迎|感谢|邀请|带领|"
    r"率领|跟随|随同|会同|指出|强调|讲话|出席|参加|主持|介绍|表示|希望|要求|认为|宣布|委托|"
    r"批示|指示|调研(?![组员])|考察|视察|检查|督导|走访|了解|听到|看到|见到|向着|来到|前往|获得|授予|"
    r"当选|任命|免去|决定|通报|报道|采访|对话|专访|接受|推举|推选|选举|收到|接到|辞去|查处|审查|"
    r"调查|立案|开除|祝贺|(?:纪委|监委|检察院|法院|委员会|常委会)对|揭牌仪式|摄(?!影)|是|的|"
    r"(?<=[员人者任室长])为|(?<=[组队团])由"  # "失联人员为……", "调研组由……"
)

# A place a title may open with: 重庆市委书记, 嘉定区委书记, 海南省纪委监委.
_PLACE_PREFIX = re.compile(
    r"^(?:中共|原任|前任|时任|原)?"
    r"(?P<place>[^\W\d副原委党政人大局厅部]{2,8}?(?:自治区|自治州|省|市|区|县|州|盟|旗|镇|乡|街道))"
    r"(?![场民级值域辖内])"
)
# Zones named without their city (示范区 alone) do not name another region.
_GENERIC_PLACES = frozenset(
    "示范区 开发区 经开区 高新区 新区 自贸区 保税区 园区 景区 社区 城区 辖区 全区 全市 全县 自治区 "
    "全省 本区 本市 本县 该区 该市 该县".split()
)
# Central organs: their officials are national, not the report's region's.
_NATIONAL = re.compile(r"^(?:中共中央|中央|国务院|全国人大|全国政协)")


# ---------------------------------------------------------------------------
# Text layout: sentences and paragraphs
# ---------------------------------------------------------------------------

# A sentence: up to and including its end mark (and closing quotes), or a line.
_SENTENCE = re.compile(r"[^。！？!\n]+(?:[。！？!]+[”’」』）)]*)?")
# The longest evidence an official or a figure quotes. Report sentences run to a few
# hundred characters (732 at most in crud_gov_2k); a text without sentence ends is one
# "sentence" of up to millions, and quoting it whole for each of thousands of facts wrote
# 27 GB to the store for one 2-million-character report.
_MAX_EVIDENCE = 1_000


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    paragraph: int

    def text_of(self, text: str) -> str:
        return text[self.start : self.end].strip()


class _Layout:
    """Sentence spans of a text and lookup by offset."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sentences: list[_Sentence] = []
        paragraph = 0
        last = 0
        for m in _SENTENCE.finditer(text):
            paragraph += text.count("\n", last, m.start())
            last = m.start()
            if m.group(0).strip():
                self.sentences.append(_Sentence(m.start(), m.end(), paragraph))
        self._starts = [s.start for s in self.sentences]
        self._texts: dict[int, str] = {}  # sentence index -> its text, as asked for

    def index_at(self, offset: int) -> int:
        return max(bisect_right(self._starts, offset) - 1, 0)

    def text_at(self, index: int) -> str:
        """The text of sentence ``index``, sliced once however often it is asked for (a
        report without sentence ends is one sentence of up to millions of characters)."""
        text = self._texts.get(index)
        if text is None:
            text = self._texts[index] = self.sentences[index].text_of(self.text)
        return text

    def sentence_at(self, offset: int) -> str:
        if not self.sentences:
            return self.text.strip()
        return self.text_at(self.index_at(offset))

    def evidence_at(self, offset: int) -> str:
        """The sentence at ``offset``; of a sentence over _MAX_EVIDENCE characters (a text
        without sentence ends), the _MAX_EVIDENCE characters around ``offset``."""
        if not self.sentences:
            return self.text.strip()
        sentence = self.sentences[self.index_at(offset)]
        if sentence.end - sentence.start <= _MAX_EVIDENCE:
            return self.text_at(self.index_at(offset))
        end = min(max(offset - _MAX_EVIDENCE // 2, sentence.start) + _MAX_EVIDENCE, sentence.end)
        return self.text[end - _MAX_EVIDENCE : end].strip()


class _Occurrences:
    """Where any of some fixed words occurs in a text, for "is one inside [a, b)?" in
    O(log n): the same answer as ``re.search("w1|w2|...", text, a, b) is not None``."""

    def __init__(self, text: str, words: tuple[str, ...]) -> None:
        spans: list[tuple[int, int]] = []
        for word in words:  # every occurrence, overlapping ones too ("如今年以来")
            at = text.find(word)
            while at >= 0:
                spans.append((at, at + len(word)))
                at = text.find(word, at + 1)
        spans.sort()
        self._starts = [start for start, _ in spans]
        # _min_end[i]: the earliest end of the spans from i on
        self._min_end = [end for _, end in spans]
        for i in range(len(spans) - 2, -1, -1):
            self._min_end[i] = min(self._min_end[i], self._min_end[i + 1])

    def any_within(self, start: int, end: int) -> bool:
        i = bisect_left(self._starts, start)
        return i < len(self._starts) and self._min_end[i] <= end


# ---------------------------------------------------------------------------
# Officials
# ---------------------------------------------------------------------------


@dataclass
class _Mention:
    """A title (or none) with the names it introduces, as found in the text."""

    start: int
    end: int
    titles: tuple[str, ...]
    # (name, start, end, unknown)
    names: list[tuple[str, int, int, bool]] = field(default_factory=list)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _after_last(pattern: re.Pattern[str], text: str, start: int, end: int) -> int:
    """Where the last match of ``pattern`` in ``text[start:end]`` ends, else ``start``."""
    for m in pattern.finditer(text, start, end):
        start = m.end()
    return start


def _boundary(text: str, pos: int) -> int:
    """How clearly a name ends at ``pos``: 9 at punctuation, a digit or the end, else the
    length of the genre word that follows (主持 = 2), 0 when nothing fits."""
    if pos >= len(text) or not _is_han(text[pos]):
        return 9
    after = _AFTER_NAME.match(text, pos)
    return len(after.group(0)) if after else 0


# A name does not end like a place, a title or a verb of saying: 舒兰市, 任团长, 陈杰称.
_NOT_NAME_END = re.compile(rf"[市县区省镇乡村说称]$|(?:{_ROLE_ALT})$")


def _plausible(name: str) -> bool:
    return (
        all(_is_han(ch) for ch in name)
        and not (set(name[1:]) & _NOT_IN_NAME)
        and name[:2] not in _NOT_NAMES
        and not _NOT_NAME_END.search(name[1:])
    )


class _Readings:
    """How often a text holds each reading of a name, and where one stands alone.

    Counted for every reading that may be asked for (after each role and each list
    separator) in one pass over the text, not with a scan of the whole text per name: a
    report of millions of characters names thousands of people.
    """

    def __init__(self, text: str, positions: list[int]) -> None:
        self.text = text
        readings = {c for pos in positions for c in _readings_at(text, pos)}
        # As str.count and re.finditer count: occurrences that do not overlap, left to right.
        self.counts = dict.fromkeys(readings, 0)
        self.alone: dict[str, list[int]] = {c: [] for c in readings}  # the first two
        if not readings:
            return
        last_end: dict[str, int] = {}
        lengths = sorted({len(c) for c in readings})
        firsts = re.compile("[" + "".join(map(re.escape, sorted({c[0] for c in readings}))) + "]")
        for m in firsts.finditer(text):
            i = m.start()
            for length in lengths:
                c = text[i : i + length]
                if c in self.counts and i >= last_end.get(c, 0):
                    last_end[c] = i + length
                    self.counts[c] += 1
                    alone = self.alone[c]
                    if len(alone) < 2 and (i == 0 or not _is_han(text[i - 1])):
                        alone.append(i)

    def count(self, name: str) -> int:
        counted = self.counts.get(name)
        return self.text.count(name) if counted is None else counted

    def stands_alone(self, name: str, skip: int) -> bool:
        """Whether ``name`` opens a clause somewhere other than at ``skip`` ("，郭金刚丧失")."""
        alone = self.alone.get(name)
        if alone is None:
            alone = [
                m.start()
                for m in re.finditer(re.escape(name), self.text)
                if m.start() == 0 or not _is_han(self.text[m.start() - 1])
            ][:2]
        return any(at != skip for at in alone)


def _readings_at(text: str, pos: int) -> list[str]:
    """The two- and three-character readings of a name starting at ``pos`` (three and four
    with a compound surname), longest first; none without a surname there."""
    if text[pos : pos + 2] in _COMPOUND_SURNAMES:
        surname = 2
    elif pos < len(text) and text[pos] in _SURNAMES:
        surname = 1
    else:
        return []
    return [
        text[pos : pos + surname + given] for given in (2, 1) if pos + surname + given <= len(text)
    ]


def _dot_name_at(text: str, pos: int) -> tuple[str, int] | None:
    """A "·" name (艾力更·依明巴海): the shortest reading that ends clearly, with no title
    inside ("自治区人大常委会主任艾力·吐尔逊" is 艾力·吐尔逊 after 主任, not after 常委)."""
    dot = _DOT_NAME.match(text, pos)
    if dot is None or _ROLE_ANYWHERE.search(dot.group(0)):
        return None
    first, _, _rest = dot.group(0).partition("·")
    if set(first) & _NOT_IN_NAME:
        return None  # "书记的夏帕克提·吾守尔"
    for end in range(pos + len(first) + 2, dot.end() + 1):
        if text[end : end + 1] != "·" and _boundary(text, end):
            return text[pos:end], end
    return None


def _name_at(text: str, pos: int, readings: _Readings) -> tuple[str, int] | None:
    """The name starting at ``pos`` and where it ends, or None.

    Of a two- and a three-character reading, the one followed more clearly by the end of a
    name wins (崔健|拿到 over 崔健拿|到), then the one the report repeats more often on its
    own (郭炜 of 郭炜主持 … 郭炜要求), then the longer one.
    """
    dot = _dot_name_at(text, pos)
    if dot:
        return dot
    candidates = [c for c in _readings_at(text, pos) if _plausible(c)]
    if not candidates:
        return None
    scored = [(_boundary(text, pos + len(c)), readings.count(c), len(c), c) for c in candidates]
    fitting = [x for x in scored if x[0]]
    if not fitting:
        fitting = [x for x in scored if readings.stands_alone(x[3], pos)]
    if not fitting:
        return None
    name = max(fitting)[3]
    return name, pos + len(name)


def _garbled_at(text: str, pos: int) -> tuple[str, int] | None:
    """A list member cut down to its surname ("、张、"): ``张?`` and where it ends."""
    if pos >= len(text) or text[pos] not in _SURNAMES:
        return None
    end = pos + 1
    residue = _RESIDUE.match(text, end)
    if residue:
        end = residue.end()
    if end < len(text) and text[end] not in "、，,。；;" and not residue:
        return None
    return text[pos] + "?", end


# Separators inside a leader list, and the characters they end with.
_LIST_SEP = re.compile(r"、|以及|和|及|与")
_LIST_SEP_END = re.compile(r"[、和及与]")


def _names_after(text: str, pos: int, readings: _Readings) -> list[tuple[str, int, int, bool]]:
    """The name, or list of names, that follows a title ending at ``pos``."""
    names: list[tuple[str, int, int, bool]] = []
    while True:
        found = _name_at(text, pos, readings)
        unknown = False
        if (
            found
            and names
            and (not _boundary(text, found[1]) or text[found[1] : found[1] + 1] in "（(")
        ):
            found = None  # list members after the first must end clearly: not "金拱门（中国）"
        if found is None and names and text[pos - 1] == "、":
            found = _garbled_at(text, pos)
            unknown = found is not None
        if found is None:
            break
        name, end = found
        names.append((name, pos, end, unknown))
        if text.startswith("同志", end):
            end += 2
        sep = _LIST_SEP.match(text, end)
        if sep is None or (sep.group(0) != "、" and len(names) < 2):
            break  # "主任王建国与李明": a conjunction joins a list only after a 、
        pos = sep.end()
    return names


class _Known:
    """The names found so far, and the lengths they come in."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.lengths: set[int] = set()

    def add(self, name: str) -> None:
        self.names.add(name)
        self.lengths.add(len(name))


# What a title's run is made of: it starts after the last other character (or at floor).
_NOT_IN_RUN = re.compile(r"[^\u4e00-\u9fff“”]")
# Closing quotes skipped at the start of a title.
_CLOSING_QUOTES = re.compile(r"”+")
# How far past where it starts a try of _TITLE_CUT reads (揭牌仪式 is 4 characters, 调研 is
# 2 and one looked ahead), and of _TITLE_LEAD (16 characters, a 2-character word, 由, and
# one looked ahead), with room to spare: a match that starts this far before the end of
# what is searched is the same however much further the text goes.
_CUT_REACH = 12
_LEAD_REACH = 32


class _RunScan:
    """The known names in ``text[origin:end]`` for a growing ``end``, each position read
    once: the last place of each name, and the sum :meth:`_TitleStarts._find` moves by."""

    def __init__(self, origin: int) -> None:
        self.origin = origin
        self.end = origin
        self.last: dict[str, int] = {}  # name -> last position, from origin
        self.total = 0  # the sum over self.last of position + length

    def shift(self, text: str, end: int, known: _Known) -> int:
        if known.lengths:
            longest = max(known.lengths)
            for i in range(max(self.origin, self.end - longest + 1), end):
                for length in known.lengths:
                    if self.end < i + length <= end and text[i : i + length] in known.names:
                        name, at = text[i : i + length], i - self.origin
                        before = self.last.get(name)
                        self.total += at + length if before is None else at - before
                        self.last[name] = at
        self.end = end
        return self.total


class _CutScan:
    """``_after_last(_TITLE_CUT, text, start, end)`` for one ``start`` and growing ends.
    Matches that start _CUT_REACH before an end are the same for every later end, so the
    next call resumes after them instead of reading from ``start`` again."""

    def __init__(self, start: int) -> None:
        self.start = start
        self.resume = start  # the scan from start tries here afresh whatever the end
        self.last = start  # where the last match before resume ends (start if none)
        self.asked = start  # the last end asked for

    def after(self, text: str, end: int) -> int:
        if end < self.asked:
            return _after_last(_TITLE_CUT, text, self.start, end)
        self.asked = end
        answer = self.last
        for m in _TITLE_CUT.finditer(text, self.resume, end):
            answer = m.end()
            if m.start() + _CUT_REACH <= end:
                self.last = self.resume = m.end()
        self.resume = max(self.resume, end - _CUT_REACH + 1)
        return answer


class _TitleStarts:
    """Where title elements start: after the last verb in their run of Han characters, a
    name already found (王建国与某集团董事长李明), and a leading function word; never
    before ``floor``, the end of the mention before.

    In a report without punctuation a run can be a page long and every role in it looks
    back to the same place. Reading the run again for each role made officials quadratic in
    its length; here what was read of a run is kept and extended for the next role, giving
    the answer a reading of the whole run gives.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: dict[tuple[int, int, int], int] = {}  # (end, floor, names known) -> start
        self.runs: dict[tuple[int, int], _RunScan] = {}  # (origin, names known) -> scan
        self.cuts: dict[int, _CutScan] = {}  # start -> scan
        self.leads: dict[int, int | None] = {}  # start -> end of _TITLE_LEAD there
        self.quotes = [(m.start(), m.end()) for m in _CLOSING_QUOTES.finditer(text)]
        self.quote_starts = [start for start, _ in self.quotes]
        self.walked_to = 0  # the last end walked back from (ends mostly grow) ...
        self.walked_from = 0  # ... and where its run starts

    def find(self, end: int, floor: int, known: _Known) -> int:
        key = (end, floor, len(known.names))
        start = self.found.get(key)
        if start is None:
            start = self.found[key] = self._find(end, floor, known)
        return start

    def _find(self, end: int, floor: int, known: _Known) -> int:
        origin = max(floor, self._run_start(end, floor)) if end > floor else end
        run = self.runs.get((origin, len(known.names)))
        if run is None or run.end > end:
            run = self.runs[(origin, len(known.names))] = _RunScan(origin)
        # Each known name in the run moves the start past its last place, counted from where
        # the name before left it (so two names add up: the loop over the names this
        # replaces did so, and what it extracted is kept as it was).
        start = origin + run.shift(self.text, end, known)
        cuts = self.cuts.get(start)
        if cuts is None:
            cuts = self.cuts[start] = _CutScan(start)
        start = cuts.after(self.text, end)
        # a quote that closed before the title: "……。”湖北省十堰市……科长"
        i = bisect_right(self.quote_starts, start) - 1
        if start < end and i >= 0 and start < self.quotes[i][1]:
            start = min(self.quotes[i][1], end)
        return self._after_lead(start, end)

    def _run_start(self, end: int, floor: int) -> int:
        """Where the run of title characters ending at ``end`` starts (not before floor)."""
        if end >= self.walked_to:
            for stop in _NOT_IN_RUN.finditer(self.text, self.walked_to, end):
                self.walked_from = stop.end()
            self.walked_to = end
            return self.walked_from
        start = end  # an earlier end (the title before a 、): walk back
        while start > floor and not _NOT_IN_RUN.match(self.text[start - 1]):
            start -= 1
        return start

    def _after_lead(self, start: int, end: int) -> int:
        """Past a leading function word: ``_TITLE_LEAD.match(text, start, end)``, from one
        match to the end of the text per start when it ends _LEAD_REACH before ``end``."""
        if start not in self.leads:
            whole = _TITLE_LEAD.match(self.text, start)
            self.leads[start] = whole.end() if whole else None
        after = self.leads[start]
        if (after if after is not None else start) + _LEAD_REACH <= end:
            return after if after is not None else start
        lead = _TITLE_LEAD.match(self.text, start, end)
        return lead.end() if lead else start


def _titles_before(
    text: str, role_end: int, floor: int, known: _Known, starts: _TitleStarts
) -> tuple[tuple[str, ...], int]:
    """The titles joined by 、 that end at ``role_end``, and where the first starts."""
    start = starts.find(role_end, floor, known)
    titles = [text[start:role_end]]
    # A slice, not text[start - 1]: known names can move a start past the end of the text.
    while start - 1 > floor and text[start - 1 : start] == "、":
        prev_start = starts.find(start - 1, floor, known)
        prev = text[prev_start : start - 1]
        if not prev or not _ENDS_IN_ROLE.search(prev):
            break
        titles.insert(0, prev)
        start = prev_start
    return tuple(titles), start


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


# ---------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------

# Base units, longest first where one is the start of another (个月 before 个, 人次 before 人).
_BASE_UNITS = (
    "个百分点|百分点|%|％|倍|美元|美金|欧元|港元|港币|日元|英镑|元|"
    "平方公里|平方米|立方米|千瓦时|千瓦|公里|千米|毫米|米|"
    "吨标准煤|吨|公顷|亩|人次|人(?!民)|户次|户|辆次|辆|台次|台|套|座|所|条|件|起|宗|场次|场|批次|批|"
    "名|位|头|只|张|份|篇|种|个月|个|项|家次|家|处|栋|间|株|棵|天|例|标箱|架次|架|艘次|艘|笔"
)
# Rates after a unit: "4650立方米/秒", "3600辆/小时", "287.80元/股", "2450立方米每秒".
_PER = r"(?:/|每)(?:秒|小时|天|日|年|月|人|股|吨|亩|平方米|千瓦时|公斤|斤)"
# A number with its unit: "414.9亿元", "75家", "20余家", "5万余人", "7.3%".
_NUMBER = re.compile(
    # not inside a longer number, a code, an ordinal, a range or a coupon (满200减80)
    r"(?<![\d.A-Za-z第满减每/\-—–~～])"
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)"
    r"(?P<approx1>余|多)?"
    r"(?P<mult>万亿|亿|万)?"
    r"(?P<approx2>余|多)?"
    rf"(?P<base>(?:{_BASE_UNITS})(?:{_PER})?)?"
    # "7座以下小客车" is a class, "24万人民" a manner of speaking, not quantities
    r"(?![A-Za-z\d]|以下|人民)"
)
# Counter units: the thing counted may follow the number ("完成45个民生实事项目").
_COUNTERS = frozenset(
    "个 项 家 件 名 所 座 条 批 批次 次 户 人 处 场 场次 套 台 辆 种 位 笔 宗 起 栋 间 人次 "
    "户次 家次 例 艘 艘次 架 架次 株 棵 头 只 张 份 篇 万 亿".split()
)
# Quotes and titles whose numbers are names, not quantities: “141”, 《…2023年…》.
_QUOTED = re.compile(r"“[^”\n]{0,30}”|《[^》\n]{0,60}》|〈[^〉\n]{0,60}〉")
# Statement and clause breaks inside a sentence.
_STATEMENT_BREAK = re.compile(r"[；;]")
_CLAUSE_BREAK = re.compile(r"[，,：:、\s（(）)]")
_POST_BREAK = re.compile(r"[，,；;。：:\s（(）)！？!]")
# What may join the values of one list: "12.5%和14.8%", "0.21%、0.37%".
_LIST_JOIN = frozenset({"", "和", "及", "与", "或"})

# A clause that is only a comparison: "增长5.7%", "较去年同期增加12.34亿元", "同比增速18.42%".
_CHANGE_ONLY = re.compile(
    r"(?:同比|环比|比上年同期|较上年同期|比去年同期|较去年同期|比上年|较上年|比去年|较去年|较年初|"
    r"比年初|较上月|[比较](?:19|20)\d{2}年(?:同期)?|年均|平均|分别)*"
    r"(?:增长|增加|下降|减少|提高|提升|上升|回落|下滑|降低|增速|增幅|降幅|增)了?"
    r"(?:为|达|至|到|超过|超|近|约)?"
)
# A milestone: "首次突破400亿元", "有望迈上3000亿元".
_MILESTONE = re.compile(
    r"(?:首次|历史性|有望|将)?(?:突破|迈上|跨上|站上|迈过|越过|跨越|跨入|迈入)$"
)
# Scope and time words that open a metric: 全区, 2024年, 全年, 截至6月末, 今年以来 ...
_METRIC_LEAD = re.compile(
    r"^(?:(?:到|截至)?(?:19|20)\d{2}年(?:度|底|末)?|今年以来|今年|去年|明年|上半年|下半年|前三季度|"
    r"一季度|二季度|三季度|四季度|全年|年内|截至[^，]{0,10}?(?:末|底|止|日)|"
    r"\d{1,2}(?:[-—～~至]\d{1,2})?月(?:份|末|底)?|一年来|近年来|其中|目前|当前|累计|共计|共|总计|"
    r"合计|全区|全市|全县|全省|全镇|全乡|全州|全旗|我区|我市|我县|我省|本区|本市|本县|区内|市内|"
    r"县内|辖区内?|我们|以及|和|及|是|实现了?|达到了?|达|为期|约|近|逾|"
    r"力争|确保|争取|预计|有望|计划|力求|拟|将|要(?!素))+"
)
# Reporting verbs and the like: the metric starts after the last one ("……获悉，我省旅游接待").
_METRIC_CUT = re.compile(
    r"获悉|显示|介绍|表示|指出|透露|据统计|据了解|据悉|成为|共有|包括|即|对(?!外|口|接)|争取到|"
    r"(?:发放|准备|安排|投放)(?:了|的)"
)
# Verbs, adverbs and particles that end the words before a number: "首次突破", "实现", "为".
_METRIC_TAIL = re.compile(
    r"(?:分别|首次|历史性|有望|预计|力争|确保|争取|将|要|可|已|均|约|近|逾|超|共|累计|总计|合计|"
    r"计|达到了?|达|为|是|实现了?|完成了?|突破|迈上|跨上|站上|迈入|跨入|超过|高达|仅|只有|已达|"
    r"增至|增加到|提高到|提高至|提升至|提升到|稳定在|保持在|控制在|连续|占|的|有|等|折合|人民币|始终|"
    r"保持|一直|继续|"
    r"新增(?=$))+$"
)
# How long something lasts or a sentence runs: not a figure of the report's subject.
_DURATION = re.compile(r"(?:为期|历时|用时|耗时|有期徒刑[^，]*)$")
# The verb of a clause that goes on about the metric before it: "……，实现414.9亿元".
_CONTINUES = re.compile(
    r"实现|达到|达|完成|为|共计|合计|累计|总计|超过|突破|增至|提高到|提升至|迈上"
)
# Words before a number that name no quantity by themselves.
_BARE_VERB = re.compile(
    r"(?:严格)?(?:落实|通报|展示|开展了?|举办了?|组织了?|推出|发放|涉及|覆盖|惠及|带动|吸引|"
    r"帮助|培训|服务|走访|慰问|检查|排查|整改|办理|受理|解决|处理|查处|发现|引进|新建|建成|完成|"
    r"打造|推动|推进|实施|抓好|办好|召开|签约|投入|争取|提出|列入|新增|治理|贯通|建设|修复|改造|整治|"
    r"成功指导|指导|年|月|日)"
)
# What ends the noun after a counter: "1502个行政村卫生室目前已全面开通" -> 行政村卫生室.
_POST_CUT = re.compile(
    r"了|目前|此前|已经|已|正在|全面|均|都|并|将|被|由|在|把|还|也|又|拟|就(?![业医读学诊])|"
    r"实现|完成|达到|参加|参与|开展|进行|提出|列入|争取|受益|旁听|发送|落地|处置|获得|通过|纳入|"
    r"建成|开工|投入|投产|签约|落户|入驻|入选|获评|成为|作为|直接|依次|分别|逐一|全部|共同|一起|集中|"
    r"^(?:以上|左右|之多)|当中|包括|全程|达(?!标)|发表|表示|指出|声明|同步|下载|安装|接受|到场|出席|"
    r"踊跃|积极|纷纷|陆续|顺利|成功|正式|、|的|"
    r"和|及|与|等|[^\u4e00-\u9fff]"
)
# Things counted too generic to name a metric: "处级干部共8名同志" is about 处级干部.
_GENERIC_COUNTED = frozenset({"同志", "人员", "人次", "余人", "小时", "钟头"})
# Things counted that are one character: "82个县".
_ADMIN_UNITS = frozenset("省市县区镇乡村州")
# Tiers before the counted noun: "市、区两级".
_TIERS = re.compile(r"^(?:[省市区县镇乡村街]、?){1,4}[两三四五]级")
# A counted noun that is a new addition: "新增32家企业".
_NEW = re.compile(r"新增$")
# Rank: "全市第一", "位居中心城区第一".
_RANK = re.compile(
    r"(?:位居|位列|位于|居于|排名|排在|稳居|居|列|排)?"
    r"(?P<rank>(?:全国|全省|全市|全区|全县|全州|中心城区|主城区|同类城市|省内|市内|区内|县内)"
    r"(?:第[一二三四五六七八九十\d]+(?:位|名)?|首位|前列|前茅|榜首))"
    r"(?![期批届次号轮])"  # "全省第九期" is an edition, not a rank
)
# A clause that is only a rank.
_RANK_ONLY = re.compile(rf"[{_HAN}]{{0,6}}?{_RANK.pattern}[{_HAN}]{{0,2}}")
# "连续12个月".
_RUN = re.compile(r"连续$")
# Expectation and target words (searched in the words before the number).
_EXPECTED_WORDS = ("有望", "预计", "预期", "可望", "估计")
_TARGET = re.compile(
    r"力争|(?<!成功)争取(?=实现|达到|完成|突破|超过|在|到20|年内|早日|更多|全年)|确保|拟(?!任)|"
    r"计划(?=(?:总)?投资|完成|新增|实施|建设|建成|开工|引进|培育|打造|用|在|于|到|年内|今年|明年|\d)|"
    r"目标(?:是|为|：|:)|预期目标|力求|必须|务必|"
    # 要 opening a clause, maybe after its subject: "；要增强……", "明年，全区要新建……"
    r"(?:^|[，；：\s])(?:全区|全市|全县|全省|全镇|我们|我区|我市|我县|各级|各地|各部门|各单位)?"
    r"(?:还|也|就|一定)?要(?![求素闻点件害职案])|"
    r"下一步|将(?=于|达到|实现|突破|超过|新增|建成|完成|举办|开展|建设|投入|新建|落实|实施|"
    r"推出|启动|开工|形成|"
    r"带动|增加|提供|惠及|覆盖|组织|安排|历时|持续|新增|培育|引进|打造)|"
    r"到(?:19|20)\d{2}年"
)
# A statement that opens with 要 ("；要增强改革穿透性，……抓好290项改革任务") is a plan.
_PLAN_STATEMENT = re.compile(
    r"\s*(?:[一二三四五六七八九十]是|同时|此外|其次|首先)?[，、]?"
    r"(?:全区|全市|全县|全省|全镇|我们|我区|我市|我县|各级|各地|各部门|各单位)?(?:还|也|就|一定)?"
    r"要(?![求素闻点件害职案])"
)
# Years: "2024年", and 今年/去年/明年 - not "比上年", "较2022年同期", "与去年同期": comparisons.
_YEAR = re.compile(
    r"(?<![比较同于与])"
    r"(?:(?P<abs>(?:19|20)\d{2})年(?!同)|(?P<rel>今年|去年|明年|上年|前年|本年))"
)
_RELATIVE_YEAR = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}
# A clause this short before a figure's own clause may set its kind: "力争到2025年，".
_SHORT_LEAD = 10
# Words that put a figure in the present (the report's year) whatever year came before.
_PRESENT_WORDS = ("目前", "如今", "当前", "现在", "截至目前", "今年以来")
# A year sets the context of later sentences when it opens its sentence ("2024年，全区……",
# "全会指出，2024年是……"): at most this many characters in.
_OPENING = 12


# All of the words after a number that _counted reads: tiers (9 characters at most), then
# a noun of at most 16 characters ended by a cut word (4 characters and one looked ahead).
_POST_CHARS = 64


@dataclass
class _Item:
    """A number with its unit and the words around it, inside one statement."""

    match: re.Match[str]
    unit: str
    pre: str
    post: str  # the words after, up to the next break, cut to _POST_CHARS
    post_end: int  # where those words end in the text (uncut)
    lead: str  # the clause before, when short and without a number: "力争到2025年"


@dataclass
class _Draft:
    metric: str
    inherited: bool
    value: str
    unit: str
    year: str | None
    kind: FigureKind
    sentence: str
    start: int
    change: str | None = None
    rank: str | None = None
    notes: list[str] = field(default_factory=list)
    milestone: str | None = None


def _clean_metric(raw: str) -> str:
    """The metric in the words before a number, or "" when they name none."""
    metric = raw[_after_last(_METRIC_CUT, raw, 0, len(raw)) :]
    for _ in range(3):
        metric = _METRIC_LEAD.sub("", metric)
        metric = _METRIC_TAIL.sub("", metric)
    if metric.endswith("工作") and len(metric) > 2:
        metric = metric[:-2]
    if len(metric) > 14:  # "表决事项“债权人会议议事规则”出席有表决权人数" -> 出席有表决权人数
        tail = max(metric.rfind("”"), metric.rfind("的"))
        if 0 <= tail < len(metric) - 4:
            metric = metric[tail + 1 :]
    if metric in ("生产总值", "GDP"):
        metric = "地区生产总值"
    if sum(1 for ch in metric if _is_han(ch)) < 2 or _BARE_VERB.fullmatch(metric):
        return ""
    return metric


def _milestone_note(milestone: re.Match[str] | None, amount: str) -> str | None:
    """ "首次突破" + "400亿元" -> 首次突破400亿元 (有望/将 go to the figure's kind)."""
    if milestone is None:
        return None
    return milestone.group(0).removeprefix("有望").removeprefix("将") + amount


def _counted(post: str) -> str:
    """The noun after a counter: "市、区两级民生实事项目，…" -> 民生实事项目; "" when the words
    after the number name no thing counted, or belong to the next number ("项目19个资金9.4亿")."""
    noun = _TIERS.sub("", post)
    cut = _POST_CUT.search(noun)
    if cut:
        if noun[cut.start()].isdigit():
            return ""
        noun = noun[: cut.start()]
    if (
        not noun
        or len(noun) > 16
        or (len(noun) == 1 and noun not in _ADMIN_UNITS)  # "7个人当中": not a thing counted
        or noun in _GENERIC_COUNTED
        or _RANK.match(noun)
        or _BARE_VERB.match(noun)  # "13人通报被查"
    ):
        return ""
    return noun


def _attach_changes(drafts: list[_Draft], unchanged: list[_Draft], run: list[_Item]) -> None:
    """Comparisons are the changes of the figures before them: one to the last figure, a
    分别 list to as many figures in order (or to none when they do not pair up).
    ``unchanged`` lists the drafts without a change yet, in order; it is kept up to date."""
    verb = run[0].pre.replace("分别", "")
    if len(run) == 1:
        targets = drafts[-1:]
    else:
        targets = unchanged[-len(run) :]
    if len(targets) != len(run):
        return
    for target, value in zip(targets, run, strict=True):
        text = verb + value.match.group(0)
        target.change = f"{target.change}，{text}" if target.change else text
    if len(run) > 1:
        del unchanged[-len(run) :]
    elif unchanged and unchanged[-1] is targets[0]:
        unchanged.pop()


class _FigureReader:
    """Reads the figures of one text, statement by statement."""

    def __init__(self, text: str, layout: _Layout, report_year: int | None) -> None:
        self.text = text
        self.layout = layout
        self.report_year = report_year
        self.quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
        self.quoted_starts = [s for s, _ in self.quoted]
        self.years: list[tuple[int, str]] = []
        for m in _YEAR.finditer(text):
            year = self._year_of(m)
            if year and not self._quoted(m.start()):
                self.years.append((m.start(), year))
        self.year_starts = [p for p, _ in self.years]
        # Indices (into self.years) of the years that open their sentence.
        self.openings = [
            i
            for i, (at, _) in enumerate(self.years)
            if at - layout.sentences[layout.index_at(at)].start <= _OPENING
        ]
        self.present = _Occurrences(text, _PRESENT_WORDS)
        self.expected = _Occurrences(text, _EXPECTED_WORDS)
        # end of a post -> (where the last search started, the rank it found): see _rank
        self.ranks: dict[int, tuple[int, re.Match[str] | None]] = {}

    def _year_of(self, m: re.Match[str]) -> str | None:
        if m.group("abs"):
            return m.group("abs")
        if self.report_year is None:
            return None
        return str(self.report_year + _RELATIVE_YEAR[m.group("rel")])

    def _quoted(self, pos: int) -> bool:
        # The spans do not overlap, so only the last one starting before pos can hold it.
        i = bisect_left(self.quoted_starts, pos) - 1
        return i >= 0 and pos < self.quoted[i][1]

    def _year_at(self, pos: int) -> str | None:
        """The nearest year before ``pos`` in its sentence, else one opening an earlier sentence
        of its paragraph, else the report's year."""
        here = self.layout.sentences[self.layout.index_at(pos)]
        i = bisect_right(self.year_starts, pos) - 1
        if i < 0:
            pass
        elif self.present.any_within(max(self.years[i][0], here.start), pos):
            pass  # "2009年，义乌成为……，目前义乌共有……": now, not then
        elif self.years[i][0] >= here.start:
            return self.years[i][1]
        else:
            # The last year before this sentence that opens its own, if it is in this
            # paragraph (then so are the years after it, which open none).
            k = bisect_right(self.openings, i) - 1
            if k >= 0:
                at, year = self.years[self.openings[k]]
                if self.layout.sentences[self.layout.index_at(at)].paragraph == here.paragraph:
                    return year
        return str(self.report_year) if self.report_year is not None else None

    def figures(self) -> list[Figure]:
        drafts: list[_Draft] = []
        for sentence in self.layout.sentences:
            start = sentence.start
            for brk in [*_STATEMENT_BREAK.finditer(self.text, start, sentence.end), None]:
                end = brk.start() if brk else sentence.end
                drafts.extend(self._statement(start, end))
                start = brk.end() if brk else end
        seen: set[tuple[str, str, str, str | None]] = set()
        figures = []
        for d in drafts:
            key = (d.metric, d.value, d.unit, d.year)
            if key in seen:
                continue
            seen.add(key)
            figures.append(
                Figure(
                    metric=d.metric,
                    value=d.value,
                    unit=d.unit,
                    year=d.year,
                    change=d.change,
                    rank=d.rank,
                    kind=d.kind,
                    sentence=d.sentence,
                    note="；".join(dict.fromkeys(d.notes)) or None,
                )
            )
        return figures

    def _items(self, start: int, end: int) -> list[_Item]:
        """The numbers with units of a statement, with the words before and after each."""
        items: list[_Item] = []
        prev_end = start
        # The clause and post breaks are read once, as the numbers advance: a statement may
        # be a whole report, so nothing is rescanned from its start or to its end per number.
        clause_breaks = _CLAUSE_BREAK.finditer(self.text, start, end)
        post_breaks = _POST_BREAK.finditer(self.text, start, end)
        next_clause = next(clause_breaks, None)
        next_post = next(post_breaks, None)
        last_two: list[int] = []  # ends of the last two clause breaks before the number
        for m in _NUMBER.finditer(self.text, start, end):
            unit = ((m.group("mult") or "") + (m.group("base") or "")).replace("％", "%")
            if not unit:
                continue  # a year, a date, a code: its words still belong to the next number
            if self._quoted(m.start()):
                prev_end = m.end()
                continue
            while next_clause is not None and next_clause.start() < m.start():
                last_two = [*last_two[-1:], next_clause.end()]
                next_clause = next(clause_breaks, None)
            while next_post is not None and next_post.start() < m.end():
                next_post = next(post_breaks, None)
            clause_start = max([prev_end, *last_two])
            pre = self.text[clause_start : m.start()]
            lead_start = max([prev_end, *(b for b in last_two if b < clause_start)])
            lead = self.text[lead_start:clause_start]
            if len(lead) > _SHORT_LEAD:
                lead = ""
            post_end = next_post.start() if next_post is not None else end
            post = self.text[m.end() : min(post_end, m.end() + _POST_CHARS)]
            items.append(_Item(m, unit, pre, post, post_end, lead))
            prev_end = m.end()
        return items

    def _statement(self, start: int, end: int) -> list[_Draft]:
        items = self._items(start, end)
        drafts: list[_Draft] = []
        unchanged: list[_Draft] = []  # drafts without a change yet
        last_metric = ""
        i = 0
        while i < len(items):
            item = items[i]
            previous_noun = _counted(items[i - 1].post) if i else ""
            # A list of values joined by 、/和: "分别增长12.5%和14.8%", "分别为0.21%、0.37%".
            run = [item]
            if "分别" in item.pre:
                j = i + 1
                while j < len(items) and items[j].pre.strip() in _LIST_JOIN:
                    j += 1
                run = items[i:j]
            i += len(run)
            if _CHANGE_ONLY.fullmatch(item.pre):
                _attach_changes(drafts, unchanged, run)
                continue
            if len(run) > 1:
                continue  # "A、B、C分别为x、y、z": which value is whose is not read
            draft = self._draft(item, last_metric, previous_noun, start)
            if draft is None:
                continue
            last_metric = draft.metric
            drafts.append(draft)
            unchanged.append(draft)
        self._attach_ranks(drafts, start, end)
        return self._merge_milestones(drafts)

    def _draft(
        self, item: _Item, last_metric: str, previous_noun: str, start: int
    ) -> _Draft | None:
        m, pre, post = item.match, item.pre, item.post
        if _DURATION.search(pre):
            return None  # how long an event lasts, a prison term
        if previous_noun and pre.startswith(previous_noun):
            pre = pre[len(previous_noun) :]  # "6辆发电车18人": 发电车 was the 6's
        counter = (m.group("base") or m.group("mult")) in _COUNTERS
        metric = _clean_metric(pre)
        # "500万的企业贷款周转金": an amount of the thing after 的 (a count with 的 after it,
        # "突破1000万户的省份", qualifies something else).
        amount = (m.group("base") or "") not in _COUNTERS  # 亿元, 万, %: not a count of things
        counted = _counted(post.removeprefix("的") if amount else post)
        if counted and (counter or pre.endswith("的") or post.startswith("的") or not metric):
            metric = ("新增" if _NEW.search(pre) else "") + counted
        inherited = False
        if not metric:
            # Only a verb of its own ("实现414.9亿元"): the metric of the clause before.
            if not last_metric or not _CONTINUES.search(pre) or _clean_metric(pre):
                return None
            metric, inherited = last_metric, True
        value = m.group("num")
        notes = []
        if m.group("approx1") or m.group("approx2"):
            notes.append(m.group(0))
        if _RUN.search(pre):
            notes.append("连续" + m.group(0))
        milestone = _MILESTONE.search(pre)
        rank = self._rank(m.end(), item.post_end)
        return _Draft(
            metric=metric,
            inherited=inherited,
            value=value,
            unit=item.unit,
            year=self._year_at(m.start()),
            kind=self._kind(start, item),
            sentence=self.layout.evidence_at(m.start()),
            start=m.start(),
            rank=rank.group("rank") if rank else None,
            notes=notes,
            milestone=_milestone_note(milestone, value + item.unit),
        )

    def _kind(self, statement_start: int, item: _Item) -> FigureKind:
        """Expected after 有望/预计 in the statement; target by the words of the figure's own
        clause, a short clause that leads it ("力争到2025年，"), or a statement opening with 要."""
        words = item.lead + "，" + item.pre
        if self.expected.any_within(statement_start, item.match.start()):
            return "expected"
        if _TARGET.search(words) or _PLAN_STATEMENT.match(self.text, statement_start):
            return "target"
        return "achieved"

    def _rank(self, pos: int, end: int) -> re.Match[str] | None:
        """``_RANK.search(text[pos:end])``. The numbers of a long clause share its end; a
        search from a later number finds what the last one found if that lies after it, so
        no stretch of the clause is searched twice."""
        searched = self.ranks.get(end)
        if searched is not None:
            since, found = searched
            if since <= pos and (found is None or found.start() >= pos):
                return found
        found = _RANK.search(self.text, pos, end)
        self.ranks[end] = (pos, found)
        return found

    def _attach_ranks(self, drafts: list[_Draft], start: int, end: int) -> None:
        """A clause that is only a rank ("，全市第一") ranks the figure before it."""
        if not drafts:
            return
        pos = start
        before = 0  # drafts[:before] start before pos (drafts are in text order)
        for brk in [*_CLAUSE_BREAK.finditer(self.text, start, end), None]:
            clause_end = brk.start() if brk else end
            clause = self.text[pos:clause_end]
            if _RANK_ONLY.fullmatch(clause):
                while before < len(drafts) and drafts[before].start < pos:
                    before += 1
                if before and drafts[before - 1].rank is None:
                    rank = _RANK.search(clause)
                    drafts[before - 1].rank = rank.group("rank") if rank else None
            pos = brk.end() if brk else end

    @staticmethod
    def _merge_milestones(drafts: list[_Draft]) -> list[_Draft]:
        """A milestone followed by the exact value of its metric ("首次突破400亿元，实现414.9亿元")
        is that value's note; a milestone alone is a figure noted as one."""
        kept: list[_Draft] = []
        for i, d in enumerate(drafts):
            nxt = drafts[i + 1] if i + 1 < len(drafts) else None
            if (
                d.milestone
                and nxt is not None
                and nxt.unit == d.unit
                and nxt.metric == d.metric
                and nxt.inherited
            ):
                nxt.notes.insert(0, d.milestone)
                continue
            if d.milestone:
                d.notes.insert(0, d.milestone)
            kept.append(d)
        return kept


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


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
    """Officials, the report's meeting and its figures, from cleaned simplified text.

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
    return Facts(officials=tuple(officials), meetings=meetings, figures=tuple(figures))
