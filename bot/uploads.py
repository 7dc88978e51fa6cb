"""Where the bot keeps uploaded reports: ``DATA_DIR/uploads/telegram/<name>``.

An upload's doc id is ``telegram/<name>`` (the path below ``DATA_DIR/uploads``), so it never
replaces a report ingested from a folder that holds a file of the same name, and its source
is the kept file, the same path every time: a new upload of a name replaces the earlier
upload of that name, and nothing else. The file there is always the version the store holds:
a new upload takes its place only once it is stored.
"""

from __future__ import annotations

import os
from pathlib import Path

NAMESPACE = "telegram"


def upload_name(file_name: str | None) -> str:
    """A safe file name for an upload: no folders, no hidden files ("../../x" → "x")."""
    name = Path((file_name or "").replace("\\", "/")).name.strip().lstrip(".")
    return name or "upload"


class UploadSlot:
    """The place of one upload name; ``path`` is what the worker ingests (below ``root``)."""

    def __init__(self, uploads_dir: Path, name: str) -> None:
        self.root = uploads_dir.resolve()
        self.path = self.root / NAMESPACE / upload_name(name)
        # Hidden names: a folder ingest of the uploads dir skips them.
        self.incoming = self.path.with_name(f".{self.path.name}.incoming")
        self._previous = self.path.with_name(f".{self.path.name}.previous")

    @property
    def doc_id(self) -> str:
        return self.path.relative_to(self.root).as_posix()

    def prepare(self) -> None:
        """Make the folder; clear what a killed bot may have left of an earlier try."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.incoming.unlink(missing_ok=True)
        self._previous.unlink(missing_ok=True)

    def swap_in(self) -> None:
        """Put the downloaded file in place, keeping the earlier upload aside."""
        if self.path.exists():
            os.replace(self.path, self._previous)
        os.replace(self.incoming, self.path)

    def keep(self) -> None:
        """The new file is stored: the earlier one goes."""
        self._previous.unlink(missing_ok=True)

    def roll_back(self) -> None:
        """Nothing new was stored: the earlier upload (if any) is back in place."""
        self.incoming.unlink(missing_ok=True)
        if self._previous.exists():
            os.replace(self._previous, self.path)
        else:
            self.path.unlink(missing_ok=True)
