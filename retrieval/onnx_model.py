"""Embeddings from the int8 ONNX build of the bundled model, without torch.

The build itself (export, fusion, quantisation) is :mod:`models.onnx_export`'s. At run time
only onnxruntime and tokenizers are imported, which also makes a cold ``govqa ask`` start
much faster than loading torch.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

MAX_TOKENS = 512


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
