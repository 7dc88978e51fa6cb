"""An int8 ONNX build of the bundled model, and embeddings that run it without torch.

Built once from the fp32 sentence-transformers folder: ``torch.onnx.export`` of the
XLM-R encoder with eager attention, onnxruntime's transformer optimizer (fused attention,
skip-layer-norm and bias-GELU nodes), then ``onnxruntime.quantization.quantize_dynamic``
(int8 weights). We
export ourselves rather than through sentence-transformers' ONNX backend, whose
exporter (optimum) pins transformers < 4.58 while sentence-transformers 6 needs
transformers ≥ 5. At run time only onnxruntime and tokenizers are imported, which
also makes a cold ``govqa ask`` start much faster than loading torch.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from retrieval.bundled_model import ModelPrepError

logger = logging.getLogger(__name__)

ONNX_FOLDER = "multilingual-e5-small-onnx-int8"
MARKER = "govqa-onnx.json"
# 2: eager attention + fused nodes (~1.3× format 1; vectors within cosine 0.995 of it).
FORMAT_VERSION = 2
MAX_TOKENS = 512
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


def prepare_onnx_model(
    model_dir: Path, fp32_folder: Path, progress: Callable[[str], None] | None = None
) -> Path:
    """Build ``<model_dir>/multilingual-e5-small-onnx-int8`` once; return its path."""
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
        cosine = _check(tmp, fp32_folder)
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


def _check(onnx_folder: Path, fp32_folder: Path) -> float:
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(fp32_folder), device="cpu").encode(
        list(_CHECK_TEXTS), normalize_embeddings=True
    )
    ours = OnnxEncoder(onnx_folder).encode(list(_CHECK_TEXTS))
    cosine = float(np.min(np.sum(reference * ours, axis=1)))
    if cosine < _MIN_COSINE:
        raise ModelPrepError(f"the ONNX model differs from the fp32 model (cosine {cosine:.3f})")
    return cosine


class OnnxEncoder:
    """Mean-pooled, L2-normalised embeddings from the ONNX model (no torch)."""

    def __init__(self, folder: Path, batch_size: int = 8) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        self._session = ort.InferenceSession(
            str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._lock = threading.Lock()
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(list(texts))
        # Similar lengths together: less padding, the same result.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            width = max(len(encodings[i].ids) for i in batch)
            ids = np.full((len(batch), width), 1, dtype=np.int64)  # 1 = <pad>
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            with self._lock:
                (hidden,) = self._session.run(None, {"input_ids": ids, "attention_mask": mask})
            summed = (hidden * mask[:, :, None]).sum(axis=1)
            pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[batch] = pooled / np.maximum(norms, 1e-12)
        return out


class OnnxEmbeddings(Embeddings):
    """LangChain embeddings over :class:`OnnxEncoder`, with E5 prompts."""

    def __init__(self, encoder: OnnxEncoder, *, encoder_id: str) -> None:
        self.encoder = encoder
        self.encoder_id = encoder_id
        self.query_prompt = "query: "
        self.passage_prompt = "passage: "

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.encoder.encode([self.passage_prompt + t for t in texts])

    def encode_query(self, text: str) -> np.ndarray:
        return self.encoder.encode([self.query_prompt + text])[0]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode_query(text).tolist()
