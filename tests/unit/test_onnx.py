"""Which embedding backend the settings choose (the backends themselves:
tests/integration/test_onnx.py)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import make_settings


def test_the_bundled_model_defaults_to_onnx_and_others_to_torch(tmp_path: Path) -> None:
    assert make_settings(tmp_path).backend == "onnx"
    assert make_settings(tmp_path, embedding_model="/models/bge-m3").backend == "torch"
    assert make_settings(tmp_path, embedding_backend="torch").backend == "torch"
