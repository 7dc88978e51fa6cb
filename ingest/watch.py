"""Keep the store in step with a folder: ingest files as they appear or change, drop
the reports of files that are deleted.

Events from watchdog only mark paths; a path is handled once it has been quiet for
``debounce`` seconds, so a file still being written is read once, complete. Every change
goes through an :class:`~ingest.pipeline.Ingestor` (the same report-level write path as
``govqa ingest``), one path at a time, on the caller's thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ingest.pipeline import IngestInputError, Ingestor, InputFile, is_hidden

logger = logging.getLogger(__name__)

# Events that may change what a file holds. Opening and reading a file (which the
# ingest itself does) and attribute changes do not.
_CONTENT_EVENTS = frozenset({"created", "modified", "deleted", "moved", "closed"})
_POLL_SECONDS = 0.25  # how soon a set stop event is noticed while idle


class WatchError(IngestInputError):
    """The folder cannot be watched (message is one sentence)."""


class _Marker(FileSystemEventHandler):
    """Runs on watchdog's thread: marks the paths an event concerns, nothing more."""

    def __init__(self, mark: Callable[[Path], None]) -> None:
        self._mark = mark

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _CONTENT_EVENTS:
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        if event.is_directory:
            # A new folder's files get events of their own (watchdog emits them for
            # what was already inside); a folder deleted or moved away is pruned whole,
            # a folder moved within the tree is read again whole.
            if event.event_type not in ("deleted", "moved"):
                return
        for path in paths:
            if path:
                self._mark(Path(path.decode() if isinstance(path, bytes) else path))


class FolderWatcher:
    """Watches ``root`` (recursively) and applies its changes to the store.

    ``make_ingestor`` returns a fresh :class:`Ingestor` for each path handled; give it an
    ``on_change`` callback to hear what each one did.
    """

    def __init__(
        self,
        root: Path,
        make_ingestor: Callable[[], Ingestor],
        *,
        debounce: float = 1.0,
    ) -> None:
        self.root = root.expanduser().resolve()
        self.debounce = debounce
        self._make_ingestor = make_ingestor
        self._pending: dict[Path, float] = {}  # path → time of its last event
        self._lock = threading.Lock()
        self._observer = Observer()
        self._observer.schedule(_Marker(self._mark), str(self.root), recursive=True)

    def __enter__(self) -> FolderWatcher:
        try:
            self._observer.start()
        except OSError as e:  # e.g. the system's limit of inotify watches
            raise WatchError(f"cannot watch {self.root}: {e}") from e
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._observer.stop()
        self._observer.join(timeout=5)

    def serve(self, stop: threading.Event) -> None:
        """Handle changes until ``stop`` is set; the path at hand is finished first."""
        while not stop.is_set():
            due = self._take_due()
            if not due:
                stop.wait(_POLL_SECONDS)
                continue
            for path in due:
                try:
                    self.handle(path, stop)
                except Exception:  # one path's trouble (a locked database…) ends no watch
                    logger.error("cannot apply the changes of %s", path, exc_info=True)
                if stop.is_set():
                    return

    def handle(self, path: Path, stop: threading.Event | None = None) -> None:
        """Bring the store in step with ``path``: a file is (re)ingested, a folder read
        whole, and reports from a path that no longer exists are removed."""
        if not path.is_relative_to(self.root) or is_hidden(path, self.root):
            return
        ingestor = self._make_ingestor()
        if path.is_file():
            files = [InputFile(path, self.root)]
        elif path.is_dir():
            files = [
                InputFile(child, self.root)
                for child in sorted(path.rglob("*"))
                if child.is_file() and not is_hidden(child, self.root)
            ]
        else:
            files = []  # gone: only pruning is left to do
        logger.debug("handling %s (%d files)", path, len(files))
        ingestor.run(files, prune_roots=[path], stop=stop)

    def _mark(self, path: Path) -> None:
        with self._lock:
            self._pending[path] = time.monotonic()

    def _take_due(self) -> list[Path]:
        """Paths quiet for ``debounce`` seconds, without those inside another due folder."""
        now = time.monotonic()
        with self._lock:
            due = sorted(p for p, t in self._pending.items() if now - t >= self.debounce)
            for path in due:
                del self._pending[path]
        chosen = set(due)
        return [p for p in due if not any(parent in chosen for parent in p.parents)]
