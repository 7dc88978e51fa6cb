"""Officials over time: each title a person was seen holding, from the first to the last
report that names them with it.

The officials table is a list of sightings — a name, its titles, the report and its
date. Merged across reports (the same person, the same title, the same region) they
become appointments with a first and a last date seen, so "who is the 区长 now" can name
the holder of the latest report and say who held it before, and ``govqa officials
--history NAME|POST`` can show the timeline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ingest.script import Script, render_in, to_simplified
from retrieval.store import OfficialRow


@dataclass
class Tenure:
    """A title one person was seen holding, from ``first`` to ``last`` (report dates)."""

    name: str
    title: str
    region: str | None
    first: str | None
    last: str | None
    files: list[str] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)  # the reports (a .jsonl holds many)
    sentence: str = ""  # the latest sentence naming them with it

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title": self.title,
            "region": self.region,
            "first_seen": self.first,
            "last_seen": self.last,
            "reports": self.doc_ids,
            "files": self.files,
            "sentence": self.sentence,
        }


def tenures(officials: Iterable[OfficialRow]) -> list[Tenure]:
    """Sightings merged into tenures, earliest first (undated ones last)."""
    merged: dict[tuple[str, str, str | None], Tenure] = {}
    for row in officials:
        if row["unknown"]:
            continue
        for title in dict.fromkeys(row["titles"]):
            key = (row["name"], title, row["region"])
            tenure = merged.get(key)
            if tenure is None:
                tenure = merged[key] = Tenure(row["name"], title, row["region"], None, None)
            date = row["date"]
            if date and (tenure.first is None or date < tenure.first):
                tenure.first = date
            if date and (tenure.last is None or date >= tenure.last):
                tenure.last = date
                tenure.sentence = row["sentence"]
            elif not tenure.sentence:
                tenure.sentence = row["sentence"]
            if row["file"] not in tenure.files:
                tenure.files.append(row["file"])
            if row["doc_id"] not in tenure.doc_ids:
                tenure.doc_ids.append(row["doc_id"])
    return sorted(merged.values(), key=lambda t: (t.first is None, t.first or "", t.name))


def holds(title: str, asked: str) -> bool:
    """Whether ``title`` is the office ``asked``: 区委书记 holds 书记, 区委副书记 does not."""
    return asked in title and ("副" in asked or f"副{asked}" not in title)


def history(officials: Iterable[OfficialRow], ref: str) -> list[Tenure]:
    """The tenures of a person (``ref`` is their name) or of a post (``区长``,
    ``宛城区区长``: the title, and the region when it opens ``ref``)."""
    ref = to_simplified(ref.strip())
    found = tenures(officials)
    by_name = [t for t in found if t.name == ref]
    if by_name:
        return by_name
    posts = []
    for tenure in found:
        region = tenure.region or ""
        if holds(tenure.title, ref):
            posts.append(tenure)
        elif region and ref.startswith(region) and holds(tenure.title, ref[len(region) :]):
            posts.append(tenure)  # "宛城区区长": the region, then its title
        elif len(region) > 2 and ref.startswith(region[:-1]):
            rest = ref[len(region) - 1 :]  # "宛城区长": 宛城 + 区长
            if len(rest) >= 2 and holds(tenure.title, rest):
                posts.append(tenure)
    return posts


def succession(rows: Sequence[OfficialRow]) -> tuple[str, str | None, list[tuple[str, str]]] | None:
    """Of several people named with one title, the holder of the latest report, its date,
    and who was named with it before (name, last date) — when the dates tell them apart
    (the latest holder's last sighting after every other's); else None."""
    last: dict[str, str] = {}
    for row in rows:
        if not row["date"]:
            return None
        last[row["name"]] = max(last.get(row["name"], ""), row["date"])
    if len(last) < 2:
        return None
    ordered = sorted(last.items(), key=lambda item: item[1], reverse=True)
    (holder, date), runner_up = ordered[0], ordered[1]
    if date == runner_up[1]:
        return None
    return holder, date, ordered[1:]


def as_of_note(date: str | None, before: list[tuple[str, str]], script: Script) -> str:
    """（据2025-02-13的报道；此前：王明，2024-03-01） — the date an answer stands on."""
    earlier = "、".join(f"{name}，{when}" for name, when in before)
    if script == "en":
        return f"(as of the report of {date}" + (f"; before: {earlier})" if before else ")")
    text = f"（据{date}的报道" + (f"；此前：{earlier}）" if before else "）")
    return render_in(text, script)


def seen_note(name: str, held: Sequence[Tenure], script: Script) -> tuple[str, str]:
    """ "郭炜：区长（2024-02-06—2025-02-11）" and the note that these are report dates."""
    parts = []
    for tenure in held:
        first, last = tenure.first or "?", tenure.last or "?"
        seen = first if first == last else f"{first}—{last}"
        parts.append(f"{tenure.title} ({seen})" if script == "en" else f"{tenure.title}（{seen}）")
    text = f"{name}{': ' if script == 'en' else '：'}" + "、".join(parts)
    note = {
        "zh-hans": "（报告中首次与最近一次见到的日期，不是任免日期）",
        "zh-hant": "（報告中首次與最近一次見到的日期，不是任免日期）",
        "en": "(dates of the first and latest report naming them so, not of appointment)",
    }[script]
    return text, note
