"""Load report files (text, Markdown, HTML, Word, PDF, JSON Lines) into raw documents.

Every loader returns the document's text as written (original script, nothing cleaned),
with paragraphs separated by ``"\\n"``. Problems with a whole file raise :class:`LoadError`
whose message is one short sentence meant for the user. In a ``.jsonl`` file a bad line
does not spoil the others: it is reported as a :class:`JsonlLineError` to the caller's
``on_line_error`` callback (by default: a logged warning) and skipped.

No file can take more than its share: a file over ``max_bytes`` is not read, a text over
``max_chars`` is refused (a .jsonl line: that line), and a Word file is checked from its zip
directory, then counted as it streams, before python-docx reads it (a 2 MB zip bomb expands
to gigabytes; 357 KB of repeated paragraphs to 25 million characters).
"""

from __future__ import annotations

import codecs
import errno
import functools
import io
import json
import logging
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.table import Table

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".jsonl"}
)
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Refused rather than cut: a cut report would answer as if it were whole, and a text this
# long is a book, a dump or a bomb, not one news report (GOVQA_MAX_CHARS raises it).
DEFAULT_MAX_CHARS = 2_000_000

# A .docx is a zip whose parts python-docx reads whole into memory. Checked from the zip's
# directory before any part is read: the parts all together, and how far one large part
# expands (Word's own XML compresses 10-150:1; a zip bomb about 1,000:1). The zip module
# never yields more of a part than the directory declares, so the directory cannot lie.
_DOCX_MAX_PARTS = 10_000
_DOCX_MAX_EXPANDED = 256 * 1024 * 1024
_DOCX_MAX_RATIO = 300
_DOCX_RATIO_FROM = 10 * 1024 * 1024  # parts smaller than this may compress any amount
# python-docx holds every element of the document at once (about 450 bytes each, 20 s a
# million), on top of the ingest's 0.6 GB: a larger document is refused while it streams.
# A report at the character limit as Word writes it (a run of a few elements every 20 or
# so characters) has fewer.
_DOCX_MAX_ELEMENTS = 500_000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)

_DECODE_ERROR = "cannot decode text (not UTF-8/UTF-16/GB18030/Big5)"
# Legacy Chinese encodings tried when the bytes are not UTF-8, in order of preference on a
# tie. gb18030 is a superset of GB2312 and GBK; cp950 is the Big5 that Windows writes, and
# big5hkscs adds the Hong Kong characters.
_CHINESE_ENCODINGS = ("gb18030", "cp950", "big5hkscs")
_SCORE_SAMPLE_CHARS = 20_000
_MIN_SCORE = 0.5  # share of "plausible" non-ASCII characters a decoding needs
_MAX_ERROR_RATE = 1 / 1000  # undecodable bytes tolerated as U+FFFD, relative to length
_BINARY_SAMPLE_BYTES = 64 * 1024
# C0 controls other than \t \n \v \f \r; text files do not contain them.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n?")
_HTML_CHARSET = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# Boilerplate containers removed before trafilatura picks the article.
_HTML_PRUNE = ["//nav", "//footer", "//aside", "//header[not(ancestor::article)]"]
# lxml's HTML parser stops reading at 256 levels of nesting (what is deeper is lost). A page
# nested deeper that yields no article is read again without the plain wrappers (div, span
# ...) nested below _HTML_KEEP_DEPTH: their text stays, in order, and tags that mean
# something (nav, footer, table ...) stay too.
_HTML_PARSER_DEPTH = 255
_HTML_KEEP_DEPTH = 100
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
_HTML_WRAPPERS = frozenset("div span font center section b i u em strong small big".split())
# Tags that never nest (void) or whose end tag may be left out: not counted as depth.
_HTML_UNNESTED = frozenset(
    "area base br col embed hr img input link meta param source track wbr "
    "p li dt dd tr td th thead tbody tfoot colgroup caption option optgroup html head body "
    "rb rt rp".split()
)


@dataclass(frozen=True)
class RawDocument:
    """One document as loaded, before any cleaning or script conversion."""

    text: str  # paragraphs separated by "\n"
    key: str | None = None  # .jsonl: the line's `id`; None for single-document files
    title: str | None = None  # jsonl `title`, HTML title/og:title/h1, docx core title
    date: str | None = None  # jsonl `date` as given, HTML meta date (YYYY-MM-DD)
    url: str | None = None  # jsonl `url`, HTML canonical/og:url


class LoadError(Exception):
    """A file (or a .jsonl line) cannot be loaded; ``str(e)`` is one short sentence."""


class JsonlLineError(LoadError):
    """One unusable line of a .jsonl file; the other lines are still loaded.

    ``str(e)`` reads like ``"line 3: invalid JSON"``.
    """

    def __init__(self, path: Path, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


LineErrorHandler = Callable[[JsonlLineError], None]


def load_file(
    path: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_chars: int = DEFAULT_MAX_CHARS,
    on_line_error: LineErrorHandler | None = None,
) -> Iterator[RawDocument]:
    """Load ``path`` according to its suffix (case-insensitive).

    Whole-file problems (unsupported type, empty, too large, text over ``max_chars``,
    undecodable, corrupt, no text, a broken symbolic link) raise :class:`LoadError` from this
    call, before anything is yielded. For ``.jsonl`` the lines are read lazily, one
    :class:`RawDocument` per usable non-blank line; each bad line (a line whose text is over
    ``max_chars`` too) is passed to ``on_line_error`` (default: a logged warning) and
    skipped. If no line at all is usable, iteration ends by raising :class:`LoadError`. A
    handler that raises the error it is given makes bad lines fatal.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(f"unsupported file type {suffix}" if suffix else "file has no extension")
    size = _file_size(path)
    if size == 0:
        raise LoadError("empty file")
    if size > max_bytes:
        raise LoadError(f"file is {_fmt_size(size)}, over the {_fmt_limit(max_bytes)} limit")
    if suffix == ".jsonl":
        return _iter_jsonl(path, on_line_error or _log_line_error, max_chars)
    data = _read_bytes(path, max_bytes)
    if suffix in (".html", ".htm"):
        doc = _load_html(data)
    elif suffix == ".docx":
        doc = _load_docx(data, max_chars)
    elif suffix == ".pdf":
        doc = _load_pdf(data, max_chars)
    else:
        doc = _load_text(data)
    _check_length(doc.text, max_chars)
    return iter((doc,))


def read_text_file(data: bytes) -> str:
    """Decode the bytes of a text file; line breaks are normalised to ``"\\n"``.

    Order: BOM (UTF-8/UTF-16/UTF-32); NUL bytes mean BOM-less UTF-16 or binary; strict
    UTF-8; then GB18030 and Big5 (cp950, Big5-HKSCS), scored by the share of common Chinese
    characters and punctuation. If nothing decodes strictly, a decoding (UTF-8 or legacy)
    with at most one bad byte in a thousand is accepted, with a logged warning.
    Raises ``LoadError("binary file")`` for binary data and
    ``LoadError("cannot decode text ...")`` when no encoding fits.
    """
    if not data:
        return ""
    text = _decode_with_bom(data)
    if text is None:
        text = _decode_without_bom(data)
    if _looks_binary_text(text):
        raise LoadError("binary file")
    return _NEWLINES.sub("\n", text)


# --- helpers: files -------------------------------------------------------------------------


def _file_size(path: Path) -> int:
    try:
        st = path.stat()
    except FileNotFoundError as e:
        if path.is_symlink():
            raise LoadError(f"broken symbolic link (to {os.readlink(path)!r})") from e
        raise LoadError("file not found") from e
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise LoadError("symbolic link loop (the link leads back to itself)") from e
        raise LoadError(f"cannot read file ({e.strerror or e})") from e
    if not path.is_file():
        raise LoadError("not a regular file")
    return st.st_size


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise LoadError(f"cannot read file ({e.strerror or e})") from e
    if not data:
        raise LoadError("empty file")
    if len(data) > max_bytes:
        raise LoadError(f"file is over the {_fmt_limit(max_bytes)} limit")
    return data


def _fmt_size(n: int) -> str:
    if n >= 1024 * 1024 * 1024:
        return f"{n / (1024 * 1024 * 1024):.1f} GB"
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def mb_to_bytes(mb: float) -> int:
    """A size limit given in MB (GOVQA_MAX_FILE_MB, the Bot API's), in bytes."""
    return int(mb * 1024 * 1024)


def _fmt_limit(n: int) -> str:
    # "20 MB" rather than "20.0 MB" for round limits
    return re.sub(r"\.0 ", " ", _fmt_size(n))


def _require_text(text: str, what: str = "file has no text") -> str:
    if not text.strip():
        raise LoadError(what)
    return text


def _too_long(limit: int, chars: int | None = None) -> str:
    """The reason for a text over ``limit``; ``chars`` None when reading stopped early."""
    extracted = f"{chars:,} characters" if chars is not None else f"more than {limit:,} characters"
    return f"text too long: {extracted} extracted, the limit is {limit:,} (GOVQA_MAX_CHARS)"


def _check_length(text: str, limit: int) -> None:
    if len(text) > limit:
        raise LoadError(_too_long(limit, len(text)))


# --- helpers: encodings ---------------------------------------------------------------------


def _decode_with_bom(data: bytes) -> str | None:
    """Decode data that starts with a byte-order mark; None if there is none."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: same first two bytes
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                if encoding == "utf-32":
                    continue  # maybe UTF-16 LE text starting with U+0000: try on
                raise LoadError(_DECODE_ERROR) from None
    return None


def _decode_without_bom(data: bytes) -> str:
    sample = data[:_BINARY_SAMPLE_BYTES]
    if b"\x00" in sample:  # binary, or UTF-16 without BOM (ASCII in it is NUL-padded)
        text = _decode_utf16_without_bom(data)
        if text is None:
            raise LoadError("binary file")
        return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if len(_CONTROL_BYTES.findall(sample)) * 100 > len(sample):
        raise LoadError("binary file")
    text = _decode_chinese(data)
    if text is None:
        raise LoadError(_DECODE_ERROR)
    return text


def _decode_utf16_without_bom(data: bytes) -> str | None:
    if len(data) % 2:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausibility(text, ascii_counts=True) >= 0.9:
            return text
    return None


def _decode_chinese(data: bytes) -> str | None:
    """Best decoding among the legacy Chinese encodings, or None if none is plausible."""
    best: tuple[float, str, str] | None = None  # (score, text, encoding)
    for encoding in _CHINESE_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, text, encoding)
    if best is not None and best[0] >= _MIN_SCORE:
        return best[1]
    # A few corrupt bytes (e.g. a character cut in half at the end) should not lose a file.
    lenient: tuple[float, str, str, int] | None = None
    for encoding in ("utf-8", *_CHINESE_ENCODINGS):
        text = data.decode(encoding, errors="replace")
        errors = text.count("\ufffd")
        if errors > max(1, int(len(text) * _MAX_ERROR_RATE)):
            continue
        score = _plausibility(text)
        if score >= _MIN_SCORE and (lenient is None or score > lenient[0]):
            lenient = (score, text, encoding, errors)
    if lenient is None:
        return None
    logger.warning(
        "decoded as %s with %d undecodable byte sequence(s) replaced", lenient[2], lenient[3]
    )
    return lenient[1]


@functools.cache
def _common_hanzi() -> frozenset[str]:
    """Common Chinese characters, derived from the codecs themselves.

    All GB2312 hanzi (6,763 simplified) and Big5's frequently-used block A440-C67E
    (5,401 traditional). A wrong legacy decoding produces mostly rare characters, kana,
    symbols or private-use code points, so the share of these separates right from wrong.
    """
    chars: set[str] = set()
    pairs: Iterable[tuple[str, int, int, Iterable[int]]] = (
        ("gb2312", 0xB0, 0xF7, range(0xA1, 0xFF)),
        ("big5", 0xA4, 0xC6, [*range(0x40, 0x7F), *range(0xA1, 0xFF)]),
    )
    for encoding, first_lead, last_lead, trails in pairs:
        trail_list = list(trails)
        for lead in range(first_lead, last_lead + 1):
            for trail in trail_list:
                try:
                    char = bytes((lead, trail)).decode(encoding)
                except UnicodeDecodeError:
                    continue
                if "\u4e00" <= char <= "\u9fff":
                    chars.add(char)
    return frozenset(chars)


def _plausibility(text: str, *, ascii_counts: bool = False) -> float:
    """Share of characters that are common hanzi or usual punctuation, on a sample.

    ASCII is skipped (it decodes the same in every candidate) unless ``ascii_counts``;
    Latin letters with diacritics (pinyin) are neutral.
    """
    common = _common_hanzi()
    good = total = 0
    for char in text[:_SCORE_SAMPLE_CHARS]:
        code = ord(char)
        if code < 0x80:
            if not ascii_counts:
                continue
            total += 1
            good += char.isprintable() or char in "\t\n\r\f\v"
            continue
        if 0xC0 <= code <= 0x24F:
            continue
        total += 1
        if (
            char in common
            or 0x3000 <= code <= 0x303F  # CJK punctuation
            or 0xFF00 <= code <= 0xFFEF  # full-width forms
            or 0x2000 <= code <= 0x206F  # general punctuation: “ ” — …
            or code in (0xB7, 0xD7)  # · ×
        ):
            good += 1
    return good / total if total else 1.0


def _looks_binary_text(text: str) -> bool:
    sample = text[:_BINARY_SAMPLE_BYTES]
    return "\x00" in sample or len(_CONTROL_CHARS.findall(sample)) * 100 > len(sample)


# --- per-format loaders ---------------------------------------------------------------------


def _load_text(data: bytes) -> RawDocument:
    return RawDocument(text=_require_text(read_text_file(data)))


def _decode_html(data: bytes) -> str:
    """HTML bytes to text: the declared charset if it decodes cleanly, else detection."""
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        match = _HTML_CHARSET.search(data[:4096])
        if match:
            label = match.group(1).decode("ascii", "replace").lower()
            try:
                encoding = codecs.lookup(label).name
            except LookupError:
                encoding = ""
            # Pages labelled GB2312/GBK routinely use GBK/GB18030 characters; same for Big5.
            encoding = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "cp950"}.get(
                encoding, encoding
            )
            if encoding:
                try:
                    return _NEWLINES.sub("\n", data.decode(encoding))
                except UnicodeDecodeError:
                    logger.info("HTML declares %s but does not decode with it", label)
    return read_text_file(data)


def _load_html(data: bytes) -> RawDocument:
    html = _decode_html(data)
    result = _extract_html(html)
    text = _NEWLINES.sub("\n", getattr(result, "text", None) or "")
    if not text.strip():
        flat, deepest = _flatten_nesting(html)
        if deepest > _HTML_PARSER_DEPTH:
            result = _extract_html(flat)
            text = _NEWLINES.sub("\n", getattr(result, "text", None) or "")
            if not text.strip():
                raise LoadError(
                    f"HTML page has no article text (it nests {deepest:,} levels deep, "
                    f"the parser reads {_HTML_PARSER_DEPTH})"
                )
    if not text.strip():
        raise LoadError("HTML page has no article text")
    return RawDocument(
        text=text,
        title=_str_or_none(getattr(result, "title", None)),
        date=_str_or_none(getattr(result, "date", None)),
        url=_str_or_none(getattr(result, "url", None)),
    )


def _extract_html(html: str) -> object:
    """trafilatura's article and metadata (an object with ``text``, ``title`` ...)."""
    import trafilatura

    try:
        return trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            prune_xpath=_HTML_PRUNE,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as e:  # third-party parser on untrusted input
        raise LoadError("cannot parse HTML page") from e


def _flatten_nesting(html: str) -> tuple[str, int]:
    """``html`` without the plain wrappers nested deeper than _HTML_KEEP_DEPTH, and how deep
    its tags nest. Tags only go, never text; an end tag goes with a start tag of its name
    that went. Tags whose end may be left out (p, li, td ...) are not counted, so depth does
    not creep up on a page that leaves them open."""
    depth = deepest = 0
    dropped: dict[str, int] = {}  # start tags dropped and not yet closed, by name
    pieces: list[str] = []
    kept_to = 0
    for tag in _HTML_TAG.finditer(html):
        closing, name, empty = tag.group(1), tag.group(2).lower(), tag.group(3)
        if name in _HTML_UNNESTED or empty:
            continue
        if closing:
            drop = dropped.get(name, 0) > 0
            if drop:
                dropped[name] -= 1
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
            drop = depth > _HTML_KEEP_DEPTH and name in _HTML_WRAPPERS
            if drop:
                dropped[name] = dropped.get(name, 0) + 1
        if drop:
            pieces.append(html[kept_to : tag.start()])
            kept_to = tag.end()
    pieces.append(html[kept_to:])
    return "".join(pieces), deepest


def _load_docx(data: bytes, max_chars: int) -> RawDocument:
    import docx
    from docx.table import Table

    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise LoadError("corrupt .docx: it is an old .doc file (save it as .docx)")
    _check_docx_parts(data, max_chars)
    try:
        document = docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise LoadError("corrupt .docx: not a zip archive") from e
    except Exception as e:  # python-docx raises many types on bad input
        raise LoadError("corrupt .docx: no readable Word document inside") from e

    paragraphs: list[str] = []
    try:
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                paragraphs.extend(_docx_table_rows(block))
            elif block.text.strip():
                paragraphs.append(block.text)
        title = document.core_properties.title
    except Exception as e:  # untrusted input: any failure is the file's
        raise LoadError("corrupt .docx: broken document content") from e
    text = _require_text("\n".join(paragraphs), "Word document has no text")
    return RawDocument(text=_NEWLINES.sub("\n", text), title=_str_or_none(title))


def _check_docx_parts(data: bytes, max_chars: int) -> None:
    """Refuse a Word file python-docx would choke on, before it reads any part: from the zip
    directory (how many parts, how large they expand, how far one is compressed), then by
    streaming its XML parts (how many elements, how much text in the main document)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as e:
        raise LoadError("corrupt .docx: not a zip archive") from e
    with archive:
        parts = archive.infolist()
        if len(parts) > _DOCX_MAX_PARTS:
            raise LoadError(
                f"Word file has {len(parts):,} parts, over the {_DOCX_MAX_PARTS:,} limit"
            )
        expanded = sum(part.file_size for part in parts)
        if expanded > _DOCX_MAX_EXPANDED:
            raise LoadError(
                f"Word file expands to {_fmt_size(expanded)}, over the "
                f"{_fmt_limit(_DOCX_MAX_EXPANDED)} limit for its parts (a zip bomb?)"
            )
        for part in parts:
            ratio = part.file_size // max(part.compress_size, 1)
            if part.file_size >= _DOCX_RATIO_FROM and ratio > _DOCX_MAX_RATIO:
                raise LoadError(
                    f"Word file part {part.filename!r} expands {ratio:,}:1 "
                    f"({_fmt_size(part.compress_size)} to {_fmt_size(part.file_size)}), over "
                    f"{_DOCX_MAX_RATIO}:1 (a zip bomb?)"
                )
        _stream_docx_parts(archive, parts, max_chars)


def _stream_docx_parts(archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo], limit: int) -> None:
    """Count the elements of every XML part, and the text of the main document, as they
    stream from the zip; stop and refuse at the first limit passed. A part that does not
    parse is left for python-docx to judge."""
    from lxml import etree

    main = _docx_main_part(archive)
    elements = 0
    for part in parts:
        if not part.filename.lower().endswith((".xml", ".rels")):
            continue
        chars = 0
        try:
            with archive.open(part) as stream:
                for _, element in etree.iterparse(
                    stream, events=("end",), resolve_entities=False, no_network=True
                ):
                    elements += 1
                    if elements > _DOCX_MAX_ELEMENTS:
                        raise LoadError(
                            f"Word document too large: over {_DOCX_MAX_ELEMENTS:,} XML elements"
                        )
                    if part.filename == main and element.tag == _W + "t":
                        chars += len(element.text or "")
                        if chars > limit:
                            raise LoadError(_too_long(limit))
                    # Keep memory flat: nothing read so far is needed again.
                    element.clear()
                    parent = element.getparent()
                    while parent is not None and element.getprevious() is not None:
                        del parent[0]
        except LoadError:
            raise
        except Exception:  # broken XML or a broken part: python-docx reports it, or not
            logger.debug("cannot stream %s", part.filename, exc_info=True)


def _docx_main_part(archive: zipfile.ZipFile) -> str | None:
    """The name of the main document part (word/document.xml), from the package's rels."""
    from lxml import etree

    try:
        with archive.open("_rels/.rels") as stream:
            for _, element in etree.iterparse(
                stream, events=("end",), resolve_entities=False, no_network=True
            ):
                if element.get("Type") == _OFFICE_DOCUMENT and element.get("Target"):
                    return str(element.get("Target")).lstrip("/")
                element.clear()
    except Exception:  # no rels, or broken: python-docx reports it
        logger.debug("cannot read the package relationships", exc_info=True)
    return None


def _docx_table_rows(table: Table) -> Iterator[str]:
    """One line per table row, cells separated by tabs; merged cells appear once."""
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        line = "\t".join(cells)
        if line.strip():
            yield line


def _load_pdf(data: bytes, max_chars: int) -> RawDocument:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data))
        # Many PDFs are encrypted with an empty user password (to set permissions): they
        # open without one. AES needs the cryptography package (pypdf[crypto]).
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError("encrypted PDF, needs a password")
        pages = list(reader.pages)
    except LoadError:
        raise
    except DependencyError as e:
        raise LoadError(f"encrypted PDF that this installation cannot decrypt ({e})") from e
    except Exception as e:  # pypdf raises many types on bad input
        if "crypt" in type(e).__name__.lower() or "decrypt" in str(e).lower():
            raise LoadError("PDF is encrypted and cannot be read") from e
        raise LoadError("corrupt .pdf: cannot read the PDF structure") from e

    texts: list[str] = []
    length = 0
    for number, page in enumerate(pages, start=1):
        try:
            page_text = page.extract_text() or ""
        except Exception as e:  # untrusted input: any failure is the file's
            logger.warning("PDF page %d: text extraction failed (%s)", number, e)
            continue
        if page_text.strip():
            texts.append(page_text.strip("\n"))
            length += len(texts[-1]) + 1
            if length > max_chars + 1:  # the pages joined by "\n" are over the limit
                raise LoadError(_too_long(max_chars))
    text = _NEWLINES.sub("\n", "\n".join(texts))
    if not text.strip():
        raise LoadError("PDF has no text layer (scanned?)")
    return RawDocument(text=text)


# --- JSON Lines -----------------------------------------------------------------------------


def _log_line_error(error: JsonlLineError) -> None:
    logger.warning("%s: %s (line skipped)", error.path, error)


def _iter_jsonl(
    path: Path, on_line_error: LineErrorHandler, max_chars: int
) -> Iterator[RawDocument]:
    yielded = 0
    bad = 0
    first_error: JsonlLineError | None = None
    seen_keys: set[str] = set()
    try:
        for number, line in _jsonl_lines(path):
            if line is not None and not line.strip():
                continue
            try:
                if line is None:
                    raise ValueError(_DECODE_ERROR)
                doc = _parse_jsonl_line(line)
                if doc.key in seen_keys:
                    raise ValueError(f"duplicate id {doc.key!r}")
                if len(doc.text) > max_chars:
                    raise ValueError(_too_long(max_chars, len(doc.text)))
            except ValueError as e:
                error = JsonlLineError(path, number, str(e))
                bad += 1
                first_error = first_error or error
                on_line_error(error)
                continue
            assert doc.key is not None
            seen_keys.add(doc.key)
            yielded += 1
            yield doc
    except OSError as e:
        raise LoadError(f"cannot read file ({e.strerror or e})") from e
    if not yielded:
        if first_error is None:
            raise LoadError("file has no text")
        raise LoadError(f"no usable line in {bad} line(s) ({first_error})")


def _jsonl_lines(path: Path) -> Iterator[tuple[int, str | None]]:
    """(line number, decoded line or None if undecodable) pairs, read lazily."""
    with path.open("rb") as f:
        head = f.read(4)
        f.seek(0)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # UTF-16 cannot be split on b"\n": let the text layer do it.
            with io.TextIOWrapper(f, encoding="utf-16", errors="replace", newline=None) as t:
                yield from enumerate(t, start=1)
            return
        for number, raw in enumerate(f, start=1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            raw = raw.rstrip(b"\r\n")
            try:
                yield number, raw.decode("utf-8")
            except UnicodeDecodeError:
                # JSON should be UTF-8, but accept a GB18030/Big5 export (b"\n" is never
                # part of a multi-byte character there, so splitting on it is safe).
                yield number, _decode_chinese(raw)


def _parse_jsonl_line(line: str) -> RawDocument:
    """A RawDocument from one JSON line; ValueError(short reason) if unusable."""
    try:
        record = json.loads(line, strict=False)  # tolerate raw tabs/newlines in strings
    except json.JSONDecodeError:
        raise ValueError("invalid JSON") from None
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    key = record.get("id")
    if isinstance(key, int) and not isinstance(key, bool):
        key = str(key)
    if not isinstance(key, str) or not key.strip():
        raise ValueError("missing `id`")
    text = record.get("text")
    if not isinstance(text, str):
        raise ValueError("missing `text`")
    if not text.strip():
        raise ValueError("empty `text`")
    return RawDocument(
        text=_NEWLINES.sub("\n", text),
        key=key,
        title=_str_or_none(record.get("title")),
        date=_str_or_none(record.get("date")),
        url=_str_or_none(record.get("url")),
    )


def _str_or_none(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
