"""Plain text in every encoding the loaders read (ingest/loaders/text.py), built in
tmp_path from the seeds."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from ingest.loaders import LoadError, RawDocument, read_text_file
from tests.helpers import SEED_FILES, big5_paragraphs, load_one, seed_text, write


def test_seeds_present() -> None:
    assert len(SEED_FILES) >= 3


def test_utf8_text_loads_as_is(tmp_path: Path) -> None:
    text = seed_text()
    doc = load_one(write(tmp_path, "a.txt", text.encode("utf-8")))
    assert doc == RawDocument(text=text)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-16-be-bom", "utf-8-sig"])
@pytest.mark.parametrize("index", range(3))
def test_encoded_copies_load_like_utf8(tmp_path: Path, encoding: str, index: int) -> None:
    text = seed_text(index)
    if encoding == "utf-16-be-bom":
        data = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    original = load_one(write(tmp_path, "utf8.txt", text.encode("utf-8")))
    copy = load_one(write(tmp_path, f"copy.{'md' if index else 'txt'}", data))
    assert copy.text == original.text == text


def test_gbk_copy(tmp_path: Path) -> None:
    text = seed_text(1)
    assert load_one(write(tmp_path, "gbk.txt", text.encode("gbk"))).text == text


def test_big5_copy(tmp_path: Path) -> None:
    paragraphs = big5_paragraphs()
    text = "\n".join(paragraphs)
    assert len(paragraphs) >= 5 and len(text) >= 500  # enough seed text survives
    for encoding in ("big5", "cp950", "big5hkscs"):
        path = write(tmp_path, f"{encoding}.TXT", text.encode(encoding))
        assert load_one(path).text == text


SNIPPETS = [
    "會議在區會議中心召開",
    "示范區黨工委專題會議",
    "2月13日上午,會議回顧總結2024年工作。",
    "月14日",
]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [(t, "gb18030") for t in [*SNIPPETS, "宛城区三级干部会议在区会议中心召开。"]]
    + [(t, "big5") for t in SNIPPETS],
)
def test_short_chinese_snippets_are_detected(text: str, encoding: str) -> None:
    assert read_text_file(text.encode(encoding)) == text


def test_line_breaks_normalised() -> None:
    data = "第一段\r\n第二段\r第三段\n".encode("gb18030")
    assert read_text_file(data) == "第一段\n第二段\n第三段\n"


def test_utf16_without_bom() -> None:
    text = "示范區黨工委專題會議 meeting 2024\n"
    assert read_text_file(text.encode("utf-16-le")) == text
    assert read_text_file(text.encode("utf-16-be")) == text


def test_one_corrupt_byte_is_tolerated() -> None:
    text = seed_text(1)
    data = text.encode("gb18030")[:-1]  # cut the last character in half
    assert read_text_file(data) == text[:-1] + "\ufffd"
    broken = bytearray(text.encode("utf-8"))
    broken[100] = 0xFF  # one bad byte in a UTF-8 file
    decoded = read_text_file(bytes(broken))
    assert 1 <= decoded.count("\ufffd") <= 3
    assert decoded.endswith(text[60:])  # byte 100 is within the first 40 characters


def test_read_text_file_rejects_binary_and_garbage() -> None:
    with pytest.raises(LoadError, match="^binary file$"):
        read_text_file(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00")
    with pytest.raises(LoadError, match="^binary file$"):
        read_text_file(bytes(range(1, 32)) * 10)
    with pytest.raises(LoadError, match="^cannot decode text"):
        read_text_file(bytes(range(0x80, 0x100)) * 4)
