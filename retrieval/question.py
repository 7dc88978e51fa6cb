"""Understanding a question: its script, its kind, its places and years, its terms."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

from ingest.script import Script, detect_script, to_simplified
from retrieval.asking import Expected, expected_answer
from retrieval.english import Lexicon, PinyinIndex
from retrieval.glossary import GLOSSARY, PLACE_SUFFIXES, SYNONYMS
from retrieval.lexical import STOP_WORDS, Tokenizer
from retrieval.relative_time import TimeBasis, has_relative, read_relative

logger = logging.getLogger(__name__)

QType = Literal["figure", "person", "role", "date", "place", "list", "concept"]

# Kinds of question, checked in this order on the simplified (or English) text.
_KIND_PATTERNS: list[tuple[QType, re.Pattern[str]]] = [
    (
        "date",
        re.compile(
            r"哪天|哪一天|何时|什么时候|几月几日|日期|^\W*when\b|\bsince when\b|\bwhat dates?\b|"
            r"\bwhich days?\b|\bwhich dates\b|\b(?:what|which) (?:year|month)\b"
        ),
    ),
    ("place", re.compile(r"在哪|哪里|哪儿|什么地方|何地|地点|\bwhere\b|\bwhich venue\b")),
    (
        "role",
        re.compile(
            r"职务|职位|担任什么|什么职|头衔|"
            r"\bwhat (?:is|was) the (?:title|position)|\bpositions?\b|\btitles?\b|"
            r"\bwhat (?:posts?|roles?)\b"
        ),
    ),
    (
        "list",
        re.compile(
            r"哪些|列出|所有|都有谁|有谁|\blist\b|"
            r"\bwhich (?:officials|meetings|leaders|reports)\b|\ball\b"
        ),
    ),
    ("person", re.compile(r"谁|\bwho\b|\bwhom\b")),
    (
        "figure",
        re.compile(
            r"多少|几[个项家条次亿万%]|增速|增幅|增长率|总额|总值|比重|\bhow (?:much|many)\b|"
            r"\brate\b|\bgdp\b|\bpercent|\bnumber of\b|\bvalue\b|什么台阶|"
            r"\bhow (?:fast|long|far|large|big|high)\b|\bwhat (?:level|amount|threshold)\b"
        ),
    ),
]
_YEAR_ZH = re.compile(r"((?:19|20)\d{2})\s*年")
_YEAR_EN = re.compile(r"\b((?:19|20)\d{2})\b")
_TARGET = re.compile(
    r"目标|计划|预计|预期|力争|争取|要求达到|\btarget|\bgoal|\bplan|\bexpect|\baim"
)
_PLACE_SUFFIX = re.compile(
    r"(示范区|经开区|开发区|高新区|新区|街道|自治州|自治县|省|市|区|县|镇|乡|村)$"
)
# Words that end like a place but name none (全区 = "the whole district").
_NOT_PLACES = frozenset(
    "全区 全市 全县 全省 全镇 城区 市区 辖区 社区 园区 片区 景区 小区 地区 山区 郊区 新区 "
    "示范区 经开区 开发区 高新区 街道 城市 本市 本区 该区 该市 各区 各县 各市 农村 乡村".split()
)
# Words too common in these reports to tell sentences apart.
_GENERIC = frozenset(
    "地区 全区 全市 全县 工作 情况 方面 问题 有关 相关 进行 开展 推进 加强 方面 一步 进一步 "
    "全面 重要 主要 今年 去年 明年 全年 年度".split()
)
_ENGLISH_STOP = frozenset(
    "a an the of in on at to for from by with about as and or is are was were be been being "
    "do does did what which who whom whose when where why how many much that this these those "
    "it its their his her they he she there has have had will would can could should please "
    "tell me us according any all some year years little total after before new more most "
    "also other than into over under between during since while per each every both "
    "said took went go through".split()
)
# Particles of phrasal verbs ("made up", "carried out"): no term once the phrase is read.
_PARTICLES = frozenset("up out off".split())
# Glossary words that are also a name's syllable: "UN", not the Un of Kim Jong Un.
_UPPER_ONLY = {"un": re.compile(r"\bUN\b|\bU\.N\.")}
_ENGLISH_WORD = re.compile(r"[a-z][a-z\-]*(?:'[a-z]+)?")
# Words that ask rather than say: removed before a question is matched against text.
_ASKING = re.compile(
    r"是什么样的?|什么样的?|是什么|是多少|有多少|多少|什么|哪些|哪个|哪一天|哪天|哪里|哪儿|"
    r"都有谁|是谁|谁|是否|请问|怎样|怎么|如何|为什么|多长时间|多久|几月几日|"
    r"提到了?|提及|涉及|讲到|说到|担任|职务|职位|头衔|列出|所有|由|吗|呢|吧"
)
_QUOTED = re.compile(r"[“\"「『《]([^”\"」』》]{2,30})[”\"」』》]")
_TITLE_WORD = re.compile(r"书记|长$|主任|主席|委员|常委|部长|领导")
_PUNCT_OR_SPACE = re.compile(r"[\s，。、；：？！,.;:?!（）()“”\"'「」『』《》]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_HAN_WORD = re.compile(r"[\u4e00-\u9fff]+")
_POINTING = frozenset("这那该本此每各其某哪几")
_EN_PLACE_WORD = (
    r"(?:District|County|City|Province|Town|Township|Village|Prefecture|Municipality)\b"
)
_EN_PLACE = re.compile(rf"\b([A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)(?:'s)? {_EN_PLACE_WORD}")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_EN_DATE = re.compile(
    r"\b(january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?(?:\s+(\d{1,2})(?:st|nd|rd|th)?"
    r"(?:\s*(?:-|–|to|and)\s*\d{1,2}(?:st|nd|rd|th)?)?)?\b(?!\s*\d{4}\b(?:\s*-))"
)


@dataclass(frozen=True)
class Term:
    """One thing the question asks about, in any of its written forms."""

    forms: tuple[str, ...]
    weight: float
    # Written like a name (of a person, a place, a company): Chinese characters that are
    # no dictionary word of another kind. A name no report holds makes the question
    # one the reports cannot answer.
    name: bool = False


@dataclass(frozen=True)
class Query:
    """A question, analysed once and used by the retriever and the answerer."""

    text: str
    script: Script
    index_text: str
    qtype: QType
    years: tuple[str, ...]
    wants_target: bool
    places: tuple[str, ...]
    terms: tuple[str, ...]  # lexical search tokens
    groups: tuple[Term, ...] = ()  # what an answering sentence should contain
    expected: Expected = field(default_factory=lambda: Expected("phrase"))  # the answer's kind
    # The places an answering report must name: written as places (宛城区, 上海市), not
    # words a dictionary merely tags as one (长度, 嘉宾, 大桥), which only favour.
    must_name: tuple[str, ...] = ()
    # 今年/去年/latest as read against the as-of date (None: the question has none)
    time_basis: TimeBasis | None = None
    # An English question's names of places (a reading jieba knows as one, or a name
    # written before District/City …), each with all its Chinese readings ("Wuhan":
    # 武汉, 吴晗 …), certain or not: a comparison keeps the readings that are places.
    readings: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def dense_text(self) -> str:
        """What is embedded: simplified Chinese, or the English as asked."""
        return self.text.strip() if self.script == "en" else self.index_text


class QuestionAnalyzer:
    """Turns a question into a :class:`Query`; holds jieba and the pinyin index."""

    def __init__(
        self,
        tokenizer: Tokenizer,
        pinyin: PinyinIndex | None = None,
        lexicon: Lexicon | None = None,
        now: Callable[[], date | None] = lambda: None,
    ) -> None:
        """``now``: the date relative years (今年, last year) are read against."""
        self.tokenizer = tokenizer
        self.pinyin = pinyin
        self.lexicon = lexicon
        self.now = now

    def analyze(self, question: str) -> Query:
        script = detect_script(question)
        simplified = to_simplified(question.strip())
        lowered = simplified.lower()
        qtype = _kind(lowered)
        if script == "en":
            groups, places, readings = self._english_groups(lowered, question)
            required = places
            terms = tuple(dict.fromkeys(f for g in groups for f in g.forms))
            years = tuple(_YEAR_EN.findall(lowered))
        else:
            groups = self._chinese_groups(lowered)
            terms = tuple(dict.fromkeys(self.tokenizer.tokens(_ASKING.sub(" ", lowered))))
            places, required = self._places(simplified)
            years = tuple(_YEAR_ZH.findall(lowered))
            readings = ()
        # 去年, "last year": a year when the question names none (over stored reports,
        # read against the as-of date), and the basis the answer states.
        basis = read_relative(lowered, self.now()) if has_relative(lowered) else None
        if basis is not None and years:
            # "2024年比去年…": the year is written; 去年 is read from it, not from now
            basis = replace(basis, words=(), years=(), offsets=()) if basis.latest else None
        if basis is not None and basis.words:
            years = basis.unique_years
        elif basis is not None and basis.window is not None:
            years = (str(basis.window[0].year),)
        return Query(
            text=question,
            script=script,
            index_text=simplified,
            qtype=qtype,
            years=years,
            wants_target=bool(_TARGET.search(lowered)),
            places=places,
            terms=terms,
            groups=groups,
            must_name=required,
            expected=self._expected(question.strip() if script == "en" else simplified, script),
            time_basis=basis,
            readings=readings,
        )

    def _expected(self, question: str, script: Script) -> Expected:
        expected = expected_answer(question, english=script == "en")
        if script != "en" and expected.kind == "number" and expected.unit and expected.right:
            expected = replace(expected, noun=self._counted(expected.right))
        return expected

    def _counted(self, after: str) -> str:
        """What "多少个国家参赛" counts: the nouns right after the measure word, when a
        verb, preposition or the end follows them — not 城市 of "多少项城市单要素模型",
        高品质 of "高品质的小院" or 国家 of "国家和地区"."""
        words = self.tokenizer.words(after)
        tags = [self.tokenizer.tags.get(w, "") for w in words]
        size = next((i for i, tag in enumerate(tags) if not tag.startswith("n")), len(words))
        if size == len(words) or tags[size][:1] in ("v", "p", "d", "r"):
            return "".join(words[:size])
        return ""

    def _chinese_groups(self, lowered: str) -> tuple[Term, ...]:
        """Content words of a Chinese question (quoted phrases kept whole)."""
        groups: list[Term] = [Term((q,), _weight(q)) for q in _QUOTED.findall(lowered)]
        rest = _ASKING.sub(" ", _QUOTED.sub(" ", lowered))
        for segment in _PUNCT_OR_SPACE.split(rest):
            words = self.tokenizer.words(segment)
            for run in _single_runs(words, self.tokenizer.rare):
                # 璟 曦: characters jieba could not join are a name it does not know.
                groups.append(Term((run,), _weight(run), self._name_like(run)))
            for word in _compounds(words):
                if word in STOP_WORDS or (len(word) == 1 and not word.isdigit()):
                    continue
                if word in SYNONYMS or word in GLOSSARY or word in _FORMS_OF:
                    # 强调 ~ 指出; "GDP" in Chinese; 地区生产总值 ~ 生产总值
                    forms = SYNONYMS.get(word) or GLOSSARY.get(word) or _FORMS_OF[word]
                    groups.append(Term(forms, max(_weight(f) for f in forms)))
                    continue
                if _YEAR_ZH.fullmatch(word + "年") and len(word) == 4:
                    continue  # years are checked separately
                groups.append(Term((word,), _weight(word), self._name_like(word)))
        unique: dict[tuple[str, ...], Term] = {g.forms: g for g in groups}
        return tuple(unique.values())

    def _name_like(self, word: str) -> bool:
        tag = self.tokenizer.tags.get(word)
        if len(word) < 2 or not _HAN_WORD.fullmatch(word) or word[0] in _POINTING:
            return False  # 这篇, 该次, 每所: pointing words, not names
        if tag is None:
            # Not in the dictionary: a name (沃嘉), unless it is common words run
            # together (省委全会 = 省委 + 全会).
            parts = self.tokenizer.dictionary_parts(word)
            return not (len(parts) > 1 and all(len(p) >= 2 for p in parts))
        return tag.startswith(("nr", "ns", "nt", "nz"))

    def _places(self, simplified: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Place names in a Chinese question, as stems (宛城区 → 宛城, 上海市 → 上海),
        and those of them written as places (with 区, 市, 县 …): a report that answers
        must name these; a word jieba merely tags as a place (青岛, but also 长度, 嘉宾)
        only favours the reports that name it."""
        tags = self.tokenizer.tags
        found: list[str] = []
        required: list[str] = []
        for word in self.tokenizer.words(simplified):
            if word in _NOT_PLACES:
                continue
            suffix = _PLACE_SUFFIX.search(word)
            if suffix and len(word) - len(suffix.group(1)) >= 2:
                found.append(word[: suffix.start()])
                required.append(word[: suffix.start()])
            elif suffix and len(word) > len(suffix.group(1)):
                found.append(word)
            elif tags.get(word) == "ns" and len(word) >= 2:
                found.append(word)
        return tuple(dict.fromkeys(found)), tuple(dict.fromkeys(required))

    @staticmethod
    def _capitalised(name: str, question: str) -> bool:
        found = re.search(re.escape(name[:3]), question, re.IGNORECASE)
        return bool(found and found.group(0)[0].isupper())

    def _english_groups(
        self, lowered: str, question: str
    ) -> tuple[tuple[Term, ...], tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
        """Chinese terms for an English question: glossary phrases and pinyin names (and
        every reading of each capitalised name)."""
        groups: list[Term] = []
        rest = f" {lowered} "
        names: list[str] = []
        readings: list[tuple[str, tuple[str, ...]]] = []
        for found in _EN_PLACE.finditer(question):
            # "Huating County" when no report names a 华亭: a place the reports do not
            # cover, which every answer must then name (so none can).
            name = re.sub(r"[\s-]", "", found.group(1)).lower()
            if self.pinyin is not None and not self.pinyin.lookup(name):
                groups.append(Term((name,), 3.0, name=True))
                names.append(name)
        if re.search(r"\bdistrict\b", rest):
            rest = re.sub(r"(?<!district )\bmayor\b", "district mayor", rest)
        for found in _EN_DATE.finditer(rest):
            # "February 13" is written 2月13日; "in July" 7月.
            month = _MONTHS.index(found.group(1)[:3]) + 1
            day = found.group(2)
            groups.append(Term((f"{month}月{day}日" if day else f"{month}月",), 2.5))
        rest = _EN_DATE.sub(" ", rest).replace("- ", " ")
        for phrase in sorted(GLOSSARY, key=len, reverse=True):
            pattern = re.compile(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])")
            if pattern.search(rest) and (
                phrase not in _UPPER_ONLY or _UPPER_ONLY[phrase].search(question)
            ):
                forms = GLOSSARY[phrase]
                groups.append(Term(forms, max(_weight(f) for f in forms)))
                rest = pattern.sub(" ", rest)
        words: list[str] = []
        for word in _ENGLISH_WORD.findall(rest.replace("'s ", " ")):
            if "-" in word and not (self.lexicon is not None and self.lexicon.knows(word)):
                # "China-Laos", "Hong Kong-Zhuhai-Macao": each part on its own.
                words.extend(part for part in word.split("-") if part)
            else:
                words.append(word)
        i = 0
        while i < len(words):
            # Try two-word names first ("zhuang jianqiu"), then one word ("wancheng").
            for span in (2, 1):
                name = "".join(words[i : i + span])
                if span == 1 and self.lexicon is not None and self.lexicon.knows(name):
                    # "China" is 中国, not 持那; "women's" is not 我们: an English word
                    # of the dictionary is translated, not read as pinyin.
                    continue
                matches = self.pinyin.lookup(name) if self.pinyin and len(name) >= 4 else set()
                nouns = matches
                if matches and self._capitalised(name, question):
                    # "Wancheng" is 宛城, not the verb 完成: keep proper nouns.
                    # Of several readings, a place name (jiading: 嘉定, not 家丁) wins.
                    tags = self.tokenizer.tags
                    nouns = {m for m in matches if tags.get(m, "nr")[:1] == "n"}
                    named = {m for m in nouns if tags.get(m) == "ns"}
                    written = " ".join(w.capitalize() for w in words[i : i + span])
                    if named or re.search(rf"\b{written} {_EN_PLACE_WORD}", question):
                        readings.append((written, tuple(sorted(matches))))
                    matches = named or nouns or matches
                if matches:
                    forms = tuple(sorted(matches))
                    groups.append(Term(forms, max(_weight(f) for f in forms) * 1.5))
                    # A named place or person must be in the report that answers, when
                    # its reading is certain (shenzhou: 神州 or 神舟).
                    certain = len(forms) == 1 and len(nouns) <= 1
                    names.append(forms[0] if certain else "")
                    i += span
                    break
            else:
                translated = self._translate(words, i)
                if translated is not None:
                    forms, span = translated
                    # A dictionary's guess counts for less than a glossary term or a name.
                    groups.append(Term(forms, 0.6 * max(_weight(f) for f in forms)))
                    i += span
                    continue
                if words[i] not in _ENGLISH_STOP | _PARTICLES and words[i] not in PLACE_SUFFIXES:
                    # A content word govqa cannot translate: it still counts against
                    # coverage, so a question it does not understand is refused.
                    groups.append(Term((words[i],), 0.5))
                i += 1
        places = [n for n in names if n]
        return tuple(groups), tuple(dict.fromkeys(places)), tuple(readings)

    def _translate(self, words: list[str], i: int) -> tuple[tuple[str, ...], int] | None:
        """The Chinese words of a two-word phrase at ``i``, or of the word alone, from
        the dictionary (with how many words they cover)."""
        if self.lexicon is None or words[i] in _ENGLISH_STOP or words[i] in _PARTICLES:
            return None
        if i + 1 < len(words) and words[i + 1] not in _ENGLISH_STOP:
            forms = self.lexicon.translate(f"{words[i]} {words[i + 1]}")
            if forms:
                return tuple(forms), 2
        forms = self.lexicon.translate(words[i])
        return (tuple(forms), 1) if forms else None


# Terms of reporting jieba cuts in two (地区|生产总值): kept whole, as the reports say them.
_COMPOUNDS = frozenset(form for forms in GLOSSARY.values() for form in forms if len(form) >= 4)
# A compound's other written forms (地区生产总值 ~ 生产总值).
_FORMS_OF = {form: forms for forms in GLOSSARY.values() for form in forms if len(form) >= 4}


_FUNCTION_CHARS = frozenset("在的了是和与及对为将被把从向到由于年月日号个之其该本这那每各全我")


def _single_runs(words: list[str], rare: Callable[[str], bool]) -> list[str]:
    """Runs of two or more rare single characters that are no function words, joined
    (珑 琨; not 们 站 of 工人们站在, everyday characters jieba left alone)."""
    runs: list[str] = []
    current: list[str] = []
    for word in [*words, ""]:
        if (
            len(word) == 1
            and _HAN_WORD.fullmatch(word)
            and word not in _FUNCTION_CHARS
            and rare(word)
        ):
            current.append(word)
            continue
        if len(current) >= 2:
            runs.append("".join(current))
        current = []
    return runs


def _compounds(words: list[str]) -> list[str]:
    """``words`` with neighbours that make a known term joined (地区 生产总值 → one)."""
    out: list[str] = []
    i = 0
    while i < len(words):
        for span in (3, 2):
            joined = "".join(words[i : i + span])
            if i + span <= len(words) and joined in _COMPOUNDS:
                out.append(joined)
                i += span
                break
        else:
            out.append(words[i])
            i += 1
    return out


def _kind(lowered: str) -> QType:
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(lowered):
            return kind
    return "concept"


def _weight(word: str) -> float:
    """Longer words say more; titles (书记, 区长) and places decide who and where;
    generic words (地区, 工作) say little."""
    if word.isascii() or word in _GENERIC:
        return 1.0
    base = float(min(len(word), 4))
    if _TITLE_WORD.search(word) or (_PLACE_SUFFIX.search(word) and word not in _NOT_PLACES):
        base *= 1.5
    return base


def content_terms(query: Query) -> list[str]:
    """Every written form the question's content words take."""
    return [f for g in query.groups for f in g.forms]


def names(query: Query, name: str) -> bool:
    """Whether the question names this person (in Chinese, or through pinyin)."""
    return name in query.index_text or any(name in g.forms for g in query.groups)


def coverage(groups: Iterable[Term], text: str) -> float:
    """The weighted share of ``groups`` that ``text`` holds (any form of each)."""
    total = matched = 0.0
    for group in groups:
        total += group.weight
        if any(f in text for f in group.forms):
            matched += group.weight
    return matched / total if total else 0.0
