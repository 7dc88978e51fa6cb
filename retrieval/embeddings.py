"""Sentence embeddings behind LangChain's ``Embeddings`` interface."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from langchain_core.embeddings import Embeddings

from models import BUNDLED_MODEL

if TYPE_CHECKING:
    import numpy as np

    from retrieval.onnx_model import OnnxEmbeddings

logger = logging.getLogger(__name__)


class EmbeddingError(Exception):
    """The embedding model cannot be loaded (message is one sentence)."""


@dataclass(frozen=True)
class EmbeddingConfig:
    """Which embedding model to load, and how; the composition root makes it from settings."""

    model: str  # BUNDLED_MODEL, or any sentence-transformers model name or local folder
    model_dir: Path  # where the bundled model's folders are built (absolute)
    backend: Literal["torch", "onnx"]
    encoder_id: str  # what made the vectors: a collection refuses another encoder's
    batch_size: int = 8


class SentenceTransformerEmbeddings(Embeddings):
    """A sentence-transformers model with E5-style query/passage prompts."""

    def __init__(
        self,
        model: Any,
        *,
        encoder_id: str,
        query_prompt: str = "",
        passage_prompt: str = "",
        batch_size: int = 8,
    ) -> None:
        self.model = model
        self.encoder_id = encoder_id
        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt
        self.batch_size = batch_size

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Normalised passage vectors, as a float32 array (one row a text)."""
        return self._encode(texts, self.passage_prompt)

    def encode_query(self, text: str) -> np.ndarray:
        return self._encode([text], self.query_prompt)[0]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode_query(text).tolist()

    def _encode(self, texts: Sequence[str], prompt: str) -> np.ndarray:
        return self.model.encode(
            list(texts),
            prompt=prompt or None,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )


def resolve_model_path(
    config: EmbeddingConfig, progress: Callable[[str], None] | None = None
) -> str:
    """The folder (or hub name) to load, preparing the bundled model when needed."""
    if config.model != BUNDLED_MODEL:
        return config.model
    from models.prepare import prepare

    return str(prepare(config.model_dir, progress=progress))


LoadedEmbeddings: TypeAlias = "SentenceTransformerEmbeddings | OnnxEmbeddings"
"""A loaded embedding model, whichever backend made it (what :func:`make_embeddings` returns)."""


def make_embeddings(
    config: EmbeddingConfig, progress: Callable[[str], None] | None = None
) -> LoadedEmbeddings:
    """Load the configured model once; prompts come from the model's own config."""
    match config.backend:
        case "onnx":
            return _onnx_embeddings(config, progress)
        case "torch":
            return _torch_embeddings(config, progress)


def _onnx_embeddings(
    config: EmbeddingConfig, progress: Callable[[str], None] | None
) -> OnnxEmbeddings:
    if config.model != BUNDLED_MODEL:
        raise EmbeddingError(
            "GOVQA_EMBEDDING_BACKEND=onnx works with the bundled model only; "
            "use GOVQA_EMBEDDING_BACKEND=torch for other models"
        )
    from models.prepare import prepare
    from retrieval.onnx_model import OnnxEmbeddings, OnnxEncoder

    folder = prepare(config.model_dir, int8_encoder=OnnxEncoder, progress=progress)
    try:
        encoder = OnnxEncoder(folder, batch_size=config.batch_size)
    except Exception as e:  # onnxruntime's errors have no common base
        raise EmbeddingError(f"cannot load the ONNX model in {folder}: {e}") from e
    return OnnxEmbeddings(encoder, encoder_id=config.encoder_id)


def _torch_embeddings(
    config: EmbeddingConfig, progress: Callable[[str], None] | None
) -> SentenceTransformerEmbeddings:
    path = resolve_model_path(config, progress)
    if config.model == BUNDLED_MODEL:
        # The bundled folder is complete on disk: never let a library reach for a hub.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
        model = SentenceTransformer(path, device="cpu")
    except Exception as e:  # any loader failure means the same thing to a user
        raise EmbeddingError(f"cannot load the embedding model {config.model!r}: {e}") from e
    prompts = getattr(model, "prompts", {}) or {}
    return SentenceTransformerEmbeddings(
        model,
        encoder_id=config.encoder_id,
        query_prompt=prompts.get("query", ""),
        passage_prompt=prompts.get("passage", prompts.get("document", "")),
        batch_size=config.batch_size,
    )
