"""LLM mode: what a model may invent in other words (figures in words, ranks and
superlatives, names in Chinese or pinyin) is rejected; true facts in other words pass."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from retrieval.types import Answer
from tests.integration.llm.scripted import (
    GDP_QUESTION,
    JIYUAN,
    WANCHENG,
    ScriptedLLM,
    citing,
    warnings_logged,
)

GROWTH_QUESTION = "宛城区2024年地区生产总值增速是多少？"
GROWTH_QUESTION_EN = "What was Wancheng District's GDP growth rate in 2024?"
RETAIL_QUESTION = "宛城区社会消费品零售总额增速是多少？"
CHAIR_QUESTION = "宛城区三级干部会议由谁主持？"


@dataclass
class Invented:
    question: str
    reply: str  # cites as {n} the source holding ``needle``
    needle: str
    invented: str  # what the answer must not say
    truth: str  # what the extractive answer says instead
    file: str = WANCHENG


INVENTED = {
    # figures written in words
    "percent in Chinese words": Invented(
        GROWTH_QUESTION,
        "宛城区2024年地区生产总值增长百分之九点九[{n}]。",
        "增长5.7%",
        "九点九",
        "5.7%",
    ),
    "percent in English words": Invented(
        GROWTH_QUESTION_EN,
        "Wancheng's GDP grew by nine point nine percent in 2024 [{n}].",
        "增长5.7%",
        "nine point nine",
        "5.7%",
    ),
    "tenths (成)": Invented(
        GDP_QUESTION,
        "宛城区2024年地区生产总值为414.9亿元，九成来自工业[{n}]。",
        "414.9亿元",
        "九成",
        "414.9亿元",
    ),
    "doubling twice (翻两番)": Invented(
        GDP_QUESTION,
        "宛城区2024年地区生产总值为414.9亿元，实现翻两番[{n}]。",
        "414.9亿元",
        "翻两番",
        "414.9亿元",
    ),
    "millions in English words": Invented(
        GROWTH_QUESTION_EN,
        "Wancheng's GDP grew by 5.7% in 2024, adding twelve million jobs [{n}].",
        "增长5.7%",
        "twelve million",
        "5.7%",
    ),
    # ranks and superlatives
    "first nationwide": Invented(
        RETAIL_QUESTION,
        "宛城区社会消费品零售总额增速7.3%，位列全国第一[{n}]。",
        "增速7.3%",
        "全国第一",
        "7.3%",
    ),
    "first in the province": Invented(
        RETAIL_QUESTION,
        "宛城区社会消费品零售总额增速7.3%，居河南省首位[{n}]。",
        "增速7.3%",
        "首位",
        "7.3%",
    ),
    "another metric's first place": Invented(
        GROWTH_QUESTION,
        "宛城区2024年地区生产总值增长5.7%，全市第一[{n}]。",
        "增长5.7%",
        "第一",
        "5.7%",
    ),
    "fastest in English": Invented(
        GROWTH_QUESTION_EN,
        "Wancheng's GDP grew by 5.7% in 2024, the fastest in Henan Province [{n}].",
        "增长5.7%",
        "fastest",
        "5.7%",
    ),
    # people
    "a chair with a compound surname": Invented(
        CHAIR_QUESTION, "欧阳振华主持了宛城区三级干部会议[{n}]。", "郭炜主持", "欧阳振华", "郭炜"
    ),
    "a chair beside a figure": Invented(
        GDP_QUESTION,
        "宛城区2024年地区生产总值为414.9亿元，会议由李大伟主持[{n}]。",
        "414.9亿元",
        "李大伟",
        "414.9亿元",
    ),
    "a chair in pinyin": Invented(
        "Who chaired the Jiyuan meeting?",
        "The meeting was chaired by Li Dawei [{n}].",
        "庄建球主持召开",
        "Li Dawei",
        "庄建球",
        JIYUAN,
    ),
    "a compound surname in pinyin": Invented(
        "Who chaired the Jiyuan meeting?",
        "Ouyang Zhenhua chaired the Jiyuan meeting [{n}].",
        "庄建球主持召开",
        "Ouyang",
        "庄建球",
        JIYUAN,
    ),
}


@pytest.mark.parametrize("case", INVENTED.values(), ids=INVENTED.keys())
def test_invented_fact_falls_back_to_the_extractive_answer(
    ask: Callable[[str], Answer],
    llm_server: ScriptedLLM,
    caplog: pytest.LogCaptureFixture,
    case: Invented,
) -> None:
    llm_server.reset(citing(case.reply, case.needle))
    answer = ask(case.question)
    shown = answer.answer + " ".join(s.snippet for s in answer.sources)
    assert case.invented not in shown
    assert answer.answered
    assert case.truth in answer.answer
    assert answer.sources[0].file == case.file
    assert case.truth in answer.sources[0].snippet
    (warning,) = warnings_logged(caplog)
    assert warning.startswith("LLM answer rejected:")


@pytest.mark.parametrize(
    ("question", "reply", "needle"),
    [
        (GROWTH_QUESTION, "宛城区2024年地区生产总值增长百分之五点七[{n}]。", "增长5.7%"),
        (GROWTH_QUESTION_EN, "Wancheng's GDP was 41.49 billion yuan in 2024 [{n}].", "414.9亿元"),
        (RETAIL_QUESTION, "宛城区社会消费品零售总额增速7.3%，全市第一[{n}]。", "增速7.3%"),
        ("Who chaired the Jiyuan meeting?", "Zhuang Jianqiu chaired it [{n}].", "庄建球主持召开"),
    ],
    ids=["percent in words", "billions in English", "a true first place", "a true name in pinyin"],
)
def test_true_facts_in_other_words_are_accepted(
    ask: Callable[[str], Answer],
    llm_server: ScriptedLLM,
    caplog: pytest.LogCaptureFixture,
    question: str,
    reply: str,
    needle: str,
) -> None:
    llm_server.reset(citing(reply, needle))
    answer = ask(question)
    assert answer.answer == reply.format(n=1)
    assert warnings_logged(caplog) == []
