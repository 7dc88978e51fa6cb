"""Near-duplicate reports: the same news republished by several outlets with small edits
(a new headline, paragraphs cut, another dateline).

A report's text is read as a set of five-character shingles (simplified script, no
white space, so a traditional copy or one re-wrapped matches); MinHash (``datasketch``)
summarises the set in :data:`PERMUTATIONS` numbers, and locality-sensitive hashing cuts
them into :data:`BANDS` bands of three: two reports that share any band are candidates
(about 0.68 likely at a Jaccard resemblance of 0.3, 0.996 at 0.5). A candidate is a copy
only if :func:`copies` holds on the exact shingle sets, so the bands decide what to look
at, never what is grouped. Pure functions: the store keeps the bands and the groups.

Measured on the 2k corpus (``bench/groups.py``): containment alone grouped disciplinary
notices about different people written on one template (the same words each time, only
the name and post changed) at 0.60–0.71; those differ in the one thing that matters, the
person, so the shorter report's officials must be named in the longer one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ingest.script import to_simplified

SHINGLE = 5
PERMUTATIONS = 126
ROWS = 3  # MinHash values a band
BANDS = PERMUTATIONS // ROWS
# A copy: at least this share of the shorter text's shingles in the other text ...
CONTAINMENT = 0.6
# ... and texts long enough to tell (a 40-character notice matches too much).
MIN_SHINGLES = 40
# ... at least this when the longer report names officials the shorter does not (a copy
# cut to its first paragraph names fewer people; a template filled in names others).
CONTAINMENT_OTHER_NAMES = 0.85
# ... and, when both are dated, published within this many days of each other (a
# monthly report of the same template is not a copy of last month's).
MAX_DAYS_APART = 10

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Fingerprint:
    """What a report is compared on: its text (simplified, without white space), the
    text's shingles, the officials it names and its date."""

    flat: str
    pieces: frozenset[str]
    names: tuple[str, ...] = ()
    date: str | None = None
    region: str | None = None


def fingerprint(
    text: str, names: Sequence[str] = (), date: str | None = None, region: str | None = None
) -> Fingerprint:
    flat = _SPACE.sub("", to_simplified(text))
    pieces = frozenset(flat[i : i + SHINGLE] for i in range(max(len(flat) - SHINGLE + 1, 0)))
    return Fingerprint(flat, pieces, tuple(names), date, region)


def band_keys(pieces: frozenset[str]) -> list[int]:
    """The report's LSH keys, one a band (signed 64-bit, as SQLite stores integers);
    empty for a text too short to group."""
    if len(pieces) < MIN_SHINGLES:
        return []
    from datasketch import MinHash  # ~0.5 s to import (scipy): only where reports are written

    minhash = MinHash(num_perm=PERMUTATIONS, seed=1)
    minhash.update_batch([piece.encode("utf-8") for piece in pieces])
    values = minhash.hashvalues
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(values[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8)
        keys.append(int.from_bytes(digest.digest(), "big", signed=True))
    return keys


@dataclass(frozen=True)
class Likeness:
    """How much of the shorter of two reports the other holds."""

    containment: float
    jaccard: float


def likeness(a: frozenset[str], b: frozenset[str]) -> Likeness:
    shared = len(a & b)
    shorter = min(len(a), len(b)) or 1
    union = len(a | b) or 1
    return Likeness(shared / shorter, shared / union)


def copies(a: Fingerprint, b: Fingerprint) -> Likeness | None:
    """The likeness of two reports if one is a copy of the other, else None."""
    if min(len(a.pieces), len(b.pieces)) < MIN_SHINGLES:
        return None
    found = likeness(a.pieces, b.pieces)
    if found.containment < CONTAINMENT:
        return None
    days = _days_apart((a.date, b.date))
    if days is not None and days > MAX_DAYS_APART:
        return None
    if a.region and b.region and a.region not in b.flat and b.region not in a.flat:
        return None  # one template filled in for two places
    shorter, longer = sorted((a, b), key=lambda f: len(f.pieces))
    if shorter.names and not any(name in longer.flat for name in shorter.names):
        return None
    if (
        longer.names
        and not any(name in shorter.flat for name in longer.names)
        and found.containment < CONTAINMENT_OTHER_NAMES
    ):
        return None
    return found


def _days_apart(dates: Sequence[str | None]) -> int | None:
    parsed = []
    for text in dates:
        try:
            parsed.append(date.fromisoformat((text or "")[:10]))
        except ValueError:
            return None
    if len(parsed) != 2:
        return None
    return abs((parsed[0] - parsed[1]).days)
