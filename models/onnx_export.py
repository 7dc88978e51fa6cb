"""The int8 ONNX build of the bundled model, made once from its fp32 folder.

``torch.onnx.export`` of the XLM-R encoder with eager attention, onnxruntime's transformer
optimizer (fused attention, skip-layer-norm and bias-GELU nodes), then
``onnxruntime.quantization.quantize_dynamic`` (int8 weights). We export ourselves rather
than through sentence-transformers' ONNX backend, whose exporter (optimum) pins
transformers < 4.58 while sentence-transformers 6 needs transformers ≥ 5. The build is
kept only if the encoder that will run it (:class:`retrieval.onnx_model.OnnxEncoder`,
handed in by the caller) embeds a few texts as the fp32 model does.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from models import ModelPrepError

logger = logging.getLogger(__name__)

ONNX_FOLDER = "multilingual-e5-small-onnx-int8"
MARKER = "govqa-onnx.json"
# 2: eager attention + fused nodes (~1.3× format 1; vectors within cosine 0.995 of it).
FORMAT_VERSION = 2
# Texts that must embed alike with torch fp32 and onnx int8 before a build is kept.
_CHECK_TEXTS = (
    "passage: 宛城区三级干部会议在区会议中心召开，区委书记樊牛出席并讲话。",
    "passage: 全区生产总值首次突破400亿元大关，实现414.9亿元，增长5.7%。",
    "query: 嘉定区委书记是谁？",
    "query: Who chaired the Jiyuan meeting?",
    "passage: 濟源網訊(記者 鄭海波 王會)12月23日至24日，示範區黨工委專題會議召開。",
    "query: What was Wancheng District's GDP growth rate in 2024?",
)
_MIN_COSINE = 0.98


class Encoder(Protocol):
    """What checks a build: normalised vectors of texts, one row a text."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


#: Opens a built folder for the check: the class that will run it (``OnnxEncoder``).
EncoderFactory = Callable[[Path], Encoder]


def prepare_onnx_model(
    model_dir: Path,
    fp32_folder: Path,
    progress: Callable[[str], None] | None = None,
    *,
    encoder: EncoderFactory,
) -> Path:
    """Build ``<model_dir>/multilingual-e5-small-onnx-int8`` once; return its path.

    A new build is kept only if ``encoder`` (the runtime encoder, opened on the new folder)
    embeds a few texts within cosine 0.98 of the fp32 folder.
    """
    final = model_dir / ONNX_FOLDER
    source_marker = (fp32_folder / "govqa-build.json").read_text(encoding="utf-8")
    if _is_current(final, source_marker):
        return final
    report = progress or (lambda _m: None)
    report("building the int8 ONNX model (once, about a minute)")
    tmp = Path(tempfile.mkdtemp(prefix=f".{ONNX_FOLDER}.tmp-", dir=model_dir))
    try:
        _export(fp32_folder, tmp / "model-fp32.onnx")
        _fuse(fp32_folder, tmp / "model-fp32.onnx", tmp / "model-fused.onnx")
        (tmp / "model-fp32.onnx").unlink()
        _quantize(tmp / "model-fused.onnx", tmp / "model.onnx")
        (tmp / "model-fused.onnx").unlink()
        shutil.copy(fp32_folder / "tokenizer.json", tmp / "tokenizer.json")
        cosine = _check(tmp, fp32_folder, encoder)
        (tmp / MARKER).write_text(
            json.dumps(
                {"format_version": FORMAT_VERSION, "source": source_marker, "min_cosine": cosine}
            ),
            encoding="utf-8",
        )
        if final.exists():
            shutil.rmtree(final)
        os.replace(tmp, final)
    except ModelPrepError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    except Exception as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ModelPrepError(f"cannot build the ONNX model: {e}") from e
    report(f"the ONNX model is ready: {final} (min cosine to fp32 {cosine:.4f})")
    return final


def _is_current(folder: Path, source_marker: str) -> bool:
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(
        marker.get("format_version") == FORMAT_VERSION
        and marker.get("source") == source_marker
        and (folder / "model.onnx").is_file()
    )


def _export(fp32_folder: Path, target: Path) -> None:
    import torch
    from transformers import AutoModel

    # Eager attention: the SDPA export masks with Where/IsNaN nodes (a fifth of the run
    # time) and hides the attention pattern that the optimizer fuses.
    encoder = AutoModel.from_pretrained(
        str(fp32_folder), add_pooling_layer=False, attn_implementation="eager"
    ).eval()

    class _Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            return self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]

    example = torch.ones(2, 16, dtype=torch.long)
    dynamic = {0: "batch", 1: "tokens"}
    torch.onnx.export(
        _Encoder().eval(),
        (example, example),
        str(target),
        input_names=["input_ids", "attention_mask"],
        output_names=["last_hidden_state"],
        dynamic_axes={
            "input_ids": dynamic,
            "attention_mask": dynamic,
            "last_hidden_state": dynamic,
        },
        opset_version=17,
        dynamo=False,
    )


def _fuse(fp32_folder: Path, source: Path, target: Path) -> None:
    """Fuse attention, skip-layer-norm and bias-GELU nodes (onnxruntime's own optimizer)."""
    from onnxruntime.transformers.optimizer import optimize_model

    config = json.loads((fp32_folder / "config.json").read_text(encoding="utf-8"))
    model = optimize_model(
        str(source),
        model_type="bert",
        num_heads=config["num_attention_heads"],
        hidden_size=config["hidden_size"],
    )
    fused = model.get_fused_operator_statistics()
    if not fused.get("Attention"):
        raise ModelPrepError(f"the optimizer fused no attention node: {fused}")
    model.save_model_to_file(str(target))


def _quantize(source: Path, target: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        source,
        target,
        weight_type=QuantType.QInt8,
        # Fused nodes come from the com.microsoft domain, which shape inference skips.
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )


def _check(onnx_folder: Path, fp32_folder: Path, encoder: EncoderFactory) -> float:
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(fp32_folder), device="cpu").encode(
        list(_CHECK_TEXTS), normalize_embeddings=True
    )
    ours = encoder(onnx_folder).encode(list(_CHECK_TEXTS))
    cosine = float(np.min(np.sum(reference * ours, axis=1)))
    if cosine < _MIN_COSINE:
        raise ModelPrepError(f"the ONNX model differs from the fp32 model (cosine {cosine:.3f})")
    return cosine
