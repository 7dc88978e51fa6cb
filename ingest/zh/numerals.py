"""Numbers as reports and answers write them, read to one value with one unit.

``百分之九点九``, ``9.9%`` and ``nine point nine percent`` are one quantity: 9.9 %. A
:class:`Quantity` holds the value with its scale word folded in (``三千二百万`` → 32000000,
``1.2万亿`` → 1.2×10¹², ``twelve million`` → 12000000) and a unit from one vocabulary, so
that two texts can be compared figure by figure whatever their wording:

- digits, with a scale word or not: ``414.9亿元``, ``1,234人``, ``5.70%``, ``3.2 billion``;
- Chinese numerals: ``十二``, ``三千二百万``, ``两万``, ``一百零五``, ``一万二`` (12000), financial
  forms (``叁``), 点 for decimals (``九点九``), and years digit by digit (``二〇二四年``);
- percentages: ``百分之九点九``, ``千分之三`` (‰), ``九成`` (90 %), ``percent``, ``per cent``;
  ``个百分点`` and ``percentage points`` are their own unit (百分点);
- multiples: ``3倍``, ``翻番`` / ``翻一番`` (2 倍), ``翻了两番`` (4 倍), ``doubled``,
  ``tripled``, ``quadrupled``, ``three times``, ``twofold``;
- English number words: ``twenty-five``, ``one hundred and five``, ``nine point nine``.

What counts as a quantity, and not as a word that happens to hold a numeral: digits always;
Chinese numerals with a decimal point, a percentage, 成, a scale (``三千``, ``两万``) or a
measure word after them (``三个``, ``十二项``). Not counted: a lone 一 or "one" without a
unit (统一, 一些, "one of"), a numeral after 第 (an ordinal), a run that is not a
well-formed number (``十四五``, ``三四个``), idioms that start with a scale (``千万``, ``万一``)
and 十 alone (``十分重要``).

Input is NFKC-normalised text (ASCII digits, ``%``); both scripts of Chinese are read.
This module imports nothing of govqa: the verifier and the extractive answerer share it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["MEASURES", "Quantity", "parse_number", "quantities"]


@dataclass(frozen=True)
class Quantity:
    """One number of a text: its value (scale folded in), unit, and where it stands."""

    value: Decimal  # 414.9亿元 → 41490000000; 九成 → 90; 翻两番 → 4
    unit: str  # "%", "‰", "百分点", "倍", a measure word (元, 人, 家, 年 …) or ""
    number: Decimal  # the value before its scale word: 414.9 of 414.9亿元
    scale: str  # the scale word as written ("万", "亿", "万亿", "million") or ""
    start: int
    end: int


# -- vocabularies ------------------------------------------------------------------------

_CN_DIGITS = {
    **{c: i for i, c in enumerate("零一二三四五六七八九")},
    **{c: i for i, c in enumerate("〇壹贰叁肆伍陆柒捌玖")},
    "两": 2,
    "兩": 2,
    "貳": 2,
    "參": 3,
    "陸": 6,
}
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_DIGIT_CHARS = "".join(_CN_DIGITS)
_NUMERAL_CHARS = _DIGIT_CHARS + "".join(_CN_SMALL) + "".join(_CN_BIG)

# Measure words after a number, longest first. 元 after a scale (亿元) is the default
# measure of an amount and is kept; 个百分点 is read as 百分点.
MEASURES: tuple[str, ...] = tuple(
    sorted(
        (
            "个百分点 百分点 % ‰ 元 千瓦时 千瓦 千克 千米 公斤 平方公里 平方米 立方米 公里 米 "
            "公顷 亩 吨 人次 个月 周年 个 项 家 件 人 名 位 次 倍 户 所 条 台 辆 座 套 天 年 月 日 "
            "届 批 类 支 场 轮 种 岁"
        ).split(),
        key=len,
        reverse=True,
    )
)
_MEASURE = re.compile("|".join(re.escape(m) for m in MEASURES))
# A multiplier inside a Chinese number; 千 of 千米, 千瓦, 千克 is part of the unit.
_MULT = r"(?:[十拾百佰万萬亿億]|[千仟](?![米克瓦伏卡焦帕]))"
_ARABIC = r"[0-9]+(?:,[0-9]{3}(?![0-9]))*(?:\.[0-9]+)?"
_NUMBER = re.compile(
    rf"(?<![0-9.{_NUMERAL_CHARS}])"
    rf"(?:(?P<pct>百分之|千分之)(?=[{_DIGIT_CHARS}十拾百0-9]))?"
    rf"(?:(?P<arabic>{_ARABIC})(?P<approx>[余多])?(?P<ascale>{_MULT}*)"
    rf"|(?P<chinese>[{_DIGIT_CHARS}十拾](?:[{_DIGIT_CHARS}]|{_MULT})*"
    rf"(?:[点點][{_DIGIT_CHARS}]+{_MULT}*)?)"
    r"|(?P<hundred>(?<=分之)百))"
)
# 成 after a numeral is a tenth (九成 = 90 %), not the verb of 建成 / 一成不变.
_CHENG = re.compile(r"成(?![员本果立效绩为功熟型份交就长都不])")
_DOUBLING = re.compile(r"翻了?(?P<times>[一两二三四五1-5])?番")

_EN_SMALL = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_EN_TENS = {
    w: 10 * i
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)
}
_EN_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_EN_WORD = "|".join([*_EN_SMALL, *_EN_TENS, "hundred", *_EN_SCALES])
_EN_DIGIT = "zero|oh|one|two|three|four|five|six|seven|eight|nine"
_EN_SCALE = "|".join(_EN_SCALES)
_ENGLISH = re.compile(
    rf"(?<![A-Za-z0-9.])"
    rf"(?:(?P<digits>{_ARABIC})\s*(?P<dscale>{_EN_SCALE})"
    rf"|(?P<words>(?:an?\s+(?=hundred|{_EN_SCALE})|(?={'|'.join([*_EN_SMALL, *_EN_TENS])}))"
    rf"(?:{_EN_WORD})(?:(?:\s+and\s+|\s+|-)(?:{_EN_WORD}))*)"
    rf"(?:\s+point(?P<fraction>(?:\s+(?:{_EN_DIGIT}))+)(?:\s+(?P<fscale>{_EN_SCALE}))?)?)"
    r"(?![A-Za-z])",
    re.IGNORECASE,
)
_EN_UNIT = re.compile(
    r"\s*(?:(?P<pct>%|per\s*cent\b|percent\b)|(?P<points>percentage\s+points?\b)"
    r"|(?P<times>times\b|-?fold\b))",
    re.IGNORECASE,
)
_EN_MULTIPLES = re.compile(
    r"(?<![A-Za-z])(?:(?P<verb>doubled|tripled|trebled|quadrupled)|"
    r"(?P<fold>twofold|threefold|fourfold|fivefold|tenfold))(?![A-Za-z])",
    re.IGNORECASE,
)
_MULTIPLE_WORDS = {
    "doubled": 2,
    "tripled": 3,
    "trebled": 3,
    "quadrupled": 4,
    "twofold": 2,
    "threefold": 3,
    "fourfold": 4,
    "fivefold": 5,
    "tenfold": 10,
}


# -- reading one number --------------------------------------------------------------------


def _chinese_integer(run: str) -> int | None:
    """A Chinese integer (三千二百万, 一百零五, 一万二, 二〇二四), None when ill-formed."""
    if run and all(c in _CN_DIGITS for c in run):
        if len(run) == 1:
            return _CN_DIGITS[run]
        if "〇" in run or "零" in run or len(run) == 4:  # 二〇二四, 一九九八: digit by digit
            return int("".join(str(_CN_DIGITS[c]) for c in run))
        return None  # 三四 (three or four), 十四五's 四五: not one number
    total = wan = section = 0  # whole 亿 groups, whole 万 groups, the current section
    number: int | None = None  # the digit waiting for its multiplier
    last_small = 0  # the last 十/百/千 of the section: they must come in falling order
    after_zero = False
    for i, c in enumerate(run):
        if c in _CN_DIGITS:
            if number is not None and not after_zero:
                return None  # a digit right after a digit: 十四五
            number, after_zero = _CN_DIGITS[c], _CN_DIGITS[c] == 0
        elif c in _CN_SMALL:
            unit = _CN_SMALL[c]
            leading_ten = unit == 10 and (i == 0 or run[i - 1] in _CN_BIG or after_zero)
            if (number is None and not leading_ten) or (last_small and unit >= last_small):
                return None  # 千万, 百万 (no digit before them), 十百
            section += (number or 1) * unit
            number, last_small, after_zero = None, unit, False
        elif c in _CN_BIG:
            if number is None and section == 0 and not (_CN_BIG[c] == 10**8 and wan):
                return None
            if _CN_BIG[c] == 10**4:
                wan += (section + (number or 0)) * 10**4
            else:
                total, wan = (total + wan + section + (number or 0)) * 10**8, 0
            section, number, last_small, after_zero = 0, None, 0, False
        else:
            return None
    if number is not None and not after_zero and len(run) >= 2:
        before = run[-2]  # a tail without its multiplier: 三千二 = 3200, 一万二 = 12000
        if _CN_SMALL.get(before, 0) >= 100:
            number *= _CN_SMALL[before] // 10
        elif before in _CN_BIG:
            number *= _CN_BIG[before] // 10
    return total + wan + section + (number or 0)


def _chinese_number(run: str) -> Decimal | None:
    """A Chinese numeral with an optional decimal part and scale: 九点九, 三点五千."""
    whole, point, rest = run.replace("點", "点").partition("点")
    integer = _chinese_integer(whole)
    if integer is None or not point:
        return None if integer is None else Decimal(integer)
    fraction = re.match(f"[{_DIGIT_CHARS}]+", rest)
    if fraction is None:
        return None
    digits = "".join(str(_CN_DIGITS[c]) for c in fraction.group())
    return _scaled(Decimal(f"{integer}.{digits}"), rest[fraction.end() :])


def _scaled(value: Decimal, scale: str) -> Decimal | None:
    """``value`` times a run of multipliers written after it (万亿 = 10¹², 千万 = 10⁷)."""
    for c in scale:
        factor = _CN_SMALL.get(c) or _CN_BIG.get(c)
        if factor is None:
            return None
        value *= factor
    return value


def _arabic(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _english_words(words: str, fraction: str | None) -> Decimal | None:
    total = current = 0
    tokens = [t for t in re.split(r"[\s-]+", words.lower()) if t not in ("and", "")]
    if tokens and tokens[0] in ("a", "an"):
        tokens[0] = "one"
    for token in tokens:
        if token in _EN_SMALL:
            current += _EN_SMALL[token]
        elif token in _EN_TENS:
            current += _EN_TENS[token]
        elif token == "hundred":
            current = (current or 1) * 100
        elif token in _EN_SCALES:
            total += (current or 1) * _EN_SCALES[token]
            current = 0
        else:
            return None
    value = Decimal(total + current)
    if fraction:
        digits = "".join(str(_EN_SMALL.get(t, 0)) for t in fraction.lower().split())
        value += Decimal(f"0.{digits}")
    return value


def parse_number(text: str) -> Decimal | None:
    """The value of a number written alone — ``三千二百万``, ``1.2万亿``, ``百分之九点九``
    (9.9), ``twelve million``, ``3.2 billion``, ``414.9`` — or None when it is not one."""
    text = text.strip()
    found = quantities(text, every=True)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(text):
        return found[0].value
    return None


# -- finding the numbers of a text -----------------------------------------------------------


def _unit_after(text: str, pos: int, english: bool) -> tuple[str, int]:
    """The unit that follows position ``pos`` and where it ends ("" when none)."""
    m = _EN_UNIT.match(text, pos)
    if m:
        unit = "%" if m.group("pct") else "百分点" if m.group("points") else "倍"
        return unit, m.end()
    if english:
        return "", pos
    m = _MEASURE.match(text, pos)
    if m:
        unit = m.group()
        return ("百分点" if unit == "个百分点" else unit), m.end()
    m = _CHENG.match(text, pos)
    if m:
        return "成", m.end()
    return "", pos


def _chinese_quantities(text: str, every: bool) -> Iterator[Quantity]:
    for m in _NUMBER.finditer(text):
        start = m.start()
        if start > 0 and text[start - 1] == "第":
            continue  # an ordinal: 第三, 第3名
        pct = m.group("pct")
        if m.group("hundred"):
            number, scale, words = Decimal(100), "", True
        elif m.group("arabic"):
            scale = m.group("ascale")
            base = _arabic(m.group("arabic"))
            value = _scaled(base, scale)
            if value is None:
                continue
            number, words = base, False
        else:
            run = m.group("chinese")
            words = True
            scale = ""
            stripped = run.rstrip("".join(_CN_BIG))
            if not any(c in _CN_BIG for c in stripped):  # 三千二百万 → 3200 万
                scale, run = run[len(stripped) :], stripped
            parsed = _chinese_number(run)
            if parsed is None:
                continue
            number = parsed
        factor = _scaled(Decimal(1), scale)
        if factor is None:
            continue
        value = number * factor
        end = m.end()
        if pct:
            unit = "%" if pct == "百分之" else "‰"
        else:
            unit, end = _unit_after(text, end, english=False)
            if unit == "成":
                if scale or number > 10:
                    unit, end = "", m.end()
                else:
                    number, value, unit = number * 10, value * 10, "%"
        if words and not every and not _counts(m.group(), number, scale, unit, pct):
            continue
        yield Quantity(value, unit, number, _simplified(scale), start, end)


def _counts(run: str, number: Decimal, scale: str, unit: str, pct: str | None) -> bool:
    """Whether a number written in Chinese characters is a figure, not part of a word."""
    if pct or unit in ("%", "‰"):
        return True
    if number == 1 and not scale and unit not in ("倍", "百分点"):
        return False  # 一个, 一年: "a", not a figure
    if unit:
        return True
    has_multiplier = any(c in _CN_SMALL or c in _CN_BIG for c in run)
    return "点" in run or "點" in run or (has_multiplier and len(run) >= 2)


def _english_quantities(text: str, every: bool) -> Iterator[Quantity]:
    for m in _ENGLISH.finditer(text):
        if m.group("digits"):
            number = _arabic(m.group("digits"))
            scale = m.group("dscale").lower()
            value = number * _EN_SCALES[scale]
        else:
            words = m.group("words")
            parsed = _english_words(words, m.group("fraction"))
            if parsed is None:
                continue
            last = words.lower().split()[-1].split("-")[-1]
            scale = (m.group("fscale") or "").lower()
            if scale:  # one point two trillion
                number, value = parsed, parsed * _EN_SCALES[scale]
            else:
                scale = last if last in _EN_SCALES and not m.group("fraction") else ""
                value = parsed
                number = value / _EN_SCALES[scale] if scale else value
        unit, end = _unit_after(text, m.end(), english=True)
        if not every and value == 1 and not scale and not unit:
            continue  # "one of", "no one"
        yield Quantity(value, unit, number, scale, m.start(), end)
    for m in _EN_MULTIPLES.finditer(text):
        times = Decimal(_MULTIPLE_WORDS[m.group().lower()])
        yield Quantity(times, "倍", times, "", m.start(), m.end())


def _doublings(text: str) -> Iterator[Quantity]:
    for m in _DOUBLING.finditer(text):
        n = m.group("times")
        times = 1 if n is None else _CN_DIGITS.get(n, int(n) if n.isdigit() else 1)
        value = Decimal(2**times)
        yield Quantity(value, "倍", value, "", m.start(), m.end())


def _simplified(scale: str) -> str:
    return scale.replace("萬", "万").replace("億", "亿")


def quantities(text: str, every: bool = False) -> list[Quantity]:
    """The numbers of ``text`` in order, each read once (the longest reading wins where two
    overlap). ``every`` also keeps Chinese and English numerals that do not count as figures
    on their own (一, 十, 十九 without a unit)."""
    found = sorted(
        [*_doublings(text), *_chinese_quantities(text, every), *_english_quantities(text, every)],
        key=lambda q: (q.start, -(q.end - q.start)),
    )
    kept: list[Quantity] = []
    for q in found:
        if kept and q.start < kept[-1].end:
            continue
        kept.append(q)
    return kept
