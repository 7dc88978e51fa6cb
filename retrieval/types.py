"""What the answering layer returns; ``govqa ask --json`` prints ``Answer`` serialised."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Copy:
    """A republished copy of a cited report (the same news from another outlet)."""

    doc_id: str
    file: str
    title: str
    outlet: str | None = None

    def label(self) -> str:
        """outlet（file）, or title（file） when the outlet is unknown."""
        return f"{self.outlet or self.title}（{self.file}）"


@dataclass(frozen=True)
class Source:
    """A cited report and the sentence(s) quoted from it."""

    file: str
    doc_id: str
    title: str
    date: str | None
    snippet: str
    score: float
    date_confidence: str = "none"
    region: str | None = None
    meeting: str | None = None
    outlet: str | None = None
    reporters: tuple[str, ...] = ()
    # Copies of this report republished by other outlets, not cited again
    # (retrieval.republished).
    also_reported_by: tuple[Copy, ...] = ()
    ocr_confidence: float | None = None  # the report was read by OCR (0..1)


@dataclass
class Answer:
    question: str
    answer: str
    answered: bool
    sources: list[Source] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    lang: str = "zh-hans"
    # The direct answer alone (the figure with its unit, the name with its title, the
    # date, the place, the list), or None when govqa only quotes evidence.
    short_answer: str | None = None
    # How likely the answer is right, 0–1, calibrated on held-out questions (of the
    # answers given with confidence about c, about c were right).
    confidence: float = 0.0
    # A comparison's rows (place, value, shown, year, kind, change, file, doc_id,
    # sentence, conflicts) or a target's (retrieval.targets), in the order shown; None
    # for other answers.
    table: list[dict[str, object]] | None = None

    @classmethod
    def given(
        cls,
        question: str,
        lines: Sequence[str],
        sources: list[Source],
        lang: str,
        *,
        short: str | None,
        confidence: float,
        table: list[dict[str, object]] | None = None,
    ) -> Answer:
        """An answer given: its lines joined, the direct answer, how sure it is."""
        return cls(question, "\n".join(lines), True, sources, lang=lang, short_answer=short,
                   confidence=confidence, table=table)  # fmt: skip

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["timings_ms"] = {k: round(v, 1) for k, v in self.timings_ms.items()}
        data["confidence"] = round(self.confidence, 3)
        for source in data["sources"]:
            source["score"] = round(source["score"], 4)
        return data
