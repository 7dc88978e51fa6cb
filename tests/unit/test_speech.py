"""Speech points: what each speaker said, sentence by sentence — scored on the seeds
against a hand gold, and on invented texts for each rule.

The gold (``tests/data/speech_gold.jsonl``) was written by reading the five seeds, not
from the extractor's output: every sentence of reported speech, with its speaker (会议 /
全会 for the meeting itself), the verb that introduced it and its paragraph.
"""

from __future__ import annotations

import json
import re

import pytest

from ingest.facts import SpeechPoint, extract_facts
from tests.helpers import ROOT
from tests.unit.test_facts import SEED_FILES, facts, precision_recall

GOLD = [
    json.loads(line)
    for line in (ROOT / "tests" / "data" / "speech_gold.jsonl").read_text("utf-8").splitlines()
    if line.strip()
]


def _same_text(a: str, b: str) -> bool:
    # 著/着: the gold writes the standard simplified 着力 where the converter keeps 著力
    def norm(text: str) -> str:
        return re.sub(r"[\s。！？；;，,、“”\"（）()]", "", text.replace("著", "着"))

    return norm(a) == norm(b)


@pytest.mark.parametrize("seed_file", SEED_FILES)
def test_speech_points_of_the_seeds_match_the_hand_gold(seed_file: str) -> None:
    gold = [g for g in GOLD if g["doc"] == seed_file]
    points = facts(seed_file).points
    precision, recall = precision_recall(
        list(points),
        gold,
        lambda p, g: p.speaker == g["speaker"] and _same_text(p.point, g["point"]),
    )
    assert (precision, recall) >= (0.95, 0.95), (seed_file, precision, recall)
    # each point carries the verb that introduced it and its paragraph
    for point in points:
        match = next(g for g in gold if _same_text(point.point, g["point"]))
        assert (point.verb, point.paragraph) == (match["verb"], match["paragraph"])


def _points(text: str) -> list[SpeechPoint]:
    return list(extract_facts(text, region="河西区", meeting=None, date=None, year=None).points)


def test_a_pronoun_speaks_for_the_person_named_before_it() -> None:
    text = (
        "区委书记王明出席会议并讲话。他强调，要抓好安全生产。要做好汛期准备工作。"
        "会议通报了上半年工作情况。"
    )
    assert [(p.speaker, p.verb, p.point) for p in _points(text)] == [
        ("王明", "强调", "要抓好安全生产。"),
        ("王明", "强调", "要做好汛期准备工作。"),
    ]  # and the narrative sentence after them is nobody's point


def test_the_meeting_speaks_only_where_it_opens_a_clause() -> None:
    points = _points("会议要求，各单位要压实防汛责任。")
    assert [(p.speaker, p.point) for p in points] == [("会议", "各单位要压实防汛责任。")]
    # "按照市委全会部署要求，…": the 全会 is what is followed, not a speaker
    assert _points("区政府按照市委六次全会部署要求，认真总结了全年工作。") == []


def test_a_run_goes_on_into_a_paragraph_that_continues_it() -> None:
    text = (
        "区长李华要求，一要稳住工业增长。\n"
        "二要抓好项目建设。\n"
        "会议听取了各街道的工作汇报。\n"
        "要强化督查考核。"
    )
    points = _points(text)
    assert [(p.point, p.paragraph) for p in points] == [
        ("一要稳住工业增长。", 0),
        ("二要抓好项目建设。", 1),
    ]  # the narrative paragraph ends the run; the "要…" after it has no speaker


def test_headlines_and_bylines_are_no_points() -> None:
    text = "王明在全区工作大会上强调\n区委书记王明指出，要把发展放在首位。\n(记者 赵六)"
    assert [(p.speaker, p.point) for p in _points(text)] == [("王明", "要把发展放在首位。")]


def test_a_second_speaker_ends_the_first_ones_run() -> None:
    text = "区委书记王明强调，要守好防汛底线。区长李华指出，要加快老城改造。"
    assert [(p.speaker, p.point) for p in _points(text)] == [
        ("王明", "要守好防汛底线。"),
        ("李华", "要加快老城改造。"),
    ]


def test_a_verb_read_as_a_name_is_no_speaker() -> None:
    # the name reader takes 强调 for the name after 区委书记; it says nothing itself
    assert _points("区委书记强调要求，各单位要抓好安全生产。") == []
