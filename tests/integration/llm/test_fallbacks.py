"""LLM mode when the model gives no usable answer (a refusal, a timeout, an HTTP or connection
error, a malformed or trickling reply): the extractive answer stands, in `govqa ask` and in
the bot too."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from govqa.backends import make_chat_model
from govqa.services import Services, build_services
from retrieval.messages import message
from retrieval.types import Answer
from tests.helpers import invoke_cli, make_settings
from tests.integration.llm.scripted import (
    GDP_QUESTION,
    JIYUAN,
    TIMEOUT,
    WANCHENG,
    Raw,
    Reply,
    ScriptedLLM,
    completion,
    llm_chain,
    warnings_logged,
)

# -- refusals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reply_text", ["NOT_FOUND", "资料中没有提到上海市市长。", "资料[1]中没有提到上海市的市长。"]
)
def test_not_found_completion_is_a_refusal(
    ask: Callable[[str], Answer],
    llm_server: ScriptedLLM,
    caplog: pytest.LogCaptureFixture,
    reply_text: str,
) -> None:
    llm_server.reset(Reply(reply_text))
    answer = ask("上海市市长是谁？")
    assert not answer.answered
    assert answer.answer.startswith(message("not_found", "zh-hans"))
    assert "高香" not in answer.answer.split("\n")[0] and answer.short_answer is None
    assert answer.sources == []
    assert warnings_logged(caplog) == []


def test_not_found_when_the_extractive_answerer_finds_it_gives_the_extractive_answer(
    ask: Callable[[str], Answer], llm_server: ScriptedLLM, caplog: pytest.LogCaptureFixture
) -> None:
    llm_server.reset(Reply("资料中没有找到这个问题的答案。"))
    answer = ask(GDP_QUESTION)
    assert answer.answered
    assert "414.9亿元" in answer.answer
    (warning,) = warnings_logged(caplog)
    assert "found no answer" in warning


# -- the endpoint fails ----------------------------------------------------------------


def test_timeout_falls_back_to_the_extractive_answer(
    ask: Callable[[str], Answer], llm_server: ScriptedLLM, caplog: pytest.LogCaptureFixture
) -> None:
    llm_server.reset(Reply("宛城区2024年地区生产总值为414.9亿元[1]。", delay=TIMEOUT + 2))
    started = time.perf_counter()
    answer = ask(GDP_QUESTION)
    assert time.perf_counter() - started < TIMEOUT + 1.5
    assert answer.answered
    assert answer.answer.startswith("答：414.9亿元")
    (warning,) = warnings_logged(caplog)
    assert "Timeout" in warning


def test_http_error_falls_back_to_the_extractive_answer(
    ask: Callable[[str], Answer], llm_server: ScriptedLLM, caplog: pytest.LogCaptureFixture
) -> None:
    llm_server.reset(Reply(status=500))
    answer = ask(GDP_QUESTION)
    assert answer.answered
    assert answer.answer.startswith("答：414.9亿元")
    assert len(llm_server.requests) == 1  # max_retries=0
    (warning,) = warnings_logged(caplog)
    assert "500" in warning


def test_unreachable_endpoint_falls_back(
    seeded: Services, caplog: pytest.LogCaptureFixture
) -> None:
    closed = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = closed.server_address[1]
    closed.server_close()  # nothing listens on this port now
    settings = make_settings(
        seeded.settings.store.data_dir,
        llm={
            "mode": "openai",
            "base_url": f"http://127.0.0.1:{port}/v1",
            "model": "scripted",
            "timeout": TIMEOUT,
        },
    )
    answer = llm_chain(seeded, make_chat_model(settings.llm)).invoke(GDP_QUESTION)
    assert answer.answer.startswith("答：414.9亿元")
    (warning,) = warnings_logged(caplog)
    assert "Connection" in warning


# -- malformed replies and a trickling endpoint ----------------------------------------

HTML_502 = (
    b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
    b"</h1></center><hr><center>nginx</center></body></html>"
)


def completion_json(content: str | None = "", **fields: Any) -> bytes:
    reply = completion({"model": "scripted"}, "")
    reply["choices"][0]["message"]["content"] = content
    return json.dumps({**reply, **fields}, ensure_ascii=False).encode()


MALFORMED = {
    "invalid JSON": Raw(b'{"id": "chatcmpl-1", "object": "chat.completion", "choices": [{"m'),
    "HTML 502 page": Raw(HTML_502, status=502, content_type="text/html"),
    "HTML page with status 200": Raw(HTML_502, content_type="text/html"),
    "plain-text error": Raw(
        b"upstream connect error or disconnect/reset", content_type="text/plain"
    ),
    "empty choices": Raw(completion_json(choices=[])),
    "no choices": Raw(b'{"id": "chatcmpl-1", "object": "chat.completion"}'),
    "JSON that is not an object": Raw(b'["not", "a", "completion"]'),
    "null content": Raw(completion_json(None)),
    "garbage stream": Raw(
        b'data: {"choices": [{"delta"\n\ndata: \x00\xff garbage\n\n',
        content_type="text/event-stream",
    ),
    "truncated stream": Raw(
        b'data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,'
        b'"delta":{"content":"414.9"}}]}\n\ndata: {"id":',
        content_type="text/event-stream",
    ),
    "body cut short": Raw(b'{"id": "chatcmpl-1", "choices": [', length=4000),
}


@pytest.mark.parametrize("reply", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_reply_falls_back_to_the_extractive_answer(
    ask: Callable[[str], Answer],
    llm_server: ScriptedLLM,
    caplog: pytest.LogCaptureFixture,
    reply: Raw,
) -> None:
    llm_server.reset(reply)
    answer = ask(GDP_QUESTION)
    assert answer.answer.startswith("答：414.9亿元")
    assert answer.sources[0].file == WANCHENG
    assert "414.9亿元" in answer.sources[0].snippet
    (warning,) = warnings_logged(caplog)
    assert warning.startswith(("LLM unavailable", "LLM answer rejected"))


@pytest.mark.timeout(60)
@pytest.mark.parametrize("headers", [False, True], ids=["body", "headers too"])
def test_trickling_endpoint_is_cut_off_at_the_timeout(
    ask: Callable[[str], Answer],
    llm_server: ScriptedLLM,
    caplog: pytest.LogCaptureFixture,
    headers: bool,
) -> None:
    # A faithful answer, one byte every quarter of the timeout: no single read times out.
    faithful = completion_json("宛城区2024年地区生产总值为414.9亿元[1]。")
    llm_server.reset(Raw(faithful, trickle=TIMEOUT / 4, trickle_headers=headers))
    started = time.perf_counter()
    answer = ask(GDP_QUESTION)
    assert time.perf_counter() - started < TIMEOUT + 3
    assert answer.answer.startswith("答：414.9亿元")
    assert answer.sources[0].file == WANCHENG
    (warning,) = warnings_logged(caplog)
    assert "Timeout" in warning


def llm_env(llm_server: ScriptedLLM) -> dict[str, str]:
    return {
        "GOVQA_LLM": "openai",
        "GOVQA_LLM_BASE_URL": llm_server.url,
        "GOVQA_LLM_MODEL": "scripted",
        "GOVQA_LLM_TIMEOUT": str(TIMEOUT),
    }


def test_ask_from_stdin_answers_every_question_when_the_llm_fails(
    seeded: Services, seeded_dir: Path, llm_server: ScriptedLLM
) -> None:
    llm_server.reset(MALFORMED["empty choices"])
    # Among them a line that is not UTF-8: 宛城 in GBK, cut short (a pasted file).
    garbled = "宛城".encode("gbk")[:3]
    questions = [GDP_QUESTION.encode(), b"Who chaired the Jiyuan meeting?", garbled]
    stdin = b"\n".join([*questions, GDP_QUESTION.encode()])
    result = invoke_cli(
        "ask", "--json", "-", data_dir=seeded_dir, stdin=stdin, env=llm_env(llm_server)
    )
    stderr = result.stderr
    assert result.returncode == 0, stderr
    assert "Traceback" not in stderr
    lines = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert len(lines) == 4
    assert lines[0]["answer"].startswith("答：414.9亿元")
    assert lines[0]["sources"][0]["file"] == WANCHENG
    assert "庄建球" in lines[1]["answer"]
    assert lines[1]["sources"][0]["file"] == JIYUAN
    assert not lines[2]["answered"]
    assert lines[3]["answer"].startswith("答：414.9亿元")
    assert llm_server.requests  # the model was asked, and failed
    assert "LLM unavailable" in stderr


def test_bot_replies_with_the_extractive_answer_when_the_llm_fails(
    seeded: Services, llm_server: ScriptedLLM
) -> None:
    from tests.integration.test_bot import FakeBotApi, RunningBot, answers_to, text_update

    settings = make_settings(
        seeded.settings.store.data_dir,
        llm={"mode": "openai", "base_url": llm_server.url, "model": "scripted", "timeout": TIMEOUT},
    )
    services = build_services(settings, embeddings=seeded.embeddings)
    llm_server.reset(MALFORMED["invalid JSON"])
    api = FakeBotApi().start()
    try:
        with RunningBot(api, services):
            # Not one the facts tables answer first: the model is asked, and fails.
            api.push(text_update(301, "宛城区哪个街道创出了财政增收的经验？"))
            [reply] = answers_to(api, 301, 1)
    finally:
        api.stop()
    assert "汉冶" in reply["text"]
    assert "出错" not in reply["text"]
    assert llm_server.requests
