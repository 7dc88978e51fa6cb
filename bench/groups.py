"""Republished-report groups on a corpus: how many, how fast, and recall on edited copies.

    .venv/bin/python -m bench.groups [--corpus PATH] [--limit N] [--pairs 30] [--dump F]

Every report is cleaned, its facts extracted and stored through the catalogue's own write
path (``Catalogue.put``, which groups it against the reports stored before it; no
vectors: grouping reads the catalogue only). Printed:

- groups of two or more reports, and the reports in them;
- grouping time a report (the store's ``Groups.assign``), beside the time of the rest of
  the catalogue write and of cleaning + facts; bench.ingest gives a report's whole ingest
  time (encoder included), against which the grouping share is judged (target ≤ 3 %);
- recall on edited copies: ``--pairs`` reports of at least 400 characters, each stored
  again after the edits outlets make — another headline, the dateline rewritten, the
  last third of the paragraphs cut (or, for reports of one or two paragraphs, the last
  third of the sentences), a sentence of commentary added — counted as found when the
  copy joins its original's group.

``--dump F`` writes the groups as JSON lines (doc ids, titles, first characters of each
member) for checking by hand; keep it outside the repository (it quotes the reports).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from bench.common import (
    CORPUS,
    TEMP_PREFIX,
    check_outside_repo,
    load_average,
    report,
    timed_grouping,
)
from ingest.loaders import load_file
from ingest.loaders.base import RawDocument
from ingest.pipeline import build_report, make_chunks, make_facts
from retrieval.lexical import Tokenizer
from retrieval.store.base import StagedReport
from retrieval.store.catalogue import Catalogue

_SENTENCE_END = re.compile(r"(?<=[。！？])")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="a .jsonl of reports")
    parser.add_argument("--limit", type=int, default=None, help="only the first N reports")
    parser.add_argument("--pairs", type=int, default=30, help="edited copies for recall")
    parser.add_argument("--dump", type=Path, default=None, help="write the groups here")
    args = parser.parse_args()

    raws = list(load_file(args.corpus, max_bytes=1 << 31, max_chars=1 << 27))[: args.limit]
    timing = _Timing()
    with tempfile.TemporaryDirectory(prefix=TEMP_PREFIX) as tmp:
        catalogue = Catalogue(Path(tmp) / "govqa.sqlite3", Tokenizer(), threading.RLock())
        with timed_grouping() as grouping:
            for raw in raws:
                _store(catalogue, raw, timing)
        groups = _groups(catalogue)
        figures: dict[str, object] = {
            "corpus": str(args.corpus),
            "reports": len(raws),
            "groups_of_2_or_more": len(groups),
            "reports_in_groups": sum(len(g) for g in groups.values()),
            "largest_group": max((len(g) for g in groups.values()), default=0),
            "clean_and_facts_ms_a_report": timing.prepare / len(raws) * 1000,
            "catalogue_write_ms_a_report": (timing.write - grouping.seconds) / len(raws) * 1000,
            "grouping_ms_a_report": grouping.seconds / len(raws) * 1000,
            "load_average": load_average(),
        }
        figures.update(_recall(catalogue, raws, args.pairs, timing))
        if args.dump is not None:
            _dump(catalogue, groups, check_outside_repo(args.dump))
        catalogue.close()
    report("groups", figures)


class _Timing:
    """Seconds spent cleaning + extracting facts, and writing (grouping included)."""

    def __init__(self) -> None:
        self.prepare = self.write = 0.0


def _store(catalogue: Catalogue, raw: RawDocument, timing: _Timing, key: str = "") -> str:
    start = time.perf_counter()
    doc_id = key or raw.key or ""
    built = build_report(raw, doc_id=doc_id, file="corpus.jsonl", source="corpus.jsonl")
    chunks = make_chunks(built)
    staged = StagedReport.of(built, chunks, [[0.0]] * len(chunks), make_facts(built))
    written = time.perf_counter()
    with catalogue.transaction():
        catalogue.put(staged.row, staged.chunks, staged.facts)  # type: ignore[arg-type]
    timing.prepare += written - start
    timing.write += time.perf_counter() - written
    return doc_id


def _groups(catalogue: Catalogue) -> dict[str, list[str]]:
    rows = catalogue.db.execute(
        "SELECT g.group_id, g.doc_id FROM report_groups g JOIN reports r "
        "ON r.doc_id = g.doc_id ORDER BY r.rowid"
    ).fetchall()
    sizes = Counter(group for group, _ in rows)
    groups: dict[str, list[str]] = {}
    for group, doc_id in rows:
        if sizes[group] > 1:
            groups.setdefault(group, []).append(doc_id)
    return groups


def _edited(raw: RawDocument, rng: random.Random) -> RawDocument:
    """A copy as another outlet would publish it."""
    paragraphs = [p for p in raw.text.split("\n") if p.strip()]
    if len(paragraphs) >= 3:
        kept = paragraphs[: max(1, len(paragraphs) * 2 // 3)]
    else:
        sentences = [s for s in _SENTENCE_END.split("".join(paragraphs)) if s]
        kept = ["".join(sentences[: max(1, len(sentences) * 2 // 3)])]
    first = re.sub(r"^[^，。]{0,20}?(?:讯|电|消息)[：:，]?\s*", "", kept[0])
    kept[0] = f"本网{rng.randint(1, 28)}日讯（通讯员 丁一）{first}"
    kept.append("（来源：转载自本地融媒体中心，有删节。）")
    return RawDocument(
        text="\n".join(kept),
        key=None,
        title=f"转载｜{(raw.title or '')[:12]}",
        date=raw.date,
        url=None,
    )


def _recall(
    catalogue: Catalogue, raws: list[RawDocument], pairs: int, timing: _Timing
) -> dict[str, object]:
    rng = random.Random(7)
    groups = dict(catalogue.db.execute("SELECT doc_id, group_id FROM report_groups"))
    sizes = Counter(groups.values())
    alone = [r for r in raws if len(r.text) >= 400 and r.key and sizes[groups.get(r.key, "")] == 1]
    chosen = rng.sample(alone, min(pairs, len(alone)))
    found = 0
    missed = []
    for n, raw in enumerate(chosen):
        copy = _store(catalogue, _edited(raw, rng), timing, key=f"edited-copy-{n}")
        grouped = dict(
            catalogue.db.execute(
                "SELECT doc_id, group_id FROM report_groups WHERE doc_id IN (?, ?)",
                (copy, raw.key),
            )
        )
        if grouped.get(copy) == grouped.get(raw.key or ""):
            found += 1
        else:
            missed.append(raw.key)
    return {"edited_copies": len(chosen), "edited_copies_grouped": found,
            "recall": found / len(chosen) if chosen else 0.0, "missed": missed}  # fmt: skip


def _dump(catalogue: Catalogue, groups: dict[str, list[str]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for group, members in groups.items():
            rows = catalogue.get_reports(members)
            out.write(
                json.dumps(
                    {
                        "group": group,
                        "members": [
                            {
                                "doc_id": m,
                                "title": rows[m].title,
                                "date": rows[m].date,
                                "likeness": catalogue.db.execute(
                                    "SELECT likeness FROM report_groups WHERE doc_id = ?", (m,)
                                ).fetchone()[0],
                            }
                            for m in members
                        ],
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )


if __name__ == "__main__":
    main()
