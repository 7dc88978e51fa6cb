"""`govqa ingest`: add or update reports, once or watching a folder; the summary it
prints, the change lines of --watch and the signals that stop it."""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from govqa.commands.shared import (
    _NO_WAIT,
    GovqaError,
    _Context,
    _echo_json,
    _printable,
    _progress,
    _status,
    _translate_errors,
    pass_context,
)

if TYPE_CHECKING:
    from ingest.pipeline import Ingestor, InputFile
    from ingest.types import IngestSummary
    from ingest.watch import FolderWatcher


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON summary as the last line.")
@click.option("--prune", is_flag=True, help="Remove reports whose files are gone from PATHS.")
@click.option(
    "--watch",
    is_flag=True,
    help="Then keep watching the folder: ingest new and changed files, remove deleted ones.",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Let a file take over a doc id that another file already holds.",
)
@_NO_WAIT
@pass_context
def ingest(
    obj: _Context,
    paths: tuple[Path, ...],
    as_json: bool,
    prune: bool,
    watch: bool,
    replace: bool,
    no_wait: bool,
) -> None:
    """Add or update reports from files and folders (recursive).

    Reads .txt, .md, .html, .docx, .pdf and .jsonl (one report a line: id, title,
    text, optional date and url), and pictures of pages (.png, .jpg, .webp, .tif) by
    OCR, as it reads PDF pages without a text layer (GOVQA_OCR*). Unchanged reports
    are skipped; a file that cannot be read is listed with its reason and the rest go
    on; pages OCR left out are listed as warnings.

    With --watch FOLDER the folder is ingested (and pruned), then watched: a file is
    ingested once it has been quiet for a second, the reports of a deleted file are
    removed, and each change is printed as one line (one JSON object with --json).
    Ctrl-C or SIGTERM stops it, after the report at hand is stored.

    A report's doc id is its path below the folder given (or its file name, or its
    JSONL id); a file whose doc id another file already holds is refused and listed
    unless --replace.

    One process writes to a data dir at a time: a second ingest (or a watch, a bot
    upload, remove) waits for the first, saying so, or with --no-wait exits with
    code 2 at once.

    \b
    Examples:
      govqa ingest seeds/
      govqa ingest reports/ new.docx --json
      govqa ingest reports/ --prune
      govqa ingest --watch reports/
    """
    from ingest.pipeline import find_files

    obj.wait = not no_wait
    obj.replace = replace
    if watch and (len(paths) != 1 or not paths[0].is_dir()):
        raise GovqaError("--watch takes one folder, e.g. govqa ingest --watch reports/")
    with _translate_errors():
        if not watch:
            files = find_files(paths)
            summary = _ingest_files(obj, files, as_json, prune_roots=paths if prune else ())
            _print_summary(summary, as_json)
            if summary.failed:
                sys.exit(1)
            return
        # Watching starts before the folder is read, so no file written meanwhile is missed.
        with _stop_on_signals() as stop, _folder_watcher(obj, paths[0], as_json) as watcher:
            files = find_files(paths)
            summary = _ingest_files(obj, files, as_json, prune_roots=paths, stop=stop)
            _print_summary(summary, as_json)
            if not stop.is_set():
                _status(f"watching {_printable(str(watcher.root))} for changes (Ctrl-C stops)")
                watcher.serve(stop)
        _status(f"stopped watching {_printable(str(paths[0]))}")


def _ingest_files(
    obj: _Context,
    files: list[InputFile],
    as_json: bool,
    *,
    prune_roots: Sequence[Path],
    stop: threading.Event | None = None,
) -> IngestSummary:
    """One ingest of ``files`` with a progress bar (on a terminal, without --json)."""
    from ingest.pipeline import count_documents

    with _progress(count_documents(files), "reports", enabled=not as_json) as tick:
        return _ingestor(obj, on_document=tick).run(files, prune_roots=prune_roots, stop=stop)


def _ingestor(obj: _Context, **callbacks: Any) -> Ingestor:
    """The Ingestor of this invocation's store, model, limits and writer options;
    ``callbacks``: ``on_document`` (progress) or ``on_change`` (--watch)."""
    from ingest.pipeline import Ingestor

    services = obj.services
    return Ingestor(
        services.store,
        services.embeddings,
        max_bytes=obj.settings.ingest.max_bytes,
        max_chars=obj.settings.ingest.max_chars,
        wait=obj.wait,
        replace=obj.replace,
        ocr=obj.settings.ingest.ocr_limits,
        on_ocr_page=_ocr_page_status,
        **callbacks,
    )


def _ocr_page_status(path: str, number: int) -> None:
    """Says which page OCR reads (3-5 s each), on a terminal (above the progress bar)."""
    if sys.stderr.isatty():
        from tqdm import tqdm

        tqdm.write(f"OCR: {_printable(Path(path).name)} page {number}", file=sys.stderr)


def _print_summary(summary: IngestSummary, as_json: bool) -> None:
    if as_json:
        _echo_json(summary.to_json())
        return
    click.echo(
        f"added {summary.added}, updated {summary.updated}, unchanged {summary.unchanged}, "
        f"removed {summary.removed}, failed {len(summary.failed)}; "
        f"{summary.chunks_added} chunks embedded in {summary.seconds:.1f} s"
    )
    for failure in summary.failed:
        path, error = _printable(failure["path"]), _printable(failure["error"])
        click.echo(f"  failed: {path}: {error}", err=True)
    for warning in summary.warnings:
        path, text = _printable(warning["path"]), _printable(warning["warning"])
        click.echo(f"  warning: {path}: {text}", err=True)


def _folder_watcher(obj: _Context, folder: Path, as_json: bool) -> FolderWatcher:
    """A FolderWatcher of ``folder`` that prints each change as one line."""
    from ingest.pipeline import Change
    from ingest.watch import FolderWatcher

    def show(change: Change) -> None:
        if as_json:
            _echo_json(change.to_json())
        elif change.kind == "failed":
            path, error = _printable(change.path), _printable(change.error or "")
            click.echo(f"{time.strftime('%H:%M:%S')} failed {path}: {error}")
        else:
            doc_id = _printable(change.doc_id or "")
            click.echo(f"{time.strftime('%H:%M:%S')} {change.kind} {doc_id}")

    return FolderWatcher(folder, lambda: _ingestor(obj, on_change=show))


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """An event that SIGINT (Ctrl-C) and SIGTERM set; a second signal interrupts at once."""
    stop = threading.Event()

    def handler(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
