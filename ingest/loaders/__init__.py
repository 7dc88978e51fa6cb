"""Load report files (text, Markdown, HTML, Word, PDF, JSON Lines) into raw documents.

Every loader returns the document's text as written (original script, nothing cleaned),
with paragraphs separated by ``"\\n"``. Problems with a whole file raise :class:`LoadError`
whose message is one short sentence meant for the user. In a ``.jsonl`` file a bad line
does not spoil the others: it is reported as a :class:`JsonlLineError` to the caller's
``on_line_error`` callback (by default: a logged warning) and skipped.

No file can take more than its share: a file over ``max_bytes`` is not read, a text over
``max_chars`` is refused (a .jsonl line: that line), and a Word file is checked from its zip
directory, then counted as it streams, before python-docx reads it (a 2 MB zip bomb expands
to gigabytes; 357 KB of repeated paragraphs to 25 million characters).

One module a format family:

- :mod:`~ingest.loaders.files`: :func:`load_file`, the checks on the file itself and the
  loader its suffix chooses;
- :mod:`~ingest.loaders.text`: plain text and its encodings (UTF-8/16/32, GB18030, Big5),
  which the HTML and JSON Lines loaders decode with too;
- :mod:`~ingest.loaders.html`, :mod:`~ingest.loaders.word` (.docx and its zip limits),
  :mod:`~ingest.loaders.pdf`, :mod:`~ingest.loaders.jsonl`;
- :mod:`~ingest.loaders.base`: what they share (:class:`RawDocument`, the errors, the
  default limits, a limit in MB in bytes, and how a limit is worded).
"""

from __future__ import annotations

from ingest.loaders.base import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_CHARS,
    JsonlLineError,
    LineErrorHandler,
    LoadError,
    RawDocument,
    mb_to_bytes,
)
from ingest.loaders.files import SUPPORTED_SUFFIXES, load_file
from ingest.loaders.text import read_text_file

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_CHARS",
    "SUPPORTED_SUFFIXES",
    "JsonlLineError",
    "LineErrorHandler",
    "LoadError",
    "RawDocument",
    "load_file",
    "mb_to_bytes",
    "read_text_file",
]
