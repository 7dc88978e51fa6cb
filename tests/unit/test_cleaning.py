"""ingest.cleaning: pinyin glosses and garbled residues out, genuine text kept."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.cleaning import CleanResult, clean_text
from tests.helpers import SEEDS

SEED_TEXTS = {
    path.name[:3]: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))
}

# Independent checkers, deliberately not the module's own patterns.
# Any parenthesised group holding a tone-marked vowel.
GLOSS_CHECK = re.compile(r"[(（][^()（）]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][^()（）]*[)）]")
# In the raw seeds: a glued gloss is an ASCII paren group of lowercase (toned) letters only.
RAW_GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
# The seeds hold no genuine question mark, no Latin letters and no pinyin at all, so after
# cleaning there must be no `?`, no replacement character and no lowercase or toned letter.
RESIDUE_CHECK = re.compile(r"[?\ufffd]")
LATIN_OR_PINYIN = re.compile(r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]")

# (glosses removed, residue marks removed) per seed, counted by hand from the files.
EXPECTED_COUNTS = {
    "000": (193, 4),  # 張?jiān)? (2), 奮勇?tīng)?zhēng)先 (2)
    "001": (355, 5),  # 市控?cái)嗝嫠| (1), 要?jiǎng)?wù) (2), 重?fù)?dān) (2)
    "002": (137, 0),
    "003": (219, 3),  # 四季度? ?打好 (2), 勇?lián)形x (1); (記者 羅躍) is genuine
    "004": (278, 3),  # 我們?nèi)σ愿胺€ (1), 千斤重?fù)?dān) (2)
}


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("召開(kāi)", "召開"),
        ("開(kāi)", "開"),
        ("村(社區(qū))", "村(社區)"),
        ("(記者 鄭海波 王會(huì))", "(記者 鄭海波 王會)"),
        ("閆榮濤、張?jiān)?、趙會(huì)生", "閆榮濤、張、趙會生"),
        ("勇?lián)形x", "勇形"),
        (
            "主動在全國全市發展大局中找準定位,勇?lián)形x予的重大使命",
            "主動在全國全市發展大局中找準定位，勇形予的重大使命",
        ),
        ("三個(gè)市控?cái)嗝嫠|(zhì)", "三個市控嗝嫠"),
        ("沖刺四季度? ?打好收官戰(zhàn)", "沖刺四季度 打好收官戰"),
        ("?tīng)", ""),
        ("努力實現“奮勇?tīng)?zhēng)先、更加出彩”", "努力實現“奮勇先、更加出彩”"),
        ("發展是第一要?jiǎng)?wù),是解決宛城", "發展是第一要，是解決宛城"),
        ("我們?nèi)σ愿胺€(wěn)增長", "我們愿胺增長"),
    ],
)
def test_examples(raw: str, cleaned: str) -> None:
    assert clean_text(raw).text == cleaned


def test_counts_of_examples() -> None:
    assert clean_text("召開(kāi)") == CleanResult("召開", 1, 0)
    assert clean_text("張?jiān)?、趙") == CleanResult("張、趙", 0, 2)
    assert clean_text("四季度? ?打好") == CleanResult("四季度 打好", 0, 2)
    assert clean_text("三個(gè)市控?cái)嗝嫠|(zhì)") == CleanResult("三個市控嗝嫠", 2, 1)


@pytest.mark.parametrize(
    "text",
    [
        "宛城区2024年GDP是多少？",  # full-width question mark
        "Who chaired the meeting?",
        "Is it 5G?",
        "附件(a)",  # one-letter list marker, not a gloss
        "北京(Beijing)",  # capitalised: a romanisation, not a gloss
        "中國(china)",  # toneless multi-syllable: ambiguous, kept
        "(記者 羅躍)",
        "第三条第(二)项",
        "共1,000人，10:30开会",
        "Hello, world",
        "增长5.7%；社会消费品零售总额增速7.3%",
    ],
)
def test_genuine_text_kept(text: str) -> None:
    assert clean_text(text) == CleanResult(text, 0, 0)


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("他是谁?", "他是谁？"),  # a Chinese question keeps its question mark, as ？
        ("是什么? 我们", "是什么？ 我们"),
        ("中?文", "中文"),  # between Han characters: a residue
        ("中\ufffd文", "中文"),
    ],
)
def test_question_marks(raw: str, cleaned: str) -> None:
    assert clean_text(raw).text == cleaned


@pytest.mark.parametrize(
    ("raw", "cleaned", "glosses"),
    [
        ("開（kāi）會", "開會", 1),  # full-width parentheses
        ("北京(běijīng)", "北京", 1),  # multi-syllable
        ("西安(xī'ān)", "西安", 1),
        ("北京(běi jīng)", "北京", 1),
        ("質(zhi)量", "質量", 1),  # toneless, but one valid syllable right after a Han character
        ("開(kāi)(kāi)會", "開會", 2),
        ("咖啡(café)", "咖啡(café)", 0),  # toned but not pinyin
        ("x(kāi)", "x(kāi)", 0),  # not after a Han character
    ],
)
def test_gloss_forms(raw: str, cleaned: str, glosses: int) -> None:
    result = clean_text(raw)
    assert (result.text, result.glosses_removed) == (cleaned, glosses)


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("ＧＤＰ增长５．７％，ＣＰＩ上涨０．２％", "GDP增长5.7%，CPI上涨0.2%"),
        ("收入３２，５００元", "收入32,500元"),
        ("２月１３日上午,宛城區", "2月13日上午，宛城區"),
        ("融媒體記者:李儀佳", "融媒體記者：李儀佳"),
        ("全市第一;經開區", "全市第一；經開區"),
        ("好!", "好！"),
        ("“十四五”規劃（草案）", "“十四五”規劃（草案）"),  # Chinese punctuation stays
        ("\u3000\u3000全會指出", "全會指出"),
        ("a\u00a0\u00a0b\tc", "a b c"),
        ("一段\r\n\r\n\r\n\r\n二段\r三段", "一段\n\n二段\n三段"),
        ("  前後空白 \n 行首 ", "前後空白\n行首"),
        ("零\u200b寬", "零寬"),
        ("k\u0101i", "kāi"),  # decomposed tone mark composed (NFC)
    ],
)
def test_width_punctuation_and_whitespace(raw: str, cleaned: str) -> None:
    assert clean_text(raw).text == cleaned


@pytest.mark.parametrize("name", sorted(EXPECTED_COUNTS))
def test_seed_cleaned_completely(name: str) -> None:
    raw = SEED_TEXTS[name]
    result = clean_text(raw)
    assert (result.glosses_removed, result.residues_removed) == EXPECTED_COUNTS[name]
    assert result.glosses_removed == len(RAW_GLOSS.findall(raw))
    assert result.residues_removed == raw.count("?")
    assert GLOSS_CHECK.findall(result.text) == []
    assert RESIDUE_CHECK.findall(result.text) == []
    assert LATIN_OR_PINYIN.findall(result.text) == []
    assert clean_text(result.text) == CleanResult(result.text, 0, 0)


def test_seed_totals_match_the_issue() -> None:
    results = [clean_text(text) for text in SEED_TEXTS.values()]
    assert len(results) == 5
    assert sum(r.glosses_removed for r in results) == 1182
    assert sum(r.residues_removed for r in results) == 15


def test_seed_structure_kept() -> None:
    raw = SEED_TEXTS["000"]
    cleaned = clean_text(raw).text
    assert cleaned.count("\n") == raw.count("\n")
    assert cleaned.splitlines()[0] == "莊建球主持召開示范區黨工委專題會議謀劃明年工作"
    assert "濟源網訊(記者 鄭海波 王會)12月23日至24日，示范區黨工委書記" in cleaned
    assert "村(社區)代表" in clean_text(SEED_TEXTS["001"]).text


# --- properties -------------------------------------------------------------------------------

# Pieces of converter output, genuine text and whitespace, glued together at random.
PIECES = (
    "開 會 中 區 ( ) （ ） ? ？ kāi zhi jiān) (kāi) (zhi) (a) ?tīng) ?wù) | € σ x Ab"
    " , : ; ! . 1 ２ ． ， Ａ ' ü ń"
).split() + [" ", "\n", "\r\n", "\u3000", "\ufffd", "\u0301"]
MIXTURES = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(alphabet="開區a(kāi)? \n", max_size=4)),
    max_size=40,
).map("".join)


@st.composite
def seed_slices(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(list(SEED_TEXTS.values())))
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, min(len(text), start + 400)))
    return text[start:end]


def _check(text: str) -> None:
    result = clean_text(text)
    assert clean_text(result.text) == CleanResult(result.text, 0, 0)
    assert result.glosses_removed >= 0 and result.residues_removed >= 0
    assert result.text == result.text.strip()
    assert "  " not in result.text and "\n\n\n" not in result.text and "\r" not in result.text


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_idempotent_on_any_text(text: str) -> None:
    _check(text)


@settings(max_examples=400, deadline=None)
@given(MIXTURES)
def test_idempotent_on_glosses_and_residues(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(seed_slices())
def test_idempotent_on_seed_slices(text: str) -> None:
    _check(text)


def test_gloss_broken_by_a_pdf_line_wrap_is_removed() -> None:
    assert clean_text("他強調(di\nào)，要落實").text == "他強調，要落實"
    assert clean_text("任務(w\nù)。").text == "任務。"
    assert clean_text("目標\n(mù)").text == "目標"
