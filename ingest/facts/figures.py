"""Figures: the numbers with units a report states, and what each is of.

A figure is an Arabic number with a unit from a closed list (亿元, %, 家, 个, 项, 个月, and
rates such as 立方米/秒), outside quotes and titles (``“141”``, ``《…2023…》``), not after 第
(ordinals), 每 (ratios) or 满/减 (coupons), not part of a code (``5G``), a class (``7座以下``)
or a date or year (年/月/日 are not units, so ``75周年`` and ``十四五`` never count), and not
a duration or a prison term (``为期3天``, ``有期徒刑3年零6个月``). Within a sentence, ``；``
separates statements and ``，`` clauses:

* metric - the words before the number back to the last clause break, after the last
  reporting verb (获悉, 介绍 ...), without scope and time words (全区, 2024年, 全年,
  截至6月末 ...) and trailing verbs (实现, 达到, 为 ...), with ``工作`` dropped and ``生产总值``
  read as 地区生产总值. With a counter unit (个, 项, 家, 人 ...) the noun after the unit, when
  there is one, is the metric (``完成45个市、区两级民生实事项目`` -> 民生实事项目, tiers like
  市、区两级 dropped; ``新增`` kept); so is the noun after an amount and 的 (``300万的小微企业续贷
  资金``). A clause with only a verb of its own (``实现414.9亿元``) takes the metric of the
  clause before it in the statement.
* change - a clause that is only a comparison (``增长5.7%``, ``同比增速18.42%``) is the change
  of the figure before it; ``分别增长a和b`` gives the changes of the figures before, in order.
  A list of values after ``分别为`` is skipped (which value is whose is not read).
* rank - ``全市第一``, ``位居中心城区第一``, in the figure's clause or a clause of its own right
  after it (not ``全省第九期``).
* note - a milestone (``首次突破400亿元``) followed by the exact value of the same metric is
  that value's note, not a figure; ``连续12个月`` and approximate values (``20余家``) are noted.
* kind - ``expected`` after 有望/预计/预期/可望 earlier in the statement; ``target`` after
  力争, 确保, 拟, 目标是, 下一步, 争取/将 + a verb (争取实现, 将举办), 计划 + an amount, or 要
  opening a clause, in the figure's own clause or a short clause leading it (``力争到2025年，``),
  or when the statement opens with 要 (``；要……系统性抓好290项改革任务``); else ``achieved``.
* year - the nearest year before the number in its sentence (``2024年``; 今年/去年/明年
  relative to the report's year; not ``比上年``, ``较2022年同期``, which are comparisons), else
  a year opening an earlier sentence of the paragraph (``2024年，全区……``, ``全会指出，2024年
  是……``), else the report's year; 目前/如今 after the year put the figure back in the
  report's year.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from ingest.facts.figure_drafts import (
    _attach_changes,
    _clean_metric,
    _counted,
    _Draft,
    _Item,
    _milestone_note,
)
from ingest.facts.figure_words import (
    _CHANGE_ONLY,
    _CLAUSE_BREAK,
    _CONTINUES,
    _COUNTERS,
    _DURATION,
    _EXPECTED_WORDS,
    _LIST_JOIN,
    _MILESTONE,
    _NEW,
    _NUMBER,
    _OPENING,
    _PLAN_STATEMENT,
    _POST_BREAK,
    _POST_CHARS,
    _PRESENT_WORDS,
    _QUOTED,
    _RANK,
    _RANK_ONLY,
    _RELATIVE_YEAR,
    _RUN,
    _SHORT_LEAD,
    _STATEMENT_BREAK,
    _TARGET,
    _YEAR,
)
from ingest.facts.layout import _Layout, _Occurrences
from ingest.facts.records import Figure, FigureKind


class _FigureReader:
    """Reads the figures of one text, statement by statement."""

    def __init__(self, text: str, layout: _Layout, report_year: int | None) -> None:
        self.text = text
        self.layout = layout
        self.report_year = report_year
        self.quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
        self.quoted_starts = [s for s, _ in self.quoted]
        self.years: list[tuple[int, str]] = []
        for m in _YEAR.finditer(text):
            year = self._year_of(m)
            if year and not self._quoted(m.start()):
                self.years.append((m.start(), year))
        self.year_starts = [p for p, _ in self.years]
        # Indices (into self.years) of the years that open their sentence.
        self.openings = [
            i
            for i, (at, _) in enumerate(self.years)
            if at - layout.sentences[layout.index_at(at)].start <= _OPENING
        ]
        self.present = _Occurrences(text, _PRESENT_WORDS)
        self.expected = _Occurrences(text, _EXPECTED_WORDS)
        # end of a post -> (where the last search started, the rank it found): see _rank
        self.ranks: dict[int, tuple[int, re.Match[str] | None]] = {}

    def _year_of(self, m: re.Match[str]) -> str | None:
        if m.group("abs"):
            return m.group("abs")
        if self.report_year is None:
            return None
        return str(self.report_year + _RELATIVE_YEAR[m.group("rel")])

    def _quoted(self, pos: int) -> bool:
        # The spans do not overlap, so only the last one starting before pos can hold it.
        i = bisect_left(self.quoted_starts, pos) - 1
        return i >= 0 and pos < self.quoted[i][1]

    def _year_at(self, pos: int) -> str | None:
        """The nearest year before ``pos`` in its sentence, else one opening an earlier sentence
        of its paragraph, else the report's year."""
        here = self.layout.sentences[self.layout.index_at(pos)]
        i = bisect_right(self.year_starts, pos) - 1
        if i < 0:
            pass
        elif self.present.any_within(max(self.years[i][0], here.start), pos):
            pass  # "2009年，义乌成为……，目前义乌共有……": now, not then
        elif self.years[i][0] >= here.start:
            return self.years[i][1]
        else:
            # The last year before this sentence that opens its own, if it is in this
            # paragraph (then so are the years after it, which open none).
            k = bisect_right(self.openings, i) - 1
            if k >= 0:
                at, year = self.years[self.openings[k]]
                if self.layout.sentences[self.layout.index_at(at)].paragraph == here.paragraph:
                    return year
        return str(self.report_year) if self.report_year is not None else None

    def figures(self) -> list[Figure]:
        drafts: list[_Draft] = []
        for sentence in self.layout.sentences:
            start = sentence.start
            for brk in [*_STATEMENT_BREAK.finditer(self.text, start, sentence.end), None]:
                end = brk.start() if brk else sentence.end
                drafts.extend(self._statement(start, end))
                start = brk.end() if brk else end
        seen: set[tuple[str, str, str, str | None]] = set()
        figures = []
        for d in drafts:
            key = (d.metric, d.value, d.unit, d.year)
            if key in seen:
                continue
            seen.add(key)
            figures.append(
                Figure(
                    metric=d.metric,
                    value=d.value,
                    unit=d.unit,
                    year=d.year,
                    change=d.change,
                    rank=d.rank,
                    kind=d.kind,
                    sentence=d.sentence,
                    note="；".join(dict.fromkeys(d.notes)) or None,
                )
            )
        return figures

    def _items(self, start: int, end: int) -> list[_Item]:
        """The numbers with units of a statement, with the words before and after each."""
        items: list[_Item] = []
        prev_end = start
        # The clause and post breaks are read once, as the numbers advance: a statement may
        # be a whole report, so nothing is rescanned from its start or to its end per number.
        clause_breaks = _CLAUSE_BREAK.finditer(self.text, start, end)
        post_breaks = _POST_BREAK.finditer(self.text, start, end)
        next_clause = next(clause_breaks, None)
        next_post = next(post_breaks, None)
        last_two: list[int] = []  # ends of the last two clause breaks before the number
        for m in _NUMBER.finditer(self.text, start, end):
            unit = ((m.group("mult") or "") + (m.group("base") or "")).replace("％", "%")
            if not unit:
                continue  # a year, a date, a code: its words still belong to the next number
            if self._quoted(m.start()):
                prev_end = m.end()
                continue
            while next_clause is not None and next_clause.start() < m.start():
                last_two = [*last_two[-1:], next_clause.end()]
                next_clause = next(clause_breaks, None)
            while next_post is not None and next_post.start() < m.end():
                next_post = next(post_breaks, None)
            clause_start = max([prev_end, *last_two])
            pre = self.text[clause_start : m.start()]
            lead_start = max([prev_end, *(b for b in last_two if b < clause_start)])
            lead = self.text[lead_start:clause_start]
            if len(lead) > _SHORT_LEAD:
                lead = ""
            post_end = next_post.start() if next_post is not None else end
            post = self.text[m.end() : min(post_end, m.end() + _POST_CHARS)]
            items.append(_Item(m, unit, pre, post, post_end, lead))
            prev_end = m.end()
        return items

    def _statement(self, start: int, end: int) -> list[_Draft]:
        items = self._items(start, end)
        drafts: list[_Draft] = []
        unchanged: list[_Draft] = []  # drafts without a change yet
        last_metric = ""
        i = 0
        while i < len(items):
            item = items[i]
            previous_noun = _counted(items[i - 1].post) if i else ""
            # A list of values joined by 、/和: "分别增长12.5%和14.8%", "分别为0.21%、0.37%".
            run = [item]
            if "分别" in item.pre:
                j = i + 1
                while j < len(items) and items[j].pre.strip() in _LIST_JOIN:
                    j += 1
                run = items[i:j]
            i += len(run)
            if _CHANGE_ONLY.fullmatch(item.pre):
                _attach_changes(drafts, unchanged, run)
                continue
            if len(run) > 1:
                continue  # "A、B、C分别为x、y、z": which value is whose is not read
            draft = self._draft(item, last_metric, previous_noun, start)
            if draft is None:
                continue
            last_metric = draft.metric
            drafts.append(draft)
            unchanged.append(draft)
        self._attach_ranks(drafts, start, end)
        return self._merge_milestones(drafts)

    def _draft(
        self, item: _Item, last_metric: str, previous_noun: str, start: int
    ) -> _Draft | None:
        m, pre, post = item.match, item.pre, item.post
        if _DURATION.search(pre):
            return None  # how long an event lasts, a prison term
        if previous_noun and pre.startswith(previous_noun):
            pre = pre[len(previous_noun) :]  # "6辆发电车18人": 发电车 was the 6's
        counter = (m.group("base") or m.group("mult")) in _COUNTERS
        metric = _clean_metric(pre)
        # "300万的小微企业续贷资金": an amount of the thing after 的 (a count with 的 after it,
        # "突破800万户的城市", qualifies something else).
        amount = (m.group("base") or "") not in _COUNTERS  # 亿元, 万, %: not a count of things
        counted = _counted(post.removeprefix("的") if amount else post)
        if counted and (counter or pre.endswith("的") or post.startswith("的") or not metric):
            metric = ("新增" if _NEW.search(pre) else "") + counted
        inherited = False
        if not metric:
            # Only a verb of its own ("实现414.9亿元"): the metric of the clause before.
            if not last_metric or not _CONTINUES.search(pre) or _clean_metric(pre):
                return None
            metric, inherited = last_metric, True
        value = m.group("num")
        notes = []
        if m.group("approx1") or m.group("approx2"):
            notes.append(m.group(0))
        if _RUN.search(pre):
            notes.append("连续" + m.group(0))
        milestone = _MILESTONE.search(pre)
        rank = self._rank(m.end(), item.post_end)
        return _Draft(
            metric=metric,
            inherited=inherited,
            value=value,
            unit=item.unit,
            year=self._year_at(m.start()),
            kind=self._kind(start, item),
            sentence=self.layout.evidence_at(m.start()),
            start=m.start(),
            rank=rank.group("rank") if rank else None,
            notes=notes,
            milestone=_milestone_note(milestone, value + item.unit),
        )

    def _kind(self, statement_start: int, item: _Item) -> FigureKind:
        """Expected after 有望/预计 in the statement; target by the words of the figure's own
        clause, a short clause that leads it ("力争到2025年，"), or a statement opening with 要."""
        words = item.lead + "，" + item.pre
        if self.expected.any_within(statement_start, item.match.start()):
            return "expected"
        if _TARGET.search(words) or _PLAN_STATEMENT.match(self.text, statement_start):
            return "target"
        return "achieved"

    def _rank(self, pos: int, end: int) -> re.Match[str] | None:
        """``_RANK.search(text[pos:end])``. The numbers of a long clause share its end; a
        search from a later number finds what the last one found if that lies after it, so
        no stretch of the clause is searched twice."""
        searched = self.ranks.get(end)
        if searched is not None:
            since, found = searched
            if since <= pos and (found is None or found.start() >= pos):
                return found
        found = _RANK.search(self.text, pos, end)
        self.ranks[end] = (pos, found)
        return found

    def _attach_ranks(self, drafts: list[_Draft], start: int, end: int) -> None:
        """A clause that is only a rank ("，全市第一") ranks the figure before it."""
        if not drafts:
            return
        pos = start
        before = 0  # drafts[:before] start before pos (drafts are in text order)
        for brk in [*_CLAUSE_BREAK.finditer(self.text, start, end), None]:
            clause_end = brk.start() if brk else end
            clause = self.text[pos:clause_end]
            if _RANK_ONLY.fullmatch(clause):
                while before < len(drafts) and drafts[before].start < pos:
                    before += 1
                if before and drafts[before - 1].rank is None:
                    rank = _RANK.search(clause)
                    drafts[before - 1].rank = rank.group("rank") if rank else None
            pos = brk.end() if brk else end

    @staticmethod
    def _merge_milestones(drafts: list[_Draft]) -> list[_Draft]:
        """A milestone followed by the exact value of its metric ("首次突破400亿元，实现414.9亿元")
        is that value's note; a milestone alone is a figure noted as one."""
        kept: list[_Draft] = []
        for i, d in enumerate(drafts):
            nxt = drafts[i + 1] if i + 1 < len(drafts) else None
            if (
                d.milestone
                and nxt is not None
                and nxt.unit == d.unit
                and nxt.metric == d.metric
                and nxt.inherited
            ):
                nxt.notes.insert(0, d.milestone)
                continue
            if d.milestone:
                d.notes.insert(0, d.milestone)
            kept.append(d)
        return kept
