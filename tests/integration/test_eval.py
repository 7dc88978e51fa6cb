"""`govqa eval` scoring, and the answer quality it measures on the question sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from govqa.services import Services
from retrieval.evaluation import EvalItem, is_correct, load_items, run_eval
from retrieval.types import Answer
from tests.helpers import DEV_SET, ROOT

HELDOUT = ROOT / "tests" / "data" / "heldout.jsonl"


def _item(answers: tuple[str, ...], type_: str = "figure") -> EvalItem:
    return EvalItem("x", "q", answers, ("a.txt",) if answers else (), type_, "zh-hans")


def _answer(text: str, answered: bool = True) -> Answer:
    return Answer(question="q", answer=text, answered=answered)


def test_scoring_follows_the_eval_readme() -> None:
    assert is_correct(_item(("414.9亿元",)), _answer("答：414.9 亿元"))  # whitespace ignored
    assert is_correct(_item(("管委会主任",)), _answer("示範區管委會主任"))  # script ignored
    assert not is_correct(_item(("414.9亿元",)), _answer("414.9亿元", answered=False))
    assert is_correct(_item((), "unanswerable"), _answer("没有找到", answered=False))
    assert not is_correct(_item((), "unanswerable"), _answer("某人"))
    five = ("甲", "乙", "丙", "丁", "戊")
    assert is_correct(_item(five, "list"), _answer("甲乙丙丁"))  # 4 of 5 = 80 %
    assert not is_correct(_item(five, "list"), _answer("甲乙丙"))


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
