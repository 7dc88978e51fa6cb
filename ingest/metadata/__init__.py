"""What a report says about itself: title, date, outlet, reporters, region and meeting.

Works on cleaned text in simplified script, paragraphs separated by ``"\\n"``. Pure
regular expressions, no I/O, and it never raises on odd input.

Each field is read by one module, with its specification at its top:

* ``date``, ``date_confidence``, ``date_text`` and ``date_estimate`` -
  :mod:`~ingest.metadata.dates` (a year inferred from clues), with
  :mod:`~ingest.metadata.dateline` (the dateline, a source date) and
  :mod:`~ingest.metadata.events` (the dated events a report cites).
* ``title`` - :mod:`~ingest.metadata.title`.
* ``outlet`` and ``reporters`` - :mod:`~ingest.metadata.bylines`.
* ``region`` - :mod:`~ingest.metadata.region`.
* ``meeting`` - :mod:`~ingest.metadata.meeting`.

:mod:`~ingest.metadata.layout` splits a text into headline lines and body paragraphs, and
:mod:`~ingest.metadata.shared` holds the patterns several readers use.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.metadata.bylines import _extract_outlet, _extract_reporters
from ingest.metadata.dates import DateConfidence, _extract_date
from ingest.metadata.layout import _split_layout
from ingest.metadata.meeting import _extract_meeting
from ingest.metadata.region import _extract_region
from ingest.metadata.shared import _FULLWIDTH_DIGITS
from ingest.metadata.title import _extract_title

__all__ = ["DateConfidence", "ReportMetadata", "extract_metadata"]


@dataclass(frozen=True)
class ReportMetadata:
    title: str
    date: str | None
    date_confidence: DateConfidence
    date_text: str | None
    outlet: str | None
    reporters: tuple[str, ...]
    region: str | None
    meeting: str | None
    # Best date estimate at its known precision: "yyyy-mm-dd", "yyyy-mm" or "yyyy".
    date_estimate: str | None = None


def extract_metadata(
    text: str, *, title: str | None = None, date: str | None = None
) -> ReportMetadata:
    """Metadata of one cleaned, simplified report; ``title``/``date`` from the source win."""
    text = (text or "").translate(_FULLWIDTH_DIGITS)
    headlines, body = _split_layout(text)
    body_text = "\n".join(body)
    given_title = (title or "").strip()
    outlet = _extract_outlet(body, text)
    meeting = _extract_meeting(headlines, body)
    dated = _extract_date(text, body, date)
    return ReportMetadata(
        title=given_title or _extract_title(headlines, body),
        date=dated.date,
        date_confidence=dated.confidence,
        date_text=dated.text,
        outlet=outlet,
        reporters=_extract_reporters(text),
        region=_extract_region(body[0] if body else "", meeting, body_text, outlet),
        meeting=meeting,
        date_estimate=dated.estimate,
    )
