"""Tokens for the lexical (BM25) index: jieba words plus Han character bigrams.

jieba's search mode finds words and their sub-words; bigrams catch the names and
terms jieba splits badly (庄建球 → 庄建 建球). Both sides — index and question — go
through the same function, on simplified text.
"""

from __future__ import annotations

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


class Tokenizer:
    """Turns simplified text into lexical tokens. jieba loads once, on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    @cached_property
    def _jieba(self) -> Any:
        with self._lock:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            return jieba

    @cached_property
    def tags(self) -> dict[str, str]:
        """jieba's part-of-speech tag of each dictionary word ("ns" = place name).

        jieba.posseg parses its dictionary text on every start (over a second); the
        table is kept in a marshal file beside jieba's own cache, keyed by the
        dictionary's size and time, so a cold ``govqa ask`` reads it in a tenth of that.
        """
        dictionary = Path(self._jieba.get_dict_file().name)
        stat = dictionary.stat()
        cache = Path(tempfile.gettempdir()) / (
            f"govqa-jieba-tags-{stat.st_size}-{int(stat.st_mtime)}.marshal"
        )
        try:
            table: dict[str, str] = marshal.loads(cache.read_bytes())
            return table
        except (OSError, ValueError, EOFError, TypeError):
            pass
        import jieba.posseg

        table = dict(jieba.posseg.dt.word_tag_tab)
        try:
            with tempfile.NamedTemporaryFile(dir=cache.parent, delete=False) as fh:
                fh.write(marshal.dumps(table))
            os.replace(fh.name, cache)
        except OSError as e:  # a read-only temp dir only costs the next start time
            logger.debug("cannot cache jieba's tags in %s: %s", cache, e)
        return table

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
