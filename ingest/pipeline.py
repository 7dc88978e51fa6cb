"""Files in, reports out: load → clean → metadata → chunk → embed → store.

The steps up to chunking are pure functions of the file; embedding and storing go
through the collaborators passed in, a report at a time, so an interrupted run never
leaves part of a report behind.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from ingest.chunking import chunk_text
from ingest.cleaning import clean_text
from ingest.facts import Facts, extract_facts
from ingest.loaders import DEFAULT_MAX_CHARS, JsonlLineError, LoadError, RawDocument, load_file
from ingest.metadata import extract_metadata
from ingest.ocr import OcrLimits
from ingest.script import to_simplified
from ingest.types import Chunk, IngestSummary, Report
from ingest.zh.injection import mask_instructions

logger = logging.getLogger(__name__)

# Part of every content hash: bump it when cleaning, metadata, chunking or the facts
# change, so the next ingest rebuilds reports that were stored by older code (6: speech
# points; 7: figures' years skip birth dates, 地区生产总值（GDP） is one metric).
PIPELINE_VERSION = "7"
# Chunks are embedded together across reports in buffers of about this many: the
# encoder sorts a buffer by length, and a larger one pads less (64: ~0.88 of the
# encoder's speed on one sorted call, 128: ~0.95), at ~8 s of work lost to a crash.
EMBED_BUFFER_CHUNKS = 128


class ReportStore(Protocol):
    def content_hash(self, doc_id: str) -> str | None: ...
    def replace_reports(
        self,
        items: Sequence[tuple[Report, Sequence[Chunk], Sequence[Sequence[float]], Facts | None]],
    ) -> None: ...
    def remove_report(self, doc_id: str) -> bool: ...
    def repair(self) -> list[str]: ...
    def sources(self) -> dict[str, str]: ...
    def source(self, doc_id: str) -> str | None: ...
    def being_written(self, doc_id: str) -> object | None: ...
    def writing(self, *, wait: bool = True) -> AbstractContextManager[None]: ...


class PassageEncoder(Protocol):
    def encode_passages(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class InputFile:
    path: Path
    root: Path

    @property
    def doc_id(self) -> str:
        return self.path.relative_to(self.root).as_posix()


@dataclass(frozen=True)
class Change:
    """One report added, updated or removed, or one file (or JSONL line) that failed."""

    kind: Literal["added", "updated", "removed", "failed"]
    path: str
    doc_id: str | None = None  # None for a failed file
    error: str | None = None  # the reason, for "failed"

    def to_json(self) -> dict[str, str]:
        data = {"change": self.kind, "path": self.path}
        if self.doc_id is not None:
            data["doc_id"] = self.doc_id
        if self.error is not None:
            data["error"] = self.error
        return data


class IngestInputError(Exception):
    """A path given to ingest does not exist (message is one sentence)."""


def find_files(paths: Iterable[Path]) -> list[InputFile]:
    """Every file named, and every non-hidden file below every folder named, sorted.

    A symbolic link that leads nowhere (its target is missing, or links lead back to it) is
    listed too, so that the ingest reports it with its reason rather than skip it unsaid."""
    found: list[InputFile] = []
    for given in paths:
        path = given.expanduser()
        if _dead_link(path):  # resolve() would follow it (or raise, for a loop)
            parent = path.parent.resolve()
            found.append(InputFile(parent / path.name, parent))
            continue
        path = path.resolve()
        if path.is_file():
            found.append(InputFile(path, path.parent))
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                if (child.is_file() or _dead_link(child)) and not is_hidden(child, path):
                    found.append(InputFile(child, path))
        else:
            raise IngestInputError(f"no such file or folder: {given}")
    return found


def _dead_link(path: Path) -> bool:
    """A symbolic link whose target is missing, or a loop of links."""
    return path.is_symlink() and not path.exists()


def is_hidden(path: Path, root: Path) -> bool:
    """Whether ``path`` is hidden below ``root`` (a part of it starts with a dot)."""
    return any(part.startswith(".") for part in path.relative_to(root).parts)


@dataclass(frozen=True)
class ReportSelection:
    """Which stored reports some ids and paths name, and which of them named none."""

    doc_ids: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)


def select_reports(sources: dict[str, str], targets: Iterable[str]) -> ReportSelection:
    """The reports each target names: a doc id, or a path resolved as ingest resolves it
    (the file a report was ingested from, or a folder for every report ingested from
    under it; the path need not exist any more). ``sources`` is doc_id → source path."""
    selected: set[str] = set()
    not_found: list[str] = []
    for target in targets:
        if not target.strip():
            not_found.append(target)
            continue
        resolved = Path(target).expanduser().resolve()
        matches = {
            doc_id
            for doc_id, source in sources.items()
            if doc_id == target or Path(source).is_relative_to(resolved)
        }
        if matches:
            selected |= matches
        else:
            not_found.append(target)
    return ReportSelection(sorted(selected), not_found)


def content_hash(raw: RawDocument) -> str:
    digest = hashlib.sha256(PIPELINE_VERSION.encode())
    for part in (raw.text, raw.title or "", raw.date or "", raw.url or ""):
        digest.update(b"\x00" + part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def build_report(raw: RawDocument, *, doc_id: str, file: str, source: str) -> Report:
    """Everything govqa understands about one document, without touching the store."""
    cleaned = clean_text(raw.text)
    index_text = to_simplified(cleaned.text)
    meta = extract_metadata(mask_instructions(index_text), title=raw.title, date=raw.date)
    return Report(
        doc_id=doc_id,
        file=file,
        source=source,
        title=meta.title,
        original_text=raw.text,
        cleaned_text=cleaned.text,
        index_text=index_text,
        content_hash=content_hash(raw),
        date=meta.date,
        date_confidence=meta.date_confidence,
        date_text=meta.date_text,
        date_estimate=meta.date_estimate,
        region=meta.region,
        outlet=meta.outlet,
        reporters=meta.reporters,
        meeting=meta.meeting,
        url=raw.url,
        glosses_removed=cleaned.glosses_removed,
        residues_removed=cleaned.residues_removed,
        ocr_confidence=raw.ocr.confidence if raw.ocr else None,
    )


def make_chunks(report: Report) -> list[Chunk]:
    return chunk_text(report.doc_id, report.cleaned_text, to_simplified)


def make_facts(report: Report) -> Facts:
    """Officials, meetings and figures stated in the report (simplified script).
    Sentences that instruct a reader or a model, and what they dictate, are masked
    first: a report can never state a fact by giving an order."""
    known = report.date or report.date_estimate
    return extract_facts(
        mask_instructions(report.index_text),
        region=report.region,
        meeting=report.meeting,
        date=report.date,
        year=known[:4] if known else None,
    )


def _documents(
    item: InputFile,
    max_bytes: int,
    max_chars: int,
    on_line_error: Callable[[JsonlLineError], None],
    ocr: OcrLimits,
    on_page: Callable[[int], None],
) -> Iterator[tuple[str, RawDocument]]:
    """(doc_id, document) pairs of one file: one for most formats, one a line for JSONL."""
    documents = load_file(
        item.path,
        max_bytes=max_bytes,
        max_chars=max_chars,
        on_line_error=on_line_error,
        ocr=ocr,
        on_page=on_page,
    )
    for raw in documents:
        yield (raw.key if raw.key else item.doc_id), raw


class Ingestor:
    """Runs one ingest over files, embedding in batches across reports."""

    def __init__(
        self,
        store: ReportStore,
        encoder: PassageEncoder,
        *,
        max_bytes: int,
        max_chars: int = DEFAULT_MAX_CHARS,
        on_document: Callable[[], None] | None = None,
        on_change: Callable[[Change], None] | None = None,
        wait: bool = True,
        replace: bool = False,
        ocr: OcrLimits | None = None,
        on_ocr_page: Callable[[str, int], None] | None = None,
    ) -> None:
        """``on_ocr_page(path, number)``: a page of that file is about to be read by OCR."""
        self.store = store
        self.ocr = ocr or OcrLimits()
        self.on_ocr_page = on_ocr_page or (lambda path, number: None)
        self.wait = wait  # for another process's write; False: StoreBusyError
        # A doc id already ingested from another file: refused unless ``replace``.
        self.replace = replace
        self.encoder = encoder
        self.max_bytes = max_bytes
        self.max_chars = max_chars  # characters of text a report may have
        self.on_document = on_document or (lambda: None)
        self.on_change = on_change or (lambda change: None)
        self.summary = IngestSummary()
        self.stopped = False
        self._buffer: list[tuple[Report, list[Chunk], Facts, bool]] = []
        self._seen: set[str] = set()
        self._claimed: dict[str, str] = {}  # doc id → the source that holds it this run
        self._loaded: set[str] = set()  # sources read to the end this run

    def run(
        self,
        files: Iterable[InputFile],
        *,
        prune_roots: Sequence[Path] = (),
        stop: threading.Event | None = None,
    ) -> IngestSummary:
        """Ingest ``files`` one at a time. When ``stop`` is set, the file being read is
        finished, what is buffered is stored and the rest (pruning too) is left for the
        next run; ``self.stopped`` tells."""
        started = time.perf_counter()
        # One writer at a time: a second ingest (a watch, a bot upload) waits for this one.
        with self.store.writing(wait=self.wait):
            self.store.repair()
            for item in files:
                if stop is not None and stop.is_set():
                    self.stopped = True
                    break
                self._ingest_file(item)
            self._flush()
            if prune_roots and not self.stopped:
                self._prune(prune_roots)
        self.summary.seconds = time.perf_counter() - started
        return self.summary

    def _ingest_file(self, item: InputFile) -> None:
        try:
            bad_line = lambda e: self._fail(item.path, str(e))  # noqa: E731
            on_page = partial(self.on_ocr_page, str(item.path))
            documents = _documents(
                item, self.max_bytes, self.max_chars, bad_line, self.ocr, on_page
            )
            for doc_id, raw in documents:
                if raw.ocr is not None:
                    for warning in raw.ocr.warnings:
                        logger.warning("%s: %s", item.path, warning)
                        self.summary.warnings.append({"path": str(item.path), "warning": warning})
                self._ingest_document(item, doc_id, raw)
            self._loaded.add(str(item.path))
        except LoadError as e:
            self._fail(item.path, str(e))
        except (OSError, ValueError) as e:
            logger.warning("cannot ingest %s", item.path, exc_info=True)
            self._fail(item.path, f"cannot read file: {e}")

    def _ingest_document(self, item: InputFile, doc_id: str, raw: RawDocument) -> None:
        source = str(item.path)
        if doc_id in self._claimed:  # twice in this run: the first one stays
            self._fail(item.path, f"doc id {doc_id} already holds {self._claimed[doc_id]}")
            return
        holder = self.store.source(doc_id)
        if holder is not None and holder != source and not self.replace and Path(holder).exists():
            # Two files, one id (report.txt under two roots, a JSONL id, an upload name):
            # never let the second silently overwrite the first. (A holder whose file is
            # gone was moved: the new path takes its id over.)
            self._fail(
                item.path,
                f"doc id {doc_id} already holds {holder}; use --replace or another root",
            )
            return
        writer = self.store.being_written(doc_id)
        if writer is not None:
            self._fail(item.path, f"doc id {doc_id} is being written by {writer}; try again")
            return
        self._claimed[doc_id] = source
        self._seen.add(doc_id)
        if not raw.text.strip():
            self._fail(item.path, "no text in document" + (f" {doc_id}" if raw.key else ""))
            return
        stored = self.store.content_hash(doc_id)
        if stored == content_hash(raw):
            self.summary.unchanged += 1
            self.on_document()
            return
        report = build_report(raw, doc_id=doc_id, file=item.path.name, source=str(item.path))
        chunks = make_chunks(report)
        self._buffer.append((report, chunks, make_facts(report), stored is not None))
        if sum(len(entry[1]) for entry in self._buffer) >= EMBED_BUFFER_CHUNKS:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        texts = [c.index_text for _, chunks, _, _ in self._buffer for c in chunks]
        vectors = self.encoder.encode_passages(texts) if texts else np.zeros((0, 0))
        items = []
        offset = 0
        for report, chunks, facts, _ in self._buffer:
            items.append((report, chunks, vectors[offset : offset + len(chunks)].tolist(), facts))
            offset += len(chunks)
        self.store.replace_reports(items)
        for report, chunks, _, existed in self._buffer:
            self.summary.chunks_added += len(chunks)
            if existed:
                self.summary.updated += 1
            else:
                self.summary.added += 1
            kind: Literal["added", "updated"] = "updated" if existed else "added"
            self.on_change(Change(kind, report.source, report.doc_id))
            self.on_document()
        self._buffer.clear()

    def _prune(self, roots: Sequence[Path]) -> None:
        resolved = [r.expanduser().resolve() for r in roots]
        for doc_id, source in self.store.sources().items():
            if doc_id in self._seen:
                continue
            path = Path(source)
            if not any(path.is_relative_to(r) for r in resolved):
                continue
            # Gone from disk, or its file was read whole and no longer holds it (JSONL).
            if (source in self._loaded or not path.exists()) and self.store.remove_report(doc_id):
                self.summary.removed += 1
                self.on_change(Change("removed", source, doc_id))

    def _fail(self, path: Path, reason: str) -> None:
        logger.info("failed: %s: %s", path, reason)
        self.summary.failed.append({"path": str(path), "error": reason})
        self.on_change(Change("failed", str(path), error=reason))
        self.on_document()


def count_documents(files: Sequence[InputFile]) -> int:
    """How many documents the files hold, for a progress bar (JSONL lines counted)."""
    total = 0
    for item in files:
        if item.path.suffix.lower() == ".jsonl":
            try:
                with item.path.open("rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            except OSError:
                total += 1
        else:
            total += 1
    return total
