"""Settings turned into what the lower layers take: plain values and ready clients.

``retrieval`` never reads :class:`~govqa.settings.Settings`; the composition root
(:mod:`govqa.services`) hands it an :class:`~retrieval.embeddings.EmbeddingConfig` made
here, and the chat model of LLM mode built here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import SecretStr

from govqa.settings import EmbeddingSettings, LLMSettings
from retrieval.embeddings import EmbeddingConfig

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


class LLMConfigError(Exception):
    """LLM mode is misconfigured (message is one sentence)."""


def embedding_config(embedding: EmbeddingSettings) -> EmbeddingConfig:
    """The embedding settings as :func:`retrieval.embeddings.make_embeddings` takes them."""
    return EmbeddingConfig(
        model=embedding.model,
        model_dir=embedding.resolved_model_dir,
        backend=embedding.resolved_backend,
        encoder_id=embedding.encoder_id,
        batch_size=embedding.batch_size,
    )


def make_chat_model(llm: LLMSettings) -> BaseChatModel:
    """The chat model of LLM mode: ChatOpenAI at any OpenAI-compatible endpoint."""
    match llm.mode:
        case "openai":
            missing = [
                name
                for name, value in (
                    ("GOVQA_LLM_BASE_URL", llm.base_url),
                    ("GOVQA_LLM_MODEL", llm.model),
                )
                if not value.strip()
            ]
            if missing:
                raise LLMConfigError(
                    f"GOVQA_LLM=openai needs {' and '.join(missing)}: the address of an "
                    "OpenAI-compatible endpoint and the model to use there."
                )
            from langchain_openai import ChatOpenAI

            from retrieval.llm_http import deadline_client

            # Local servers need no key, but the OpenAI client refuses an empty one: send a
            # placeholder rather than OPENAI_API_KEY, which may belong to another service.
            key = llm.api_key
            api_key = key if key.get_secret_value() else SecretStr("not-needed")
            chat: BaseChatModel = ChatOpenAI(
                base_url=llm.base_url.strip(),
                model=llm.model.strip(),
                api_key=api_key,
                timeout=llm.timeout,
                # GOVQA_LLM_TIMEOUT bounds the whole request, not each read of it.
                http_client=deadline_client(llm.timeout, llm.base_url.strip()),
                max_retries=0,
                temperature=0,
            )
            return chat
        case _:
            raise LLMConfigError(
                f"LLM mode is off (GOVQA_LLM={llm.mode}); set GOVQA_LLM=openai to use one."
            )
