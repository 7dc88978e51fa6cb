"""Fixtures of the LLM-mode tests: the scripted server (one per test module), a chat model
pointed at it, and ``ask`` through the whole chain over the seeded store. A test fails when
a scripted reply did not fit the request it got.

Everything but the endpoint is real: the model, Chroma, the hybrid retriever, the
extractive answerer the LLM answerer falls back to.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator

import pytest
from langchain_core.language_models import BaseChatModel

from govqa.backends import make_chat_model
from govqa.services import Services
from retrieval.types import Answer
from tests.helpers import make_settings
from tests.integration.llm.scripted import TIMEOUT, ScriptedLLM, llm_chain


@pytest.fixture(scope="module")
def llm_server() -> Iterator[ScriptedLLM]:
    llm = ScriptedLLM()
    thread = threading.Thread(target=llm.server.serve_forever, daemon=True)
    thread.start()
    yield llm
    llm.release.set()
    llm.server.shutdown()
    llm.server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def chat_model(llm_server: ScriptedLLM, tmp_path_factory: pytest.TempPathFactory) -> BaseChatModel:
    settings = make_settings(
        tmp_path_factory.mktemp("llm"),
        llm={"mode": "openai", "base_url": llm_server.url, "model": "scripted", "timeout": TIMEOUT},
    )
    return make_chat_model(settings.llm)


@pytest.fixture(scope="module")
def ask(seeded: Services, chat_model: BaseChatModel) -> Callable[[str], Answer]:
    return llm_chain(seeded, chat_model).invoke


@pytest.fixture(autouse=True)
def _capture(caplog: pytest.LogCaptureFixture, llm_server: ScriptedLLM) -> Iterator[None]:
    caplog.set_level(logging.WARNING, logger="retrieval.llm")
    yield
    assert llm_server.errors == [], "a scripted reply did not fit the request"
