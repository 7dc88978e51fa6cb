"""The stand-in for an LLM endpoint: an OpenAI-compatible server on 127.0.0.1 that replies
with scripted completions (faithful, fabricated, obeying an injected instruction,
refusing), sleeps past the timeout, fails with HTTP 500 or sends bytes that make no
completion, and records every request; and the answering chain with the LLM answerer.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import Runnable

from govqa.services import Services
from retrieval.answer import ExtractiveAnswerer
from retrieval.chain import build_chain
from retrieval.llm import LLMAnswerer
from retrieval.retriever import HybridRetriever
from retrieval.types import Answer

WANCHENG = "001_240d0124548b3155.txt"
JIADING = "004_c877433114cd8e59.txt"
JIYUAN = "000_362367a7f1d5f63f.txt"
GDP_QUESTION = "宛城区2024年地区生产总值是多少？"
TIMEOUT = 1.0


@dataclass
class Reply:
    content: str = ""
    status: int = 200
    delay: float = 0.0


@dataclass
class Raw:
    """A reply written byte for byte, as a broken endpoint or a proxy in front of it
    sends it: any status, content type and body, a wrong Content-Length, or trickled."""

    body: bytes
    status: int = 200
    content_type: str = "application/json"
    length: int | None = None  # the Content-Length sent (default: the body's)
    trickle: float = 0.0  # seconds between two bytes of the body
    trickle_headers: bool = False  # trickle the status line and headers too


Script = Reply | Raw | Callable[[dict[str, Any]], Reply]


class ScriptedLLM:
    """POST /v1/chat/completions → the scripted reply, as OpenAI's API would send it."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.errors: list[str] = []
        self.script: Script = Reply("NOT_FOUND")
        self.release = threading.Event()
        llm = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                llm.requests.append(body)
                if self.path != "/v1/chat/completions":
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                script = llm.script
                try:
                    reply = script(body) if callable(script) else script
                except AssertionError as e:  # a test's script did not fit the request
                    llm.errors.append(str(e))
                    reply = Reply(status=500)
                if isinstance(reply, Raw):
                    self._send_raw(reply)
                    return
                if reply.delay:
                    llm.release.wait(reply.delay)
                if reply.status != 200:
                    self._send(reply.status, {"error": {"message": "scripted failure"}})
                    return
                self._send(200, completion(body, reply.content))

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting: that is the timeout test

            def _send_raw(self, reply: Raw) -> None:
                self.close_connection = True
                head = (
                    f"HTTP/1.1 {reply.status} Scripted\r\n"
                    f"Content-Type: {reply.content_type}\r\n"
                    f"Content-Length: {reply.length or len(reply.body)}\r\n"
                    "Connection: close\r\n\r\n"
                ).encode()
                slow = reply.body if not reply.trickle_headers else head + reply.body
                try:
                    if not reply.trickle_headers:
                        self.wfile.write(head if reply.trickle else head + reply.body)
                        self.wfile.flush()
                    if reply.trickle:
                        for byte in slow:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            if llm.release.wait(reply.trickle):
                                return
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up: that is the deadline test

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def reset(self, script: Script) -> None:
        self.script = script
        self.requests.clear()
        self.errors.clear()


def completion(request: dict[str, Any], content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model", "scripted"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


def source_blocks(request: dict[str, Any]) -> dict[int, str]:
    """The numbered source blocks of the user message the server received."""
    user = request["messages"][-1]["content"]
    return {
        int(m.group(1)): m.group(2)
        for m in re.finditer(r'<source id="(\d+)"[^>]*>\n(.*?)\n</source>', user, re.S)
    }


def number_of(request: dict[str, Any], needle: str) -> int:
    """The number of the first source block that contains ``needle``."""
    for number, text in source_blocks(request).items():
        if needle in text:
            return number
    raise AssertionError(f"no source contains {needle!r}")


def citing(template: str, needle: str) -> Callable[[dict[str, Any]], Reply]:
    """A reply that cites, as {n}, whichever source holds ``needle``."""
    return lambda request: Reply(template.format(n=number_of(request, needle)))


def llm_chain(services: Services, chat_model: BaseChatModel) -> Runnable[str, Answer]:
    """The answering chain with the LLM answerer, built like `Services.chain`."""
    retriever = HybridRetriever(
        store=services.store,
        embeddings=services.embeddings,
        analyzer=services.analyzer,
        k=max(12, services.settings.retrieval.top_k),
    )
    top_k = services.settings.retrieval.top_k
    extractive = ExtractiveAnswerer(services.store, max_sources=top_k)
    answerer = LLMAnswerer(chat_model, extractive, services.store, max_sources=top_k)
    return build_chain(services.analyzer, retriever, answerer)


def warnings_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The WARNINGs of the LLM answerer: rejected answers, unreachable endpoint."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "retrieval.llm" and r.levelno == logging.WARNING
    ]
