"""What :func:`ingest.facts.extract_facts` returns: officials, meetings, figures and
speech points."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FigureKind = Literal["achieved", "expected", "target"]


@dataclass(frozen=True)
class Official:
    name: str
    titles: tuple[str, ...]
    region: str | None
    sentence: str
    unknown: bool = False


@dataclass(frozen=True)
class Meeting:
    name: str
    date: str | None
    place: str | None
    chairs: tuple[str, ...]
    speakers: tuple[str, ...]
    attendees: tuple[str, ...]
    sentence: str


@dataclass(frozen=True)
class Figure:
    metric: str
    value: str
    unit: str
    year: str | None
    change: str | None
    rank: str | None
    kind: FigureKind
    sentence: str
    note: str | None = None


@dataclass(frozen=True)
class SpeechPoint:
    """One sentence a speaker said (``会议``/``全会`` for the meeting itself)."""

    speaker: str
    verb: str  # 强调, 指出, 要求 … as the report introduces it
    point: str
    paragraph: int  # 0-based, in the cleaned text


@dataclass(frozen=True)
class Facts:
    officials: tuple[Official, ...]
    meetings: tuple[Meeting, ...]
    figures: tuple[Figure, ...]
    points: tuple[SpeechPoint, ...] = ()
