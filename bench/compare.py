"""Comparison questions against expected tables: rows right, rows shown right, citations.

    .venv/bin/python -m bench.compare --data-dir DIR --questions FILE [-v]

FILE is a JSON line a question — ``{"question": ..., "rows": [{"place": ..., "value":
123.4 | null}, ...]}`` (null: the place has no such figure in the reports) — written by
hand over reports the index in DIR holds, kept outside the repository (it quotes them).
Printed: questions answered with a table, questions whose every row is right, expected
rows right (a reported place with its value within 0.01; a place without a figure absent
or shown as not reported), rows shown that are right, and rows shown without a sentence
or file (target: none).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.common import make_services, report, setup_logging


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="an index holding the reports")
    parser.add_argument("--questions", type=Path, required=True, help="a .jsonl of questions")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    args = parser.parse_args()
    setup_logging()
    questions = [json.loads(line) for line in args.questions.open(encoding="utf-8") if line.strip()]
    services = make_services(args.data_dir)
    counts = dict.fromkeys(
        ("tables", "all_rows_right", "expected", "expected_right", "shown", "shown_right",
         "uncited"), 0
    )  # fmt: skip
    for item in questions:
        answer = services.chain.invoke(item["question"])
        rows = [r for r in answer.table or [] if "target" not in r]
        counts["tables"] += bool(rows)
        right_here = bool(rows)
        for expected in item["rows"]:
            counts["expected"] += 1
            ok = _found(expected, rows)
            counts["expected_right"] += ok
            right_here &= ok
            if args.verbose and not ok:
                print(f"  missed {expected['place']} {expected['value']}")
        for row in rows:
            if row["value"] is None:
                continue
            counts["shown"] += 1
            counts["uncited"] += not row.get("file") or not row.get("sentence")
            good = any(
                e["value"] is not None and abs(float(row["value"]) - e["value"]) < 0.011  # type: ignore[arg-type]
                for e in item["rows"]
                if _same_place(e["place"], str(row["place"]))
            )
            counts["shown_right"] += good
            if args.verbose and not good:
                print(f"  wrong row {row['place']} {row['shown']} ({row['file']})")
        counts["all_rows_right"] += right_here
        if args.verbose:
            print(("ok  " if right_here else "BAD ") + item["question"])
    report(
        "compare",
        {
            "questions": len(questions),
            "answered_with_a_table": counts["tables"],
            "questions_every_row_right": counts["all_rows_right"],
            "expected_rows": counts["expected"],
            "expected_rows_right": round(counts["expected_right"] / max(counts["expected"], 1), 3),
            "rows_shown": counts["shown"],
            "rows_shown_right": round(counts["shown_right"] / max(counts["shown"], 1), 3),
            "rows_without_citation": counts["uncited"],
        },
    )


def _same_place(expected: str, shown: str) -> bool:
    def core(place: str) -> str:
        return place.split("（")[0].rstrip("省市区县镇") or place

    return core(expected) in shown or core(shown) in expected


def _found(expected: dict[str, object], rows: list[dict[str, object]]) -> bool:
    mine = [r for r in rows if _same_place(str(expected["place"]), str(r["place"]))]
    if expected["value"] is None:
        return all(r["value"] is None for r in mine)
    value = float(expected["value"])  # type: ignore[arg-type]
    return any(r["value"] is not None and abs(float(r["value"]) - value) < 0.011 for r in mine)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
