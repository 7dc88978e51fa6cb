"""Tests for ingest.loaders: every format and encoding, built in tmp_path from the seeds."""

from __future__ import annotations

import codecs
import json
import logging
import re
import time
from pathlib import Path

import pytest

from ingest.loaders import (
    SUPPORTED_SUFFIXES,
    JsonlLineError,
    LoadError,
    RawDocument,
    load_file,
    mb_to_bytes,
    read_text_file,
)
from tests.helpers import ROOT

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
CORPUS = ROOT.parent / "shared" / "corpus" / "crud_gov_2k.jsonl"
# The seeds carry converter noise like "開(kāi)": pinyin in brackets, not encodable in Big5.
PINYIN_NOTE = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def seed_text(index: int = 0) -> str:
    return SEEDS[index].read_text(encoding="utf-8")


def squeeze(text: str) -> str:
    return "".join(text.split())


def load_one(path: Path, **kwargs: object) -> RawDocument:
    docs = list(load_file(path, **kwargs))  # type: ignore[arg-type]
    assert len(docs) == 1
    return docs[0]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def big5_paragraphs() -> list[str]:
    """Seed paragraphs (pinyin notes removed) that encode strictly in Big5."""
    paragraphs = []
    for seed in SEEDS:
        for line in PINYIN_NOTE.sub("", seed.read_text(encoding="utf-8")).split("\n"):
            try:
                line.encode("big5")
            except UnicodeEncodeError:
                continue
            if line.strip():
                paragraphs.append(line)
    return paragraphs


def test_seeds_present() -> None:
    assert len(SEEDS) >= 3


# --- plain text and encodings ---------------------------------------------------------------


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


# --- Word -----------------------------------------------------------------------------------


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


# --- PDF ------------------------------------------------------------------------------------


def make_pdf(path: Path, text: str) -> None:
    """Chinese text with reportlab's built-in CID font (no font file needed)."""
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    y = 800
    pdf.setFont("STSong-Light", 11)
    for line in text.split("\n"):
        for start in range(0, len(line), 38):
            pdf.drawString(40, y, line[start : start + 38])
            y -= 16
            if y < 40:
                pdf.showPage()
                pdf.setFont("STSong-Light", 11)
                y = 800
    pdf.save()


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
    with pytest.raises(LoadError, match=r"^PDF has no text layer \(scanned\?\)$"):
        load_file(path)


# --- HTML -----------------------------------------------------------------------------------

NAV = "首頁導航欄目"
SCRIPT = "廣告腳本內容"
FOOTER = "版權所有網站頁腳信息"


def html_page(body: str, head: str = "", charset: str = "utf-8") -> str:
    return f"""<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>濟源網</title>{head}</head>
<body>
<nav><ul><li><a href="/">{NAV}</a></li><li><a href="/news">新聞中心頻道</a></li></ul></nav>
<script>var tracking = "{SCRIPT}";</script>
{body}
<footer><p>{FOOTER} 備案號12345</p></footer>
</body></html>"""


@pytest.mark.parametrize("container", ["article", "div"])
def test_html_article_text(tmp_path: Path, container: str) -> None:
    paragraphs = seed_text(0).split("\n")
    body = (
        f'<{container} class="content"><h1>{paragraphs[0]}</h1>'
        + "".join(f"<p>{p}</p>" for p in paragraphs[1:])
        + f"</{container}>"
    )
    head = (
        '<meta property="article:published_time" content="2024-12-25T08:00:00+08:00">'
        '<meta property="og:title" content="莊建球主持召開示范區黨工委專題會議">'
        '<link rel="canonical" href="https://example.org/news/1.html">'
    )
    doc = load_one(write(tmp_path, "page.html", html_page(body, head).encode("utf-8")))
    for forbidden in (NAV, SCRIPT, FOOTER, "tracking"):
        assert forbidden not in doc.text
    assert squeeze(doc.text) == squeeze("\n".join(paragraphs))
    assert doc.title == "莊建球主持召開示范區黨工委專題會議"
    assert doc.date == "2024-12-25"
    assert doc.url == "https://example.org/news/1.html"


def test_html_declared_gb2312_charset(tmp_path: Path) -> None:
    paragraphs = seed_text(1).split("\n")
    body = "<div>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div>"
    data = html_page(body, charset="gb2312").encode("gb18030")
    doc = load_one(write(tmp_path, "page.HTM", data))
    assert squeeze(doc.text) == squeeze("\n".join(paragraphs))


# --- whole-file errors ----------------------------------------------------------------------


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
    assert SUPPORTED_SUFFIXES == {".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".jsonl"}


# --- JSON Lines -----------------------------------------------------------------------------


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


def test_raw_document_is_frozen() -> None:
    doc = RawDocument(text="正文")
    with pytest.raises(AttributeError):
        doc.text = "改"  # type: ignore[misc]
    assert (doc.key, doc.title, doc.date, doc.url) == (None, None, None, None)


# --- bounded loading: characters, Word zips, encrypted PDFs, nesting, links ----------------


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


@pytest.mark.parametrize("levels", [300, 5000])
@pytest.mark.parametrize("closed", [True, False])
def test_deeply_nested_html_is_read(tmp_path: Path, levels: int, closed: bool) -> None:
    paragraphs = seed_text(0).split("\n")
    article = "".join(f"<p>{p}</p>" for p in paragraphs)
    body = "<div>" * levels + article + ("</div>" * levels if closed else "")
    doc = load_one(write(tmp_path, "deep.html", html_page(body).encode("utf-8")))
    assert squeeze(doc.text) == squeeze("\n".join(paragraphs))


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


def test_html_too_deep_to_read_says_so(tmp_path: Path) -> None:
    # blockquote is not a plain wrapper: it is kept, so the article stays out of reach
    article = "".join(f"<p>{p}</p>" for p in seed_text(0).split("\n"))
    body = "<blockquote>" * 3000 + article + "</blockquote>" * 3000
    with pytest.raises(
        LoadError,
        match=r"^HTML page has no article text \(it nests 3,00\d levels deep, the parser reads "
        r"255\)$",
    ):
        load_file(write(tmp_path, "deep.html", html_page(body).encode("utf-8")))


def test_a_limit_in_mb_is_counted_in_binary_megabytes() -> None:
    assert mb_to_bytes(20) == 20_971_520  # GOVQA_MAX_FILE_MB's default, the Bot API's limit
    assert mb_to_bytes(0.05) == 52_428  # a fraction rounds down: never over the limit
