"""What OCR's lines become: reading order, paragraphs, a usable text layer, and the
caution under an answer whose evidence was read with low confidence (no model)."""

from __future__ import annotations

from ingest.loaders.pdf import usable
from ingest.ocr import Line, join_lines, reading_order
from retrieval.citing import ocr_caution
from retrieval.types import Answer, Source


def line(text: str, x0: float, y0: float, x1: float) -> Line:
    return Line(text, 0.99, x0, y0, x1, y0 + 30)


def test_two_columns_are_read_one_after_the_other_under_a_full_width_title() -> None:
    title = line("青禾区召开经济工作会议", 100, 20, 1100)
    left = [line(f"左{i}", 100, 80 + 45 * i, 560) for i in range(3)]
    right = [line(f"右{i}", 640, 80 + 45 * i, 1100) for i in range(3)]
    # the recogniser's own order goes row across: 左0 右0 左1 右1 …
    rows = [title, *(x for pair in zip(left, right, strict=True) for x in pair)]
    assert [x.text for x in reading_order(rows)] == ["青禾区召开经济工作会议", "左0", "左1", "左2",
                                                   "右0", "右1", "右2"]  # fmt: skip


def test_lines_join_into_paragraphs_where_a_sentence_ends_short_or_the_next_is_indented() -> None:
    lines = [
        line("会议通报，2024年青禾区地区生产总值实现", 100, 100, 1100),
        line("219.8亿元，增长6.0%。", 100, 145, 500),  # short, ends a sentence
        line("区委书记林志远强调，要坚持稳中求进，聚焦", 160, 190, 1100),  # indented
        line("产业升级。", 100, 235, 300),
        line("。", 100, 280, 120),  # a wrapped full stop alone goes on
    ]
    assert join_lines(lines).split("\n") == [
        "会议通报，2024年青禾区地区生产总值实现219.8亿元，增长6.0%。",
        "区委书记林志远强调，要坚持稳中求进，聚焦产业升级。。",
    ]
    english = [line("Qinghe District held", 100, 100, 1100), line("a meeting.", 100, 145, 400)]
    assert join_lines(english) == "Qinghe District held a meeting."


def test_a_text_layer_of_garbage_is_not_usable() -> None:
    assert usable("青禾区召开2025年经济工作会议，区委书记林志远主持。")
    assert not usable("   \n  ")
    assert not usable("(cid:12)(cid:34)(cid:56)(cid:78)")
    assert not usable("\ue000\ue001\ue002\ue003\ue004\ue005\ue006\ue007\ue008\ue009\ue00a")


def test_an_answer_on_low_confidence_ocr_says_so() -> None:
    def answer(confidence: float | None) -> Answer:
        source = Source("scan.jpg", "scan.jpg", "题", None, "…", 1.0, ocr_confidence=confidence)
        return Answer("问", "答：219.8亿元", True, [source], lang="zh-hans", confidence=0.9)

    low = ocr_caution(answer(0.71))
    assert "OCR识别的文字（置信度0.71）" in low.answer and low.confidence == 0.71
    assert ocr_caution(answer(0.97)).answer == "答：219.8亿元"
    assert ocr_caution(answer(None)).confidence == 0.9


def test_a_headline_without_punctuation_is_its_own_paragraph() -> None:
    lines = [
        line("柳溪区召开经济工作会议", 400, 40, 800),  # centred, no full stop
        line("本报讯 2月12日，柳溪区召开经济工作会议，区委书记贺明远出席", 100, 100, 1100),
        line("并讲话。", 100, 145, 260),
    ]
    assert join_lines(lines).split("\n") == [
        "柳溪区召开经济工作会议",
        "本报讯 2月12日，柳溪区召开经济工作会议，区委书记贺明远出席并讲话。",
    ]
