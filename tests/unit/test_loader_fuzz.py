"""Fuzz: whatever bytes a file holds, loading it returns documents or raises LoadError, and
whatever text a report holds, cleaning and fact extraction return; each case in bounded
time (hypothesis' deadline), so no input hangs an ingest."""

from __future__ import annotations

import functools
import io
import json
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.cleaning import CleanResult, clean_text
from ingest.facts import Facts, extract_facts
from ingest.loaders import SUPPORTED_SUFFIXES, JsonlLineError, LoadError, RawDocument, load_file
from ingest.loaders.image import IMAGE_SUFFIXES
from ingest.ocr import OcrLimits
from tests.helpers import ROOT

SEED = sorted((ROOT / "seeds").glob("*.txt"))[0].read_text(encoding="utf-8")
SUFFIXES = sorted(SUPPORTED_SUFFIXES)
FUZZ = settings(
    max_examples=150,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# A case is a few KB: every step takes milliseconds. The bounds leave room for a busy machine.
LOADING = settings(FUZZ, deadline=timedelta(seconds=3))
READING = settings(FUZZ, deadline=timedelta(seconds=2))


@functools.cache
def valid_file(suffix: str) -> bytes:
    """A small valid file of each kind, from a seed, to be damaged by the fuzzer."""
    paragraphs = [p for p in SEED.split("\n") if p.strip()][:6]
    if suffix in (".txt", ".md"):
        return "\n".join(paragraphs).encode("utf-8")
    if suffix in (".html", ".htm"):
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        return f"<html><body><article>{body}</article></body></html>".encode()
    if suffix == ".jsonl":
        return "\n".join(
            json.dumps({"id": str(i), "text": p}, ensure_ascii=False)
            for i, p in enumerate(paragraphs)
        ).encode("utf-8")
    if suffix == ".docx":
        import docx

        document = docx.Document()
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    if suffix == ".pdf":
        from reportlab.pdfgen import canvas

        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer)
        pdf.drawString(72, 720, "Wancheng District work report 2024: GDP 414.9")
        pdf.showPage()
        pdf.save()
        return buffer.getvalue()
    if suffix in IMAGE_SUFFIXES:  # a small picture of a line of text
        from PIL import Image, ImageDraw

        picture = Image.new("RGB", (160, 40), "white")
        ImageDraw.Draw(picture).text((8, 12), "GDP 414.9", fill="black")
        buffer = io.BytesIO()
        picture.save(buffer, format=Image.registered_extensions()[suffix])
        return buffer.getvalue()
    raise AssertionError(suffix)


@st.composite
def damaged(draw: st.DrawFn, suffix: str) -> bytes:
    """A valid file with bytes overwritten, cut off, or spliced in."""
    data = bytearray(valid_file(suffix))
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(st.binary(max_size=64))
    return bytes(data)


def contents(suffix: str) -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=2048), damaged(suffix))


def _load(suffix: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        bad_lines: list[JsonlLineError] = []
        try:
            # OCR takes seconds a page (tests/integration/test_ocr.py reads pictures):
            # here the parsing of PDFs and pictures is fuzzed, with OCR off.
            ocr = OcrLimits(enabled=False)
            documents = list(load_file(path, on_line_error=bad_lines.append, ocr=ocr))
        except LoadError as e:
            assert str(e) and "\n" not in str(e)
            return
    assert documents, "nothing loaded and no LoadError"
    for document in documents:
        assert isinstance(document, RawDocument) and document.text.strip()


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_load_file_returns_documents_or_raises_load_error(suffix: str) -> None:
    @LOADING
    @given(data=contents(suffix))
    def check(data: bytes) -> None:
        _load(suffix, data)

    valid_file(suffix)  # built (and its libraries imported) outside the timed cases
    _load(suffix, valid_file(suffix))
    check()


# Words of the genre, marks the cleaner and the fact reader key on, and noise.
FRAGMENTS = [
    *"的是在和与及、，。；：！？“”《》（）()?？ \n\t0123456789%.,",
    "開(kāi)",
    "(kāi)",
    "?jiān)",
    "\ufffd",
    "区委书记",
    "区长",
    "主任",
    "常委",
    "领导",
    "王二",
    "李四",
    "欧阳",
    "艾力·买买提",
    "主持",
    "出席",
    "讲话",
    "会议由",
    "学习",
    "2024年",
    "今年",
    "目前",
    "预计",
    "力争",
    "分别",
    "增长",
    "同比",
    "全市第一",
    "亿元",
    "个",
    "项",
    "首次突破",
    "实现",
    "地区生产总值",
    "召开",
    "大会",
]
TEXTS = st.one_of(
    st.text(max_size=400), st.lists(st.sampled_from(FRAGMENTS), max_size=300).map("".join)
)


@READING
@given(text=TEXTS)
def test_clean_text_returns_on_any_text(text: str) -> None:
    result = clean_text(text)
    assert isinstance(result, CleanResult) and isinstance(result.text, str)


@READING
@given(text=TEXTS, meeting=st.sampled_from([None, "大会", "会议"]))
def test_extract_facts_returns_on_any_text(text: str, meeting: str | None) -> None:
    assert isinstance(
        extract_facts(text, region="宛城区", meeting=meeting, date=None, year="2024"), Facts
    )
