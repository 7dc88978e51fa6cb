"""The name that follows a title: a known surname and one or two characters, or a ``·``
name; the rules are in :mod:`ingest.facts.officials`."""

from __future__ import annotations

import re

from ingest.facts.vocabulary import (
    _AFTER_NAME,
    _COMPOUND_SURNAMES,
    _DOT_NAME,
    _NOT_IN_NAME,
    _NOT_NAMES,
    _RESIDUE,
    _ROLE_ALT,
    _ROLE_ANYWHERE,
    _SURNAMES,
    _is_han,
)


def _boundary(text: str, pos: int) -> int:
    """How clearly a name ends at ``pos``: 9 at punctuation, a digit or the end, else the
    length of the genre word that follows (主持 = 2), 0 when nothing fits."""
    if pos >= len(text) or not _is_han(text[pos]):
        return 9
    after = _AFTER_NAME.match(text, pos)
    return len(after.group(0)) if after else 0


# A name does not end like a place, a title or a verb of saying: 舒兰市, 任团长, 陈杰称.
_NOT_NAME_END = re.compile(rf"[市县区省镇乡村说称]$|(?:{_ROLE_ALT})$")


def _plausible(name: str) -> bool:
    return (
        all(_is_han(ch) for ch in name)
        and not (set(name[1:]) & _NOT_IN_NAME)
        and name[:2] not in _NOT_NAMES
        and not _NOT_NAME_END.search(name[1:])
    )


class _Readings:
    """How often a text holds each reading of a name, and where one stands alone.

    Counted for every reading that may be asked for (after each role and each list
    separator) in one pass over the text, not with a scan of the whole text per name: a
    report of millions of characters names thousands of people.
    """

    def __init__(self, text: str, positions: list[int]) -> None:
        self.text = text
        readings = {c for pos in positions for c in _readings_at(text, pos)}
        # As str.count and re.finditer count: occurrences that do not overlap, left to right.
        self.counts = dict.fromkeys(readings, 0)
        self.alone: dict[str, list[int]] = {c: [] for c in readings}  # the first two
        if not readings:
            return
        last_end: dict[str, int] = {}
        lengths = sorted({len(c) for c in readings})
        firsts = re.compile("[" + "".join(map(re.escape, sorted({c[0] for c in readings}))) + "]")
        for m in firsts.finditer(text):
            i = m.start()
            for length in lengths:
                c = text[i : i + length]
                if c in self.counts and i >= last_end.get(c, 0):
                    last_end[c] = i + length
                    self.counts[c] += 1
                    alone = self.alone[c]
                    if len(alone) < 2 and (i == 0 or not _is_han(text[i - 1])):
                        alone.append(i)

    def count(self, name: str) -> int:
        counted = self.counts.get(name)
        return self.text.count(name) if counted is None else counted

    def stands_alone(self, name: str, skip: int) -> bool:
        """Whether ``name`` opens a clause somewhere other than at ``skip`` ("，郭金刚丧失")."""
        alone = self.alone.get(name)
        if alone is None:
            alone = [
                m.start()
                for m in re.finditer(re.escape(name), self.text)
                if m.start() == 0 or not _is_han(self.text[m.start() - 1])
            ][:2]
        return any(at != skip for at in alone)


def _readings_at(text: str, pos: int) -> list[str]:
    """The two- and three-character readings of a name starting at ``pos`` (three and four
    with a compound surname), longest first; none without a surname there."""
    if text[pos : pos + 2] in _COMPOUND_SURNAMES:
        surname = 2
    elif pos < len(text) and text[pos] in _SURNAMES:
        surname = 1
    else:
        return []
    return [
        text[pos : pos + surname + given] for given in (2, 1) if pos + surname + given <= len(text)
    ]


def _dot_name_at(text: str, pos: int) -> tuple[str, int] | None:
    """A "·" name (艾力更·依明巴海): the shortest reading that ends clearly, with no title
    inside ("自治区人大常委会主任阿不都·热合曼" is 阿不都·热合曼 after 主任, not after 常委)."""
    dot = _DOT_NAME.match(text, pos)
    if dot is None or _ROLE_ANYWHERE.search(dot.group(0)):
        return None
    first, _, _rest = dot.group(0).partition("·")
    if set(first) & _NOT_IN_NAME:
        return None  # "书记的夏帕克提·吾守尔"
    for end in range(pos + len(first) + 2, dot.end() + 1):
        if text[end : end + 1] != "·" and _boundary(text, end):
            return text[pos:end], end
    return None


def _name_at(text: str, pos: int, readings: _Readings) -> tuple[str, int] | None:
    """The name starting at ``pos`` and where it ends, or None.

    Of a two- and a three-character reading, the one followed more clearly by the end of a
    name wins (崔健|拿到 over 崔健拿|到), then the one the report repeats more often on its
    own (郭炜 of 郭炜主持 … 郭炜要求), then the longer one.
    """
    dot = _dot_name_at(text, pos)
    if dot:
        return dot
    candidates = [c for c in _readings_at(text, pos) if _plausible(c)]
    if not candidates:
        return None
    scored = [(_boundary(text, pos + len(c)), readings.count(c), len(c), c) for c in candidates]
    fitting = [x for x in scored if x[0]]
    if not fitting:
        fitting = [x for x in scored if readings.stands_alone(x[3], pos)]
    if not fitting:
        return None
    name = max(fitting)[3]
    return name, pos + len(name)


def _garbled_at(text: str, pos: int) -> tuple[str, int] | None:
    """A list member cut down to its surname ("、张、"): ``张?`` and where it ends."""
    if pos >= len(text) or text[pos] not in _SURNAMES:
        return None
    end = pos + 1
    residue = _RESIDUE.match(text, end)
    if residue:
        end = residue.end()
    if end < len(text) and text[end] not in "、，,。；;" and not residue:
        return None
    return text[pos] + "?", end


# Separators inside a leader list, and the characters they end with.
_LIST_SEP = re.compile(r"、|以及|和|及|与")
_LIST_SEP_END = re.compile(r"[、和及与]")


def _names_after(text: str, pos: int, readings: _Readings) -> list[tuple[str, int, int, bool]]:
    """The name, or list of names, that follows a title ending at ``pos``."""
    names: list[tuple[str, int, int, bool]] = []
    while True:
        found = _name_at(text, pos, readings)
        unknown = False
        if (
            found
            and names
            and (not _boundary(text, found[1]) or text[found[1] : found[1] + 1] in "（(")
        ):
            found = None  # list members after the first must end clearly: not "金拱门（中国）"
        if found is None and names and text[pos - 1] == "、":
            found = _garbled_at(text, pos)
            unknown = found is not None
        if found is None:
            break
        name, end = found
        names.append((name, pos, end, unknown))
        if text.startswith("同志", end):
            end += 2
        sep = _LIST_SEP.match(text, end)
        if sep is None or (sep.group(0) != "、" and len(names) < 2):
            break  # "主任王建国与李明": a conjunction joins a list only after a 、
        pos = sep.end()
    return names


class _Known:
    """The names found so far, and the lengths they come in."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.lengths: set[int] = set()

    def add(self, name: str) -> None:
        self.names.add(name)
        self.lengths.add(len(name))
