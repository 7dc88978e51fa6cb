"""Where the titles before a name start: after the last verb in their run of Han
characters, a name already found and a leading function word; the rules are in
:mod:`ingest.facts.officials`."""

from __future__ import annotations

import re
from bisect import bisect_right

from ingest.facts.names import _Known
from ingest.facts.vocabulary import _ENDS_IN_ROLE, _TITLE_CUT, _TITLE_LEAD, _after_last

# What a title's run is made of: it starts after the last other character (or at floor).
_NOT_IN_RUN = re.compile(r"[^\u4e00-\u9fff“”]")
# Closing quotes skipped at the start of a title.
_CLOSING_QUOTES = re.compile(r"”+")
# How far past where it starts a try of _TITLE_CUT reads (揭牌仪式 is 4 characters, 调研 is
# 2 and one looked ahead), and of _TITLE_LEAD (16 characters, a 2-character word, 由, and
# one looked ahead), with room to spare: a match that starts this far before the end of
# what is searched is the same however much further the text goes.
_CUT_REACH = 12
_LEAD_REACH = 32


class _RunScan:
    """The known names in ``text[origin:end]`` for a growing ``end``, each position read
    once: the last place of each name, and the sum :meth:`_TitleStarts._find` moves by."""

    def __init__(self, origin: int) -> None:
        self.origin = origin
        self.end = origin
        self.last: dict[str, int] = {}  # name -> last position, from origin
        self.total = 0  # the sum over self.last of position + length

    def shift(self, text: str, end: int, known: _Known) -> int:
        if known.lengths:
            longest = max(known.lengths)
            for i in range(max(self.origin, self.end - longest + 1), end):
                for length in known.lengths:
                    if self.end < i + length <= end and text[i : i + length] in known.names:
                        name, at = text[i : i + length], i - self.origin
                        before = self.last.get(name)
                        self.total += at + length if before is None else at - before
                        self.last[name] = at
        self.end = end
        return self.total


class _CutScan:
    """``_after_last(_TITLE_CUT, text, start, end)`` for one ``start`` and growing ends.
    Matches that start _CUT_REACH before an end are the same for every later end, so the
    next call resumes after them instead of reading from ``start`` again."""

    def __init__(self, start: int) -> None:
        self.start = start
        self.resume = start  # the scan from start tries here afresh whatever the end
        self.last = start  # where the last match before resume ends (start if none)
        self.asked = start  # the last end asked for

    def after(self, text: str, end: int) -> int:
        if end < self.asked:
            return _after_last(_TITLE_CUT, text, self.start, end)
        self.asked = end
        answer = self.last
        for m in _TITLE_CUT.finditer(text, self.resume, end):
            answer = m.end()
            if m.start() + _CUT_REACH <= end:
                self.last = self.resume = m.end()
        self.resume = max(self.resume, end - _CUT_REACH + 1)
        return answer


class _TitleStarts:
    """Where title elements start: after the last verb in their run of Han characters, a
    name already found (王建国与某集团董事长李明), and a leading function word; never
    before ``floor``, the end of the mention before.

    In a report without punctuation a run can be a page long and every role in it looks
    back to the same place. Reading the run again for each role made officials quadratic in
    its length; here what was read of a run is kept and extended for the next role, giving
    the answer a reading of the whole run gives.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: dict[tuple[int, int, int], int] = {}  # (end, floor, names known) -> start
        self.runs: dict[tuple[int, int], _RunScan] = {}  # (origin, names known) -> scan
        self.cuts: dict[int, _CutScan] = {}  # start -> scan
        self.leads: dict[int, int | None] = {}  # start -> end of _TITLE_LEAD there
        self.quotes = [(m.start(), m.end()) for m in _CLOSING_QUOTES.finditer(text)]
        self.quote_starts = [start for start, _ in self.quotes]
        self.walked_to = 0  # the last end walked back from (ends mostly grow) ...
        self.walked_from = 0  # ... and where its run starts

    def find(self, end: int, floor: int, known: _Known) -> int:
        key = (end, floor, len(known.names))
        start = self.found.get(key)
        if start is None:
            start = self.found[key] = self._find(end, floor, known)
        return start

    def _find(self, end: int, floor: int, known: _Known) -> int:
        origin = max(floor, self._run_start(end, floor)) if end > floor else end
        run = self.runs.get((origin, len(known.names)))
        if run is None or run.end > end:
            run = self.runs[(origin, len(known.names))] = _RunScan(origin)
        # Each known name in the run moves the start past its last place, counted from where
        # the name before left it (so two names add up: the loop over the names this
        # replaces did so, and what it extracted is kept as it was).
        start = origin + run.shift(self.text, end, known)
        cuts = self.cuts.get(start)
        if cuts is None:
            cuts = self.cuts[start] = _CutScan(start)
        start = cuts.after(self.text, end)
        # a quote that closed before the title: "……。”湖北省十堰市……科长"
        i = bisect_right(self.quote_starts, start) - 1
        if start < end and i >= 0 and start < self.quotes[i][1]:
            start = min(self.quotes[i][1], end)
        return self._after_lead(start, end)

    def _run_start(self, end: int, floor: int) -> int:
        """Where the run of title characters ending at ``end`` starts (not before floor)."""
        if end >= self.walked_to:
            for stop in _NOT_IN_RUN.finditer(self.text, self.walked_to, end):
                self.walked_from = stop.end()
            self.walked_to = end
            return self.walked_from
        start = end  # an earlier end (the title before a 、): walk back
        while start > floor and not _NOT_IN_RUN.match(self.text[start - 1]):
            start -= 1
        return start

    def _after_lead(self, start: int, end: int) -> int:
        """Past a leading function word: ``_TITLE_LEAD.match(text, start, end)``, from one
        match to the end of the text per start when it ends _LEAD_REACH before ``end``."""
        if start not in self.leads:
            whole = _TITLE_LEAD.match(self.text, start)
            self.leads[start] = whole.end() if whole else None
        after = self.leads[start]
        if (after if after is not None else start) + _LEAD_REACH <= end:
            return after if after is not None else start
        lead = _TITLE_LEAD.match(self.text, start, end)
        return lead.end() if lead else start


def _titles_before(
    text: str, role_end: int, floor: int, known: _Known, starts: _TitleStarts
) -> tuple[tuple[str, ...], int]:
    """The titles joined by 、 that end at ``role_end``, and where the first starts."""
    start = starts.find(role_end, floor, known)
    titles = [text[start:role_end]]
    # A slice, not text[start - 1]: known names can move a start past the end of the text.
    while start - 1 > floor and text[start - 1 : start] == "、":
        prev_start = starts.find(start - 1, floor, known)
        prev = text[prev_start : start - 1]
        if not prev or not _ENDS_IN_ROLE.search(prev):
            break
        titles.insert(0, prev)
        start = prev_start
    return tuple(titles), start
