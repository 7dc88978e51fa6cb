"""One script for searching: OpenCC conversion and the script of a question.

Reports are indexed in simplified Chinese (``to_simplified``) whatever script they came in, so a
question in either script finds them; evidence is shown back in the asker's script
(``render_in``).

``to_traditional`` uses OpenCC ``s2tw``: a character-level conversion (with OpenCC's phrase
tables only to choose between one-to-many characters such as 发 -> 發/髮) to the common
character forms of printed traditional text (為/群/眾, not s2t's 爲/羣/衆; 參會, not s2t's
蔘會), which is what the reports themselves use. ``s2twp`` and
``s2hkp`` would also swap regional vocabulary (项目 -> 專案, 信息 -> 資訊), rewriting the words
of the quoted evidence, which must stay the report's own words.
"""

from __future__ import annotations

import re
import threading
from functools import cache
from typing import Literal

import opencc

__all__ = ["Script", "detect_script", "render_in", "to_simplified", "to_traditional"]

Script = Literal["zh-hans", "zh-hant", "en"]

# Han characters: 〇, Extension A, the URO, compatibility ideographs, Extensions B to G.
_HAN = re.compile("[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# Latin words of two or more letters (a lone "s" of "宛城区's" does not count).
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

_CREATE_LOCK = threading.Lock()


@cache  # functools.lru_cache(maxsize=None)
def _load(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def _converter(config: str) -> opencc.OpenCC:
    """The converter for ``config``, created on first use, once even under threads.

    The cache alone could build it twice when two threads miss at once; the lock makes the
    first build the only one. Converting needs no lock: it does not change the converter (and
    the binding keeps the GIL while it runs).
    """
    with _CREATE_LOCK:
        return _load(config)


def to_simplified(text: str) -> str:
    """Traditional (or mixed) Chinese to simplified; other text passes through."""
    return str(_converter("t2s").convert(text)) if text else text


def to_traditional(text: str) -> str:
    """Simplified (or mixed) Chinese to traditional (OpenCC ``s2tw``); other text passes through."""
    return str(_converter("s2tw").convert(text)) if text else text


def detect_script(text: str) -> Script:
    """The script a question is written in.

    ``"en"`` when it has (almost) no Han characters: none at all, or no more than 1.5 per Latin
    word, so "Who is 张宏义?" is English and "宛城区2024年GDP是多少？" is Chinese. Otherwise
    ``"zh-hant"`` if converting it to simplified changes any character, else ``"zh-hans"``.
    """
    han = len(_HAN.findall(text))
    if han == 0 or 3 * len(_LATIN_WORD.findall(text)) >= 2 * han:
        return "en"
    return "zh-hant" if to_simplified(text) != text else "zh-hans"


def render_in(text: str, script: Script) -> str:
    """Chinese evidence in the asker's script; for English askers it stays Chinese, simplified."""
    if script == "zh-hant":
        return to_traditional(text)
    return to_simplified(text)
