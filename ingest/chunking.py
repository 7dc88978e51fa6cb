"""Split cleaned report text into sentences and pack them into overlapping chunks."""

from __future__ import annotations

import re
from collections.abc import Callable

from ingest.types import Chunk

# A sentence ends at Chinese or ASCII end punctuation (with any closing quotes that
# follow it) or at a line break. Decimal points ("414.9") never match: "." is not here.
_SENTENCE_END = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』）)]*|\n|$)")

TARGET_CHARS = 300
MAX_CHARS = 400
OVERLAP_CHARS = 120


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order, stripped, without empty ones."""
    return [s.strip() for s in _pieces(text)]


def _pieces(text: str) -> list[str]:
    """Sentences with their line break kept (``"标题\n"``), so they can be joined back."""
    pieces = (m.group(0) for m in _SENTENCE_END.finditer(text))
    return [p.strip(" \t") for p in pieces if p.strip()]


def _hard_wrap(sentence: str) -> list[str]:
    """Cut an over-long sentence at commas, or bluntly, into pieces under MAX_CHARS."""
    if len(sentence) <= MAX_CHARS:
        return [sentence]
    pieces: list[str] = []
    current = ""
    for part in re.split(r"(?<=[，,、：:])", sentence):
        cut = 0  # cut by position, not by slicing off the front: a part may be a whole book
        while len(part) - cut > MAX_CHARS:
            pieces.append(part[cut : cut + MAX_CHARS])
            cut += MAX_CHARS
        part = part[cut:]
        if current and len(current) + len(part) > MAX_CHARS:
            pieces.append(current)
            current = ""
        current += part
    if current:
        pieces.append(current)
    return pieces


def chunk_text(doc_id: str, text: str, to_index: Callable[[str], str]) -> list[Chunk]:
    """Pack sentences into chunks of about TARGET_CHARS (never over MAX_CHARS).

    Consecutive chunks share their boundary sentence(s), up to OVERLAP_CHARS, so an
    answer that straddles a boundary is still whole in one chunk.
    """
    sentences = [piece for s in _pieces(text) for piece in _hard_wrap(s)]
    groups: list[list[str]] = []
    current: list[str] = []
    size = 0  # characters in `current`, kept as it grows (a chunk may hold 400 one-mark lines)
    fresh = 0  # sentences in `current` that are not overlap from the previous chunk
    for sentence in sentences:
        if fresh and (size >= TARGET_CHARS or size + len(sentence) > MAX_CHARS):
            groups.append(current)
            overlap: list[str] = []
            overlap_size = 0
            for previous in reversed(current):
                if overlap_size + len(previous) > OVERLAP_CHARS:
                    break
                overlap.append(previous)
                overlap_size += len(previous)
            overlap.reverse()
            if overlap_size + len(sentence) > MAX_CHARS:
                overlap, overlap_size = [], 0
            current, fresh, size = overlap, 0, overlap_size
        current.append(sentence)
        size += len(sentence)
        fresh += 1
    if fresh:
        groups.append(current)
    return [
        Chunk(doc_id=doc_id, chunk_no=i, text=text, index_text=to_index(text))
        for i, text in enumerate("".join(g).strip() for g in groups)
    ]
