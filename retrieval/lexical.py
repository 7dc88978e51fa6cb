"""Tokens for the lexical (BM25) index: jieba words plus Han character bigrams.

jieba's search mode finds words and their sub-words; bigrams catch the names and
terms jieba splits badly (庄建球 → 庄建 建球). Both sides — index and question — go
through the same function, on simplified text.
"""

from __future__ import annotations

import array
import logging
import marshal
import os
import re
import tempfile
import threading
from functools import cached_property
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[\u4e00-\u9fff]+|[a-z]+|\d+(?:\.\d+)?")
# Question words and particles that carry no content when matching.
STOP_WORDS = frozenset(
    "的 了 是 在 和 与 及 等 由 对 把 被 也 都 就 要 将 为 从 向 上 中 下 个 年 月 日 "
    "什么 多少 哪些 哪个 哪里 哪儿 哪天 何时 谁 是谁 怎么 怎样 如何 为何 为什么 吗 呢 吧 "
    "有 有哪些 请问 一下 一个 这次 这个 那个 其中 以及".split()
)


# Words jieba tags as places that name no place.
_NO_PLACE_NAMES = frozenset(
    "城市 地区 国家 地方 当地 全国 国内 国外 海外 各地 本地 外地 全球 世界 中央 农村 城乡 "
    "沿海 内地 边境 老区 山区 市区 城区 郊区 全市 全省 全区 全县".split()
)

# Below this count in jieba's dictionary (of some 60 million words) a character is rare:
# 岳 1,197 and 琨 9 are; 结 3,761, 挂 6,653 and 们 41,212 are not.
RARE_FREQUENCY = 2000


# How the name of a body ends, or a name in Latin letters: whole as it stands.
_WHOLE_NAME = re.compile(
    r"(?:[科局部队委会办院所厅处司署馆站组团]|中心|公司|集团|协会)$|[A-Za-z]{2}"
)
# Linking words a gap may open with before the name: adverbs, prepositions, conjunctions,
# particles, time words (会上, 后来) — and the parts of speech no name opens with: verbs,
# pronouns, numerals and measure words.
_BEFORE_A_NAME = frozenset("d p c u t".split())
_LINKING = frozenset("且 并 而 又 还 也 就 才 则 再".split())
_NO_NAME_OPENS = frozenset("v r m q".split())
_TITLE_OPENS = frozenset({"驻"})  # 驻某国大使馆参赞: a title opens with 驻


class Tokenizer:
    """Turns simplified text into lexical tokens. jieba loads once, on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    @cached_property
    def _jieba(self) -> Any:
        with self._lock:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            _load_prefix_dict(jieba.dt)
            return jieba

    @cached_property
    def tags(self) -> dict[str, str]:
        """jieba's part-of-speech tag of each dictionary word ("ns" = place name).

        jieba.posseg parses its dictionary text on every start (over a second); the
        table is kept in a cache file (see :func:`_read_table`).
        """
        cache = _cache_path(self._jieba.dt, "tags")
        table = _read_table(cache, str)
        if table is None:
            import jieba.posseg

            table = dict(jieba.posseg.dt.word_tag_tab)
            _write_table(cache, table, str)
        return table

    def is_name(self, word: str) -> bool:
        """Whether ``word`` may be a personal name: not a dictionary word of another
        kind (强调 is a verb, 文化 a noun; 郭炜 is in no dictionary)."""
        tag = self.tags.get(word)
        return tag is None or tag.startswith("nr")

    def name_part(self, span: str) -> str | None:
        """The "who" gap ``span`` from the name it holds on, after the linking words it
        may open with ("将由华为" → 华为, "会上王明部长" → 王明部长); None when no name
        opens it — a verb, pronoun or count does ("后来这家", "她随后又谈到", "要求")."""
        if _WHOLE_NAME.search(span):
            return span  # a body (市公安局网络安全保卫支队) or a Latin name: verbs are words in it
        words = self._jieba.lcut(span)
        while words and (
            self.tags.get(words[0], "n")[:1] in _BEFORE_A_NAME or words[0] in _LINKING
        ):
            words.pop(0)
        if not words or (
            self.tags.get(words[0], "n")[:1] in _NO_NAME_OPENS and words[0] not in _TITLE_OPENS
        ):
            return None
        kept = "".join(words)
        return kept if len(kept) >= 2 else None

    def places_in(self, text: str) -> list[tuple[str, int]]:
        """The place names jieba's dictionary knows in ``text`` (冲绳, 伊朗; tagged ns),
        with where each starts."""
        found: list[tuple[str, int]] = []
        at = 0
        for word in self._jieba.lcut(text, HMM=False):
            if len(word) >= 2 and self.tags.get(word) == "ns" and word not in _NO_PLACE_NAMES:
                found.append((word, at))
            at += len(word)
        return found

    def rare(self, word: str) -> bool:
        """Whether jieba's dictionary counts ``word`` seldom (a character of names, 琨 or
        璟, not one of everyday words, 站 or 挂)."""
        return int(self._jieba.dt.FREQ.get(word, 0)) < RARE_FREQUENCY

    def dictionary_parts(self, word: str) -> list[str]:
        """``word`` cut into dictionary words only (no guessing of new words): 省委全会 →
        省委 全会; a name jieba does not know falls apart into single characters."""
        return self._jieba.lcut(word, HMM=False)

    def words(self, text: str) -> list[str]:
        """jieba's precise segmentation of ``text`` (lower-cased), without blanks."""
        return [w for w in self._jieba.lcut(text.lower()) if w.strip()]

    def tokens(self, text: str) -> list[str]:
        """Word tokens (jieba search mode) and Han bigrams, lower-cased, stop words removed."""
        text = text.lower()
        words = [
            w
            for w in self._jieba.cut_for_search(text)
            if _WORD.fullmatch(w) and w not in STOP_WORDS
        ]
        bigrams = [run[i : i + 2] for run in _HAN_RUN.findall(text) for i in range(len(run) - 1)]
        known = set(words)
        return words + [b for b in bigrams if b not in known]


# -- jieba's tables, cached for a fast start ---------------------------------------------
#
# A cold `govqa ask` needs jieba's prefix dictionary (~500k words) and part-of-speech
# table. jieba keeps the first as one marshalled dict, which takes ~1.3 s to read here;
# the same table as one string of words and one array of numbers reads in ~0.4 s, and
# holds no code (unlike a pickle), so a file in the shared temp dir is safe to read.
# Files are keyed by the dictionary's size and time: a new jieba rebuilds them.


def _cache_path(tokenizer: Any, kind: str) -> Path:
    with tokenizer.get_dict_file() as fh:
        stat = Path(fh.name).stat()
    return Path(tempfile.gettempdir()) / (
        f"govqa-jieba-{kind}-{stat.st_size}-{int(stat.st_mtime)}.marshal"
    )


def _load_prefix_dict(tokenizer: Any) -> None:
    """What ``tokenizer.initialize()`` does, from our cache file when there is one."""
    cache = _cache_path(tokenizer, "dict")
    freq = _read_table(cache, int)
    with tokenizer.lock:
        if tokenizer.initialized:
            return
        if freq is not None:
            tokenizer.FREQ = freq
            tokenizer.total = freq.pop("", 0)
            tokenizer.initialized = True
            return
    tokenizer.initialize()
    _write_table(cache, {**tokenizer.FREQ, "": tokenizer.total}, int)


def _read_table(path: Path, kind: type) -> dict[str, Any] | None:
    try:
        words, values = marshal.loads(path.read_bytes())
        keys = words.split("\n")
        if kind is int:
            numbers = array.array("q")
            numbers.frombytes(values)
            table = dict(zip(keys, numbers, strict=True))
        else:
            table = dict(zip(keys, values.split("\n"), strict=True))
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return table


def _write_table(path: Path, table: dict[str, Any], kind: type) -> None:
    """What :func:`_read_table` reads: the words, and int64 values or str values."""
    words = "\n".join(table)
    if kind is int:
        payload: bytes | str = array.array("q", table.values()).tobytes()
    else:
        payload = "\n".join(table.values())
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as fh:
            fh.write(marshal.dumps((words, payload)))
        os.replace(fh.name, path)
    except OSError as e:  # a read-only temp dir only costs the next start time
        logger.debug("cannot cache jieba's table in %s: %s", path, e)
