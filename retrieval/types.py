"""What the answering layer returns; ``govqa ask --json`` prints ``Answer`` serialised."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


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


@dataclass
class Answer:
    question: str
    answer: str
    answered: bool
    sources: list[Source] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    lang: str = "zh-hans"

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["timings_ms"] = {k: round(v, 1) for k, v in self.timings_ms.items()}
        for source in data["sources"]:
            source["score"] = round(source["score"], 4)
        return data
