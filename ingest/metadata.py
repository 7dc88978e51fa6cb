"""What a report says about itself: title, date, outlet, reporters, region and meeting.

Works on cleaned text in simplified script, paragraphs separated by ``"\\n"``. Pure
regular expressions, no I/O, and it never raises on odd input.

Dates
-----
Local reports write their dateline without a year (``12月23日至24日``, ``2月13日上午``,
``近日``), so the year is inferred from evidence in the text.  Each piece of evidence is
a *clue* voting for one report year with a weight; cited events also give hard *bounds*
(the report cannot predate an event it studies, nor follow one it is preparing for).

Clues (weight, kind):

* 3, ``anchor`` - a relative year tied to an absolute one: ``今年（2024年）``, ``明年是
  “十四五”规划的收官之年`` (十四五 ends 2025, so 明年 = 2025 and the report is from 2024).
* 2, ``anchor`` - the current period tied to a plan's last year: ``四季度工作关系到……“十四五”
  圆满收官`` (the report is from 2025).
* 2, ``review_plan`` - reviewing year A and planning A+1 (``总结2024年工作，部署2025年任务``):
  A when the dateline month is July or later, A+1 when it is June or earlier; without a
  month, A if the text speaks of 明年 and A+1 if it speaks of 去年.
* 2 (1 without a month), ``event`` - preparing for a dated event (``迎接党的二十大胜利召开``):
  the event's year if the dateline month is not after the event's month, else the year before.
* 1, ``event`` - studying a dated event (``学习贯彻党的二十届四中全会精神``) is a lower bound;
  it supports the winning year only when it is tight (the earliest year it allows).
* 2 / 1, ``anniversary`` - ``庆祝新中国成立75周年`` (1949 + 75); 2 after 今年是/庆祝/喜迎.
* 1, ``review_plan`` - reviewing year A alone: A+1 if the dateline month is January to March,
  A if it is October to December.
* 1, ``years`` - fallback when nothing above weighs 2 or more: the latest year reported with
  results (``2023年上半年，全区……增长``), plus one if the dateline month is January to March;
  else the year mentioned most often (ties to the later), ignoring targets (``到2035年``).

Clues outside the bounds are dropped; per year the strongest clue of each kind counts,
kinds add up, and the highest total wins (ties: the stronger single clue, then the later
year).

``date_confidence``:

* ``given`` - the source supplied the date (``date=`` argument).
* ``high`` - the dateline states the year, or at least two kinds of clue agree on the year,
  one of them weighing 2 or more, and no clue points elsewhere.
* ``medium`` - a clue weighing 2 or more supports the year and outweighs any rival.
* ``low`` - only weak clues (fallback years, a lower bound), or a contested year.
* ``none`` - no year could be inferred (``date`` and ``date_estimate`` are None).

``date`` is an ISO ``yyyy-mm-dd`` only when year, month and day are all known.
``date_estimate`` holds the best estimate at the precision known (``"2024-12-23"``,
``"2024-12"`` or ``"2024"``), and ``date_confidence`` grades that estimate: a ``近日``
report has ``date=None`` but may have ``date_estimate="2024-12"`` with ``high`` confidence.
A month for an undated report comes from bounds within the inferred year and from annual
December meetings (中央经济工作会议) cited by a report that reviews this year and plans 明年.
The event tables (congresses, plenums, five-year plans) need a line when a new event happens;
a plenum later than the table knows still counts as "after the last one known".

Other fields
------------
* ``title`` - headline lines before the lead, deduplicated (print layouts repeat the web
  title in pieces), attendance lines (``张宏义出席``) dropped, a kicker (``……上强调``) joined
  to the line after it with "：", main title and subtitle joined with "——"; without
  headlines, the lead's first sentence after outlet, byline and dateline, cut to at most 40
  characters at a clause break outside quotes.
* ``outlet`` - ``济源网讯`` → 济源网, ``新华社北京……电``, a ``来源：`` line, ``据……报道``;
  None for 本报/本台 and when absent.
* ``reporters`` - names after 记者 in a parenthesised byline or a byline line, split on
  spaces and 、, stopping at 通讯员/摄影/编辑 (those are not reporters).
* ``region`` - the place that is the subject of the lead (``黔江区召开……``), else the place
  opening the meeting's name (``宛城区三级干部会议``, ``中共嘉定区第七届……``), else the place
  most often named with an institution (``宛城区委``); the lowest level wins
  (``南阳市宛城区`` → 宛城区). A bare zone (示范区, 经开区) takes the place of a local outlet
  (济源网 → 济源示范区); nothing else is added.
* ``meeting`` - the first ``召开/举行 X会`` or ``X会（在……）召开/举行`` in the lead, then in the
  rest of the body, then ``在X会上强调`` in the headlines; as written.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date as dt_date
from typing import Literal

DateConfidence = Literal["given", "high", "medium", "low", "none"]


@dataclass(frozen=True)
class ReportMetadata:
    title: str
    date: str | None
    date_confidence: DateConfidence
    date_text: str | None
    outlet: str | None
    reporters: tuple[str, ...]
    region: str | None
    meeting: str | None
    # Best date estimate at its known precision: "yyyy-mm-dd", "yyyy-mm" or "yyyy".
    date_estimate: str | None = None


# ---------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------

_HAN = r"\u4e00-\u9fff"
# Full-width digits map one-to-one onto ASCII, so offsets stay valid after translating.
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# Sentence ends; "?" alone is left out because broken converters leave "?" residues.
_SENTENCE_END = re.compile(r"[。！？!；;]|\.(?=\s|$)")
# Where a short title may be cut.
_CLAUSE_BREAK = re.compile(r"[，,、：:；;]")
# Runs of whitespace, collapsed to one space in titles.
_WHITESPACE = re.compile(r"\s+")
# Anything but letters and digits: what containment tests ignore (spaces, "?" residues).
_NOT_WORD = re.compile(rf"[^{_HAN}A-Za-z0-9]")
_OPEN_QUOTES = "“‘《（(「『【"
_CLOSE_QUOTES = "”’》）)」』】"

# Media names end like this: 济源网, 南阳日报, 宛城区融媒体中心, 新华社, 上游新闻...
_MEDIA_SUFFIX = r"(?:网|报|台|中心|社|客户端|新闻|融媒|传媒|之声|发布|在线|频道)"
# "济源网讯" opening the lead paragraph.
_OUTLET_XUN = re.compile(rf"^\s*(?P<outlet>[{_HAN}A-Za-z0-9·]{{1,20}}?{_MEDIA_SUFFIX})讯")
# "新华社北京12月23日电": agency, place, date, 电.
_OUTLET_DIAN = re.compile(
    rf"^\s*(?P<outlet>[{_HAN}]{{2,8}}社)[{_HAN}]{{0,8}}?\d{{1,2}}月\d{{1,2}}日电"
)
# "据济源日报报道" / "据新华社消息".
_OUTLET_JU = re.compile(rf"据(?P<outlet>[{_HAN}A-Za-z0-9·]{{2,15}}?{_MEDIA_SUFFIX})(?:消息|报道)")
# "来源：宛城区融媒体中心".
_OUTLET_SOURCE = re.compile(
    r"^[^\S\n]*(?:稿件来源|信息来源|来源)[^\S\n]*[：:][^\S\n]*(?P<outlet>[^\s，。,；;|｜（(]{2,30})",
    re.M,
)
# Newsroom self-references that name no outlet.
_ANONYMOUS_OUTLETS = frozenset({"本报", "本网", "本台", "本刊", "本站", "本社"})

# What may precede the dateline in the lead: "济源网讯(记者 郑海波 王会)", "新华社北京".
_LEAD_PREFIX = re.compile(
    rf"^\s*(?:[^\s，。,（(]{{1,20}}?讯|[{_HAN}]{{2,8}}社[{_HAN}]{{0,8}}?(?=\d))?"
    r"\s*(?:[（(][^（）()\n]{0,40}[）)])?\s*"
)
# "2024年12月23日至24日下午", "12月31日至1月2日", "7月22日下午".
_DATELINE = re.compile(
    r"(?:(?P<year>(?:19|20)\d{2})年)?(?P<month>1[0-2]|0?[1-9])月(?P<day>3[01]|[12]\d|0?[1-9])日"
    r"(?:(?:至|到|—|–|－|-|~|～)(?:(?:1[0-2]|0?[1-9])月)?(?:3[01]|[12]\d|0?[1-9])日)?"
    r"(?:上午|下午|晚上|晚间|早上|早晨|中午|凌晨|傍晚|夜间|晚)?"
)
# Datelines that name no day.
_VAGUE_DATELINE = re.compile(r"近日|日前|近期|连日来|前不久|近来|今天|今日|昨天|昨日|本周|上周")

# A given (source) date: "2023-08-01 10:02:05", "2023/8/1", "2023年8月1日", "20230801".
_GIVEN_DATE = re.compile(
    r"^\s*(?P<y>\d{4})(?:[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})|(?P<m2>\d{2})(?P<d2>\d{2})(?!\d))"
)


def _compact(text: str) -> str:
    """Text without spaces, residue marks and punctuation, for containment tests."""
    return _NOT_WORD.sub("", text)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


# ---------------------------------------------------------------------------
# Layout: headline lines, then the lead paragraph
# ---------------------------------------------------------------------------

# Bylines and source notes on a line of their own ("来源：……", "融媒体记者：李仪佳、乔盈盈",
# "记者 郑海波 王会"): neither headline nor body.
_META_LINE = re.compile(
    r"^[^，。,\s（(讯]{0,8}?(?:来源|发布时间|时间|日期|作者|编辑|审核|校对|记者|通讯员|摄影)"
    r"[^\S\n]*[\s：:][^。]*$"
)
_META_LINE_MAX = 40
# Body text has sentence punctuation; headlines do not.
_SENTENCE_PUNCT = re.compile(r"[。！!；;]")
_HEADLINE_MAX = 64


def _after_lead_prefix(paragraph: str) -> str:
    """The paragraph after any "济源网讯(记者 ……)" opening."""
    match = _LEAD_PREFIX.match(paragraph)
    return paragraph[match.end() :] if match else paragraph


def _starts_with_dateline(line: str) -> bool:
    rest = _after_lead_prefix(line)
    return bool(_DATELINE.match(rest) or _VAGUE_DATELINE.match(rest))


def _is_headline(line: str) -> bool:
    return (
        len(line) <= _HEADLINE_MAX
        and not _SENTENCE_PUNCT.search(line)
        and not _OUTLET_XUN.match(line)
        and not _starts_with_dateline(line)
    )


def _split_layout(text: str) -> tuple[list[str], list[str]]:
    """(headline lines, body paragraphs); a text of headline-like lines only has no body."""
    paragraphs = [
        p for p in _paragraphs(text) if not (len(p) <= _META_LINE_MAX and _META_LINE.match(p))
    ]
    count = 0
    while count < len(paragraphs) and _is_headline(paragraphs[count]):
        count += 1
    if count == len(paragraphs):
        return [], paragraphs
    return paragraphs[:count], paragraphs[count:]


# ---------------------------------------------------------------------------
# Title
# ---------------------------------------------------------------------------

# "张宏义出席", "刘毅姚登惠出席": a line naming who attended.
_ATTENDANCE_LINE = re.compile(
    rf"^[{_HAN}·、，,\s]{{2,24}}(?:出席|参加|到会|出席会议|参加会议|出席并讲话)$"
)
# "骆高燕在……推进大会上强调": a kicker leading into the main title.
_KICKER_LINE = re.compile(r"(?:强调|指出|表示|要求|提出|寄语)$")
# What follows a dateline before the news: "电", a byline, a comma.
_AFTER_DATELINE = re.compile(r"^(?:电)?\s*(?:[（(][^（）()\n]{0,40}[）)])?\s*[，,、]?\s*")
# "据南阳日报报道，": attribution opening a lead.
_REPORTED_BY = re.compile(r"^据[^，,。]{2,15}?(?:报道|消息)[，,]\s*")
_SHORT_TITLE_MAX = 40


def _headline_title(headlines: list[str]) -> str | None:
    kept: list[str] = []
    for raw in headlines:
        line = _WHITESPACE.sub(" ", raw).strip()
        compact = _compact(line)
        if not compact or _ATTENDANCE_LINE.match(line):
            continue
        if any(compact in _compact(earlier) for earlier in kept):
            continue  # print layout repeating the web title in pieces
        kept.append(line)
    lines: list[str] = []
    index = 0
    while index < len(kept):
        line = kept[index]
        if _KICKER_LINE.search(line):
            if index + 1 < len(kept):  # "kicker：main"
                lines.append(f"{line}：{kept[index + 1]}")
                index += 1
            # a trailing kicker only repeats what the title above says
        else:
            lines.append(line)
        index += 1
    if not lines:
        return None
    return "——".join(lines[:2])


def _strip_lead_prefix(paragraph: str) -> str:
    """The lead without outlet, byline and dateline, e.g. "宛城区三级干部会议在……召开。"."""
    rest = _REPORTED_BY.sub("", _after_lead_prefix(paragraph))
    dateline = _DATELINE.match(rest) or _VAGUE_DATELINE.match(rest)
    if dateline:
        rest = rest[dateline.end() :]
        rest = _AFTER_DATELINE.sub("", rest)
    return rest.strip()


def _cut_short(sentence: str, limit: int = _SHORT_TITLE_MAX) -> str:
    """At most ``limit`` characters, cut at the last clause break outside quotes."""
    if len(sentence) <= limit:
        return sentence
    depth = 0
    best = -1
    for index, char in enumerate(sentence[: limit + 1]):
        if char in _OPEN_QUOTES:
            depth += 1
        elif char in _CLOSE_QUOTES:
            depth = max(0, depth - 1)
        elif depth == 0 and _CLAUSE_BREAK.match(char) and index > 0:
            best = index
    return sentence[:best] if best > 0 else sentence[:limit]


def _sentence_title(paragraph: str) -> str:
    rest = _strip_lead_prefix(paragraph)
    end = _SENTENCE_END.search(rest)
    sentence = (rest[: end.start()] if end else rest).strip()
    return _cut_short(_WHITESPACE.sub(" ", sentence)).strip()


def _extract_title(headlines: list[str], body: list[str]) -> str:
    from_headlines = _headline_title(headlines)
    if from_headlines:
        return from_headlines
    for paragraph in body:
        title = _sentence_title(paragraph)
        if title:
            return title
    return ""


# ---------------------------------------------------------------------------
# Outlet and reporters
# ---------------------------------------------------------------------------


def _extract_outlet(body: list[str], text: str) -> str | None:
    for paragraph in body[:2]:
        match = _OUTLET_XUN.match(paragraph) or _OUTLET_DIAN.match(paragraph)
        if match:
            outlet = match.group("outlet")
            return None if outlet in _ANONYMOUS_OUTLETS else outlet
    for pattern in (_OUTLET_SOURCE, _OUTLET_JU):
        match = pattern.search(text)
        if match and match.group("outlet") not in _ANONYMOUS_OUTLETS:
            return match.group("outlet")
    return None


# "(记者 郑海波 王会)", "（记者罗跃）", "（本报记者 张三 通讯员 李四）".
_BYLINE_PAREN = re.compile(r"[（(][^（）()\n]{0,12}?记者[\s：:]*(?P<names>[^（）()\n]{2,60})[）)]")
# "融媒体记者：李仪佳、乔盈盈" or "记者 郑海波 王会" as a line of its own.
_BYLINE_LINE = re.compile(
    r"^[^\S\n]*[^，。,：:\n]{0,10}?记者[^\S\n]*[：:\s][^\S\n]*(?P<names>[^\n]{2,40})$", re.M
)
# Where the reporters' names stop: other roles, credits, sentence punctuation.
_BYLINE_STOP = re.compile(r"通讯员|实习生|见习|摄影|摄像|编辑|校对|报道|文/|图/|[，。；;！!？?|｜]")
# "张三 摄": a photo credit after the names.
_PHOTO_CREDIT = re.compile(r"\s*摄$")
_NAME_SEPARATOR = re.compile(r"[\s、,/／]+")
# A Han personal name, or a transliterated one joined by "·".
_PERSON_NAME = re.compile(rf"^(?:[{_HAN}]{{2,4}}|[{_HAN}]{{1,6}}·[{_HAN}]{{1,8}})$")
_NOT_NAMES = frozenset({"报道", "摄影", "摄像", "供稿", "整理", "编辑"})


def _names(fragment: str) -> list[str]:
    stop = _BYLINE_STOP.search(fragment)
    if stop:
        fragment = fragment[: stop.start()]
    fragment = _PHOTO_CREDIT.sub("", fragment.strip())
    tokens = [t for t in _NAME_SEPARATOR.split(fragment) if t]
    return [t for t in tokens if _PERSON_NAME.match(t) and t not in _NOT_NAMES]


def _extract_reporters(text: str) -> tuple[str, ...]:
    found: list[str] = []
    for pattern in (_BYLINE_PAREN, _BYLINE_LINE):
        for match in pattern.finditer(text):
            found.extend(_names(match.group("names")))
    return tuple(dict.fromkeys(found))


# ---------------------------------------------------------------------------
# Meeting
# ---------------------------------------------------------------------------

_MEETING_WORD = r"(?:会议|大会|全会|会|论坛)"
_NAME_CHARS = r"[^，。；,;：:！？!?\s]"
_NAME_END = r"(?=[，。；,;：:！？!?\s]|并|$)"
# "主持召开示范区党工委专题会议，", "黔江区召开渝鄂湘黔……推进大会，".
_MEETING_AFTER_VERB = re.compile(
    rf"(?:召开|举行|举办)了?(?P<name>{_NAME_CHARS}{{3,80}}?{_MEETING_WORD}){_NAME_END}"
)
# "宛城区三级干部会议在区会议中心召开", "中共嘉定区第七届委员会第九次全体会议举行".
_MEETING_BEFORE_VERB = re.compile(
    rf"(?:^|(?<=[，。；,;：:\s]))(?P<name>{_NAME_CHARS}{{3,80}}?{_MEETING_WORD})"
    rf"(?:在[^，。；,;\n]{{1,20}}?)?(?:隆重|顺利|正式)?(?:召开|举行|开幕|闭幕)"
)
# "骆高燕在……推进大会上强调".
_MEETING_AT = re.compile(
    rf"在(?P<name>{_NAME_CHARS}{{3,60}}?{_MEETING_WORD})上(?:强调|指出|表示|讲话|发言|要求)"
)
# Names too generic to identify a meeting.
_GENERIC_MEETINGS = frozenset({"会议", "大会", "专题会议", "全体会议", "座谈会"})


def _first_meeting(text: str, patterns: Iterable[re.Pattern[str]]) -> str | None:
    best: tuple[int, str] | None = None
    for pattern in patterns:
        for match in pattern.finditer(text):
            name = match.group("name")
            if name in _GENERIC_MEETINGS or name.startswith(("了", "的", "在")):
                continue
            if best is None or match.start() < best[0]:
                best = (match.start(), name)
            break
    return best[1] if best else None


def _extract_meeting(headlines: list[str], body: list[str]) -> str | None:
    verbs = (_MEETING_AFTER_VERB, _MEETING_BEFORE_VERB)
    for block in (body[:1], body[1:]):
        found = _first_meeting("\n".join(block), verbs)
        if found:
            return found
    return _first_meeting("\n".join(headlines), (*verbs, _MEETING_AT))


# ---------------------------------------------------------------------------
# Region
# ---------------------------------------------------------------------------

# Development zones etc. whose name says what they are but not where.
_GENERIC_UNITS = ("示范区", "经开区", "高新区", "开发区", "自贸区", "保税区", "综保区", "度假区")
_ADMIN_SUFFIX = "(?:" + "|".join(_GENERIC_UNITS) + r"|新区|自治县|自治州|区|县|市|旗)"
# One administrative name: a short stem and a suffix ("宛城区", "上海市", "经开区").
_PLACE = re.compile(rf"(?P<stem>[{_HAN}]{{1,5}}?){_ADMIN_SUFFIX}")
# Stems that are words, not places ("全区", "在区", "中心城区", "武陵山区").
_NOT_STEM_START = "全本各该我这那此在和与及对把被由从向为是受"
_GENERIC_PLACES = frozenset(
    "城区 山区 社区 园区 辖区 片区 景区 街区 小区 市区 郊区 "
    "城市 湾区 老区 新区 都市 超市 地区 灾区 林区 矿区 校区".split()
)
# Generic words that also end longer non-places ("中心城区", "转型城市").
_GENERIC_ENDINGS = frozenset("城区 城市 社区 园区 景区 片区 小区 街区 辖区".split())
# Party prefix before a place: "中共嘉定区……", "中国共产党上海市嘉定区……".
_PARTY_PREFIX = re.compile(r"^(?:中国共产党|中共)")
# "黔江区召开……": a place as the subject of the lead.
_PLACE_SUBJECT = re.compile(rf"(?:^|(?<=[，,。\s]))(?P<place>[{_HAN}]{{2,12}}?)(?:召开|举行|举办)")
# A place followed by one of its institutions, right after punctuation: "，宛城区委书记".
_PLACE_CUE = re.compile(
    rf"(?:^|(?<=[，。；、,;：:\s“（(]))(?:中共)?(?P<place>[{_HAN}]{{2,12}}?)"
    r"(?:党工委|管委会|人民政府|政府|人大|政协|委)"
)
# "济源网" → "济源": an outlet named after its place.
_OUTLET_PLACE = re.compile(
    rf"^(?P<stem>[{_HAN}]{{2,4}}?)(?:日报社|日报|晚报|新闻网|网|广播电视台|电视台|融媒体中心|融媒|发布|报)$"
)
# National media, whose names are not places.
_NATIONAL_MEDIA = frozenset(
    {"人民", "新华", "央视", "中新", "中国", "光明", "澎湃", "环球", "经济", "法治", "工人", "参考"}
)


def _valid_place(name: str, stem: str) -> bool:
    if name in _GENERIC_UNITS:
        return True
    if name in _GENERIC_PLACES or stem[0] in _NOT_STEM_START:
        return False
    if name[-2:] in _GENERIC_ENDINGS and len(stem) > 2:  # "中心城区"
        return False
    return len(stem) >= 2 or name.endswith("县")


def _lowest_place(fragment: str) -> str | None:
    """The most local place opening ``fragment``: "上海市嘉定区第七届……" → "嘉定区"."""
    rest = _PARTY_PREFIX.sub("", fragment)
    found: str | None = None
    while True:
        match = _PLACE.match(rest)
        if not match or not _valid_place(match.group(0), match.group("stem")):
            return found
        found = match.group(0)
        rest = rest[match.end() :]


def _qualify(region: str, outlet: str | None) -> str:
    """A bare development zone takes the place its outlet is named after: 济源 + 示范区."""
    if region not in _GENERIC_UNITS or not outlet:
        return region
    match = _OUTLET_PLACE.match(outlet)
    if not match or match.group("stem") in _NATIONAL_MEDIA:
        return region
    return match.group("stem") + region


def _extract_region(lead: str, meeting: str | None, text: str, outlet: str | None) -> str | None:
    candidates: list[str] = []
    for match in _PLACE_SUBJECT.finditer(lead):
        place = _lowest_place(match.group("place"))
        if place and place == match.group("place")[-len(place) :]:
            candidates.append(place)
            break
    if meeting:
        place = _lowest_place(meeting)
        if place:
            candidates.append(place)
    if not candidates:
        counts: Counter[str] = Counter()
        for match in _PLACE_CUE.finditer(text):
            place = _lowest_place(match.group("place"))
            if place:
                counts[place] += 1
        candidates.extend(name for name, _ in counts.most_common(1))
    return _qualify(candidates[0], outlet) if candidates else None


# ---------------------------------------------------------------------------
# Dateline
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Dateline:
    text: str
    year: int | None
    month: int | None
    day: int | None


def _dateline_from(match: re.Match[str]) -> _Dateline:
    year = int(match.group("year")) if match.group("year") else None
    return _Dateline(match.group(0), year, int(match.group("month")), int(match.group("day")))


def _match_dateline(paragraph: str) -> _Dateline | None:
    rest = _after_lead_prefix(paragraph)
    match = _DATELINE.match(rest)
    if match:
        return _dateline_from(match)
    vague = _VAGUE_DATELINE.match(rest)
    if vague:
        return _Dateline(vague.group(0), None, None, None)
    return None


def _find_dateline(body: list[str]) -> _Dateline | None:
    """The dateline opening one of the first paragraphs, else a date in the first sentence."""
    for paragraph in body[:3]:
        found = _match_dateline(paragraph)
        if found:
            return found
    if body:
        end = _SENTENCE_END.search(body[0])
        first_sentence = body[0][: end.start()] if end else body[0]
        match = _DATELINE.search(first_sentence)
        if match:
            return _dateline_from(match)
    return None


def _normalise_given_date(value: str | None) -> str | None:
    """A source date as ISO ("2023-08-01 10:02:05" → "2023-08-01"), None if not a real date."""
    if not value:
        return None
    match = _GIVEN_DATE.match(value.translate(_FULLWIDTH_DIGITS))
    if not match:
        return None
    month = match.group("m") or match.group("m2")
    day = match.group("d") or match.group("d2")
    return _iso(int(match.group("y")), int(month), int(day))


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt_date(year, month, day).isoformat()
    except ValueError:
        return None


# ---------------------------------------------------------------------------
# Year inference: dated events and clues
# ---------------------------------------------------------------------------

# Party congresses: number → (year, month) held.
_CONGRESSES: dict[int, tuple[int, int]] = {
    16: (2002, 11),
    17: (2007, 10),
    18: (2012, 11),
    19: (2017, 10),
    20: (2022, 10),
}
# Plenary sessions of each Central Committee, first to last: (year, month) held.
_PLENUM_DATES: dict[int, tuple[tuple[int, int], ...]] = {
    18: ((2012, 11), (2013, 2), (2013, 11), (2014, 10), (2015, 10), (2016, 10), (2017, 10)),
    19: ((2017, 10), (2018, 1), (2018, 2), (2019, 10), (2020, 10), (2021, 11), (2022, 10)),
    20: ((2022, 10), (2023, 2), (2024, 7), (2025, 10)),
}
# Five-year plans: ordinal → (first year, last year).
_PLANS: dict[int, tuple[int, int]] = {
    11: (2006, 2010),
    12: (2011, 2015),
    13: (2016, 2020),
    14: (2021, 2025),
    15: (2026, 2030),
    16: (2031, 2035),
}
# Anniversaries counted from a founding year.
_ANNIVERSARY_BASES: dict[str, int] = {
    "新中国成立": 1949,
    "中华人民共和国成立": 1949,
    "建党": 1921,
    "中国共产党成立": 1921,
    "改革开放": 1978,
    "抗战胜利": 1945,
    "抗日战争胜利": 1945,
    "建军": 1927,
}
# Meetings held every year in a known month: (name, month).
_ANNUAL_MEETINGS: tuple[tuple[str, int], ...] = (("中央经济工作会议", 12), ("中央农村工作会议", 12))

_CN_NUMERAL = "[一二三四五六七八九十百零两]"
_CN_DIGITS = "零一二三四五六七八九"
# "党的二十大", "十九大".
_CONGRESS = re.compile(r"(?P<n>十[六七八九]|二十)大")
# "二十届四中全会", "二十届二中、三中全会".
_PLENUM = re.compile(
    r"(?P<n>十[八九]|二十)届(?P<sessions>(?:[一二三四五六七八九]中(?:全会)?[、，,和及与]?)+)"
)
_PLENUM_SESSION = re.compile(r"([一二三四五六七八九])中")
# Words before an event that mean it is still to come: "迎接党的二十大胜利召开".
_BEFORE_EVENT = re.compile(r"(?:迎接|喜迎|筹备|即将召开|召开前夕)[^。；;，,]{0,6}$")
_AFTER_EVENT_TO_COME = re.compile(r"^[^。；;，,]{0,6}(?:即将召开|召开前夕)")
# "今年（2024年）", "明年2025年".
_REL_YEAR_EXPLICIT = re.compile(
    r"(?P<rel>今年|明年|去年)(?:[（(](?P<y>(?:19|20)\d{2})年?[）)]|(?P<y2>(?:19|20)\d{2})年)"
)
# Within a sentence, not crossing another relative year (so 明年 binds to its own plan).
_SAME_SPAN = r"(?:(?!今年|明年|去年)[^。；;])"
# "明年是实施“十四五”规划的收官之年".
_REL_YEAR_PLAN = re.compile(
    rf"(?P<rel>今年|明年|去年)(?:是|为|将是)?{_SAME_SPAN}{{0,16}}?(?P<plan>十[一二三四五六]五)"
    rf"{_SAME_SPAN}{{0,8}}?(?P<phase>收官|开局|起步|开篇|最后一年|第一年|首年)"
)
# "四季度工作关系到……“十四五”圆满收官": the current quarter tied to a plan's last year.
_PERIOD_PLAN_END = re.compile(
    rf"(?:第?四季度|年底|年末|岁末){_SAME_SPAN}{{0,20}}?(?P<plan>十[一二三四五六]五)"
    rf"{_SAME_SPAN}{{0,6}}?收官"
)
# Review of a year: "总结2024年工作", "2024年工作完成情况".
_REVIEW_YEAR = re.compile(
    r"(?:总结|回顾|盘点|回眸)[^。；;，,]{0,8}?(?P<y>(?:19|20)\d{2})年"
    r"|(?P<y2>(?:19|20)\d{2})年度?[^。；;，,]{0,6}?(?:完成情况|工作总结|工作回顾)"
)
# Plan for a year: "部署2025年任务", "2025年工作谋划".
_PLAN_YEAR = re.compile(
    r"(?:部署|谋划|安排|规划|展望)[^。；;，,]{0,8}?(?P<y>(?:19|20)\d{2})年"
    r"|(?P<y2>(?:19|20)\d{2})年度?[^。；;，,]{0,6}?(?:谋划|计划|工作要点|目标任务)"
)
# "庆祝新中国成立75周年", "建党一百周年".
_ANNIVERSARY = re.compile(
    "(?P<base>" + "|".join(_ANNIVERSARY_BASES) + rf")(?P<n>\d{{1,3}}|{_CN_NUMERAL}{{1,4}})周年"
)
# An explicit year just before an anniversary dates that year, not the report.
_YEAR_NEARBY = re.compile(r"\d{4}年")
_ANNIVERSARY_STRONG = re.compile(r"(?:今年是|庆祝|喜迎|纪念)[^。；;，,]{0,4}$")
# An explicit year; not the end of a range ("2021—2025年") nor part of a longer number.
_EXPLICIT_YEAR = re.compile(r"(?<![\d—–\-~～])(?P<y>(?:19|20)\d{2})年(?!\d)")
# Targets are not the report's year: "到2035年", "2030年前", "2035年远景目标" (but
# "截至2024年底" looks back).
_TARGET_BEFORE = re.compile(r"(?:(?<!截)到|(?<!截)至|力争|预计|计划)$")
_TARGET_AFTER = re.compile(r"^(?:前|以前|远景|左右)")
# "2024年，全区生产总值……增长5.7%", "2023年上半年……实现": a year with results.
_ACHIEVED = re.compile(r"^[^。；;]{0,24}?(?:实现|完成|增长|突破|达到|累计|同比|下降|新增)")
_EARLY_MONTH = 3  # annual results of year A are reported up to March of A+1
_LATE_MONTH = 7  # from July on, a report reviewing year A and planning A+1 is from A
_YEAR_END_MONTH = 10  # from October on, a review of year A alone is a year-end review


@dataclass(frozen=True)
class _Clue:
    year: int
    weight: int
    kind: str


@dataclass
class _Evidence:
    clues: list[_Clue]
    floors: list[tuple[int, int]]  # the report is not before these (year, month)
    ceilings: list[tuple[int, int]]  # the report is not after these (year, month)
    year_end: bool  # the report reviews its own year and plans 明年


def _cn_number(token: str) -> int | None:
    """Arabic or Chinese numerals below 1000: "75", "七十五", "一百" → int."""
    if token.isdigit():
        return int(token)
    total, current = 0, 0
    for char in token.replace("两", "二"):
        if char in _CN_DIGITS:
            current = _CN_DIGITS.index(char)
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def _ordinal(token: str) -> int:
    """Ordinals of congresses and plans: "十四" → 14, "二十" → 20."""
    return _cn_number(token) or 0


@dataclass(frozen=True)
class _EventMention:
    year: int
    month: int
    position: int
    exact: bool  # False: a session later than the table knows, held after (year, month)


def _event_mentions(text: str) -> list[_EventMention]:
    """Every dated congress or plenum mentioned."""
    found: list[_EventMention] = []
    for match in _CONGRESS.finditer(text):
        held = _CONGRESSES.get(_ordinal(match.group("n")))
        if held:
            found.append(_EventMention(*held, match.start(), True))
    for match in _PLENUM.finditer(text):
        sessions = _PLENUM_DATES.get(_ordinal(match.group("n")), ())
        for session in _PLENUM_SESSION.findall(match.group("sessions")):
            number = _ordinal(session)
            if 1 <= number <= len(sessions):
                found.append(_EventMention(*sessions[number - 1], match.start(), True))
            elif sessions and number > len(sessions):
                found.append(_EventMention(*sessions[-1], match.start(), False))
    return found


def _event_evidence(text: str, month: int | None, evidence: _Evidence) -> None:
    for mention in _event_mentions(text):
        year, held_month, position = mention.year, mention.month, mention.position
        before = _BEFORE_EVENT.search(text[max(0, position - 12) : position])
        after = _AFTER_EVENT_TO_COME.search(text[position : position + 16])
        if not mention.exact:
            if not (before or after):
                evidence.floors.append((year, held_month))
        elif before or after:
            evidence.ceilings.append((year, held_month))
            if month is None:
                evidence.clues.append(_Clue(year, 1, "event"))
            else:
                evidence.clues.append(_Clue(year if month <= held_month else year - 1, 2, "event"))
        else:
            evidence.floors.append((year, held_month))


def _plan_year(plan: str, phase: str) -> int | None:
    span = _PLANS.get(_ordinal(plan[:-1]))
    if not span:
        return None
    return span[1] if phase in ("收官", "最后一年") else span[0]


def _anchor_evidence(text: str, evidence: _Evidence) -> None:
    offsets = {"今年": 0, "明年": 1, "去年": -1}
    for match in _REL_YEAR_EXPLICIT.finditer(text):
        offset = offsets[match.group("rel")]
        year = int(match.group("y") or match.group("y2"))
        evidence.clues.append(_Clue(year - offset, 3, "anchor"))
        evidence.year_end |= offset == 1
    for match in _REL_YEAR_PLAN.finditer(text):
        phase_year = _plan_year(match.group("plan"), match.group("phase"))
        if phase_year:
            offset = offsets[match.group("rel")]
            evidence.clues.append(_Clue(phase_year - offset, 3, "anchor"))
            evidence.year_end |= offset == 1
    for match in _PERIOD_PLAN_END.finditer(text):
        end_year = _plan_year(match.group("plan"), "收官")
        if end_year:
            evidence.clues.append(_Clue(end_year, 2, "anchor"))


def _years(pattern: re.Pattern[str], text: str) -> set[int]:
    return {int(m.group("y") or m.group("y2")) for m in pattern.finditer(text)}


def _review_only_evidence(reviewed: set[int], month: int | None, evidence: _Evidence) -> None:
    """A review of year A without a plan for A+1: A+1 early in the year, A late in it."""
    if not reviewed or month is None or _EARLY_MONTH < month < _YEAR_END_MONTH:
        return
    year = max(reviewed)
    evidence.clues.append(_Clue(year + 1 if month <= _EARLY_MONTH else year, 1, "review_plan"))


def _review_plan_evidence(text: str, month: int | None, evidence: _Evidence) -> None:
    reviewed = _years(_REVIEW_YEAR, text)
    planned = _years(_PLAN_YEAR, text)
    pairs = sorted(year for year in reviewed if year + 1 in planned)
    if not pairs:
        _review_only_evidence(reviewed, month, evidence)
        return
    year = pairs[-1]
    if month is not None:
        late = month >= _LATE_MONTH
    elif ("明年" in text) != ("去年" in text):
        late = "明年" in text
    else:
        return
    evidence.clues.append(_Clue(year if late else year + 1, 2, "review_plan"))
    evidence.year_end |= late


def _anniversary_evidence(text: str, evidence: _Evidence) -> None:
    for match in _ANNIVERSARY.finditer(text):
        count = _cn_number(match.group("n"))
        preceding = text[max(0, match.start() - 8) : match.start()]
        if not count or _YEAR_NEARBY.search(preceding):
            continue  # "2024年是新中国成立75周年" dates a year, not the report
        weight = 2 if _ANNIVERSARY_STRONG.search(preceding) else 1
        evidence.clues.append(
            _Clue(_ANNIVERSARY_BASES[match.group("base")] + count, weight, "anniversary")
        )


def _explicit_years(text: str) -> tuple[Counter[int], set[int]]:
    """(how often each non-target year is mentioned, the years reported with results)."""
    counts: Counter[int] = Counter()
    achieved: set[int] = set()
    for match in _EXPLICIT_YEAR.finditer(text):
        before = text[max(0, match.start() - 2) : match.start()]
        after = text[match.end() : match.end() + 30]
        if _TARGET_BEFORE.search(before) or _TARGET_AFTER.match(after):
            continue
        year = int(match.group("y"))
        counts[year] += 1
        if _ACHIEVED.match(after):
            achieved.add(year)
    return counts, achieved


def _fallback_year(text: str, month: int | None) -> int | None:
    """The latest year with results (the next one if the dateline is in its first quarter),
    else the year mentioned most often (ties to the later)."""
    counts, achieved = _explicit_years(text)
    if achieved:
        year = max(achieved)
        return year + 1 if month is not None and month <= _EARLY_MONTH else year
    if counts:
        return max(counts, key=lambda y: (counts[y], y))
    return None


def _gather_evidence(text: str, month: int | None) -> _Evidence:
    evidence = _Evidence([], [], [], False)
    _anchor_evidence(text, evidence)
    _review_plan_evidence(text, month, evidence)
    _event_evidence(text, month, evidence)
    _anniversary_evidence(text, evidence)
    if not any(clue.weight >= 2 for clue in evidence.clues):
        year = _fallback_year(text, month)
        if year is not None:
            evidence.clues.append(_Clue(year, 1, "years"))
    return evidence


def _within_bounds(year: int, month: int | None, evidence: _Evidence) -> bool:
    low = (year, month or 12)
    high = (year, month or 1)
    return all(low >= floor for floor in evidence.floors) and all(
        high <= ceiling for ceiling in evidence.ceilings
    )


def _floor_year(month: int | None, evidence: _Evidence) -> int | None:
    """The earliest report year the studied events allow."""
    if not evidence.floors:
        return None
    year, floor_month = max(evidence.floors)
    return year if month is None or month >= floor_month else year + 1


def _scores(clues: list[_Clue]) -> dict[int, dict[str, int]]:
    """year → kind → strongest weight of that kind."""
    table: dict[int, dict[str, int]] = {}
    for clue in clues:
        kinds = table.setdefault(clue.year, {})
        kinds[clue.kind] = max(kinds.get(clue.kind, 0), clue.weight)
    return table


@dataclass(frozen=True)
class _YearGuess:
    year: int | None
    confidence: DateConfidence
    year_end: bool  # the report reviews its own year and plans 明年
    floors: tuple[tuple[int, int], ...]  # (year, month) of the events it studies


def _infer_year(text: str, month: int | None) -> _YearGuess:
    """The report's year from the text, for a dateline with ``month`` (or none)."""
    evidence = _gather_evidence(text, month)
    floors = tuple(evidence.floors)
    clues = [c for c in evidence.clues if _within_bounds(c.year, month, evidence)]
    floor = _floor_year(month, evidence)
    table = _scores(clues)
    if not table:
        if floor is None or not _within_bounds(floor, month, evidence):
            return _YearGuess(None, "none", False, floors)
        return _YearGuess(floor, "low", evidence.year_end, floors)
    year = max(table, key=lambda y: (sum(table[y].values()), max(table[y].values()), y))
    if floor == year:
        table[year].setdefault("event", 1)  # a tight lower bound agrees
    kinds = table[year]
    score = sum(kinds.values())
    rival = max((sum(k.values()) for y, k in table.items() if y != year), default=0)
    strong = max(kinds.values()) >= 2
    confidence: DateConfidence
    if strong and rival == 0 and len(kinds) >= 2:
        confidence = "high"
    elif strong and score > rival:
        confidence = "medium"
    else:
        confidence = "low"
    return _YearGuess(year, confidence, evidence.year_end, floors)


def _infer_month(text: str, guess: _YearGuess) -> int | None:
    """A month for an undated report: December if it reviews its year, plans 明年 and cites
    a meeting held every December; otherwise only when studied events pin it down."""
    low = max((m for y, m in guess.floors if y == guess.year), default=1)
    if guess.year_end:
        for name, held_month in _ANNUAL_MEETINGS:
            if name in text:
                low = max(low, held_month)
    return 12 if low == 12 else None


@dataclass(frozen=True)
class _DateResult:
    date: str | None
    confidence: DateConfidence
    text: str | None
    estimate: str | None


def _extract_date(text: str, body: list[str], given: str | None) -> _DateResult:
    dateline = _find_dateline(body)
    date_text = dateline.text if dateline else None
    normalised = _normalise_given_date(given)
    if normalised:
        return _DateResult(normalised, "given", date_text, normalised)
    month = dateline.month if dateline else None
    if dateline and dateline.year:
        guess = _YearGuess(dateline.year, "high", False, ())
    else:
        guess = _infer_year(text, month)
    year = guess.year
    if year is None:
        return _DateResult(None, "none", date_text, None)
    if dateline and dateline.month and dateline.day:
        full = _iso(year, dateline.month, dateline.day)
        estimate = full or f"{year:04d}-{dateline.month:02d}"
        return _DateResult(full, guess.confidence, date_text, estimate)
    inferred_month = _infer_month(text, guess)
    estimate = f"{year:04d}-{inferred_month:02d}" if inferred_month else f"{year:04d}"
    return _DateResult(None, guess.confidence, date_text, estimate)


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def extract_metadata(
    text: str, *, title: str | None = None, date: str | None = None
) -> ReportMetadata:
    """Metadata of one cleaned, simplified report; ``title``/``date`` from the source win."""
    text = (text or "").translate(_FULLWIDTH_DIGITS)
    headlines, body = _split_layout(text)
    body_text = "\n".join(body)
    given_title = (title or "").strip()
    outlet = _extract_outlet(body, text)
    meeting = _extract_meeting(headlines, body)
    dated = _extract_date(text, body, date)
    return ReportMetadata(
        title=given_title or _extract_title(headlines, body),
        date=dated.date,
        date_confidence=dated.confidence,
        date_text=dated.text,
        outlet=outlet,
        reporters=_extract_reporters(text),
        region=_extract_region(body[0] if body else "", meeting, body_text, outlet),
        meeting=meeting,
        date_estimate=dated.estimate,
    )
