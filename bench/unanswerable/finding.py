"""What can be changed in a question: the texts as one string, and the year, place,
organisation and person finders of ``bench.unanswerable``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bench.unanswerable.words import (
    _ANY_YEAR,
    _BODY_SUFFIXES,
    _BRAND_SUFFIXES,
    _CHINESE_EXCEPTIONS,
    _COUNTY_BODIES,
    _FOREIGN_CHARS,
    _FOREIGN_PLACES,
    _GENERIC_ORG,
    _GENERIC_STEMS,
    _GENERIC_TAILS,
    _MAX_NAME_FREQ,
    _MAX_OCCURRENCES,
    _NATIONAL,
    _NOT_BODIES,
    _NOT_GIVEN_END,
    _NOT_NAME_TAGS,
    _NOT_PLACES,
    _PERSON_AFTER,
    _PERSON_NEXT_TAGS,
    _PLACE_SUFFIX,
    _SURNAMES_1,
    _SURNAMES_2,
    _TITLES,
    _TITLES_TUPLE,
    _WEAK_TAILS,
    _YEAR,
    KNOWN_BRANDS,
    PROVINCES,
)


@dataclass(frozen=True)
class Candidate:
    """One entity of a question that can be changed: ``original`` → something absent."""

    kind: str  # year | place | org | person
    original: str  # the span replaced in the question (occurs in it)
    prefix: str = ""  # org: what stays before the part replaced
    part: str = ""  # org/place: the part replaced inside ``original`` ("" = all of it)
    mode: str = ""  # org: "brand" or "body"; place: the suffix of the original
    length: int = 0  # person: characters of the given name


class Haystack:
    """All texts, simplified and lowercased, as one string: ``"鄢陵县" in haystack``."""

    def __init__(self, texts: Iterable[str]) -> None:
        import opencc

        from ingest.cleaning import clean_text

        convert = opencc.OpenCC("t2s").convert
        parts: list[str] = []
        for text in texts:
            parts.append(text)
            cleaned = clean_text(text).text
            if cleaned != text:
                parts.append(cleaned)  # glosses removed: 召開(kāi) -> 召開
        self.text = convert("\n".join(parts)).lower()

    def __contains__(self, needle: object) -> bool:
        return isinstance(needle, str) and needle.lower() in self.text


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """A jieba POS tokenizer on the default dictionary only (what govqa adds never leaks in)."""
    import jieba
    import jieba.posseg

    tokenizer = jieba.posseg.POSTokenizer(jieba.Tokenizer())
    tokenizer.tokenizer.initialize()
    return tokenizer


# --- finding what can be changed ---------------------------------------------------------------


def candidates(question: str, hay: Haystack) -> list[Candidate]:
    """At most one changeable entity of each kind in ``question``, the most telling one."""
    found: list[Candidate] = []
    years = set(_ANY_YEAR.findall(question))
    match = _YEAR.search(question)
    if len(years) == 1 and match and match.group() in hay:
        found.append(Candidate("year", match.group()))
    tokens = [(w.word, w.flag) for w in _tokenizer().cut(question)]
    for finder in (_place, _org, _person):
        candidate = finder(tokens, question, hay)
        if candidate is not None:
            found.append(candidate)
    return found


def _is_han(text: str) -> bool:
    return bool(text) and all("\u4e00" <= ch <= "\u9fff" for ch in text)


def _foreign(name: str) -> bool:
    if any(f in name for f in _FOREIGN_PLACES):
        return True
    for chinese in _CHINESE_EXCEPTIONS:
        name = name.replace(chinese, "")
    return any(ch in _FOREIGN_CHARS for ch in name)


def _place_word(word: str, flag: str, hay: Haystack) -> str | None:
    """The place suffix of ``word`` ('' for a bare province or city), or None if not a place."""
    if not _is_han(word) or word in _NOT_PLACES or _foreign(word):
        return None
    if word[-1] in _PLACE_SUFFIX and (len(word) >= 3 or word[-1] == "县"):
        stem = word[:-1]
        stem = stem[:-2] if stem.endswith("自治") else stem
        if (
            not stem
            or stem in _GENERIC_STEMS
            or word[-3:] in _GENERIC_TAILS
            or (word[-2:] in _GENERIC_TAILS and not (flag == "ns" and word[-2:] in _WEAK_TAILS))
            or stem[-1] in "一二三四五六七八九十两几多各地"
        ):
            return None
        return word[-1]
    if flag == "ns" and len(word) >= 2:
        if word in PROVINCES:
            return ""
        if re.search(re.escape(word) + r"[市县](?![场民值委政长级区县场])", hay.text):
            return ""
    return None


_SPECIFICITY = {"镇": 0, "县": 1, "区": 1, "市": 2, "州": 3, "省": 4, "": 5}


def _place(tokens: list[tuple[str, str]], question: str, hay: Haystack) -> Candidate | None:
    """The most specific Chinese place named in the question, outside organisation names."""
    merged: list[tuple[str, str]] = []
    for word, flag in tokens:  # 宛城/ns 区/n -> 宛城区
        if merged and merged[-1][1] == "ns" and word in ("省", "市", "县", "区", "州", "镇"):
            merged[-1] = (merged[-1][0] + word, "ns")
        else:
            merged.append((word, flag))
    # Character offsets inside an organisation's name (北京银行, 南京天加…公司): org's business.
    in_names: set[int] = set()
    for start, end, _ in _org_names(tokens):
        first = sum(len(w) for w, _ in tokens[:start])
        in_names.update(range(first, first + sum(len(w) for w, _ in tokens[start : end + 1])))
    best: Candidate | None = None
    offset = 0
    for i, (word, flag) in enumerate(merged):
        at, offset = offset, offset + len(word)
        suffix = _place_word(word, flag, hay)
        if suffix is None or word not in hay or at in in_names:
            continue
        stem = word[: -len(suffix)] if suffix else word
        if question.count(stem) > question.count(word):  # 在上海，…上海市…: both or neither
            continue
        if not suffix and re.search(re.escape(word) + f"[{_PLACE_SUFFIX}]", question):
            continue
        if i + 1 < len(merged) and merged[i + 1][1] == "ns":  # 安徽/安庆: qualifies the next
            continue
        if best is None or _SPECIFICITY[suffix] < _SPECIFICITY[best.mode]:
            best = Candidate("place", word, mode=suffix)
    return best


def _org_names(tokens: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """(first token, last token, suffix) of each name ending in an organisation suffix."""
    names: list[tuple[int, int, str]] = []
    for end, (word, _) in enumerate(tokens):
        suffix = _org_suffix(word)
        if suffix is None:
            continue
        start = end  # extend left over the name's words: 武汉/睿健/医药/科技/有限公司
        while (
            start > 0
            and tokens[start - 1][1] not in _NOT_NAME_TAGS
            and _is_han(tokens[start - 1][0])
            and _org_suffix(tokens[start - 1][0]) is None
            and len("".join(w for w, _ in tokens[start - 1 : end + 1])) <= 16
        ):
            start -= 1
        while start < end and tokens[start][1].startswith("v"):  # 批准/武汉… : not the name
            start += 1
        names.append((start, end, suffix))
    return names


def _org(tokens: list[tuple[str, str]], question: str, hay: Haystack) -> Candidate | None:
    """The first organisation name ending in a known suffix, with the part to replace."""
    for start, end, suffix in _org_names(tokens):
        name = tokens[start : end + 1]
        span = "".join(w for w, _ in name)
        if span in _NOT_BODIES or len(span) < 3 or _foreign(span) or span not in hay:
            continue
        stem = span[: -len(suffix)]
        prefix = _org_prefix(stem, name, hay)
        rest = stem[len(prefix) :]
        if suffix in _BRAND_SUFFIXES and len(rest) >= 2:
            # The brand: the first word after the prefix, or its first two characters.
            after = _words_after(name, len(prefix))
            part = after[0][0] if after else ""
            part = part if 2 <= len(part) <= 4 and rest.startswith(part) else rest[:2]
            if part not in _GENERIC_ORG and part[0] not in "哪该这那各本其某多几每两一首":
                return Candidate("org", span, prefix=prefix, part=part, mode="brand")
        if (
            prefix
            and len(rest) >= 2
            and (  # 国家统计局, 中国人民银行, 浙江海事局
                suffix in _COUNTY_BODIES or (suffix == "部" and prefix not in _NATIONAL)
            )
        ):
            return Candidate("org", span, prefix="", part=prefix, mode="body")
    for word, _ in tokens:
        if word in KNOWN_BRANDS and word in hay:
            return Candidate("org", word, prefix="", part=word, mode="brand")
    return None


def _org_suffix(word: str) -> str | None:
    if not _is_han(word) or word in _NOT_BODIES:
        return None
    for suffix in _BRAND_SUFFIXES + _BODY_SUFFIXES:
        if word.endswith(suffix) and (len(word) > len(suffix) or suffix in ("集团", "银行")):
            return suffix
    return None


def _org_prefix(stem: str, tokens: list[tuple[str, str]], hay: Haystack) -> str:
    """The national word or Chinese place the name starts with ('' if none)."""
    for national in _NATIONAL:
        if stem.startswith(national):
            return national
    if tokens:
        word, flag = tokens[0]
        if stem.startswith(word) and len(word) < len(stem):
            if _place_word(word, flag, hay) is not None:
                return word
    for province in sorted(PROVINCES):  # one token: 青海省教育厅
        for form in (province + "省", province + "市", province):
            if stem.startswith(form) and len(form) < len(stem):
                return form
    return ""


def _words_after(tokens: list[tuple[str, str]], offset: int) -> list[tuple[str, str]]:
    """The tokens starting at character ``offset`` of their concatenation."""
    position = 0
    out: list[tuple[str, str]] = []
    for word, flag in tokens:
        if position >= offset:
            out.append((word, flag))
        position += len(word)
    return out


def _person(tokens: list[tuple[str, str]], question: str, hay: Haystack) -> Candidate | None:
    """The first 2–3 character Chinese personal name of the question."""
    freq = _tokenizer().tokenizer.FREQ
    for i, (word, flag) in enumerate(tokens):
        if flag != "nr" or not 2 <= len(word) <= 3 or not _is_han(word):
            continue
        surname = word[:2] if word[:2] in _SURNAMES_2 else word[:1]
        if surname not in _SURNAMES_1 and surname not in _SURNAMES_2:
            continue
        given = word[len(surname) :]
        if not given or "某" in word or given[-1] in _NOT_GIVEN_END or _foreign(given):
            continue
        if word in KNOWN_BRANDS or freq.get(word, 0) > _MAX_NAME_FREQ:
            continue
        if not _person_in_texts(word, hay):
            continue
        at = question.find(word)
        if at > 0 and question[at - 1] in "“‘「『《\"'":  # 台风“青禾”
            continue
        before = tokens[i - 1] if i > 0 else ("", "x")
        after = tokens[i + 1] if i + 1 < len(tokens) else ("", "x")
        if before[0] in _TITLES or after[1] in _PERSON_NEXT_TAGS or after[0] in _TITLES:
            return Candidate("person", word, length=len(given))
    return None


def _person_in_texts(name: str, hay: Haystack) -> bool:
    """Whether some text uses ``name`` as a person's (see ``_PERSON_AFTER``)."""
    text = hay.text
    at = text.find(name)
    for _ in range(_MAX_OCCURRENCES):
        if at < 0:
            return False
        before = text[max(0, at - 4) : at]
        after = text[at + len(name) : at + len(name) + 4]
        if (not before or not _is_han(before[-1]) or before.endswith(_TITLES_TUPLE)) and (
            after.startswith(_PERSON_AFTER)
        ):
            return True
        at = text.find(name, at + 1)
    return False
