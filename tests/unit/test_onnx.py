"""Which embedding backend the settings choose (the backends themselves:
tests/integration/test_onnx.py)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import make_settings


def test_the_bundled_model_defaults_to_onnx_and_others_to_torch(tmp_path: Path) -> None:
    def backend(**embedding: object) -> str:
        return make_settings(tmp_path, embedding=embedding).embedding.resolved_backend

    assert backend() == "onnx"
    assert backend(model="/models/bge-m3") == "torch"
    assert backend(backend="torch") == "torch"
