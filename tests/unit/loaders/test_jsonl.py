"""JSON Lines (ingest/loaders/jsonl.py): good and bad lines, how bad lines are reported,
streaming, encodings, and a line over the character limit."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from ingest.loaders import JsonlLineError, LoadError, RawDocument, load_file
from tests.helpers import ROOT, big5_paragraphs, seed_text, write

CORPUS = ROOT.parent / "shared" / "corpus" / "crud_gov_2k.jsonl"


def jsonl_line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        jsonl_line(id="a1", title="標題一", date="2023-08-01 10:02:05", text=seed_text(0)),
        '{"id": "broken", "text": "未閉合',
        "",
        jsonl_line(id="a2", title="無正文"),
        jsonl_line(id=7, text="第二篇\r\n第二段", url="https://example.org/7"),
        jsonl_line(id="a1", text="重複的編號"),
        "[1, 2]",
    ]
    path = write(tmp_path, "docs.jsonl", "\n".join(lines).encode("utf-8"))
    errors: list[JsonlLineError] = []
    docs = list(load_file(path, on_line_error=errors.append))

    assert docs == [
        RawDocument(
            text=seed_text(0), key="a1", title="標題一", date="2023-08-01 10:02:05", url=None
        ),
        RawDocument(text="第二篇\n第二段", key="7", url="https://example.org/7"),
    ]
    assert [str(e) for e in errors] == [
        "line 2: invalid JSON",
        "line 4: missing `text`",
        "line 6: duplicate id 'a1'",
        "line 7: not a JSON object",
    ]
    assert all(isinstance(e, LoadError) and e.path == path for e in errors)
    assert [(e.line, e.reason) for e in errors][0] == (2, "invalid JSON")


def test_jsonl_bad_lines_are_logged_by_default(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write(tmp_path, "d.jsonl", '{"id": "x", "text": "正文"}\nnot json\n'.encode())
    with caplog.at_level(logging.WARNING, logger="ingest.loaders"):
        docs = list(load_file(path))
    assert [d.text for d in docs] == ["正文"]
    assert "line 2: invalid JSON" in caplog.text


def test_jsonl_all_lines_bad(tmp_path: Path) -> None:
    path = write(tmp_path, "d.jsonl", b'{"id": "x"}\n{"text": "t"}\n')
    errors: list[JsonlLineError] = []
    message = r"^no usable line in 2 line\(s\) \(line 1: missing `text`\)$"
    with pytest.raises(LoadError, match=message):
        list(load_file(path, on_line_error=errors.append))
    assert [e.reason for e in errors] == ["missing `text`", "missing `id`"]


def test_jsonl_is_streamed_and_handler_can_make_errors_fatal(tmp_path: Path) -> None:
    path = write(tmp_path, "d.jsonl", (jsonl_line(id="1", text="一") + "\n{oops\n").encode())

    def strict(error: JsonlLineError) -> None:
        raise error

    docs = load_file(path, on_line_error=strict)
    assert next(docs).key == "1"  # the first document arrives before line 2 is parsed
    with pytest.raises(JsonlLineError, match="^line 2: invalid JSON$"):
        next(docs)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "gb18030", "big5"])
def test_jsonl_encodings(tmp_path: Path, encoding: str) -> None:
    text = "\n".join(big5_paragraphs()[:3])
    content = "\r\n".join(jsonl_line(id=str(i), text=text, title="會議") for i in range(3))
    path = write(tmp_path, "d.jsonl", content.encode(encoding))
    errors: list[JsonlLineError] = []
    docs = list(load_file(path, on_line_error=errors.append))
    assert errors == []
    assert [(d.key, d.text, d.title) for d in docs] == [(str(i), text, "會議") for i in range(3)]


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")
def test_shared_corpus_loads_cleanly() -> None:
    errors: list[JsonlLineError] = []
    docs = list(load_file(CORPUS, on_line_error=errors.append))
    assert errors == []
    assert len(docs) > 2000
    assert len({d.key for d in docs}) == len(docs)
    assert all(d.text.strip() for d in docs)


def test_jsonl_line_over_the_character_limit_is_one_bad_line(tmp_path: Path) -> None:
    long, short = "長" * 300, "短文"
    lines = [jsonl_line(id="a", text=long), jsonl_line(id="b", text=short)]
    path = write(tmp_path, "d.jsonl", "\n".join(lines).encode())
    errors: list[JsonlLineError] = []
    docs = list(load_file(path, max_chars=200, on_line_error=errors.append))
    assert [d.key for d in docs] == ["b"]
    assert [str(e) for e in errors] == [
        "line 1: text too long: 300 characters extracted, the limit is 200 (GOVQA_MAX_CHARS)"
    ]
