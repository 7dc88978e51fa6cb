"""What load_file promises for every format (ingest/loaders/files.py and base.py): a
whole-file problem raises at the call with one short sentence, the size and character
limits (and a limit given in MB), symbolic links that lead nowhere, the supported
suffixes, a frozen RawDocument."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders import SUPPORTED_SUFFIXES, LoadError, RawDocument, load_file, mb_to_bytes
from tests.helpers import html_page, load_one, seed_text, write


def corrupt_docx(tmp_path: Path) -> Path:
    return write(tmp_path, "bad.docx", bytes(range(256)) * 8)


ERROR_CASES = {
    "empty": (lambda d: write(d, "e.txt", b""), r"^empty file$"),
    "blank": (lambda d: write(d, "b.md", b" \n\r\n\t"), r"^file has no text$"),
    "undecodable": (
        lambda d: write(d, "u.txt", "Ceci n'était pas très lisible, où ça?".encode("cp1252")),
        r"^cannot decode text \(not UTF-8/UTF-16/GB18030/Big5\)$",
    ),
    "png": (
        lambda d: write(d, "p.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)),
        r"^binary file$",
    ),
    "nav_only_html": (
        lambda d: write(d, "n.html", html_page("").encode()),
        r"^HTML page has no article text$",
    ),
    "corrupt_docx": (corrupt_docx, r"^corrupt \.docx: "),
    "old_doc": (
        lambda d: write(d, "old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)),
        r"^corrupt \.docx: it is an old \.doc file",
    ),
    "corrupt_pdf": (lambda d: write(d, "c.pdf", b"%PDF-1.4\nnot really"), r"^corrupt \.pdf: "),
    "unknown_suffix": (lambda d: write(d, "x.xyz", b"hello"), r"^unsupported file type \.xyz$"),
    "no_suffix": (lambda d: write(d, "README", b"hello"), r"^file has no extension$"),
    "missing": (lambda d: d / "missing.txt", r"^file not found$"),
    "jsonl_blank": (lambda d: write(d, "j.jsonl", b"\n \n"), r"^file has no text$"),
}


@pytest.mark.parametrize("case", ERROR_CASES)
def test_whole_file_errors_raise_at_call(tmp_path: Path, case: str) -> None:
    make, message = ERROR_CASES[case]
    path = make(tmp_path)
    with pytest.raises(LoadError, match=message) as info:
        list(load_file(path))
    assert "\n" not in str(info.value) and len(str(info.value)) < 120
    if path.suffix != ".jsonl":  # raised by the call itself, before iteration
        with pytest.raises(LoadError):
            load_file(path)


def test_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", "會議".encode() * 1000)
    with pytest.raises(LoadError, match=r"^file is 5\.9 KB, over the 4 KB limit$"):
        load_file(path, max_bytes=4096)
    assert load_one(path, max_bytes=6000).text == "會議" * 1000

    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as f:
        f.truncate(int(25.3 * 1024 * 1024))  # sparse: nothing is written or read
    with pytest.raises(LoadError, match=r"^file is 25\.3 MB, over the 20 MB limit$"):
        load_file(huge)


def test_supported_suffixes() -> None:
    assert SUPPORTED_SUFFIXES == {".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".jsonl",
                                  ".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff"}  # fmt: skip


def test_text_over_the_character_limit_is_refused(tmp_path: Path) -> None:
    text = seed_text(0)
    path = write(tmp_path, "r.txt", text.encode("utf-8"))
    assert load_one(path, max_chars=len(text)).text == text
    with pytest.raises(
        LoadError,
        match=rf"^text too long: {len(text):,} characters extracted, the limit is "
        rf"{len(text) - 1:,} \(GOVQA_MAX_CHARS\)$",
    ):
        load_file(path, max_chars=len(text) - 1)


def test_default_character_limit_refuses_a_text_bomb(tmp_path: Path) -> None:
    # 2.5 M characters of a seed, 7.5 MB of UTF-8: within the 20 MB file limit
    text = (seed_text(1) * (2_500_000 // len(seed_text(1)) + 1))[:2_500_000]
    path = write(tmp_path, "bomb.md", text.encode("utf-8"))
    with pytest.raises(LoadError, match=r"^text too long: 2,500,000 characters extracted, "):
        load_file(path)


def test_symbolic_links_that_lead_nowhere_give_reasons(tmp_path: Path) -> None:
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "gone.txt")
    loop_a, loop_b = tmp_path / "a.txt", tmp_path / "b.txt"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    with pytest.raises(LoadError, match=r"^broken symbolic link \(to '.*gone\.txt'\)$"):
        load_file(dangling)
    with pytest.raises(LoadError, match=r"^symbolic link loop "):
        load_file(loop_a)


def test_raw_document_is_frozen() -> None:
    doc = RawDocument(text="正文")
    with pytest.raises(AttributeError):
        doc.text = "改"  # type: ignore[misc]
    assert (doc.key, doc.title, doc.date, doc.url) == (None, None, None, None)


def test_a_limit_in_mb_is_counted_in_binary_megabytes() -> None:
    assert mb_to_bytes(20) == 20_971_520  # GOVQA_MAX_FILE_MB's default, the Bot API's limit
    assert mb_to_bytes(0.05) == 52_428  # a fraction rounds down: never over the limit
