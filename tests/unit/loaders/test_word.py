"""Word files (ingest/loaders/word.py): paragraphs, tables and title, and the zip bombs and
oversized documents refused before python-docx reads them."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ingest.loaders import LoadError, load_file
from tests.helpers import load_one, seed_text, write


def test_docx_paragraphs_title_and_table(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    paragraphs = seed_text(0).split("\n")
    document = docx.Document()
    document.core_properties.title = "示范區黨工委專題會議"
    document.add_heading(paragraphs[0], level=1)
    for paragraph in paragraphs[1:]:
        document.add_paragraph(paragraph)
        document.add_paragraph("")  # spacing paragraphs are dropped
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("項目", "金額"), ("道路", "3億元")], strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    path = tmp_path / "report.docx"
    document.save(str(path))

    doc = load_one(path)
    assert doc.text.split("\n") == [*paragraphs, "項目\t金額", "道路\t3億元"]
    assert doc.title == "示范區黨工委專題會議"
    assert doc.key is None


def docx_with_document_xml(body_xml: str, *, level: int = 9) -> bytes:
    """A real python-docx package whose main part's body is replaced by ``body_xml``."""
    import io
    import zipfile

    import docx

    blank = io.BytesIO()
    docx.Document().save(blank)
    source = zipfile.ZipFile(blank)
    namespace = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document {namespace}><w:body>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target:
        for info in source.infolist():
            if info.filename == "word/document.xml":
                target.writestr(info.filename, f"{xml}{body_xml}</w:body></w:document>")
            else:
                target.writestr(info.filename, source.read(info.filename))
    return out.getvalue()


def paragraphs_list(paragraphs: list[str], count: int) -> list[str]:
    return [paragraphs[i % len(paragraphs)] for i in range(count)]


def paragraphs_xml(paragraphs: list[str], count: int) -> str:
    return "".join(
        f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs_list(paragraphs, count)
    )


def test_docx_text_bomb_is_refused_while_it_streams(tmp_path: Path) -> None:
    """Repeated paragraphs compress 150:1: 25 M characters in a few hundred KB. The text is
    counted as the part streams from the zip, so reading stops soon after the limit."""
    paragraphs = [p for p in seed_text(0).split("\n") if p.strip()]
    count = 25_000_000 // sum(map(len, paragraphs)) * len(paragraphs)
    data = docx_with_document_xml(paragraphs_xml(paragraphs, count))
    assert len(data) < 1_000_000
    path = write(tmp_path, "bomb.docx", data)
    started = time.perf_counter()
    with pytest.raises(
        LoadError,
        match=r"^text too long: more than 2,000,000 characters extracted, the limit is "
        r"2,000,000 \(GOVQA_MAX_CHARS\)$",
    ):
        load_file(path)
    assert time.perf_counter() - started < 10


def test_docx_part_compressed_like_a_zip_bomb_is_refused_from_the_directory(
    tmp_path: Path,
) -> None:
    # 12 MB of spaces inside the body compress about 1,000:1
    data = docx_with_document_xml("<w:p><w:r><w:t>正文</w:t></w:r></w:p>" + " " * 12_000_000)
    path = write(tmp_path, "bomb.docx", data)
    with pytest.raises(
        LoadError, match=r"^Word file part 'word/document\.xml' expands [\d,]+:1 "
    ) as e:
        load_file(path)
    assert "zip bomb" in str(e.value)


def test_docx_with_too_many_elements_is_refused_while_it_streams(tmp_path: Path) -> None:
    """Empty paragraphs cost python-docx about 450 bytes each and no text."""
    import random

    rng = random.Random(0)
    body = "".join(f'<w:p w:rsidR="{rng.getrandbits(32):08X}"/>' for _ in range(600_000))
    path = write(tmp_path, "empty.docx", docx_with_document_xml(body, level=1))
    with pytest.raises(LoadError, match=r"^Word document too large: over 500,000 XML elements$"):
        load_file(path)
