"""What an answer asserts besides its figures, and whether the cited text says it too.

The LLM verifier (:func:`retrieval.llm.verifier.verify`) holds a model's answer to what its cited
sentences say. Figures are compared by :mod:`ingest.zh.numerals`; this module reads the
rest of what a model may invent:

- *rank and superlative claims* — 第一/首位/首个/榜首, 最高/最快/最大/最多, 领先/前列, 第三名;
  first/top/No. 1/highest/largest/fastest/leading/ranked second. Each must stand in one
  cited statement as the same word or an equivalent (第一 = 首位 = 榜首; 最高 is said by
  最高 or by a first place), with the answer's scope before it (全国, 河南省, "nationwide")
  and — in a Chinese answer — about the same subject: the statement holds at least half of
  the character pairs of what the answer ranks (``社会消费品零售总额增速``), so a first place
  of one metric is not passed off as another's;
- *people named by their surname* — ``欧阳振华主持了会议``, ``会议由李大伟主持``,
  ``李大伟、王小明出席``: a known surname and one or two characters, before a verb of the
  genre (主持, 出席, 讲话 …) or a title — read by :func:`ingest.zh.names.surname_names`,
  with the other name patterns;
- *names in pinyin or English* — ``Li Dawei``, ``Ouyang Zhenhua``, ``Dawei Li``: two
  capitalised words that read as pinyin, one of them a surname. The cited text is read as
  toneless pinyin, every reading of every character (单 = dan/shan/chan), and the name must
  be the reading of two to four consecutive characters of it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from ingest.zh.names import COMPOUND_SURNAMES as _COMPOUND_SURNAMES
from ingest.zh.names import SURNAMES as _SURNAMES
from ingest.zh.numerals import parse_number

# -- rank and superlative claims --------------------------------------------------------

# 第一 is a rank (全市第一, 增速第一, 第一名, 第一方阵) unless a word follows it (第一时间,
# 第一书记, 第一产业, 第一季度) or it opens a list (第一，……); so is 第三 / 第3名.
_WORD_BEFORE = r"[^，,。；;：:、\s“\"（(]"  # a character that is not punctuation
_FIRST = (
    rf"(?<={_WORD_BEFORE})第[一1](?![\u4e00-\u9fff0-9])|第[一1](?=名|位|方阵)"
    r"|首位|首个|首家|首次|首批|榜首|居首|之首|头名|冠军"
)
_MOST = r"最(?:高(?!人民|法院|检察)|快|大(?!限度)|多(?!跑)|强|好|佳|优|低|少|早)"
_LEADING = r"领先|领跑|前列|前茅"
_NTH = (
    rf"(?:(?<={_WORD_BEFORE})第(?P<n1>[二三四五六七八九十]+|[2-9]|[1-9][0-9]+)"
    r"(?![\u4e00-\u9fff0-9])|第(?P<n2>[二三四五六七八九十]+|[2-9]|[1-9][0-9]+)(?=名|位))"
)
_ZH_CLAIM = re.compile(
    rf"(?P<first>{_FIRST})|(?P<most>{_MOST})|(?P<leading>{_LEADING})|(?P<nth>{_NTH})"
)
_FIRST_WORDS = re.compile(rf"第[一1](?![0-9])|{_FIRST}")
_EN_CLAIM = re.compile(
    r"\b(?:(?P<first>first(?!\s+(?:quarter|half|three|two|of\s+all|secretary))"
    r"|top(?![- ](?:level|priority|leaders?|officials?))|no\.\s*1\b|number\s+one)"
    r"|(?P<highest>highest)|(?P<largest>largest|biggest)|(?P<fastest>fastest|quickest)"
    r"|(?P<best>best)|(?P<most>the\s+most)"
    r"|(?P<leading>leading(?!\s+(?:group|cadres?|officials?|role|bod(?:y|ies)|members?)))"
    r"|ranked\s+(?P<nth>second|third|fourth|fifth|\d+(?:st|nd|rd|th)))\b",
    re.IGNORECASE,
)
_EN_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5}
_EN_MOST = {"highest": "最高", "largest": "最大|最多", "fastest": "最快", "best": "最好|最佳|最优"}
# Where a rank holds: 全国, 全省, 河南省, 中心城区 (a ranking verb before it is dropped).
_SCOPE = re.compile(
    r"全国|全省|全市|全区|全县|全州|全球|全世界|国内|省内|市内|区内|县内|同类|同级"
    r"|中心城区|[\u4e00-\u9fff]{2,5}?(?:省|市|区|县|州)"
)
_RANK_VERB = re.compile(
    r"^(?:位列|位居|稳居|跃居|名列|排名|排在|位于|处于|保持|居于|居|列|排|在|于)"
)
_EN_SCOPES = (
    (
        re.compile(
            r"\b(?:nationwide|national(?:ly)?|in\s+(?:the\s+)?(?:country|nation|china))\b", re.I
        ),
        ("全国", "国内"),
    ),
    (re.compile(r"\b(?:province|provincial|province-wide)\b", re.I), ("省",)),
    (re.compile(r"\b(?:city|citywide|city-wide|municipal)\b", re.I), ("市",)),
    (re.compile(r"\b(?:district|district-wide)\b", re.I), ("区",)),
    (re.compile(r"\b(?:county|county-wide)\b", re.I), ("县",)),
)
_STATEMENT_END = re.compile(r"[。！？；;!?\n]")
_WINDOW = 12  # characters before a claim word where its scope stands
# Words of a ranked clause that say nothing about what is ranked.
_FILLER = re.compile(
    r"位列|位居|稳居|跃居|名列|排名|排在|位于|处于|保持|居于|实现|达到|增长|增速为|其中|"
    r"同比|[居列排在于为是的了和及与其全]"
)


@dataclass(frozen=True)
class RankClaim:
    """A rank or superlative an answer states."""

    word: str  # as written: 第一, 首位, 最快, ranked second
    accepts: str  # a pattern of the words of a cited statement that say it
    scopes: tuple[str, ...]  # any of these must stand before the claim word there
    subject: str  # what is ranked, in a Chinese answer (its clause, filler removed)

    def said_in(self, statements: Sequence[str]) -> bool:
        """Whether one of ``statements`` says this claim, of the same scope and subject."""
        accepts = re.compile(self.accepts)
        for statement in statements:
            for m in accepts.finditer(statement):
                window = statement[max(0, m.start() - _WINDOW) : m.start()]
                if self.scopes and not any(s in window for s in self.scopes):
                    continue
                if self.subject and not _shares_subject(self.subject, statement):
                    continue
                return True
        return False


def _shares_subject(subject: str, statement: str) -> bool:
    """Whether ``statement`` holds at least half of the character pairs of ``subject``."""
    pairs = {word[i : i + 2] for word in subject.split() for i in range(len(word) - 1)}
    return sum(p in statement for p in pairs) * 2 >= len(pairs)


def _accepts(kind: str, word: str, n: int | None) -> str:
    """The words of a cited statement that say a claim of ``kind`` (an equivalent counts:
    a first place says 最高, 最高 says a first place, either says 领先)."""
    first = _FIRST_WORDS.pattern
    match kind:
        case "first":
            return rf"{first}|{_MOST}"
        case "most":
            return rf"{re.escape(word)}|{first}"
        case "leading":
            return rf"{_LEADING}|龙头|{first}|{_MOST}"
        case _:
            return rf"第(?:{n}|{_chinese_ordinal(n or 0)})(?![0-9])"


def _chinese_ordinal(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


def rank_claims(answer: str, ignore: Sequence[str] = ()) -> list[RankClaim]:
    """The rank and superlative claims of ``answer`` (simplified, citations removed).
    ``ignore``: words that do not say what is ranked (the question's places)."""
    claims: list[RankClaim] = []
    for m in _ZH_CLAIM.finditer(answer):
        kind = next(k for k in ("first", "most", "leading", "nth") if m.group(k))
        n = None
        if kind == "nth":
            n_text = m.group("n1") or m.group("n2")
            value = parse_number(n_text)
            n = int(value) if value is not None else None
        clause_start = max(
            (e.end() for e in _STATEMENT_END.finditer(answer, 0, m.start())), default=0
        )
        before = answer[clause_start : m.start()]
        scope = _scope(before[-_WINDOW:])
        subject = _subject(before, scope, ignore)
        claims.append(
            RankClaim(m.group(), _accepts(kind, m.group(), n), _scope_forms(scope), subject)
        )
    for m in _EN_CLAIM.finditer(answer):
        if m.group("first"):
            accepts = _accepts("first", "", None) + "|" + _LEADING
        elif m.group("leading"):
            accepts = _accepts("leading", "", None)
        elif m.group("nth"):
            word = m.group("nth").lower()
            n = _EN_ORDINALS.get(word) or int(re.sub(r"\D", "", word))
            accepts = _accepts("nth", "", n)
        elif m.group("most"):
            accepts = rf"最多|最大|{_FIRST_WORDS.pattern}"
        else:
            kind = next(k for k in _EN_MOST if m.group(k))
            accepts = rf"{_EN_MOST[kind]}|{_FIRST_WORDS.pattern}"
        near = answer[max(0, m.start() - 40) : m.end() + 40]
        scopes = next((forms for pattern, forms in _EN_SCOPES if pattern.search(near)), ())
        claims.append(RankClaim(m.group(), accepts, scopes, ""))
    return claims


def _scope(before: str) -> str:
    """The shortest scope that ends right before the claim word (位列全国第一 → 全国,
    居河南省首位 → 河南省)."""
    for start in range(len(before) - 2, -1, -1):
        m = _SCOPE.fullmatch(before, start)
        if m:
            scope = m.group()
            while _RANK_VERB.match(scope):
                scope = _RANK_VERB.sub("", scope)
            return scope if len(scope) >= 2 else ""
    return ""


def _scope_forms(scope: str) -> tuple[str, ...]:
    """How a cited statement may write ``scope``: 全国 or 国内; 河南省 or 河南."""
    if not scope:
        return ()
    if scope.startswith("全") or scope.endswith("内"):
        core = scope.removeprefix("全").removesuffix("内")
        return (f"全{core}", f"{core}内")
    if len(scope) > 2 and scope[-1] in "省市区县州":
        return (scope, scope[:-1])
    return (scope,)


def _subject(before: str, scope: str, ignore: Sequence[str]) -> str:
    """What a Chinese clause ranks: its runs of Han characters before the scope, without
    the question's places and filler words, joined by spaces."""
    if scope and scope in before:
        before = before[: before.rfind(scope)]
    for word in sorted(ignore, key=len, reverse=True):
        if word:
            before = before.replace(word, " ")
    return " ".join(re.findall(r"[\u4e00-\u9fff]{2,}", _FILLER.sub(" ", before)))


# -- names in pinyin --------------------------------------------------------------------

_LATIN_PAIR = re.compile(
    r"(?<![A-Za-z])(?=(?P<a>[A-Z][a-z]+|[A-Z]{2,})[ \u00a0]"
    r"(?P<b>[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?|[A-Z]{2,})(?![A-Za-z]))"
)
_NOT_PERSONS = {("hong", "kong")}


def _toneless(reading: str) -> str:
    reading = reading.replace("ü", "v")
    return "".join(
        c for c in unicodedata.normalize("NFKD", reading) if not unicodedata.combining(c)
    )


@cache
def _syllables() -> frozenset[str]:
    from pypinyin.pinyin_dict import pinyin_dict

    found: set[str] = set()
    for readings in set(pinyin_dict.values()):
        for reading in readings.split(","):
            plain = _toneless(reading)
            found |= {plain, plain.replace("v", "u"), plain.replace("v", "yu")}
    return frozenset(s for s in found if re.search("[aeiouv]", s))  # not n, m, hng


@cache
def _readings(char: str) -> frozenset[str]:
    """Every toneless reading of a Han character (ü also written u / yu / v)."""
    from pypinyin.pinyin_dict import pinyin_dict

    raw = pinyin_dict.get(ord(char), "")
    plain = {_toneless(r) for r in raw.split(",") if r}
    return frozenset(
        plain | {p.replace("v", "u") for p in plain} | {p.replace("v", "yu") for p in plain}
    )


@cache
def _surname_readings() -> frozenset[str]:
    found: set[str] = set()
    for surname in [*_SURNAMES, *_COMPOUND_SURNAMES]:
        options = [""]
        for char in surname:
            options = [o + r for o in options for r in _readings(char)]
        found |= set(options)
    return frozenset(found)


def _is_pinyin(word: str) -> bool:
    """Whether ``word`` (lower case, hyphens removed) splits into pinyin syllables."""
    syllables = _syllables()

    @cache
    def split_from(i: int) -> bool:
        return i == len(word) or any(
            word[i:j] in syllables and split_from(j)
            for j in range(i + 1, min(len(word), i + 6) + 1)
        )

    return bool(word) and split_from(0)


def latin_names(text: str) -> list[tuple[str, str]]:
    """Names written in pinyin (Li Dawei, Ouyang Zhenhua, Dawei Li): each as written and
    as one run of lower-case pinyin, surname first."""
    names: list[tuple[str, str]] = []
    surnames = _surname_readings()
    for m in _LATIN_PAIR.finditer(text):
        a = m.group("a").lower()
        b = m.group("b").lower().replace("-", "")
        if (a, b) in _NOT_PERSONS or not (_is_pinyin(a) and _is_pinyin(b)):
            continue
        if a in surnames:
            names.append((f"{m.group('a')} {m.group('b')}", a + b))
        elif b in surnames:
            names.append((f"{m.group('a')} {m.group('b')}", b + a))
    return names


def pinyin_in(name: str, text: str) -> bool:
    """Whether two to four consecutive Han characters of ``text`` read as ``name`` (one
    run of toneless pinyin, as :func:`latin_names` gives it)."""
    chars = re.findall(r"[\u4e00-\u9fff]", text)
    readings = [_readings(c) for c in chars]

    def match(i: int, pos: int, used: int) -> bool:
        if pos == len(name):
            return 2 <= used <= 4
        if i >= len(chars) or used == 4:
            return False
        return any(
            name.startswith(r, pos) and match(i + 1, pos + len(r), used + 1) for r in readings[i]
        )

    first = name[:1]
    return any(
        any(r.startswith(first) for r in readings[i]) and match(i, 0, 0) for i in range(len(chars))
    )


def statements(sentences: Sequence[str]) -> Iterator[str]:
    """``sentences`` cut at 。；; too: the statements a claim must stand in."""
    for sentence in sentences:
        yield from (s for s in _STATEMENT_END.split(sentence) if s.strip())
