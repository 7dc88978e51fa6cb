"""The answer quality `govqa eval` measures on the question sets (its scoring:
tests/unit/test_eval.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from govqa.services import Services
from retrieval.evaluation import load_items, run_eval
from tests.helpers import DEV_SET, ROOT

HELDOUT = ROOT / "tests" / "data" / "heldout.jsonl"


@pytest.mark.parametrize(
    ("path", "minimum"),
    [(DEV_SET, 20), (HELDOUT, 39)],
    ids=["dev", "heldout"],
)
def test_question_sets_do_not_regress(seeded: Services, path: Path, minimum: int) -> None:
    if not path.exists():
        pytest.skip(f"{path} is not here")
    report = run_eval(load_items(path), seeded.chain.invoke, strict=True)
    misses = [
        (r.item.id, r.item.question, r.answer.answer[:80]) for r in report.results if not r.correct
    ]
    assert report.summary()["correct"] >= minimum, misses
    # No answer to an unanswerable question, ever.
    assert report.summary()["unanswerable_refused"] == sum(
        1 for r in report.results if r.item.type == "unanswerable"
    ), misses
