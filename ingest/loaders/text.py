"""Plain text (.txt, .md): the bytes decoded in whichever encoding they were written.

A byte-order mark decides first; then UTF-16 without one, strict UTF-8, and the legacy
Chinese encodings (GB18030, Big5) told apart by how plausible the Chinese they decode to
is. Binary data is refused. The HTML and JSON Lines loaders decode with these too.
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Iterable

from ingest.loaders.base import NEWLINES, LoadError, RawDocument, logger, require_text

DECODE_ERROR = "cannot decode text (not UTF-8/UTF-16/GB18030/Big5)"
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


def load_text(data: bytes) -> RawDocument:
    return RawDocument(text=require_text(read_text_file(data)))


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
    return NEWLINES.sub("\n", text)


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
                raise LoadError(DECODE_ERROR) from None
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
    text = decode_chinese(data)
    if text is None:
        raise LoadError(DECODE_ERROR)
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


def decode_chinese(data: bytes) -> str | None:
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
