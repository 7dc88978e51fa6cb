"""Every format of the same report gives the same cleaned text (bad files listed by an
ingest: tests/integration/test_formats.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders import load_file
from ingest.pipeline import build_report
from tests.helpers import PINYIN_NOTE, SEEDS, html_page, make_pdf

SEED = SEEDS / "002_f2ba840133a4e5d0.txt"  # no headline lines: the same in every format


def _cleaned(path: Path) -> str:
    (raw,) = list(load_file(path))
    report = build_report(raw, doc_id=path.name, file=path.name, source=str(path))
    return "".join(report.cleaned_text.split())


@pytest.fixture(scope="module")
def original() -> str:
    return _cleaned(SEED)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_encodings_give_the_same_cleaned_text(tmp_path: Path, original: str, encoding: str) -> None:
    path = tmp_path / f"report-{encoding}.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode(encoding))
    assert _cleaned(path) == original


def test_big5_gives_the_same_cleaned_text(tmp_path: Path) -> None:
    # Big5 cannot hold the pinyin glosses, so the Big5 copy is made from text without them.
    text = PINYIN_NOTE.sub("", SEED.read_text(encoding="utf-8"))
    lines = [line for line in text.split("\n") if _encodes(line, "big5")]
    assert sum(map(len, lines)) > 200
    source = tmp_path / "source.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    big5 = tmp_path / "report-big5.txt"
    big5.write_bytes("\n".join(lines).encode("big5"))
    assert _cleaned(big5) == _cleaned(source)


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def test_docx_pdf_and_html_give_the_same_cleaned_text(tmp_path: Path, original: str) -> None:
    import docx

    text = SEED.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n") if p.strip()]
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(str(tmp_path / "report.docx"))
    make_pdf(tmp_path / "report.pdf", text)
    body = "<article>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article>"
    (tmp_path / "report.html").write_text(html_page(body), encoding="utf-8")
    for name in ("report.docx", "report.pdf", "report.html"):
        assert _cleaned(tmp_path / name) == original, name
