"""Repair the text written by the broken traditional-script converter.

The converter glued a tone-marked pinyin gloss after many characters (``召開(kāi)``), and where
it mis-decoded bytes it left ``?`` marks with pinyin fragments and mojibake (``張?jiān)?``,
``三個(gè)市控?cái)嗝嫠|(zhì)``, ``沖刺四季度? ?打好``). :func:`clean_text` removes both, never
inventing a replacement character (a character lost to the garbling stays lost), and normalises
width and whitespace. It is pure, never raises on a ``str`` and is idempotent.

Decisions:

* Width: no blanket NFKC, which would turn ``，：；（）？！`` into ASCII, ``……`` into dots and
  ``①`` into ``1``. Instead NFC (composes decomposed tone marks, maps CJK compatibility
  ideographs) plus a fold of full-width ASCII letters, digits and symbols to half-width. The
  full-width punctuation Chinese uses (``！（），．：；？［］｛｝～``) stays, except ``．，：``
  between digits (``５．７`` -> ``5.7``, ``３２，５００`` -> ``32,500``). Ideographic, no-break
  and other spaces become one plain space; line breaks stay, at most one blank line in a row.
* Punctuation: ASCII ``, ; :`` next to Chinese text become ``，；：`` (not between two digits, so
  ``1,000`` and ``10:30`` stay), and ``! ?`` after Chinese text become ``！？``, so that sentence
  splitting sees one form. Parentheses are left as they are: they do not delimit sentences and
  the gloss logic keys on them.
* Toneless pinyin: a gloss normally carries a tone mark. A toneless group counts only if it is
  one lowercase pinyin syllable of two or more letters right after a Han character (``(zhi)``);
  ``(a)``, ``(Beijing)`` and multi-syllable ``(china)`` stay, being more likely genuine.
* ``?``: an ASCII ``?`` (or U+FFFD) is a residue when glued to pinyin letters (``?jiān)``,
  ``?tīng``) or sitting between two Han characters (``度? ?打``); mojibake symbols glued right
  after a residue (``|``, ``€``, Greek, a lone lowercase letter) go with it. A ``?`` ending a
  question stays a question mark (``meeting?``; ``是什麼?`` becomes ``是什麼？``), and
  full-width ``？`` is never touched.
  ``residues_removed`` counts the removed marks.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["CleanResult", "clean_text"]


@dataclass(frozen=True)
class CleanResult:
    text: str
    glosses_removed: int
    residues_removed: int


# --- character classes -------------------------------------------------------------------------

# Han characters: 〇, Extension A, the URO, compatibility ideographs, Extensions B to G.
_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Chinese punctuation that also counts as "Chinese context" for the ASCII punctuation mapping.
_CJK_PUNCT = "、。〈〉《》「」『』【】〔〕“”‘’（），：；！？…—"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# Letters that can occur in a pinyin syllable, toned or not.
_PY = f"a-zü{_TONED}"
_UNTONE = str.maketrans(_TONED, "aaaaeeeeiiiioooouuuuüüüünnnm")

# Every pinyin syllable (toneless; from pypinyin's dictionary, which includes rare ones).
_SYLLABLES = frozenset(
    """
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu
    ca cai can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou
    chu chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang
    dao de dei den deng di dia dian diao die din ding diu dong dou du duan dui dun duo e ei en
    eng er fa fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou
    gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hm hng hong hou hu
    hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue
    jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai
    lan lang lao le lei len leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun
    luo lü lüe m ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu n
    na nai nan nang nao ne nei nen neng ng ni nia nian niang niao nie nin ning niu nong nou nu
    nuan nun nuo nü nüe o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou
    pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri
    rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao
    she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan
    sui sun suo ta tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun
    tuo wa wai wan wang wei wen weng wo wong wu xi xia xian xiang xiao xie xin xing xiong xiu xu
    xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao
    ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai
    zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo
    """.split()
)
# Syllables without a vowel: only accepted when tone-marked (ń, ň, ḿ ...).
_VOWELLESS = frozenset({"hm", "hng", "m", "n", "ng"})

# --- normalisation -----------------------------------------------------------------------------

# Full-width forms Chinese text uses as punctuation; every other U+FF01..U+FF5E is folded.
_KEEP_FULLWIDTH = "！（），．：；？［］｛｝～"
_FOLD = str.maketrans(
    {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F) if chr(c) not in _KEEP_FULLWIDTH}
    | {"｡": "。", "､": "、", "｢": "「", "｣": "」"}  # half-width CJK punctuation
    | dict.fromkeys("\t\v\f\xa0\u1680\u202f\u205f\u3000", " ")
    | {chr(c): " " for c in range(0x2000, 0x200B)}  # en quad .. hair space
    | dict.fromkeys("\r\x85\u2028\u2029", "\n")
    | dict.fromkeys("\u00ad\u200b\u2060\ufeff", None)  # soft hyphen, zero-width chars, BOM
)
_CRLF = re.compile(r"\r\n")
# Control characters other than \n (tabs and \r were translated before this runs).
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
# Full-width ．，： between digits (after the fold) separate numbers: 5．7  32，500  10：30
_DIGIT_SEPARATOR = re.compile(r"(?<=[0-9])[．，：](?=[0-9])")
_TO_HALFWIDTH = str.maketrans("．，：", ".,:")

# --- residues ----------------------------------------------------------------------------------

# A mark (ASCII ? or U+FFFD) with an optional glued pinyin fragment: ?  ?jiān)  ?wù)  ?(dān)
_FRAG = rf"[?\ufffd](?:\(?[{_PY}]+\)?)?"
# A run of marks, possibly single-space separated (`? ?`), then its "wake": up to six following
# Han characters or mojibake symbols, scanned for stray symbols (`?cái)嗝嫠|`, `?nèi)σ愿胺€`).
_RESIDUE = re.compile(rf"(?P<run>{_FRAG}(?: ?{_FRAG})*)(?P<wake>[{_HAN}a-z|€\u0370-\u04ff]{{0,6}})")
# A mark glued to pinyin: a tone-marked fragment, or letters closed by `)` without an opener.
_GLUED = re.compile(rf"[?\ufffd](?:\(?[{_PY}]*[{_TONED}]|[{_PY}]+\))")
# Mojibake symbols dropped from a residue's wake: |, €, Greek and Cyrillic letters.
_STRAY = re.compile(r"[|€\u0370-\u04ff]")
_MARKS = re.compile(r"[?\ufffd]")
_HAN_CHAR = re.compile(f"[{_HAN}]")
_LATIN = re.compile(r"[A-Za-z]")

# --- glosses -----------------------------------------------------------------------------------

# Parentheses (ASCII or full-width) holding lowercase pinyin, possibly several syllables
# joined or separated by a space or apostrophe: 開(kāi) 西安（xī'ān）. A line break may fall
# inside or before it where a PDF wrapped the line: 調(di\nào). Letters are separated by a
# space, an apostrophe or a line break, never by nothing: letters run into letters, and
# letting a separator be empty made a long unclosed "(abc…" backtrack exponentially.
_GLOSS_ONE = re.compile(rf"\n?[(（](?P<py>\n?[{_PY}]+(?:(?:[ '’]\n?|\n)[{_PY}]+)*\n?)[)）]")
# Glosses right after a Han character, with any that follow them back to back: 開(kāi)(kāi).
_GLOSS = re.compile(rf"(?<=[{_HAN}])(?:{_GLOSS_ONE.pattern})+")

# --- punctuation and whitespace ----------------------------------------------------------------

# ASCII , ; : ! ? after Chinese text, and , ; : before it. Two digits never both touch such a
# mark, so 1,000 and 10:30 stay. Only the marks that change are matched: a callback for every
# mark made a page of "???" cost a Python call per character on each pass.
_ASCII_PUNCT = re.compile(rf"(?<=[{_HAN}{_CJK_PUNCT}])[,;:!?]|[,;:](?=[{_HAN}{_CJK_PUNCT}])")
_TO_FULLWIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_MULTI_SPACE = re.compile(r" {2,}")
_LINE_EDGE_SPACE = re.compile(r" *\n *")
_BLANK_LINES = re.compile(r"\n{3,}")

# Each pass only removes characters or maps them one way, so a fixed point comes quickly (one
# or two passes on real text); the cap only guards against pathological input.
_MAX_PASSES = 8


def clean_text(text: str) -> CleanResult:
    """Remove pinyin glosses and garbled residues; normalise width, punctuation and spaces."""
    glosses = residues = 0
    for _ in range(_MAX_PASSES):
        cleaned, g, r = _clean_once(text)
        glosses += g
        residues += r
        if cleaned == text:
            break
        text = cleaned
    return CleanResult(text=text, glosses_removed=glosses, residues_removed=residues)


def _clean_once(text: str) -> tuple[str, int, int]:
    text = _normalise(text)
    text, residues = _remove_residues(text)
    text, glosses = _remove_glosses(text)
    text = _ASCII_PUNCT.sub(lambda m: _TO_FULLWIDTH[m.group()], text)
    text = _MULTI_SPACE.sub(" ", text)
    text = _LINE_EDGE_SPACE.sub("\n", text)
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip(), glosses, residues


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", _CRLF.sub("\n", text))
    text = _CONTROL.sub("", text.translate(_FOLD))
    return _DIGIT_SEPARATOR.sub(lambda m: m.group().translate(_TO_HALFWIDTH), text)


def _remove_residues(text: str) -> tuple[str, int]:
    removed = 0

    def replace(m: re.Match[str]) -> str:
        nonlocal removed
        run, start, end = m.group("run"), m.start("run"), m.end("run")
        between_han = (
            start > 0
            and end < len(text)
            and bool(_HAN_CHAR.match(text[start - 1]))
            and bool(_HAN_CHAR.match(text[end]))
        )
        if "\ufffd" not in run and not _GLUED.search(run) and not between_han:
            return m.group()
        removed += len(_MARKS.findall(run))
        return (" " if " " in run else "") + _clean_wake(text, end, m.end("wake"))

    return _RESIDUE.sub(replace, text), removed


def _clean_wake(text: str, start: int, end: int) -> str:
    """Drop mojibake symbols and lone lowercase letters (``形x`` -> ``形``) from a wake."""
    kept = []
    for i in range(start, end):
        ch = text[i]
        lone_letter = (
            ch.isascii()
            and ch.isalpha()
            and not (i > 0 and _LATIN.match(text[i - 1]))
            and not (i + 1 < len(text) and _LATIN.match(text[i + 1]))
        )
        if not lone_letter and not _STRAY.match(ch):
            kept.append(ch)
    return "".join(kept)


def _remove_glosses(text: str) -> tuple[str, int]:
    removed = 0

    def replace(m: re.Match[str]) -> str:
        # 開(kāi)(kāi): removing a gloss puts the next one after the Han character, so glosses
        # back to back go until the first that is not one (it and the rest stay).
        nonlocal removed
        chain, pos = m.group(), 0
        while (gloss := _GLOSS_ONE.match(chain, pos)) and _is_gloss(gloss.group("py")):
            removed += 1
            pos = gloss.end()
        return chain[pos:]

    return _GLOSS.sub(replace, text), removed


def _is_gloss(py: str) -> bool:
    py = py.strip("\n").replace("\n", "")  # a PDF line wrap inside the gloss
    plain = py.translate(_UNTONE)
    if plain != py:  # tone-marked: every space/apostrophe-separated part must be pinyin
        return all(_is_pinyin_word(part) for part in re.split(r"[ '’]", plain))
    return plain in _SYLLABLES and len(plain) > 1 and plain not in _VOWELLESS


def _is_pinyin_word(word: str) -> bool:
    """Whether ``word`` (toneless) splits into pinyin syllables, e.g. ``beijing``."""
    reachable = [True] + [False] * len(word)
    for i in range(len(word)):
        if reachable[i]:
            for j in range(i + 1, min(i + 6, len(word)) + 1):  # syllables have 1..6 letters
                if word[i:j] in _SYLLABLES:
                    reachable[j] = True
    return reachable[-1] and bool(word)
