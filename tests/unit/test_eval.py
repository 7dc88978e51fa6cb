"""`govqa eval` scoring (the answer quality it measures: tests/integration/test_eval.py)."""

from __future__ import annotations

from retrieval.evaluation import EvalItem, is_correct
from retrieval.types import Answer


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
