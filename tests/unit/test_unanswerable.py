"""bench.unanswerable.generate on a few hand-written questions and texts (no corpus)."""

from __future__ import annotations

import re
from typing import Any

from bench.unanswerable import KINDS, PLACES, YEAR_POOL, Haystack, generate

TEXTS = [
    "宛城区2024年地区生产总值为414.9亿元。",
    "国家统计局发布数据。李国英部长强调，要做好防汛工作。",
    "搜狐公司第二季度总收入为1.5亿美元。",
    "鄢陵縣召開(kāi)會議。",  # traditional script with a pinyin gloss, as in seeds/
]


def _question(qid: str, text: str) -> dict[str, Any]:
    return {
        "id": qid,
        "question": text,
        "answers": ["x"],
        "docs": ["d"],
        "type": "figure",
        "lang": "zh-hans",
    }


QUESTIONS = [
    _question("q1", "宛城区2024年地区生产总值是多少？"),
    _question("q2", "李国英部长强调了什么？"),
    _question("q3", "搜狐公司第二季度总收入是多少？"),
    _question("q4", "国家统计局发布了什么数据？"),
    _question("q5", "什么是地区生产总值？"),  # nothing to change
]


def _by_id(made: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {m["id"]: m for m in made}


def test_every_kind_is_made_and_absent_from_the_texts() -> None:
    made = generate(QUESTIONS, TEXTS, n=10, seed=13)
    hay = Haystack(TEXTS)
    sources = {q["id"]: q["question"] for q in QUESTIONS}
    assert {m["changed"]["kind"] for m in made} == set(KINDS)
    for m in made:
        changed = m["changed"]
        kind = changed["kind"]
        source_id = re.fullmatch(rf"unans-(.+)-{kind}", m["id"]).group(1)  # type: ignore[union-attr]
        assert changed["from"] in sources[source_id]
        assert changed["from"] not in m["question"] and changed["to"] in m["question"]
        assert m["question"] == sources[source_id].replace(changed["from"], changed["to"])
        assert changed["to"] not in hay and all(changed["to"] not in t for t in TEXTS)
        assert (m["answers"], m["docs"], m["type"], m["lang"]) == (
            [],
            [],
            "unanswerable",
            "zh-hans",
        )
    by_id = _by_id(made)
    assert "q5" not in {i.split("-")[1] for i in by_id}
    year = by_id["unans-q1-year"]["changed"]
    assert year["from"] == "2024年" and int(year["to"][:-1]) in YEAR_POOL
    place = by_id["unans-q1-place"]["changed"]
    assert place["from"] == "宛城区" and place["to"] in PLACES
    assert place["to"][:-1] not in hay  # the stem too (鄢陵 of 鄢陵县)
    assert place["to"] != "鄢陵县"  # present in a traditional, glossed text
    assert by_id["unans-q2-person"]["changed"]["from"] == "李国英"
    org = by_id["unans-q3-org"]["changed"]
    assert org["from"] == "搜狐公司" and org["to"].endswith("公司")
    body = by_id["unans-q4-org"]["changed"]
    assert body["from"] == "国家统计局" and body["to"].endswith("统计局")
    assert body["to"][: -len("统计局")] in PLACES  # 国家 -> a county


def test_haystack_reads_traditional_script_and_glossed_text() -> None:
    hay = Haystack(TEXTS)
    assert "鄢陵县" in hay and "召开会议" in hay and "鄢陵" in hay
    assert "洛宁县" not in hay


def test_deterministic_for_a_seed_and_balanced() -> None:
    first = generate(QUESTIONS, TEXTS, n=10, seed=13)
    assert generate(QUESTIONS, TEXTS, n=10, seed=13) == first
    # Round-robin over the kinds: the first four made are one of each.
    assert [m["changed"]["kind"] for m in generate(QUESTIONS, TEXTS, n=4, seed=5)] == list(KINDS)
    assert len(generate(QUESTIONS, TEXTS, n=2, seed=13)) == 2


def test_nothing_to_change() -> None:
    assert generate([QUESTIONS[4]], TEXTS, n=5) == []
    # A question whose year is absent from the texts is no real mention: not changed.
    question = {**QUESTIONS[0], "id": "q6", "question": "2019年地区生产总值是多少？"}
    assert all(m["changed"]["kind"] != "year" for m in generate([question], TEXTS, n=5))
