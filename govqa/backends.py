"""Settings turned into what the lower layers take: plain values, not the settings.

``retrieval`` never reads :class:`~govqa.settings.Settings`; the composition root
(:mod:`govqa.services`) hands it an :class:`~retrieval.embeddings.EmbeddingConfig` made
here.
"""

from __future__ import annotations

from govqa.settings import Settings
from retrieval.embeddings import EmbeddingConfig


def embedding_config(settings: Settings) -> EmbeddingConfig:
    """The embedding model of ``settings``, as :func:`retrieval.embeddings.make_embeddings`
    takes it."""
    return EmbeddingConfig(
        model=settings.embedding_model,
        model_dir=settings.resolved_model_dir,
        backend=settings.backend,
        encoder_id=settings.encoder_id,
        batch_size=settings.embedding_batch_size,
    )
