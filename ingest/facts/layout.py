"""Text layout: the sentences and paragraphs of a text, looked up by offset."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

# A sentence: up to and including its end mark (and closing quotes), or a line.
_SENTENCE = re.compile(r"[^。！？!\n]+(?:[。！？!]+[”’」』）)]*)?")
# The longest evidence an official or a figure quotes. Report sentences run to a few
# hundred characters (732 at most in crud_gov_2k); a text without sentence ends is one
# "sentence" of up to millions, and quoting it whole for each of thousands of facts wrote
# 27 GB to the store for one 2-million-character report.
_MAX_EVIDENCE = 1_000


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    paragraph: int

    def text_of(self, text: str) -> str:
        return text[self.start : self.end].strip()


class _Layout:
    """Sentence spans of a text and lookup by offset."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sentences: list[_Sentence] = []
        paragraph = 0
        last = 0
        for m in _SENTENCE.finditer(text):
            paragraph += text.count("\n", last, m.start())
            last = m.start()
            if m.group(0).strip():
                self.sentences.append(_Sentence(m.start(), m.end(), paragraph))
        self._starts = [s.start for s in self.sentences]
        self._texts: dict[int, str] = {}  # sentence index -> its text, as asked for

    def index_at(self, offset: int) -> int:
        return max(bisect_right(self._starts, offset) - 1, 0)

    def text_at(self, index: int) -> str:
        """The text of sentence ``index``, sliced once however often it is asked for (a
        report without sentence ends is one sentence of up to millions of characters)."""
        text = self._texts.get(index)
        if text is None:
            text = self._texts[index] = self.sentences[index].text_of(self.text)
        return text

    def sentence_at(self, offset: int) -> str:
        if not self.sentences:
            return self.text.strip()
        return self.text_at(self.index_at(offset))

    def evidence_at(self, offset: int) -> str:
        """The sentence at ``offset``; of a sentence over _MAX_EVIDENCE characters (a text
        without sentence ends), the _MAX_EVIDENCE characters around ``offset``."""
        if not self.sentences:
            return self.text.strip()
        sentence = self.sentences[self.index_at(offset)]
        if sentence.end - sentence.start <= _MAX_EVIDENCE:
            return self.text_at(self.index_at(offset))
        end = min(max(offset - _MAX_EVIDENCE // 2, sentence.start) + _MAX_EVIDENCE, sentence.end)
        return self.text[end - _MAX_EVIDENCE : end].strip()


class _Occurrences:
    """Where any of some fixed words occurs in a text, for "is one inside [a, b)?" in
    O(log n): the same answer as ``re.search("w1|w2|...", text, a, b) is not None``."""

    def __init__(self, text: str, words: tuple[str, ...]) -> None:
        spans: list[tuple[int, int]] = []
        for word in words:  # every occurrence, overlapping ones too ("如今年以来")
            at = text.find(word)
            while at >= 0:
                spans.append((at, at + len(word)))
                at = text.find(word, at + 1)
        spans.sort()
        self._starts = [start for start, _ in spans]
        # _min_end[i]: the earliest end of the spans from i on
        self._min_end = [end for _, end in spans]
        for i in range(len(spans) - 2, -1, -1):
            self._min_end[i] = min(self._min_end[i], self._min_end[i + 1])

    def any_within(self, start: int, end: int) -> bool:
        i = bisect_left(self._starts, start)
        return i < len(self._starts) and self._min_end[i] <= end
