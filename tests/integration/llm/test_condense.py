"""LLM mode: follow-up questions rewritten by the chat model as standalone questions."""

from __future__ import annotations

import pytest
from langchain_core.language_models import BaseChatModel

from retrieval.llm import condense_question
from tests.integration.llm.scripted import GDP_QUESTION, Reply, ScriptedLLM, warnings_logged


def test_condense_question_rewrites_a_follow_up(
    chat_model: BaseChatModel, llm_server: ScriptedLLM
) -> None:
    llm_server.reset(Reply("嘉定区委书记陆方舟还强调了什么？"))
    history = [("嘉定区委书记是谁？", "答：陆方舟")]
    assert condense_question(chat_model, history, "他还强调了什么？") == (
        "嘉定区委书记陆方舟还强调了什么？"
    )
    (request,) = llm_server.requests
    user = request["messages"][-1]["content"]
    assert "嘉定区委书记是谁？" in user and "陆方舟" in user and "他还强调了什么？" in user


def test_condense_question_keeps_the_question_on_errors(
    chat_model: BaseChatModel, llm_server: ScriptedLLM, caplog: pytest.LogCaptureFixture
) -> None:
    llm_server.reset(Reply(status=500))
    history = [(GDP_QUESTION, "答：414.9亿元")]
    assert condense_question(chat_model, history, "那嘉定区呢？") == "那嘉定区呢？"
    assert warnings_logged(caplog)
    llm_server.reset(Reply("NOT_FOUND"))
    assert condense_question(chat_model, [], "那嘉定区呢？") == "那嘉定区呢？"
    assert llm_server.requests == []  # no history: nothing to rewrite, no request


def test_condense_question_keeps_the_script_of_the_follow_up(
    chat_model: BaseChatModel, llm_server: ScriptedLLM
) -> None:
    llm_server.reset(Reply("改写后的问题：嘉定区2024年地区生产总值是多少？"))
    history = [("宛城區2024年地區生產總值是多少？", "答：414.9億元")]
    assert (
        condense_question(chat_model, history, "那嘉定區呢？") == "嘉定區2024年地區生產總值是多少？"
    )
