"""The int8 ONNX backend: close to fp32, and never mixed with fp32 vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from govqa.services import ServiceError, Services, build_services
from tests.helpers import invoke_cli, make_settings

TEXTS = [
    "query: 宛城区2024年地区生产总值是多少？",
    "query: Who is the Party Secretary of Qianjiang District?",
    "passage: 区委书记陆方舟代表区委常委会作工作报告并讲话。",
    "passage: 全区生产总值首次突破400亿元大关，实现414.9亿元，增长5.7%；",
    "passage: 濟源網訊(記者 鄭海波 王會)12月23日至24日，示範區黨工委專題會議召開。",
]


def test_onnx_embeddings_are_close_to_fp32(tmp_path: Path) -> None:
    onnx = build_services(make_settings(tmp_path, embedding={"backend": "onnx"})).embeddings
    torch = build_services(make_settings(tmp_path, embedding={"backend": "torch"})).embeddings
    assert onnx.encoder_id.endswith("+onnx-int8")
    assert torch.encoder_id == "bundled:multilingual-e5-small"
    fp32 = torch.model.encode(TEXTS, normalize_embeddings=True)
    ours = onnx.encoder.encode(TEXTS)
    cosines = np.sum(fp32 * ours, axis=1)
    assert cosines.min() >= 0.98, cosines
    # The same question still finds the same report first.
    assert np.argmax(ours[2:] @ ours[0]) == np.argmax(fp32[2:] @ fp32[0])


def test_vectors_of_two_encoders_are_never_mixed(seeded: Services, seeded_dir: Path) -> None:
    other = "torch" if seeded.settings.embedding.resolved_backend == "onnx" else "onnx"
    with pytest.raises(ServiceError, match="holds vectors from"):
        build_services(make_settings(seeded_dir, embedding={"backend": other})).store  # noqa: B018
    result = invoke_cli(
        "ask", "嘉定区委书记是谁？", data_dir=seeded_dir, env={"GOVQA_EMBEDDING_BACKEND": other}
    )
    assert result.returncode == 2
    assert f"holds vectors from '{seeded.settings.embedding.encoder_id}'" in result.stderr
    assert f"GOVQA_EMBEDDING_BACKEND={seeded.settings.embedding.resolved_backend}" in result.stderr
    assert "Traceback" not in result.stderr
