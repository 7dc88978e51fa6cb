"""PDF files (ingest/loaders/pdf.py): the text layer, a scan without one, encrypted PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders import LoadError, load_file
from ingest.ocr import OcrLimits
from tests.helpers import load_one, make_pdf, seed_text, squeeze


def test_pdf_text_layer(tmp_path: Path) -> None:
    text = seed_text(2)
    path = tmp_path / "report.PDF"
    make_pdf(path, text)
    assert squeeze(load_one(path).text) == squeeze(text)


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(100, 100, 200, 200, fill=1)  # a drawing, no text
    pdf.showPage()
    pdf.save()
    # OCR reads the drawn page and finds nothing; with OCR off, the reason says so
    with pytest.raises(LoadError, match=r"^no readable text: page 1: no text found by OCR$"):
        list(load_file(path))
    off = OcrLimits(enabled=False)
    with pytest.raises(LoadError, match=r"^PDF has no text layer \(scanned\?\) and OCR is off"):
        list(load_file(path, ocr=off))


def encrypted_pdf(tmp_path: Path, name: str, user_password: str, algorithm: str) -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = tmp_path / f"plain-{name}"
    make_pdf(plain, seed_text(2))
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
    path = tmp_path / name
    with path.open("wb") as f:
        writer.write(f)
    return path


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_encrypted_pdf_with_an_empty_user_password_loads(tmp_path: Path, algorithm: str) -> None:
    path = encrypted_pdf(tmp_path, "open.pdf", "", algorithm)
    assert squeeze(load_one(path).text) == squeeze(seed_text(2))


@pytest.mark.parametrize("algorithm", ["AES-256", "RC4-128"])
def test_pdf_with_a_real_password_gives_a_clear_reason(tmp_path: Path, algorithm: str) -> None:
    path = encrypted_pdf(tmp_path, "locked.pdf", "user-secret", algorithm)
    with pytest.raises(LoadError, match=r"^encrypted PDF, needs a password$"):
        load_file(path)
