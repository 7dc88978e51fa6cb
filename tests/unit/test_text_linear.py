"""Cleaning and fact extraction take time in proportion to the text, whatever it holds."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from ingest.cleaning import clean_text
from ingest.facts import extract_facts
from ingest.script import to_simplified
from tests.helpers import SEEDS


def _fastest(*works: Callable[[], object], rounds: int = 5) -> list[float]:
    """The best time of each of ``works`` over ``rounds`` runs, taken in turn, so that a
    busy spell of the machine (another process, a second test worker) slows both sides
    of a comparison, not only one."""
    best = [float("inf")] * len(works)
    for _ in range(rounds):
        for n, work in enumerate(works):
            started = time.perf_counter()
            work()
            best[n] = min(best[n], time.perf_counter() - started)
    return best


@pytest.mark.timeout(60)
def test_an_unclosed_bracket_of_letters_is_left_at_once() -> None:
    """Each two more letters made the gloss pattern four times slower: 0.5 s for 22."""
    text = "召開(" + "abcdefghij" * 4 + "，會議"
    started = time.perf_counter()
    result = clean_text(text)
    assert time.perf_counter() - started < 5
    assert (result.text, result.glosses_removed) == (text, 0)


@pytest.mark.timeout(120)
def test_glosses_back_to_back_go_in_one_pass() -> None:
    """開(kāi)(kāi)… lost one gloss per pass over the text: 4.4 s for 10,000."""
    for count in (20_000, 40_000):
        result = clean_text("開" + "(kāi)" * count + "會")
        assert (result.text, result.glosses_removed) == ("開會", count)
    small, large = _fastest(
        lambda: clean_text("開" + "(kāi)" * 20_000), lambda: clean_text("開" + "(kāi)" * 40_000)
    )
    assert large < 3 * small, (small, large)


def test_two_known_names_before_a_title_do_not_crash_fact_extraction() -> None:
    """Two names already found, in the run before a title, moved its start past the end of
    the text (their offsets add up) and text[start - 1] raised IndexError: the ingest of
    such a report stopped with a traceback."""
    text = "区委书记王二主持，区长李四主持，某某某某王二某某李四书记张三"
    facts = extract_facts(text, region=None, meeting=None, date=None, year=None)
    assert [o.name for o in facts.officials] == ["王二", "李四"]


def test_a_text_without_sentence_ends_quotes_bounded_evidence() -> None:
    """Each fact quoted its whole sentence: for a 2-million-character report without a
    sentence end, thousands of facts wrote 27 GB of evidence to the store."""
    seeds = "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    han = "".join(ch for ch in to_simplified(seeds) if "\u4e00" <= ch <= "\u9fff")
    text = han * 20  # one "sentence" of about 50,000 characters
    facts = extract_facts(text, region=None, meeting=None, date=None, year="2024")
    assert facts.officials
    for official in facts.officials:
        assert official.name in official.sentence
        assert len(official.sentence) <= 1_000 and official.sentence in text
